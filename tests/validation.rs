//! One test per validation message: the input a person might give, the typed error, and the exact text
//! (English, plus Chinese where the numbers matter). Also: a rejected input leaves the lab as it was,
//! and the collapse lesson ends in a typed collapse, never NaN.

use emlab::core::csv::{parse_table, MAX_POINTS};
use emlab::core::em::Em;
use emlab::core::error::{EmError, ErrorKind};
use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
use emlab::core::lab::Lab;
use emlab::core::options::Options;
use emlab::core::params::check_data;
use emlab::text::Lang;

fn csv_error(text: &str) -> EmError {
    parse_table(text).unwrap_err()
}

fn lab() -> Lab {
    Lab::from_text("1\n2\n3\n10\n11\n12\n", 2, 1, 0, Options::default()).unwrap()
}

fn params(weights: &[f64], means: &[f64], variances: &[f64]) -> Gmm1dParams {
    Gmm1dParams {
        weights: weights.to_vec(),
        means: means.to_vec(),
        variances: variances.to_vec(),
    }
}

fn set_params_error(p: Gmm1dParams) -> EmError {
    let mut lab = lab();
    let before = format!("{:?}", lab.em);
    let em = lab.gmm1d_em_mut().unwrap();
    let e = em.set_params(p).unwrap_err();
    assert_eq!(
        format!("{:?}", lab.em),
        before,
        "a rejected θ changes nothing"
    );
    e
}

#[test]
fn not_a_number_names_line_and_column() {
    let e = csv_error("x,y\n1,2\n3,abc\n");
    assert_eq!(e.id(), "err-not-a-number");
    assert_eq!(e.to_string(), "Line 3, column 2: “abc” is not a number.");
    assert_eq!(e.message(Lang::Zh), "第 3 行第 2 列：“abc” 不是数字。");
}

#[test]
fn nan_and_infinity_are_not_finite() {
    for (text, shown) in [
        ("1\nNaN\n", "NaN"),
        ("1\n-inf\n", "-inf"),
        ("1\nInfinity", "Infinity"),
    ] {
        let e = csv_error(text);
        assert_eq!(e.id(), "err-non-finite", "{text:?}");
        assert_eq!(
            e.to_string(),
            format!("Line 2, column 1: “{shown}” is not a finite number (NaN or infinity).")
        );
    }
    // On the first line too: it was taken for a column name and dropped ("Using your data: 2 points.").
    for (text, shown) in [("NaN\n1\n2\n", "NaN"), ("-Infinity,1\n2,3\n", "-Infinity")] {
        let e = csv_error(text);
        assert_eq!(e.id(), "err-non-finite", "{text:?}");
        assert!(
            e.to_string()
                .starts_with(&format!("Line 1, column 1: “{shown}”")),
            "{e}"
        );
    }
    // A name beside them is still a header.
    assert!(parse_table("x,NaN\n1,2\n").is_ok_and(|t| t.header.is_some()));
}

#[test]
fn out_of_f64_range() {
    let e = csv_error("5\n1e400\n");
    assert_eq!(e.id(), "err-out-of-range");
    assert_eq!(
        e.to_string(),
        "Line 2, column 1: “1e400” is too large for a 64-bit number."
    );
}

#[test]
fn wrong_field_count() {
    let e = csv_error("1,2\n3,4\n5\n");
    assert_eq!(e.id(), "err-field-count-one");
    assert_eq!(e.to_string(), "Line 3 has 1 field; expected 2.");
    let e = csv_error("1,2\n3,4,5\n");
    assert_eq!(e.id(), "err-field-count");
    assert_eq!(e.to_string(), "Line 2 has 3 fields; expected 2.");
    // A field that is not a number is named, rather than counted ("Line 2 has 1 fields; expected 2").
    let e = csv_error("1,2\nabc\n3,4\n");
    assert_eq!(e.to_string(), "Line 2, column 1: “abc” is not a number.");
}

#[test]
fn empty_data() {
    for text in ["", "\n\n", "# only a comment\n"] {
        let e = csv_error(text);
        assert_eq!(e.id(), "err-empty", "{text:?}");
        assert_eq!(
            e.to_string(),
            "The data set is empty: give at least one number."
        );
    }
    assert_eq!(check_data(&[], 1).unwrap_err().id(), "err-empty");
    // A line that is not numbers, alone: "abc" typed into the box read "The data set is empty".
    for (text, shown) in [
        ("height\n", "height"),
        ("abc", "abc"),
        ("  x, y \n\n", "x, y"),
    ] {
        let e = csv_error(text);
        assert_eq!(e.id(), "err-only-header", "{text:?}");
        assert_eq!(
            e.to_string(),
            format!("“{shown}” is not a number: it was read as column names, and no numbers follow it. Give at least one number.")
        );
    }
    let e = emlab::core::poisson::parse_counts("deaths\n").unwrap_err();
    assert_eq!(e.id(), "err-only-header");
}

