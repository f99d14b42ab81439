use emlab::core::lab::Lab;
#[test]
fn scratch() {
    let mut lab = Lab::from_csv(
        "gmm1d",
        "1e150\n2e150\n3e150\n10e150\n11e150\n12e150",
        3,
        1,
        0,
    )
    .unwrap();
    for i in 0..2000 {
        if let Err(e) = lab.step() {
            println!("{i}: {e:?} {:?}", lab.collapse());
            break;
        }
    }
    println!("{:?}", lab.params());
}
