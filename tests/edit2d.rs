//! Your data in every model: 2-D points added and removed (EM restarts from the current θ, rejected
//! edits change nothing), data read with chosen columns and the variance floor, and `data_text` that
//! reads back as exactly the same data set in the same model (1-D, 2-D, k-means, coins).

use emlab::core::csv::MAX_POINTS;
use emlab::core::gmm2d::Gmm2d;
use emlab::core::lab::Lab;
use emlab::core::options::Options;
use emlab::text::Lang;

/// Six points in two groups, as `x,y` lines.
const SIX: &str = "0,0\n1,0\n0,1\n10,10\n11,10\n10,11\n";

fn lab(model: &str) -> Lab {
    Lab::from_csv(model, SIX, 2, 1, 0).unwrap()
}

/// The lab's state as text, to check that a rejected edit changes nothing.
fn snapshot(lab: &Lab) -> String {
    format!("{:?} {:?} {:?}", lab.em, lab.preset, lab.labels)
}

#[test]
fn adding_a_2d_point_restarts_from_the_current_theta() {
    for model in ["gmm2d", "kmeans"] {
        let mut lab = lab(model);
        lab.step().unwrap();
        lab.step().unwrap();
        let theta = lab.params();
        lab.add_point_2d([5.0, -2.5]).unwrap();
        assert_eq!(lab.len(), 7, "{model}");
        assert_eq!(&lab.points_2d()[12..], &[5.0, -2.5], "{model}");
        assert_eq!(lab.params(), theta, "{model}: θ is kept as the new start");
        assert_eq!(lab.bound().iteration(), 0, "{model}: EM starts again");
        assert!(lab.objective().is_finite());
        lab.step().unwrap();
    }
}

#[test]
fn removing_takes_the_nearest_point_on_the_screen() {
    let mut lab = lab("gmm2d");
    let (removed, _) = lab.remove_nearest_2d([10.4, 10.9], [1.0, 1.0]).unwrap();
    assert_eq!(removed, [10.0, 11.0]);
    assert_eq!(lab.len(), 5);
    assert_eq!(lab.data_text(), "0,0\n1,0\n0,1\n10,10\n11,10\n");
    // With x stretched 100× (an axis with small numbers), (0.9, 0) is nearer (1, 0) than (0, 1)
    // on the screen although (0, 1) is nearer in data units along y.
    let mut lab = Lab::from_csv("kmeans", "0,0\n1,0\n0,1\n", 2, 1, 0).unwrap();
    assert_eq!(
        lab.remove_nearest_2d([0.6, 0.7], [100.0, 1.0]).unwrap().0,
        [1.0, 0.0]
    );
    let mut lab = Lab::from_csv("kmeans", "0,0\n1,0\n0,1\n", 2, 1, 0).unwrap();
    assert_eq!(
        lab.remove_nearest_2d([0.6, 0.7], [1.0, 100.0]).unwrap().0,
        [0.0, 1.0]
    );
    // A scale that is not a positive finite number counts as 1.
    let mut lab = Lab::from_csv("kmeans", "0,0\n1,0\n0,1\n", 2, 1, 0).unwrap();
    assert_eq!(
        lab.remove_nearest_2d([0.9, 0.2], [f64::NAN, -3.0])
            .unwrap()
            .0,
        [1.0, 0.0]
    );
}