#[test]
fn too_many_points() {
    let e = check_data(&vec![0.0; MAX_POINTS + 1], 1).unwrap_err();
    assert_eq!(e.id(), "err-too-many");
    assert_eq!(
        e.to_string(),
        "Too many points: the page holds at most 2,000,000."
    );
}

#[test]
fn fewer_distinct_values_than_k() {
    let e = Lab::from_text("4\n4\n5\n", 3, 1, 0, Options::default()).unwrap_err();
    assert_eq!(e.id(), "err-too-few-distinct");
    assert_eq!(
        e.to_string(),
        "K = 3 components need at least 3 distinct values; the data has 2. Lower K or add data."
    );
}

#[test]
fn k_outside_1_to_10() {
    for k in [0, 11, 1000] {
        let e = Lab::preset("heights", k, 1).unwrap_err();
        assert_eq!(e.id(), "err-k-range");
        assert_eq!(
            e.to_string(),
            format!("K = {k} is out of range: choose 1 to 10.")
        );
        let e = Lab::from_text("1\n2\n", k, 1, 0, Options::default()).unwrap_err();
        assert_eq!(e.id(), "err-k-range");
    }
}

#[test]
fn no_such_column() {
    let e = Lab::from_text("a,b\n1,2\n3,4\n", 1, 1, 2, Options::default()).unwrap_err();
    assert_eq!(e.id(), "err-no-such-column");
    assert_eq!(e.to_string(), "There is no column 3; the data has 2.");
}

#[test]
fn variances_must_be_positive() {
    for v in [0.0, -2.5] {
        let e = set_params_error(params(&[0.5, 0.5], &[1.0, 10.0], &[1.0, v]));
        assert_eq!(e.id(), "err-variance");
        assert_eq!(
            e.to_string(),
            format!("Variance of component 2 is {v}; it must be positive.")
        );
    }
}

#[test]
fn weights_cannot_be_negative() {
    let e = set_params_error(params(&[1.5, -0.5], &[1.0, 10.0], &[1.0, 1.0]));
    assert_eq!(e.id(), "err-negative-weight");
    assert_eq!(
        e.to_string(),
        "Weight of component 2 is -0.5; weights cannot be negative."
    );
}

#[test]
fn weights_must_sum_to_one() {
    let e = set_params_error(params(&[0.5, 0.6], &[1.0, 10.0], &[1.0, 1.0]));
    assert_eq!(e.id(), "err-weights-sum");
    assert_eq!(e.to_string(), "The weights sum to 1.1; they must sum to 1.");
    // A sum just off 1 is printed with the digits that show it is off (six significant digits printed
    // "The weights sum to 1; they must sum to 1").
    let e = set_params_error(params(&[0.500001, 0.5], &[1.0, 10.0], &[1.0, 1.0]));
    assert_eq!(
        e.to_string(),
        "The weights sum to 1.000001; they must sum to 1."
    );
    let e = set_params_error(params(&[0.5, 0.5 - 3e-9], &[1.0, 10.0], &[1.0, 1.0]));
    assert_eq!(
        e.to_string(),
        "The weights sum to 0.999999997; they must sum to 1."
    );
    // Within ±1e-9 is accepted.
    let mut lab = lab();
    let em = lab.gmm1d_em_mut().unwrap();
    em.set_params(params(&[0.5, 0.5 + 5e-10], &[1.0, 10.0], &[1.0, 1.0]))
        .unwrap();
}

#[test]
fn wrong_lengths() {
    let e = set_params_error(params(&[0.5, 0.5], &[1.0], &[1.0, 1.0]));
    assert_eq!(e.id(), "err-wrong-length");
    assert_eq!(
        e.to_string(),
        "“means” needs one entry per component, 2; it has 1."
    );
    let e = set_params_error(params(&[0.5, 0.5], &[1.0, 2.0], &[1.0, 1.0, 1.0]));
    assert_eq!(
        e.to_string(),
        "“variances” needs one entry per component, 2; it has 3."
    );
    // A θ with a different K than the lab's.
    let e = set_params_error(params(&[1.0], &[1.0], &[1.0]));
    assert_eq!(
        e.to_string(),
        "“weights” needs one entry per component, 2; it has 1."
    );
    // k-means reads only its centres: a wrong count names them, not the weights it never reads, both for
    // a new θ and a new start.
    let mut kmeans = Lab::preset_as("three-blobs", 3, 1, Some("kmeans")).unwrap();
    let one = emlab::core::model::Theta::default().with_pairs("means", &[[0.0, 0.0]]);
    for e in [
        kmeans.set_params(&one).unwrap_err(),
        kmeans.restart_with(&one).unwrap_err(),
    ] {
        assert_eq!(
            e.to_string(),
            "“means” needs one entry per component, 3; it has 1."
        );
    }
}

