//! Randomized no-panic proofs: whatever text, parameters or sequence of calls the page can send, the core
//! answers `Ok` or a typed `Err` — never a panic (which would poison the wasm module and kill the page) —
//! and ℓ(θ) stays a finite number (a collapse is reported as a typed value, not as NaN or ∞).
//!
//! Each property runs 10,000 cases on small data sets so the whole file stays well under a minute in a
//! debug build.

use emlab::core::bound::SliceAlong;
use emlab::core::csv::parse_table;
use emlab::core::em::{Em, Phase};
use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
use emlab::core::lab::Lab;
use emlab::core::model::Model;
use emlab::core::options::Options;
use proptest::prelude::*;

const CASES: u32 = 10_000;

/// Floats a hostile caller would send: NaN, ±∞, ±0, extremes, subnormals, and ordinary values.
fn any_float() -> impl Strategy<Value = f64> {
    prop_oneof![
        3 => -50.0..50.0f64,
        1 => Just(f64::NAN),
        1 => Just(f64::INFINITY),
        1 => Just(f64::NEG_INFINITY),
        1 => Just(0.0),
        1 => Just(-0.0),
        1 => Just(f64::MAX),
        1 => Just(f64::MIN),
        1 => Just(f64::MIN_POSITIVE),
        1 => Just(5e-324),
        1 => Just(1e-300),
        1 => Just(1e300),
        1 => Just(1e154),
        1 => 0.0..1.0f64,
        1 => any::<f64>(),
    ]
}

/// θ with random lengths (0..=4 per array) and hostile values; often well-formed so EM gets going.
fn any_params() -> impl Strategy<Value = Gmm1dParams> {
    let wild = (
        prop::collection::vec(any_float(), 0..=4),
        prop::collection::vec(any_float(), 0..=4),
        prop::collection::vec(any_float(), 0..=4),
    )
        .prop_map(|(weights, means, variances)| Gmm1dParams {
            weights,
            means,
            variances,
        });
    let tame = (1usize..=4).prop_flat_map(|k| {
        (
            prop::collection::vec(0.01..1.0f64, k),
            prop::collection::vec(any_float(), k),
            prop::collection::vec(prop_oneof![0.001..100.0f64, any_float()], k),
        )
            .prop_map(|(raw, means, variances)| {
                let sum: f64 = raw.iter().sum();
                Gmm1dParams {
                    weights: raw.iter().map(|w| w / sum).collect(),
                    means,
                    variances,
                }
            })
    });
    prop_oneof![1 => wild, 2 => tame]
}

/// Small data sets: ordinary values, duplicates, extremes and the collapse preset's outlier shape.
fn any_data() -> impl Strategy<Value = Vec<f64>> {
    let value = prop_oneof![
        6 => -20.0..20.0f64,
        1 => Just(10.0),
        1 => Just(0.0),
        1 => Just(1e150),
        1 => Just(-1e150),
        1 => Just(1e-300),
        1 => any::<f64>().prop_filter("finite", |v| v.is_finite()),
    ];
    prop::collection::vec(value, 0..14)
}

/// Text that looks like CSV, TSV or coins, with the characters that break parsers.
fn csvish_text() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> = "0123456789.,;\t -+eEnaNifIy#\"\n\n\n\r\u{feff}xHT\u{a0}é中"
        .chars()
        .collect();
    prop::collection::vec(prop::sample::select(alphabet), 0..120)
        .prop_map(|chars| chars.into_iter().collect())
}

/// Any text at all, or CSV-like text.
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![1 => any::<String>(), 3 => csvish_text()]
}

/// One call the page (or a script on it) can make on a lab.
#[derive(Clone, Debug)]
enum Op {
    EStep,
    MStep,
    Step,
    Undo,
    Reset,
    SetParams(Gmm1dParams),
    RestartFrom(Gmm1dParams),
    SetOptions(f64, f64),
    AddPoint(f64),
    RemoveNearest(f64),
    Reinit(usize, u64),
    Responsibilities(usize),
    Jensen(usize),
    Slice(usize),
    TeachingPoint,
}

fn any_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => Just(Op::EStep),
        4 => Just(Op::MStep),
        6 => Just(Op::Step),
        2 => Just(Op::Undo),
        1 => Just(Op::Reset),
        2 => any_params().prop_map(Op::SetParams),
        1 => any_params().prop_map(Op::RestartFrom),
        2 => (prop_oneof![Just(0.0), Just(1e-6), any_float()], prop_oneof![Just(1e-10), any_float()])
            .prop_map(|(reg, tol)| Op::SetOptions(reg, tol)),
        2 => any_float().prop_map(Op::AddPoint),
        2 => any_float().prop_map(Op::RemoveNearest),
        1 => (0usize..6, any::<u64>()).prop_map(|(k, s)| Op::Reinit(k, s)),
        1 => (0usize..20).prop_map(Op::Responsibilities),
        1 => (0usize..20).prop_map(Op::Jensen),
        1 => (0usize..40).prop_map(Op::Slice),
        1 => Just(Op::TeachingPoint),
    ]
}