#[test]
fn rejected_2d_edits_leave_the_lab_as_it_was() {
    let mut lab = lab("gmm2d");
    lab.step().unwrap();
    let before = snapshot(&lab);
    for p in [
        [f64::NAN, 0.0],
        [0.0, f64::INFINITY],
        [f64::NEG_INFINITY, 1.0],
    ] {
        let e = lab.add_point_2d(p).unwrap_err();
        assert_eq!(e.id(), "err-point");
        assert!(e
            .to_string()
            .starts_with("A data point must be a finite number; got "));
        assert_eq!(
            lab.remove_nearest_2d(p, [1.0, 1.0]).unwrap_err().id(),
            "err-point"
        );
    }
    assert_eq!(snapshot(&lab), before);

    // Fewer distinct points than K, and no points at all.
    let mut two = Lab::from_csv("gmm2d", "0,0\n5,5\n", 2, 1, 0).unwrap();
    let e = two.remove_nearest_2d([5.0, 5.0], [1.0, 1.0]).unwrap_err();
    assert_eq!(e.id(), "err-too-few-distinct");
    assert_eq!(
        e.to_string(),
        "K = 2 components need at least 2 distinct values; the data has 1. Lower K or add data."
    );
    assert_eq!(two.points_2d(), &[0.0, 0.0, 5.0, 5.0]);
    let mut one = Lab::from_csv("kmeans", "3,4\n", 1, 1, 0).unwrap();
    assert_eq!(
        one.remove_nearest_2d([3.0, 4.0], [1.0, 1.0])
            .unwrap_err()
            .id(),
        "err-empty"
    );
    assert_eq!(one.points_2d(), &[3.0, 4.0]);
}

#[test]
fn edits_in_2d_are_for_2d_models_and_1d_edits_for_1d() {
    let mut coins = Lab::from_csv("coins", "HTH\nTTT\n", 2, 1, 0).unwrap();
    let e = coins.add_point_2d([1.0, 2.0]).unwrap_err();
    assert_eq!(e.id(), "err-not-for-model");
    assert_eq!(
        e.to_string(),
        "“add a point” is not available for the Coin mixture."
    );
    // Both in the message's language: "coins 模型不支持“add a point”。" mixed English into Chinese.
    assert_eq!(e.message(Lang::Zh), "硬币混合模型不支持“添加数据点”。");
    let mut one_d = Lab::from_csv("gmm1d", "1\n2\n3\n", 2, 1, 0).unwrap();
    assert_eq!(
        one_d
            .remove_nearest_2d([1.0, 2.0], [1.0, 1.0])
            .unwrap_err()
            .id(),
        "err-not-for-model"
    );
    let mut two_d = lab("kmeans");
    assert_eq!(two_d.add_point(3.0).unwrap_err().id(), "err-not-for-model");
    assert_eq!(one_d.points_2d(), &[] as &[f64]);
}

#[test]
fn a_preset_edited_is_your_data() {
    let mut lab = Lab::preset("old-faithful", 2, 1).unwrap();
    assert!(lab.labels.is_none() || lab.preset.is_some());
    let n = lab.len();
    lab.add_point_2d([0.0, 0.0]).unwrap();
    assert_eq!(lab.len(), n + 1);
    assert_eq!(lab.preset, None);
    assert_eq!(lab.labels, None);
    match lab.em_of::<Gmm2d>() {
        Some(em) => assert_eq!(em.model().data().len(), 2 * (n + 1)),
        None => panic!("still a 2-D mixture"),
    }
}

#[test]
fn the_most_points_a_2d_data_set_holds() {
    let text: String = (0..MAX_POINTS).map(|i| format!("{i},0\n")).collect();
    let mut lab = Lab::from_csv("kmeans", &text, 1, 1, 0).unwrap();
    let e = lab.add_point_2d([1.0, 1.0]).unwrap_err();
    assert_eq!(e.id(), "err-too-many");
    assert_eq!(
        e.to_string(),
        "Too many points: the page holds at most 2,000,000."
    );
    assert_eq!(lab.len(), MAX_POINTS);
}

/// Reads `text` in `model`, writes it with `data_text`, reads that back: the same data, the same text.
fn round_trip(model: &str, text: &str, k: usize) -> String {
    let lab = Lab::from_csv(model, text, k, 1, 0).unwrap();
    let written = lab.data_text();
    let again = Lab::from_csv(model, &written, k, 1, 0).unwrap();
    assert_eq!(again.data_text(), written, "{model}: stable");
    assert_eq!(
        format!("{:?}", again.params()),
        format!("{:?}", lab.params()),
        "{model}: same data, same seeded start"
    );
    assert_eq!(again.objective(), lab.objective(), "{model}: same ℓ");
    written
}