#[test]
fn parameters_must_be_finite() {
    let e = set_params_error(params(&[0.5, 0.5], &[1.0, f64::NAN], &[1.0, 1.0]));
    assert_eq!(e.id(), "err-param-not-finite");
    assert_eq!(e.to_string(), "mean of component 2 is not a finite number.");
    let e = set_params_error(params(&[0.5, 0.5], &[1.0, 2.0], &[f64::INFINITY, 1.0]));
    assert_eq!(
        e.to_string(),
        "variance of component 1 is not a finite number."
    );
    let e = set_params_error(params(&[f64::NAN, 0.5], &[1.0, 2.0], &[1.0, 1.0]));
    assert_eq!(
        e.to_string(),
        "weight of component 1 is not a finite number."
    );
}

#[test]
fn parameters_under_which_the_likelihood_is_not_finite() {
    // Both components far from every point with a tiny variance: every density underflows to 0.
    let e = set_params_error(params(&[0.5, 0.5], &[1e6, -1e6], &[1e-300, 1e-300]));
    assert_eq!(e.id(), "err-params-unusable");
    assert!(e
        .to_string()
        .starts_with("With these parameters some data point has zero"));
    // A subnormal variance on a data point: 1/(2σ²) overflows, 0 · ∞ would be NaN.
    let e = set_params_error(params(&[0.5, 0.5], &[1.0, 10.0], &[5e-324, 1.0]));
    assert_eq!(e.id(), "err-params-unusable");
}

#[test]
fn options_must_be_finite_and_not_negative() {
    let mut lab = lab();
    for reg in [-1e-6, f64::INFINITY] {
        let e = lab.set_options(Options { reg, tol: 1e-10 }).unwrap_err();
        assert_eq!(e.id(), "err-option-max");
        assert_eq!(
            e.to_string(),
            format!(
                "Option reg = {} is not allowed: it must be a number from 0 to 1e100.",
                emlab::core::format::short(reg)
            )
        );
    }
    for tol in [-1e-6, f64::NAN] {
        let e = lab.set_options(Options { reg: 0.0, tol }).unwrap_err();
        assert_eq!(e.id(), "err-option");
        assert_eq!(
            e.to_string(),
            format!(
                "Option tol = {} is not allowed: it must be a finite number ≥ 0.",
                emlab::core::format::short(tol)
            )
        );
    }
    assert_eq!(
        lab.options(),
        Options::default(),
        "a rejected option changes nothing"
    );
    lab.set_options(Options {
        reg: 0.0,
        tol: 1e-10,
    })
    .unwrap();
    // A floor above 1e100 is refused with its range: at 1e200 an old-faithful M-step was refused as a
    // component "shrunk onto a point" under a floor far above the data's spread.
    let e = lab
        .set_options(Options {
            reg: 1e200,
            tol: 1e-10,
        })
        .unwrap_err();
    assert_eq!(e.id(), "err-option-max");
    assert_eq!(
        e.to_string(),
        "Option reg = 1e200 is not allowed: it must be a number from 0 to 1e100."
    );
    assert_eq!(lab.options().reg, 0.0);
    let mut faithful = Lab::preset("old-faithful", 2, 1).unwrap();
    faithful
        .set_options(Options {
            reg: emlab::core::options::MAX_REG,
            tol: 1e-10,
        })
        .unwrap();
    faithful.e_step().unwrap();
    faithful.m_step().unwrap();
    assert!(faithful.bound().loglik().is_finite());
}

#[test]
fn unknown_preset_and_model_are_named_but_shortened() {
    let e = Lab::preset("<script>window.__pwned=1</script>", 2, 1).unwrap_err();
    assert_eq!(e.id(), "err-unknown-preset");
    assert_eq!(
        e.to_string(),
        "There is no preset called “<script>window.__pwned=1</script>”."
    );
    let long = "x".repeat(10_000_000);
    let e = Lab::preset(&long, 2, 1).unwrap_err();
    assert!(
        e.to_string().chars().count() < 100,
        "a 10 MB name is cut short"
    );
    let e = Lab::from_csv("gmm9d", "1\n", 1, 1, 0).unwrap_err();
    assert_eq!(e.to_string(), "There is no model called “gmm9d”.");
}