/// Applies one call; only panics matter here, so results are dropped (invariants are checked after).
fn apply(lab: &mut Lab, op: &Op) {
    let n = lab.len();
    match op {
        Op::EStep => drop(lab.e_step()),
        Op::MStep => drop(lab.m_step()),
        Op::Step => drop(lab.step()),
        Op::Undo => drop(lab.undo()),
        Op::Reset => lab.reset(),
        Op::SetParams(p) => {
            let em = lab.gmm1d_em_mut().unwrap();
            drop(em.set_params(p.clone()));
        }
        Op::RestartFrom(p) => drop(lab.restart_with(&emlab::core::gmm1d::Gmm1d::theta(p))),
        Op::SetOptions(reg, tol) => drop(lab.set_options(Options {
            reg: *reg,
            tol: *tol,
        })),
        Op::AddPoint(x) => drop(lab.add_point(*x)),
        Op::RemoveNearest(x) => drop(lab.remove_nearest(*x)),
        Op::Reinit(k, seed) => drop(lab.reinit_component(*k, *seed)),
        Op::Responsibilities(i) => drop(lab.responsibilities(*i)),
        Op::Jensen(i) => {
            if *i < n {
                drop(lab.bound().jensen(*i));
            }
        }
        Op::Slice(samples) => drop(lab.bound().slice(SliceAlong::EmDirection, *samples)),
        Op::TeachingPoint => assert!(lab.teaching_point() < n),
    }
}

/// What must hold after every call: a finite ℓ, a bound that is a number, a usable θ, proper q rows.
fn check_state(lab: &Lab) -> Result<(), TestCaseError> {
    let b = lab.bound();
    let (l, lb) = (b.loglik(), b.lower_bound());
    prop_assert!(l.is_finite(), "ℓ = {l}");
    // L is −∞ only before the first E-step, when q is uniform and some component has weight 0.
    prop_assert!(
        lb.is_finite() || (lb == f64::NEG_INFINITY && b.phase() == Phase::Init),
        "L = {lb}"
    );
    prop_assert!(!(l - lb).is_nan());
    let em = lab.gmm1d_em().unwrap();
    let p = em.params();
    prop_assert!(p.weights.iter().all(|w| w.is_finite() && *w >= 0.0));
    prop_assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-6);
    prop_assert!(p.means.iter().all(|m| m.is_finite()));
    prop_assert!(p.variances.iter().all(|v| v.is_finite() && *v > 0.0));
    for row in em.q().chunks_exact(em.k()) {
        prop_assert!(row.iter().all(|q| q.is_finite() && *q >= 0.0));
        prop_assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    }
    if let Some(c) = lab.collapse() {
        prop_assert!(c.component < em.k() && c.point < lab.len());
        prop_assert!(!c.variance.is_nan());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        failure_persistence: None,
        ..ProptestConfig::with_cases(CASES)
    })]

    /// Random text → `parse_table` gives a table or a typed error; a table's values are all finite.
    #[test]
    fn parsing_random_text_never_panics(text in any_text()) {
        if let Ok(table) = parse_table(&text) {
            prop_assert!(table.values.iter().all(|v| v.is_finite()));
            prop_assert_eq!(table.values.len(), table.rows() * table.columns);
            for c in 0..=table.columns {
                let _ = table.column(c);
            }
        }
    }

    /// Random text, K, seed and column → a lab or a typed error, and a lab's state is sound.
    #[test]
    fn labs_from_random_text_never_panic(
        text in any_text(),
        k in 0usize..12,
        seed in any::<u64>(),
        column in 0usize..4,
        reg in prop_oneof![Just(1e-6), Just(0.0), any_float()],
    ) {
        let options = Options { reg, tol: 1e-10 };
        if let Ok(lab) = Lab::from_text(&text, k, seed, column, options) {
            check_state(&lab)?;
            let again = Lab::from_text(&lab.data_text(), k, seed, 0, options);
            prop_assert!(again.is_ok(), "saved data reads back");
        }
        let _ = Lab::from_csv("gmm1d", &text, k, seed, column);
        let _ = Lab::from_csv(&text, "1\n2\n", k, seed, column);
        let _ = Lab::preset(&text, k, seed);
    }

    /// Random θ (NaN, ±∞, huge, tiny, wrong lengths) → `set_params` is Ok or Err, and the state stays
    /// finite; a rejected θ changes nothing.
    #[test]
    fn random_parameters_are_accepted_or_rejected_cleanly(
        data in any_data(),
        k in 1usize..4,
        seed in any::<u64>(),
        params in any_params(),
    ) {
        let model = Gmm1d::new(data.clone());
        let Ok(lab) = Lab::gmm1d(data, k, seed, Options::default()) else {
            return Ok(());
        };
        let mut lab = lab;
        check_state(&lab)?;
        let before = format!("{:?}", lab.em);
        let em = lab.gmm1d_em_mut().unwrap();
        let result = em.set_params(params.clone());
        if result.is_err() {
            prop_assert_eq!(format!("{:?}", lab.em), before);
        }
        check_state(&lab)?;
        let _ = Em::new(model, params, Options::default());
    }

    /// Random sequences of every call on a lab (steps, undo, reset, θ, options, points, re-init, the
    /// figures' reads) never panic, and after each one ℓ is finite or EM reports a typed collapse.
    #[test]
    fn random_call_sequences_never_panic(
        data in any_data(),
        use_preset in prop::sample::select(vec![None, Some("collapse"), Some("three-gaussians")]),
        k in 1usize..4,
        seed in any::<u64>(),
        ops in prop::collection::vec(any_op(), 0..24),
    ) {
        let lab = match use_preset {
            // The collapse preset is tiny; three-gaussians (1,000 points) only with few calls.
            Some("three-gaussians") if ops.len() > 6 => return Ok(()),
            Some(name) => Lab::preset(name, k, seed),
            None => Lab::gmm1d(data, k, seed, Options::default()),
        };
        let Ok(mut lab) = lab else {
            return Ok(());
        };
        check_state(&lab)?;
        for op in &ops {
            apply(&mut lab, op);
            check_state(&lab)?;
        }
    }
}
