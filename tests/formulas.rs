//! The formulas of every model show the numbers the model itself computes: q printed for the chosen point
//! is what the E-step gives it, and θ printed in the M-step is θ after `m_step()`, to the printed precision.

use emlab::core::coins::Coins;
use emlab::core::em::Phase;
use emlab::core::formulas::{Formulas, Node, Num};
use emlab::core::gmm1d::Gmm1d;
use emlab::core::gmm2d::CovarianceType;
use emlab::core::gmm2d::Gmm2d;
use emlab::core::lab::Lab;
use emlab::core::model::Theta;
use emlab::core::options::Options;
use emlab::text::Lang;

/// θ as (symbol, component, entry, value), with the names the formulas tag them by (k-means' equal
/// weights are not θ: they are never estimated).
fn theta(p: &Theta, model: &str) -> Vec<(&'static str, usize, usize, f64)> {
    let mut out = Vec::new();
    for f in &p.fields {
        let symbol = match f.name.as_str() {
            "weights" if model == "kmeans" => continue,
            "weights" => "π",
            "means" => "μ",
            "variances" => "σ²",
            "covariances" => "Σ",
            "heads" => "θ",
            other => panic!("a field the test does not know: {other}"),
        };
        let width = f.shape.width();
        for (i, &v) in f.values.iter().enumerate() {
            out.push((symbol, i / width, i % width, v));
        }
    }
    out
}

/// The printed number reads as `v` to 4 significant digits (or as 0 when `v` is float noise).
fn reads_as(n: &Num, v: f64, what: &str) {
    let printed = n.printed();
    let ok = if printed == 0.0 {
        v.abs() <= 1e-12 * n.scale.abs()
    } else {
        (printed - v).abs() <= 5.0001e-4 * v.abs()
    };
    assert!(ok, "{what}: printed {} for {v}", n.text());
}

/// Every line's markup in both languages, checked for noise and NaN.
fn check_markup(f: &Formulas, what: &str) {
    for lang in [Lang::En, Lang::Zh] {
        for line in Formulas::mathml(&f.e, lang)
            .iter()
            .chain(&Formulas::mathml(&f.m, lang))
        {
            assert!(line.starts_with("<math xmlns=\"http://www.w3.org/1998/Math/MathML\""));
            assert!(line.ends_with("</math>"));
            for bad in ["NaN", "inf", "undefined", "?", "<mn>-", "∞"] {
                assert!(!line.contains(bad), "{what}: {bad} in {line}");
            }
            let noise = line.as_bytes().windows(3).any(|w| {
                w[0].is_ascii_digit() && w[1] == b'e' && (w[2] == b'-' || w[2].is_ascii_digit())
            });
            assert!(!noise, "{what}: float noise in {line}");
            assert_eq!(
                line.matches('<').count(),
                line.matches('>').count(),
                "{what}"
            );
        }
    }
}

/// The formulas of `lab` for observation `i` against the model's own next E-step and M-step.
fn check(lab: &Lab, i: usize, what: &str) {
    let what = format!("{what}, point {i}, phase {:?}", lab.phase());
    let f = lab.formulas(i).unwrap();
    assert_eq!(f.point, i);
    check_markup(&f, &what);
    let k = lab.responsibilities(i).unwrap().len();

    // E-step: q printed for point i is what the E-step gives it (and what it has, right after one).
    let mut after_e = lab.clone();
    if lab.phase() != Phase::E {
        after_e.e_step().unwrap();
    }
    let q = after_e.responsibilities(i).unwrap();
    for (c, &qc) in q.iter().enumerate() {
        let n = f
            .find("q", c, 0)
            .unwrap_or_else(|| panic!("{what}: no q{c}"));
        assert_eq!(n.value, qc, "{what}: q{c}");
        reads_as(n, qc, &what);
    }
    if lab.phase() == Phase::E {
        assert_eq!(q, lab.responsibilities(i).unwrap(), "{what}");
    }

    // M-step: θ printed is θ after m_step() (after an M-step, the current θ: q has not changed).
    let next = if lab.phase() == Phase::M {
        lab.params()
    } else {
        let mut l = lab.clone();
        if let Err(err) = l.m_step() {
            // k-means before its first E-step: no point is assigned, the M-step is refused, and its
            // formulas say so instead of showing numbers.
            assert_eq!(err.id(), "err-m-step-unassigned", "{what}");
            assert_eq!(
                f.m.last().unwrap(),
                &vec![Node::Text("formula-unassigned")],
                "{what}"
            );
            assert!(
                f.find("μ", 0, 0).is_none() && f.find("N", 0, 0).is_none(),
                "{what}"
            );
            return;
        }
        l.params()
    };
    for (name, c, entry, v) in theta(&next, lab.model_name()) {
        let n = f
            .find(name, c, entry)
            .unwrap_or_else(|| panic!("{what}: no {name}{c}[{entry}]"));
        assert_eq!(n.value, v, "{what}: {name}{c}[{entry}]");
        reads_as(n, v, &format!("{what}: {name}{c}[{entry}]"));
    }
    // Nₖ is the sum of the current q.
    let mut nk = vec![0.0; k];
    for j in 0..lab.len() {
        for (acc, v) in nk.iter_mut().zip(lab.responsibilities(j).unwrap()) {
            *acc += v;
        }
    }
    for (c, &v) in nk.iter().enumerate() {
        let n = f.find("N", c, 0).unwrap();
        assert!(
            (n.value - v).abs() <= 1e-9 * lab.len() as f64,
            "{what}: N{c}"
        );
    }
}