#[test]
fn adding_a_point_that_is_not_finite() {
    let mut lab = lab();
    let before = lab.data().to_vec();
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let e = lab.add_point(x).unwrap_err();
        assert_eq!(e.id(), "err-point");
        assert_eq!(
            e.to_string(),
            format!(
                "A data point must be a finite number; got {}.",
                emlab::core::format::short(x)
            )
        );
    }
    // Nor is a place to remove the nearest point at: at +∞ every distance was ∞ and the first point went.
    for x in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        assert_eq!(lab.remove_nearest(x).unwrap_err().id(), "err-point");
    }
    assert_eq!(lab.data(), &before[..]);
}

#[test]
fn removing_below_k_distinct_or_to_empty_is_refused() {
    let mut lab = Lab::from_text("1\n5\n", 2, 1, 0, Options::default()).unwrap();
    let e = lab.remove_nearest(5.0).unwrap_err();
    assert_eq!(e.id(), "err-too-few-distinct");
    assert_eq!(lab.data(), &[1.0, 5.0]);
    let mut one = Lab::from_text("3\n", 1, 1, 0, Options::default()).unwrap();
    assert_eq!(one.remove_nearest(0.0).unwrap_err().id(), "err-empty");
    assert_eq!(one.data(), &[3.0]);
}

#[test]
fn no_such_component_and_no_such_point() {
    let mut lab = lab();
    let e = lab.reinit_component(2, 1).unwrap_err();
    assert_eq!(e.id(), "err-no-such-component");
    assert_eq!(
        e.to_string(),
        "There is no component at index 2: the model has 2, at indices 0 to 1."
    );
    let e = lab.responsibilities(6).unwrap_err();
    assert_eq!(
        e.to_string(),
        "There is no data point 6; the data set has 6."
    );
}

#[test]
fn every_new_message_has_both_languages() {
    for id in [
        "err-point",
        "err-no-such-component",
        "err-not-for-model",
        "err-params-unusable",
        "err-numerical",
        "collapse-explain",
        "btn-reinit",
        "url-too-long",
        "url-bad-value",
        "storage-full",
        "storage-unavailable",
    ] {
        let en = emlab::text::get(Lang::En, id);
        let zh = emlab::text::get(Lang::Zh, id);
        assert_ne!(en, id, "{id} is missing");
        assert_ne!(en, zh, "{id} is not translated");
    }
}

#[test]
fn data_round_trips_through_text_exactly() {
    let text = "0.1\n-3.5e-12\n170.25\n1e30\n2\n";
    let lab = Lab::from_text(text, 2, 1, 0, Options::default()).unwrap();
    let again = Lab::from_text(&lab.data_text(), 2, 1, 0, Options::default()).unwrap();
    assert_eq!(lab.data(), again.data());
    assert_eq!(lab.data(), &[0.1, -3.5e-12, 170.25, 1e30, 2.0]);
}

#[test]
fn add_and_remove_points_restart_from_the_current_theta() {
    let mut lab = lab();
    lab.step().unwrap();
    let em = lab.gmm1d_em().unwrap();
    let theta = em.params().clone();
    lab.add_point(30.0).unwrap();
    assert_eq!(lab.len(), 7);
    let em = lab.gmm1d_em().unwrap();
    assert_eq!(em.params(), &theta);
    assert_eq!(em.iteration(), 0);
    assert_eq!(lab.remove_nearest(29.0).unwrap().0, 30.0);
    assert_eq!(lab.data(), &[1.0, 2.0, 3.0, 10.0, 11.0, 12.0]);
    assert!(lab.preset.is_none());
}

/// Steps the collapse preset with reg = 0 until EM stops; returns the lab.
fn collapse_lab() -> Lab {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.set_options(Options {
        reg: 0.0,
        tol: 1e-10,
    })
    .unwrap();
    for _ in 0..200 {
        if lab.step().is_err() || lab.converged() {
            break;
        }
    }
    lab
}