#[test]
fn data_text_reads_back_exactly_for_2d_data() {
    let text = "x,y\n0.1,1e-300\n-2.5,3\n1.5e150,0.30000000000000004\n";
    assert_eq!(
        Lab::from_csv("gmm2d", text, 2, 1, 0).unwrap().data_text(),
        "0.1,1e-300\n-2.5,3\n1.5e150,0.30000000000000004\n"
    );
    for model in ["gmm2d", "kmeans"] {
        assert_eq!(round_trip(model, SIX, 2), SIX);
    }
    // The old faithful preset, written and read back, is the same 272 points.
    let preset = Lab::preset_as("old-faithful", 2, 1, Some("kmeans")).unwrap();
    let back = Lab::from_csv("kmeans", &preset.data_text(), 2, 1, 0).unwrap();
    assert_eq!(back.points_2d(), preset.points_2d());
}

#[test]
fn chosen_columns_and_the_floor_are_used() {
    let text = "a,b,c\n1,100,7\n2,200,8\n3,300,9.5\n";
    let lab = Lab::from_csv_with(
        "gmm2d",
        text,
        2,
        1,
        [0, 2],
        Options {
            reg: 0.25,
            ..Options::default()
        },
    )
    .unwrap();
    assert_eq!(lab.data_text(), "1,7\n2,8\n3,9.5\n");
    assert_eq!(lab.options().reg, 0.25);
    let e = Lab::from_csv_with("gmm2d", text, 2, 1, [0, 3], Options::default()).unwrap_err();
    assert_eq!(e.to_string(), "There is no column 4; the data has 3.");
    let e = Lab::from_csv_with(
        "coins",
        "HT\n",
        1,
        1,
        [0, 1],
        Options {
            reg: -1.0,
            ..Options::default()
        },
    )
    .unwrap_err();
    assert_eq!(e.id(), "err-option-max");
}

#[test]
fn data_text_reads_back_exactly_for_coins() {
    // Sequences stay sequences (1/0 become H/T); counts stay counts.
    assert_eq!(
        round_trip("coins", "HTTH\nh t t h\n1,0,0,1\n5,10\n0 3\n", 2),
        "HTTH\nHTTH\nHTTH\n5,10\n0,3\n"
    );
    // A single toss given as counts is written as a letter: "1,1" would read back as HH.
    assert_eq!(
        round_trip("coins", "5,10\n1 1\nTT\n", 2),
        "5,10\nHH\nTT\n",
        "“1 1” is the sequence HH"
    );
    let lab = Lab::from_csv("coins", "12,20\nH\nT\n", 2, 1, 0).unwrap();
    let mut shown = lab.clone();
    shown.sequences = vec![None, None, None];
    assert_eq!(shown.data_text(), "12,20\nH\nT\n");
    assert_eq!(round_trip("coins", &shown.data_text(), 2), "12,20\nH\nT\n");
    // The presets, written and read back, have the same counts.
    for name in ["three-coins", "five-sets"] {
        let preset = Lab::preset(name, 2, 1).unwrap();
        let back = Lab::from_csv("coins", &preset.data_text(), 2, 1, 0).unwrap();
        let counts = |lab: &Lab| {
            let em = lab.em_of::<emlab::core::coins::Coins>().unwrap();
            em.model().counts().to_vec()
        };
        assert_eq!(counts(&back), counts(&preset), "{name}");
        assert_eq!(back.sequences, preset.sequences, "{name}");
    }
}

#[test]
fn data_text_of_1d_data_is_one_number_per_line() {
    assert_eq!(
        round_trip("gmm1d", "v\n0.1\n2\n-3e-9\n", 2),
        "0.1\n2\n-0.000000003\n"
    );
}