/// Checks several points through a few steps: at the start, after E, after M, after more iterations.
fn walk(mut lab: Lab, what: &str) {
    let points = [0, lab.len() / 2, lab.len() - 1, lab.teaching_point()];
    for stage in 0..6 {
        for &i in &points {
            check(&lab, i, what);
        }
        if stage % 2 == 0 {
            lab.e_step().unwrap();
        } else {
            lab.m_step().unwrap();
        }
    }
    lab.run_to_convergence(200).unwrap();
    for &i in &points {
        check(&lab, i, &format!("{what} converged"));
    }
}

#[test]
fn one_d_mixture_formulas_are_the_m_step() {
    walk(Lab::preset("heights", 2, 1).unwrap(), "heights");
    walk(
        Lab::preset("three-gaussians", 3, 2).unwrap(),
        "three-gaussians",
    );
    let mut lab = Lab::preset("two-gaussians", 2, 1).unwrap();
    lab.set_options(Options {
        reg: 0.5,
        ..lab.options()
    })
    .unwrap();
    walk(lab, "two-gaussians reg 0.5");
}

#[test]
fn two_d_mixture_formulas_are_the_m_step() {
    walk(Lab::preset("old-faithful", 2, 1).unwrap(), "old-faithful");
    for kind in [CovarianceType::Diag, CovarianceType::Spherical] {
        let mut lab = Lab::preset("three-blobs", 3, 1).unwrap();
        lab.set_covariance_type(kind).unwrap();
        walk(lab, kind.as_str());
    }
}

#[test]
fn kmeans_formulas_are_the_assignment_and_the_means() {
    walk(
        Lab::preset_as("three-blobs", 3, 1, Some("kmeans")).unwrap(),
        "kmeans",
    );
    walk(
        Lab::preset_as("old-faithful", 2, 3, Some("kmeans")).unwrap(),
        "kmeans faithful",
    );
}

#[test]
fn coin_formulas_are_the_m_step() {
    walk(Lab::preset("three-coins", 2, 1).unwrap(), "three-coins");
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    lab.use_start(1).unwrap();
    walk(lab, "three-coins start 2");
    walk(Lab::preset("five-sets", 2, 1).unwrap(), "five-sets");
}

#[test]
fn the_markup_shows_the_chosen_point_and_the_published_numbers() {
    // Do & Batzoglou, Fig. 1b: after one E-step from θA = 0.6, θB = 0.5, set 1 (5 H, 5 T) is coin A with
    // probability 0.45, and the first M-step gives θA ≈ 0.71, θB ≈ 0.58.
    let mut lab = Lab::preset("five-sets", 2, 1).unwrap();
    lab.e_step().unwrap();
    let f = lab.formulas(0).unwrap();
    for (name, c, published) in [("q", 0, 0.45), ("θ", 0, 0.71), ("θ", 1, 0.58)] {
        let printed = f.find(name, c, 0).unwrap().printed();
        assert!((printed - published).abs() < 0.005, "{name}{c}: {printed}");
    }
    let e = Formulas::mathml(&f.e, Lang::En).concat();
    assert!(e.contains("<mi>h</mi></mrow><mrow><mi>i</mi>"), "{e}");
    assert!(e.contains("<mn>5</mn>"));
    let m = Formulas::mathml(&f.m, Lang::Zh).concat();
    assert!(m.contains("（固定）"), "{m}");

    // 1-D: the chosen x appears in its numbers, the minus sign is U+2212.
    let lab = Lab::preset("heights", 2, 1).unwrap();
    let i = lab.teaching_point();
    let f = lab.formulas(i).unwrap();
    let Some(em) = lab.em_of::<Gmm1d>() else {
        panic!("heights is 1-D")
    };
    let x = em.model().data()[i];
    let shown: Vec<&Num> = f.numbers().into_iter().filter(|n| n.value == x).collect();
    assert!(!shown.is_empty(), "x = {x} is in the E-step");
    let e = Formulas::mathml(&f.e, Lang::En).concat();
    assert!(e.contains(&format!("<mn>{}</mn>", shown[0].text())), "{e}");
    assert!(lab.formulas(lab.len()).is_err());
}