#[test]
fn collapse_preset_with_reg_0_ends_in_a_typed_collapse_not_nan() {
    let mut lab = collapse_lab();
    let c = lab.collapse().expect("the outlier's component collapses");
    assert_eq!(c.component, 1);
    assert_eq!(lab.data()[c.point], 10.0);
    assert!(c.variance.is_finite() && c.variance >= 0.0);
    let b = lab.bound();
    assert!(b.loglik().is_finite() && b.lower_bound().is_finite());
    let e = lab.step().unwrap_err();
    assert_eq!(e.id(), "err-collapsed");
    assert!(e
        .to_string()
        .starts_with("The M-step would collapse component 2 onto data point 13"));
    assert!(!e.to_string().contains("NaN"));
    // Re-initialising takes a different point and starts EM again.
    let mean = lab.reinit_component(1, 5).unwrap()[0];
    assert_ne!(mean, 10.0);
    assert!(lab.collapse().is_none());
    assert_eq!(lab.bound().iteration(), 0);
    let em = lab.gmm1d_em().unwrap();
    let p = em.params();
    assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    assert_eq!(p.weights[1], 0.5);
    assert_eq!(p.means[1], mean);
    assert_eq!(p.variances[1], em.model().data_variance());
    assert_eq!(
        lab.options().reg,
        0.0,
        "the options survive a re-initialisation"
    );
}

#[test]
fn collapse_preset_with_the_default_floor_never_collapses() {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    // The lesson's own floor is 0; at the default one it never collapses.
    lab.set_options(emlab::core::options::Options::default())
        .unwrap();
    for _ in 0..300 {
        lab.step().unwrap();
        if lab.converged() {
            break;
        }
    }
    assert!(lab.collapse().is_none());
    let em = lab.gmm1d_em().unwrap();
    let v = em.params().variances[1];
    assert!(
        (1e-6..2e-6).contains(&v),
        "the floor holds component 2 at reg: {v}"
    );
    assert!(lab.bound().loglik().is_finite());
}

#[test]
fn em_new_rejects_a_start_with_infinite_likelihood() {
    let model = Gmm1d::new(vec![0.0, 1.0]);
    let e = Em::new(
        model,
        params(&[1.0], &[1e200], &[1e-200]),
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::ParamsUnusable { model: "gmm1d" });
}

#[test]
fn data_too_spread_for_a_variance_is_refused_with_a_clear_message() {
    let e = Lab::from_text("1e200\n-1e200\n3\n", 2, 1, 0, Options::default()).unwrap_err();
    assert_eq!(e.id(), "err-too-spread");
    assert_eq!(
        e.to_string(),
        "The data spread too widely to compute a variance (values up to 1e200): rescale it, e.g. change its units."
    );
    let e = Lab::from_csv_columns("gmm2d", "1,1e200\n2,-1e200\n3,0\n", 2, 1, [0, 1]).unwrap_err();
    assert_eq!(e.id(), "err-too-spread");
    // Values that differ by too little for a variance (1.25e−600 is 0 in f64): EM started them with
    // variance 1 and called the components "the same" beside different means.
    let e = Lab::from_text(
        "1e-300\n2e-300\n3e-300\n4e-300\n",
        2,
        1,
        0,
        Options::default(),
    )
    .unwrap_err();
    assert_eq!(
        e.to_string(),
        "The data's values differ too little to compute a variance (values up to 4e-300): rescale it, e.g. change its units."
    );
    let e =
        Lab::from_csv_columns("gmm2d", "1e-300,1\n2e-300,2\n3e-300,5\n", 2, 1, [0, 1]).unwrap_err();
    assert_eq!(e.id(), "err-too-narrow");
    // One value repeated is no spread to compute (K = 1), and a small but representable spread is data.
    assert!(Lab::from_text("5\n5\n5\n", 1, 1, 0, Options::default()).is_ok());
    assert!(Lab::from_text("1e-150\n2e-150\n3e-150\n", 2, 1, 0, Options::default()).is_ok());
    // Large but fine: 1e150 squared is 1e300.
    assert!(Lab::from_text("1e150\n-1e150\n3\n", 2, 1, 0, Options::default()).is_ok());
    // 2-D points at ±1e154: each coordinate's variance is finite, a squared distance across them is not.
    // They were refused as "these centres" (k-means) and "these parameters" (the mixture), given by nobody.
    for model in ["gmm2d", "kmeans"] {
        for text in [
            "1e154,1e154\n-1e154,-1e154\n0,0\n1,1\n",
            "1e153,-1e153\n-1e153,-1e153\n0,1e153\n1,1\n",
        ] {
            let e = Lab::from_csv_columns(model, text, 2, 1, [0, 1]).unwrap_err();
            assert_eq!(e.id(), "err-too-spread", "{model}: {e}");
        }
        // Points in metres (UTM, ~5e6) and far larger ones are data k-means takes: its J of 1.3e15 for
        // four points was refused as "too large to compute or draw reliably" (a limit made for nats).
        for text in [
            "1e7,2e7\n3e7,1e7\n2e7,4e7\n5e7,3e7\n",
            "1e151,-1e151\n-1e151,-1e151\n0,1e151\n1,1\n",
        ] {
            let mut lab = Lab::from_csv_columns(model, text, 2, 1, [0, 1]).unwrap();
            lab.step().unwrap();
            assert!(lab.objective().is_finite(), "{model}");
        }
    }
}