#[test]
fn a_bad_coin_line_names_line_and_column_in_both_languages() {
    let e = Lab::from_csv("coins", "HTTH\nHHXT\n", 2, 1, 0).unwrap_err();
    assert_eq!(e.id(), "err-coin-line");
    assert_eq!(e.to_string(), "Line 2, column 3: “X” is not H, T, 1 or 0.");
    assert_eq!(
        e.message(Lang::Zh),
        "第 2 行第 3 列：“X” 不是 H、T、1、0、正或反。"
    );
    let e = Lab::from_csv("coins", "HT\n7,5\n", 2, 1, 0).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Line 2: heads must be a whole number between 0 and tosses, and tosses at least 1."
    );
    let e = Lab::from_csv("coins", "HT\n", 2, 1, 0).unwrap_err();
    assert_eq!(e.id(), "err-too-few-sets");
}

#[test]
fn the_new_page_messages_have_both_languages_and_the_same_names() {
    for id in [
        "data-model",
        "model-gmm1d",
        "model-gmm2d",
        "model-kmeans",
        "model-coins",
        "data-column-x",
        "data-column-y",
        "data-paste-label-2d",
        "data-paste-label-coins",
        "click-mode-2d",
        "click-hint-none-coins",
        "data-added-2d",
        "data-added-2d-means",
        "data-added-means",
        "data-removed-2d",
        "data-k-reduced-2d",
        "data-summary-coins",
        "data-used-coins",
        "data-empty-state-coins",
    ] {
        let en = emlab::text::get(Lang::En, id);
        let zh = emlab::text::get(Lang::Zh, id);
        assert_ne!(en, id, "{id} is in the table");
        assert_ne!(en, zh, "{id} is translated");
    }
    assert_eq!(
        emlab::text::get(Lang::En, "data-added-2d"),
        "Added ({x}, {y}); EM starts again from the current θ."
    );
}

#[test]
fn theta_of_a_2d_lab_survives_an_edit_and_a_restore() {
    let mut lab = lab("gmm2d");
    lab.step().unwrap();
    let theta = lab.params();
    lab.add_point_2d([3.0, 3.0]).unwrap();
    // What the page saves (data text + θ) rebuilds the same state.
    let mut restored = Lab::from_csv("gmm2d", &lab.data_text(), 2, 1, 0).unwrap();
    restored.restart_with(&theta).unwrap();
    assert_eq!(restored.params(), theta);
    assert_eq!(restored.objective(), lab.objective());
    assert!(restored.params_of::<Gmm2d>().is_some());
}

#[test]
fn a_2d_collapse_is_reported_and_a_fresh_start_leaves_the_point() {
    use emlab::core::gmm2d::Gmm2dParams;
    use emlab::core::options::Options;
    // A loose cluster and one isolated point; component 2 starts on the isolated point, reg = 0.
    let mut text = String::new();
    for (x, y) in [
        (0.0, 0.1),
        (0.4, -0.3),
        (-0.5, 0.2),
        (0.2, 0.6),
        (-0.1, -0.7),
        (0.8, 0.3),
        (-0.6, -0.2),
        (0.3, -0.1),
    ] {
        text.push_str(&format!("{x},{y}\n"));
    }
    text.push_str("9,9\n");
    let options = Options { reg: 0.0, tol: 0.0 };
    let mut lab = Lab::from_csv_with("gmm2d", &text, 2, 1, [0, 1], options).unwrap();
    let start = Gmm2dParams {
        weights: vec![0.9, 0.1],
        means: vec![[0.0, 0.0], [8.0, 8.0]],
        covariances: vec![[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, 1.0]]],
    };
    lab.restart_with_of::<Gmm2d>(&start).unwrap();
    let mut steps = 0;
    while lab.step().is_ok() {
        steps += 1;
        assert!(steps < 500, "the isolated point's component collapses");
        assert!(lab.bound().loglik().is_finite());
    }
    let c = lab.collapse().expect("a typed collapse, not NaN");
    assert_eq!(c.component, 1);
    assert_eq!(lab.point(c.point), vec![9.0, 9.0]);
    let mean = lab.reinit_component(1, 3).unwrap();
    assert_eq!(mean.len(), 2);
    assert_ne!(
        mean,
        vec![9.0, 9.0],
        "not back onto the point it collapsed onto"
    );
    assert!(lab.collapse().is_none());
    assert_eq!(lab.bound().iteration(), 0);
    let p = lab.params_of::<Gmm2d>().unwrap();
    assert_eq!(p.means[1], [mean[0], mean[1]]);
    assert_eq!(p.weights[1], 0.5);
    assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    lab.step().unwrap();
    // k-means and coins have no component to re-initialise.
    let mut km = Lab::preset_as("three-blobs", 3, 1, Some("kmeans")).unwrap();
    assert_eq!(
        km.reinit_component(0, 1).unwrap_err().id(),
        "err-not-for-model"
    );
}