#[test]
fn the_sums_shown_divide_to_the_m_step_bit_for_bit() {
    use emlab::core::em::Mixture;
    use emlab::core::{coins, gmm1d, gmm2d};
    let mut lab = Lab::preset("heights", 3, 4).unwrap();
    lab.step().unwrap();
    lab.e_step().unwrap();
    if let Some(em) = lab.em_of::<Gmm1d>() {
        let step = em.peek_m_step();
        let (nk, sum, sq) = gmm1d::m_step_sums(em.stats());
        for c in 0..em.k() {
            assert_eq!(sum[c] / nk[c], step.means[c]);
            assert_eq!(sq[c] / nk[c] + em.options().reg, step.variances[c]);
        }
    }
    let mut lab = Lab::preset("old-faithful", 3, 4).unwrap();
    lab.step().unwrap();
    lab.e_step().unwrap();
    if let Some(em) = lab.em_of::<Gmm2d>() {
        let step = em.peek_m_step();
        let stats = em.stats();
        let (nk, sx, sy) = gmm2d::weighted_sums(stats);
        let means: Vec<[f64; 2]> = (0..em.k())
            .map(|j| [sx[j] / nk[j], sy[j] / nk[j]])
            .collect();
        let (sxx, sxy, syy) = gmm2d::scatter_sums(stats);
        let reg = em.options().reg;
        for c in 0..em.k() {
            assert_eq!(means[c], step.means[c]);
            let (a, b, d) = (sxx[c] / nk[c], sxy[c] / nk[c], syy[c] / nk[c]);
            assert_eq!([[a + reg, b], [b, d + reg]], step.covariances[c]);
        }
    }
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    lab.use_start(1).unwrap();
    lab.e_step().unwrap();
    if let Some(em) = lab.em_of::<Coins>() {
        let step = em.peek_m_step();
        let [nk, sh, sn, _] = coins::m_step_sums(em.stats());
        for c in 0..em.k() {
            assert_eq!((sh[c] / sn[c]).clamp(0.0, 1.0), step.heads[c]);
            assert_eq!(nk[c] / em.model().len() as f64, step.weights[c]);
        }
    }
}

#[test]
fn a_component_with_no_points_says_it_keeps_its_values() {
    use emlab::core::kmeans::KMeansParams;
    let mut lab = Lab::preset_as("three-blobs", 3, 1, Some("kmeans")).unwrap();
    let Some(mut p) = lab.params_of::<emlab::core::kmeans::KMeans>() else {
        panic!("k-means")
    };
    p.centres[2] = [1e3, 1e3];
    lab.set_params_of::<emlab::core::kmeans::KMeans>(&KMeansParams { centres: p.centres })
        .unwrap();
    lab.e_step().unwrap();
    let f = lab.formulas(0).unwrap();
    check_markup(&f, "empty");
    assert_eq!(f.find("N", 2, 0).unwrap().value, 0.0);
    assert!(f.find("μ", 2, 0).is_none());
    let m = Formulas::mathml(&f.m, Lang::En).concat();
    assert!(m.contains("keeps its old values"), "{m}");
    for c in 0..2 {
        assert!(f.find("μ", c, 1).is_some());
    }
}

/// A q or a joint density far below 10⁻¹² is exact (made from logs, nothing cancels): it is printed as its
/// number, never as 0. At the collapse lesson's start the point x = −1.91 has qᵢ₂ ≈ 3 × 10⁻²², which the
/// Jensen figure beside it uses; the formulas said "= 0".
#[test]
fn a_tiny_q_or_joint_density_is_printed_not_rounded_to_zero() {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.e_step().unwrap();
    let Some(em) = lab.em_of::<Gmm1d>() else {
        panic!("collapse is 1-D")
    };
    let data = em.model().data().to_vec();
    let i = (0..data.len())
        .min_by(|&a, &b| data[a].total_cmp(&data[b]))
        .unwrap();
    let q = lab.responsibilities(i).unwrap();
    let tiny = (0..q.len()).find(|&c| q[c] > 0.0 && q[c] < 1e-15);
    let Some(c) = tiny else {
        panic!("x = {}: q = {q:?} has no tiny share", data[i])
    };
    let f = lab.formulas(i).unwrap();
    let shown = f.find("q", c, 0).unwrap();
    assert!(
        shown.text().contains("10^−"),
        "q{c} = {:e} printed {}",
        q[c],
        shown.text()
    );
    assert!(
        (shown.printed() - q[c]).abs() <= 5.0001e-4 * q[c],
        "{} for {:e}",
        shown.text(),
        q[c]
    );
    // The joint density of that component in the E-step's lines: not 0 either.
    let e = Formulas::mathml(&f.e, Lang::En).concat();
    assert!(!e.contains("<mo>=</mo><mn>0</mn>"), "{e}");
}