#[test]
fn numbers_on_one_line_are_a_list() {
    // "1.2 1.5 2.1 2.3 5.0" pasted into the 1-D box was one row of five columns: "K = 2 components need at
    // least 2 distinct values; the data has 1".
    for text in [
        "1.2 1.5 2.1 2.3 5.0",
        "1.2, 1.5, 2.1, 2.3, 5.0\n",
        "1.2\t1.5\t2.1\t2.3\t5.0",
    ] {
        let lab = Lab::from_csv("gmm1d", text, 2, 1, 0).unwrap();
        assert_eq!(lab.len(), 5, "{text:?}");
    }
    // Not with a header (named columns), nor with two lines (a table).
    assert!(Lab::from_csv("gmm1d", "a b c\n1 2 3\n", 2, 1, 0).is_err());
    assert_eq!(
        Lab::from_csv("gmm1d", "1 2\n3 4\n5 6\n", 2, 1, 0)
            .unwrap()
            .len(),
        3
    );
    // Counts too: six deaths-per-day numbers on a line; a second line makes it a table again.
    let counts = emlab::core::poisson::parse_counts("0 1 2 3 1 0").unwrap();
    assert_eq!(counts, vec![0, 1, 2, 3, 1, 0]);
    let e = emlab::core::poisson::parse_counts("0 1 2\n3\n").unwrap_err();
    assert_eq!(e.to_string(), "Line 1 has 3 fields; expected 2.");
    assert_eq!(
        emlab::core::poisson::parse_counts("3,2\n").unwrap(),
        vec![3, 3]
    );
    // A line of more numbers than the page holds is refused, as as many rows are.
    let long = vec!["1"; MAX_POINTS + 1].join(" ");
    let Err(e) = Lab::from_csv("gmm1d", &long, 2, 1, 0) else {
        panic!("a line of {} numbers was used", MAX_POINTS + 1)
    };
    assert_eq!(e.id(), "err-too-many");
    let e = emlab::core::poisson::parse_counts(&long).unwrap_err();
    assert_eq!(e.id(), "err-too-many");
}

#[test]
fn a_number_refused_as_not_whole_or_out_of_range_is_quoted_with_every_digit() {
    // 1000001 was quoted as 1e6 and 2.0000001 as 2: the message seemed to refuse a number in range.
    let message = |value: f64, min: u64, max: u64| {
        EmError::new(ErrorKind::NotAnInteger {
            name: "maxIterations",
            value,
            min,
            max,
        })
        .to_string()
    };
    assert_eq!(
        message(1_000_001.0, 1, 1_000_000),
        "maxIterations must be a whole number from 1 to 1000000; got 1000001."
    );
    assert_eq!(
        message(2.0000001, 1, 10),
        "maxIterations must be a whole number from 1 to 10; got 2.0000001."
    );
    assert_eq!(
        message(-0.5, 1, 10),
        "maxIterations must be a whole number from 1 to 10; got -0.5."
    );
    assert_eq!(
        message(1e20, 1, 10),
        "maxIterations must be a whole number from 1 to 10; got 1e20."
    );
    assert_eq!(
        message(f64::NAN, 1, 10),
        "maxIterations must be a whole number from 1 to 10; got NaN."
    );
}

#[test]
fn a_wrong_shape_is_said_whole_and_in_the_chosen_language() {
    // The detail was English text cut at 40 characters: "…each entry of “means” must be an array o…",
    // and the same English inside the Chinese message.
    let e = EmError::shape("shape-entry-numbers", &[("name", "means"), ("n", "2")]);
    assert_eq!(
        e.message(Lang::En),
        "The parameters are not in the expected form: each entry of “means” must be an array of 2 numbers."
    );
    assert_eq!(
        e.message(Lang::Zh),
        "参数格式不对：“means” 的每一项必须是含 2 个数的数组。"
    );
    let e = EmError::shape("shape-covariance", &[]);
    assert_eq!(
        e.message(Lang::En),
        "The parameters are not in the expected form: covariance must be full, diag or spherical."
    );
    // A name from the caller is still cut short.
    let long = "x".repeat(1000);
    let e = EmError::shape("shape-missing", &[("name", &long)]);
    assert!(
        e.message(Lang::En).chars().count() < 120,
        "{}",
        e.message(Lang::En)
    );
}