#[test]
fn points_clicked_twice_at_two_places_start_with_round_components_and_take_a_point_off_their_line()
{
    use emlab::core::edit::Restart;
    use emlab::core::gmm2d::eigenvalues;
    // A student's clicks after Clear (K = 2): one spot twice, then another. The three points lie on a line,
    // so their covariance is singular up to rounding; as the start's covariance it put the next point,
    // off the line, ~1e13 nats from both components, and every further click was refused.
    for text in [
        "0.31,0.7\n0.31,0.7\n0.77,0.42\n",
        "-3.1,12.25\n-3.1,12.25\n4.4,1.05\n",
        "1,1\n1,1\n3,2\n",
    ] {
        for seed in 0..4 {
            let mut lab = Lab::from_csv("gmm2d", text, 2, seed, 0).unwrap();
            let start = lab.params_of::<Gmm2d>().unwrap();
            for cov in &start.covariances {
                let (big, small) = eigenvalues(cov);
                assert!(
                    small > 0.5 * big,
                    "{text:?} seed {seed}: a round start, not a line: {cov:?}"
                );
            }
            assert_eq!(
                lab.add_point_2d([0.5, 3.0]).unwrap(),
                Restart::FromTheta,
                "{text:?} seed {seed}"
            );
            assert_eq!(lab.params_of::<Gmm2d>().unwrap(), start, "θ kept");
            assert_eq!(lab.add_point_2d([-1.0, -2.0]).unwrap(), Restart::FromTheta);
            assert!(
                lab.objective().is_finite() && lab.objective().abs() < 1e3,
                "ℓ = {}",
                lab.objective()
            );
            lab.step().unwrap();
        }
    }
    // Thin data, and data whose axes differ in scale by 10³⁰⁰, keep their own covariance as the start.
    for text in [
        "0,0\n1,0.001\n2,0\n3,0.001\n",
        "0.1,1e-300\n-2.5,3\n1.5e150,0.30000000000000004\n",
    ] {
        let data = Lab::from_csv("gmm2d", text, 1, 1, 0).unwrap();
        let em = data.em_of::<Gmm2d>().unwrap();
        assert_eq!(
            em.params().covariances[0],
            em.model().data_covariance(),
            "{text:?}"
        );
    }
}