#[test]
fn a_session_that_cannot_be_read_or_written_says_so() {
    // Unreadable sessions were "The parameters are not in the expected form: a saved session (expected
    // '\"' at charact…", and a session too long for maxChars "…: a saved session (611 characters)".
    for text in ["{", "{}", "[1, 2]"] {
        let e = Lab::restore_session(text, None).unwrap_err();
        assert_eq!(e.id(), "err-session-unreadable", "{text}");
        let en = e.message(Lang::En);
        assert!(
            en.starts_with("This saved session cannot be read (technical detail: "),
            "{en}"
        );
        assert!(en.ends_with(").") && !en.contains('…'), "{en}");
        assert!(e
            .message(Lang::Zh)
            .starts_with("无法读取这个保存的会话（技术细节："));
    }
    let lab = lab();
    let whole = lab.save_session();
    let e = lab.save_session_within(true, 10).unwrap_err();
    assert_eq!(e.id(), "err-session-too-long");
    assert_eq!(
        e.to_string(),
        format!(
            "The session cannot be saved in 10 characters: even without its undo steps it takes {}.",
            whole.chars().count()
        )
    );
}

/// A start of a diagonal or spherical model must be of its type: a full covariance was taken under
/// `diag`, and the page then showed a tilted ellipse that no M-step of that model can make.
#[test]
fn a_start_must_have_the_models_covariance_type() {
    use emlab::core::gmm2d::{CovarianceType, Gmm2d, Gmm2dParams};
    let params = |cov: [[f64; 2]; 2]| Gmm2dParams {
        weights: vec![0.5, 0.5],
        means: vec![[0.0, 0.0], [1.0, 1.0]],
        covariances: vec![cov, [[1.0, 0.0], [0.0, 1.0]]],
    };
    for (kind, bad, id) in [
        (
            CovarianceType::Diag,
            [[1.0, 0.5], [0.5, 1.0]],
            "err-not-diagonal",
        ),
        (
            CovarianceType::Spherical,
            [[1.0, 0.0], [0.0, 2.0]],
            "err-not-spherical",
        ),
        (
            CovarianceType::Spherical,
            [[1.0, 0.5], [0.5, 1.0]],
            "err-not-spherical",
        ),
    ] {
        let mut lab = Lab::preset("old-faithful", 2, 1).unwrap();
        lab.set_covariance_type(kind).unwrap();
        lab.step().unwrap();
        let before = lab.session(true);
        let e = lab.set_params_of::<Gmm2d>(&params(bad)).unwrap_err();
        assert_eq!(e.id(), id, "{kind:?}: {e}");
        assert!(e.to_string().contains("component 1"), "{e}");
        assert!(lab.restart_with_of::<Gmm2d>(&params(bad)).is_err());
        assert_eq!(lab.session(true), before, "{kind:?}: the lab as it was");
        // One of its own type is taken.
        lab.set_params_of::<Gmm2d>(&params([[2.0, 0.0], [0.0, 2.0]]))
            .unwrap();
    }
    // The full type takes any.
    let mut full = Lab::preset("old-faithful", 2, 1).unwrap();
    full.set_params_of::<Gmm2d>(&params([[1.0, 0.5], [0.5, 1.0]]))
        .unwrap();
}

/// A collapse under a floor above 0 that is tiny against the data's scale (values near 1e150, reg = 1e-6)
/// does not say the likelihood grows without bound: the floor bounds it. It said so, and its note asked to
/// "set reg above 0" with reg at 1e-6.
#[test]
fn a_collapse_under_a_floor_too_small_for_the_data_says_so() {
    use emlab::core::lab::Lab;
    let text = "1e150\n2e150\n3e150\n10e150\n11e150\n12e150";
    let mut lab = Lab::from_csv("gmm1d", text, 3, 1, 0).unwrap();
    assert_eq!(lab.options().reg, 1e-6);
    let error = (0..2_000)
        .find_map(|_| lab.step().err())
        .expect("a collapse");
    assert_eq!(error.id(), "err-collapsed-floor");
    let c = lab.collapse().expect("the state says it");
    assert_eq!(c.variance, 1e-6, "held at the floor");
    let said = error.to_string();
    assert!(
        said.contains("the variance floor reg = 1e-6 holds it up"),
        "{said}"
    );
    assert!(!said.contains("without bound"), "{said}");
    assert!(lab.bound().loglik().is_finite());
    // The same data at reg = 0 (a step after its collapse is refused with the same words).
    let mut lab = Lab::from_csv("gmm1d", text, 3, 1, 0).unwrap();
    let options = emlab::core::options::Options {
        reg: 0.0,
        ..lab.options()
    };
    lab.set_options(options).unwrap();
    let error = (0..2_000)
        .find_map(|_| lab.step().err())
        .expect("a collapse");
    assert_eq!(error.id(), "err-collapsed");
    assert_eq!(lab.step().unwrap_err().id(), "err-collapsed");
}

/// Coin data counts its distinct sets as every model counts its distinct observations: `distinct()` said 0,
/// and three-coins' ten single tosses (H and T) took K = 10 while "HH, TT" was refused K = 3.
#[test]
fn coin_data_counts_distinct_sets_for_k() {
    use emlab::core::lab::Lab;
    let lab = Lab::from_csv("coins", "HH\nTT\nHT\nTH\n", 2, 1, 0).unwrap();
    assert_eq!(lab.distinct(), 3, "HT and TH are both (1, 2)");
    let refused = Lab::from_csv("coins", "HH\nTT", 3, 1, 0).unwrap_err();
    assert_eq!(refused.id(), "err-too-few-sets");
    assert_eq!(
        refused.to_string(),
        "K = 3 coins need at least 3 different sets of tosses; the data has 2. Lower K or add data."
    );
    let refused = Lab::preset("three-coins", 3, 1).unwrap_err();
    assert_eq!(
        refused.to_string(),
        Lab::from_csv("coins", "H\nT", 3, 1, 0)
            .unwrap_err()
            .to_string()
    );
    assert_eq!(Lab::preset("three-coins", 2, 1).unwrap().distinct(), 2);
    assert_eq!(Lab::preset("five-sets", 2, 1).unwrap().distinct(), 5);
}

/// What a Chinese keyboard types is read as the ASCII it stands for: "－1.5" on the first line was taken
/// for a column name and dropped without a word, "７" was "not a number", and "1，2" or "3、4" a bad line.
#[test]
fn full_width_digits_signs_and_commas_are_read_as_ascii() {
    let t = parse_table("－1.5\n２\n3\n４．５\n").unwrap();
    assert_eq!(t.column(0).unwrap(), vec![-1.5, 2.0, 3.0, 4.5]);
    assert_eq!(t.rows(), 4, "no header taken");
    let t = parse_table("1，2\n3、4\n").unwrap();
    assert_eq!(t.points([0, 1]).unwrap(), vec![1.0, 2.0, 3.0, 4.0]);
    let t = parse_table("5\u{3000}6\n7 8\n").unwrap();
    assert_eq!(t.points([0, 1]).unwrap(), vec![5.0, 6.0, 7.0, 8.0]);
    // The same cut into pieces anywhere (a file read in chunks).
    let text = "ｘ\n－1.5\n２\n";
    for cut in text.char_indices().map(|(i, _)| i) {
        let mut reader = emlab::core::csv::TableReader::new(false);
        reader.push(&text[..cut]).unwrap();
        reader.push(&text[cut..]).unwrap();
        assert_eq!(
            reader.finish().unwrap().column(0).unwrap(),
            vec![-1.5, 2.0],
            "cut at {cut}"
        );
    }
    // A character that is still not a number is quoted as typed, in the page's words.
    let e = csv_error("1\n２a\n");
    assert_eq!(
        e.kind,
        ErrorKind::NotANumber {
            line: 2,
            column: 1,
            text: "2a".into()
        }
    );
}

/// A binary file read as text (an image, a spreadsheet's own format) is said to be one: a PNG was "Line 2,
/// column 1: “\u{1a}” is not a number", and a file of NUL bytes quoted forty invisible characters.
#[test]
fn a_binary_file_is_said_to_be_one() {
    for (model, text, line) in [
        ("gmm1d", "1\n\u{89}PNG\r\n\u{1a}\n\0\0", 2),
        ("gmm1d", "\0\0\0\0\0\0\0\0", 1),
        ("gmm2d", "x,y\n1,2\n3,\u{1}4\n", 3),
        ("coins", "HTH\n\0HT\n", 2),
        ("poisson", "1\n2\n\u{7}3\n", 3),
    ] {
        let e = Lab::from_csv_columns(model, text, 1, 1, [0, 1]).unwrap_err();
        assert_eq!(e.id(), "err-not-text-file", "{model} {text:?}: {e}");
        assert!(
            e.to_string()
                .starts_with(&format!("Line {line} holds characters that are not text")),
            "{e}"
        );
    }
    // Tabs and Windows line ends are text, and so is a header of names that were not UTF-8 (Excel's GBK).
    assert!(Lab::from_csv_columns("gmm2d", "1\t2\r\n3\t4\r\n5\t9\r\n", 2, 1, [0, 1]).is_ok());
    assert!(
        Lab::from_csv_columns("gmm1d", "\u{fffd}\u{fffd}\u{fffd}\n1\n2\n5\n", 2, 1, [0, 1]).is_ok()
    );
}