#[test]
fn a_point_the_current_theta_cannot_explain_restarts_em_from_its_means() {
    use emlab::core::edit::Restart;
    use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
    use emlab::core::gmm2d::Gmm2dParams;
    // Components shrunk onto the points so far (as after a collapse): a point far from both has
    // ℓ ≈ −(10⁵)²/(2·10⁻⁶) nats under θ, which no figure can draw. EM starts again from the same means with
    // equal weights and the data's covariance, and says so (`Restart::FromMeans`), instead of refusing the click.
    let mut lab = lab("gmm2d");
    let tight = Gmm2dParams {
        weights: vec![0.3, 0.7],
        means: vec![[0.5, 0.5], [10.5, 10.5]],
        covariances: vec![[[1e-6, 0.0], [0.0, 1e-6]]; 2],
    };
    lab.restart_with_of::<Gmm2d>(&tight).unwrap();
    let held = lab.add_point_2d([1e5, -1e5]).unwrap();
    assert_eq!(held, Restart::FromMeans);
    let em = lab.em_of::<Gmm2d>().unwrap();
    let restarted = em.params().clone();
    assert_eq!(restarted.means, tight.means, "the same means");
    assert_eq!(restarted.weights, vec![0.5, 0.5]);
    assert_eq!(
        restarted.covariances,
        vec![em.model().data_covariance(); 2],
        "the data's covariance"
    );
    assert_eq!(lab.len(), 7);
    assert_eq!(lab.bound().iteration(), 0);
    assert!(lab.objective().is_finite());
    lab.step().unwrap();
    // A point θ can explain keeps θ.
    let theta = lab.params();
    assert_eq!(lab.add_point_2d([1.0, 1.0]).unwrap(), Restart::FromTheta);
    assert_eq!(lab.params(), theta);

    let mut one = Lab::from_csv("gmm1d", "0\n0.1\n0.2\n5\n5.1\n5.2\n", 2, 1, 0).unwrap();
    let tight = Gmm1dParams {
        weights: vec![0.5, 0.5],
        means: vec![0.1, 5.1],
        variances: vec![1e-6, 1e-6],
    };
    one.restart_with_of::<Gmm1d>(&tight).unwrap();
    assert_eq!(one.add_point(1e5).unwrap(), Restart::FromMeans);
    let p = one.params_of::<Gmm1d>().unwrap();
    assert_eq!(p.means, tight.means);
    assert_eq!(p.weights, vec![0.5, 0.5]);
    let variance = one.em_of::<Gmm1d>().unwrap().model().data_variance();
    assert_eq!(p.variances, vec![variance; 2]);
    assert_eq!(one.add_point(0.15).unwrap(), Restart::FromTheta);
}

#[test]
fn a_component_emptied_by_an_m_step_is_no_start_for_new_data() {
    use emlab::core::edit::Restart;
    use emlab::core::gmm1d::Gmm1d;
    // A course author's calls on the collapse lesson (reg = 0): component 2 sits on the point at 10; with that
    // point removed, the next M-step gives it weight 0. Restarting from that θ on new data put L = −∞ and
    // KL = ∞ in the readouts, the trace and the figures, and its link and saved session could not be opened.
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.e_step().unwrap();
    lab.m_step().unwrap();
    lab.e_step().unwrap();
    assert_eq!(
        lab.remove_nearest(10.0).unwrap(),
        (10.0, Restart::FromTheta)
    );
    lab.e_step().unwrap();
    lab.m_step().unwrap();
    let emptied = lab.params_of::<Gmm1d>().unwrap();
    assert!(
        emptied.weights.contains(&0.0),
        "an emptied component: {emptied:?}"
    );
    // Removing a point from there restarts from the means too, and says so (the page said "from the
    // current θ").
    let mut removing = lab.clone();
    let (_, restart) = removing.remove_nearest(0.0).unwrap();
    assert_eq!(restart, Restart::FromMeans);
    assert_eq!(removing.len(), lab.len() - 1);
    let start = removing.params_of::<Gmm1d>().unwrap();
    assert_eq!(start.means, emptied.means);
    assert_eq!(start.weights, vec![0.5, 0.5]);
    assert!(removing.bound().lower_bound().is_finite());
    assert_eq!(lab.add_point(0.5).unwrap(), Restart::FromMeans);
    let start = lab.params_of::<Gmm1d>().unwrap();
    assert_eq!(start.means, emptied.means);
    assert_eq!(start.weights, vec![0.5, 0.5]);
    let b = lab.bound();
    assert!(
        b.loglik().is_finite() && b.lower_bound().is_finite(),
        "ℓ {} L {}",
        b.loglik(),
        b.lower_bound()
    );
    lab.step().unwrap();
    assert!(lab.bound().lower_bound().is_finite());
    // Its link and saved session open again, at the same state.
    let linked = Lab::from_link(&lab.link().unwrap()).unwrap();
    assert_eq!(linked.params(), lab.params());
    let restored = Lab::restore_session(&lab.save_session(), None).unwrap();
    assert_eq!(restored.params(), lab.params());
}
