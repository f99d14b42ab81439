//! The Poisson mixture: the death-notices fit to 4 decimals, the bound invariants, the M-step against a
//! plain implementation, the counts parser, and the counts figure.

use emlab::core::bound::SliceSource;
use emlab::core::em::{Em, Mixture, Phase};
use emlab::core::error::ErrorKind;
use emlab::core::options::Options;
use emlab::core::poisson::{
    format_counts, ln_factorial, parse_counts, poisson_preset, random_start, Poisson,
    PoissonParams, MAX_COUNT, PRESETS_POISSON,
};
use emlab::core::sample::rng;
use emlab::figures::counts::{count_bars, draw_counts, CountScale, CountsView};
use emlab::figures::Style;
use emlab::text::Lang;
use plotters::prelude::*;

/// Days with 0, 1, …, 9 death notices.
const DAYS: [usize; 10] = [162, 267, 271, 185, 111, 61, 27, 8, 3, 1];

fn params(w1: f64, rates: [f64; 2]) -> PoissonParams {
    PoissonParams {
        weights: vec![w1, 1.0 - w1],
        rates: rates.to_vec(),
    }
}

fn death_notices(tol: f64) -> Em<Poisson> {
    let preset = poisson_preset("death-notices").unwrap();
    let start = preset.start.clone().unwrap();
    let options = Options {
        tol,
        ..Options::default()
    };
    Em::new(Poisson::new(preset.data), start, options).unwrap()
}

/// Runs to convergence (at most `max` iterations), checking after every half-step: ℓ never decreases,
/// L = ℓ after an E-step, L ≤ ℓ, and ℓ = L + KL.
fn run_checked(em: &mut Em<Poisson>, max: usize) -> usize {
    let mut last = em.loglik();
    let scale = em.loglik().abs().max(1.0);
    while em.iteration() < max && !em.converged() {
        em.e_step().unwrap();
        assert_eq!(em.phase(), Phase::E);
        assert!(em.loglik() >= last - 1e-12 * scale, "ℓ fell at E");
        assert!(
            (SliceSource::lower_bound(em) - SliceSource::loglik(em)).abs() < 1e-10 * scale,
            "L = ℓ after E: {} vs {}",
            em.lower_bound(),
            em.loglik()
        );
        em.m_step().unwrap();
        let (l, b) = (SliceSource::loglik(em), SliceSource::lower_bound(em));
        assert!(l >= last - 1e-12 * scale, "ℓ fell: {last} → {l}");
        assert!(b <= l + 1e-10 * scale, "L ≤ ℓ: {b} > {l}");
        assert!((l - (b + em.gap())).abs() < 1e-10 * scale, "ℓ = L + KL");
        assert!(em.gap() >= -1e-10 * scale);
        last = l;
    }
    em.iteration()
}

#[test]
fn the_preset_is_the_published_table() {
    assert_eq!(PRESETS_POISSON, &["death-notices"]);
    let preset = poisson_preset("death-notices").unwrap();
    assert_eq!(preset.data.len(), 1096);
    assert_eq!(preset.suggested_k, 2);
    let model = Poisson::new(preset.data.clone());
    let tally: Vec<usize> = model.tally().iter().map(|t| t.1).collect();
    assert_eq!(tally, DAYS);
    assert_eq!(
        model.tally().iter().map(|t| t.0).collect::<Vec<_>>(),
        (0..10).collect::<Vec<u64>>()
    );
    assert_eq!(preset.start, Some(params(0.3, [1.0, 2.5])));
    assert!(preset.labels.is_empty());
    assert_eq!(
        poisson_preset("nope").unwrap_err().kind,
        ErrorKind::UnknownPreset {
            name: "nope".into()
        }
    );
    assert_eq!(Poisson::NAME, "poisson");
    assert_eq!(model.describe(1000, emlab::text::Lang::En), "x = 5");
    assert_eq!(parse_counts(&format_counts(&preset.data)).unwrap(), {
        let mut sorted = preset.data.clone();
        sorted.sort_unstable();
        sorted
    });
}

#[test]
fn tight_tol_reaches_the_published_fit() {
    let mut em = death_notices(1e-14);
    let iterations = run_checked(&mut em, 5000);
    let p = em.params().clone();
    println!(
        "tol 1e-14: {iterations} iterations, π₁ = {:.6}, λ = ({:.6}, {:.6}), ℓ = {:.7}",
        p.weights[0],
        p.rates[0],
        p.rates[1],
        em.loglik()
    );
    assert!(em.converged());
    // Measured: 1,866 iterations (the reference says about 2,000).
    assert!((1700..=2100).contains(&iterations), "{iterations}");
    let r4 = |v: f64| (v * 1e4).round() / 1e4;
    assert_eq!(r4(p.weights[0]), 0.3599);
    assert_eq!(r4(p.rates[0]), 1.2561);
    assert_eq!(r4(p.rates[1]), 2.6634);
    assert!(
        (em.loglik() - (-1989.94586)).abs() < 1e-5,
        "{}",
        em.loglik()
    );
    assert!((p.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    // The fitted mixture has the data's mean (a Poisson mixture's M-step keeps Σ πₖ λₖ = x̄).
    let mean = p.weights[0] * p.rates[0] + p.weights[1] * p.rates[1];
    assert!((mean - em.model().mean()).abs() < 1e-9);
}

#[test]
fn the_default_rule_stops_earlier_on_the_flat_likelihood() {
    let mut em = death_notices(Options::default().tol);
    let iterations = run_checked(&mut em, 5000);
    let p = em.params();
    println!(
        "tol 1e-10: {iterations} iterations, π₁ = {:.6}, λ = ({:.6}, {:.6}), ℓ = {:.7}",
        p.weights[0],
        p.rates[0],
        p.rates[1],
        em.loglik()
    );
    assert!(em.converged());
    // Measured: 996 iterations, π₁ = 0.35891 (the reference says about 1,000 and π₁ ≈ 0.359).
    assert!((900..=1100).contains(&iterations), "{iterations}");
    assert!((p.weights[0] - 0.359).abs() < 1e-3, "{}", p.weights[0]);
    assert!((em.loglik() - (-1989.94586)).abs() < 1e-3);
    let mut tight = death_notices(1e-14);
    let tight_iterations = run_checked(&mut tight, 5000);
    assert!(
        iterations < tight_iterations,
        "{iterations} vs {tight_iterations}"
    );
}

/// The M-step written out plainly: πₖ = Σᵢ qᵢₖ / N, λₖ = Σᵢ qᵢₖ xᵢ / Σᵢ qᵢₖ.
fn reference_m_step(data: &[u64], q: &[f64], k: usize) -> PoissonParams {
    let n = data.len();
    let mut weights = Vec::new();
    let mut rates = Vec::new();
    for j in 0..k {
        let nk: f64 = (0..n).map(|i| q[i * k + j]).sum();
        let sx: f64 = (0..n).map(|i| q[i * k + j] * data[i] as f64).sum();
        weights.push(nk / n as f64);
        rates.push(sx / nk);
    }
    PoissonParams { weights, rates }
}

/// The E-step written out plainly: qᵢₖ ∝ πₖ λₖ^xᵢ e^(−λₖ) / xᵢ!.
fn reference_posterior(data: &[u64], p: &PoissonParams) -> Vec<f64> {
    let mut q = Vec::new();
    for &x in data {
        let joint: Vec<f64> = (0..p.weights.len())
            .map(|k| {
                let mut v = p.weights[k] * (-p.rates[k]).exp();
                for j in 1..=x {
                    v *= p.rates[k] / j as f64;
                }
                v
            })
            .collect();
        let total: f64 = joint.iter().sum();
        q.extend(joint.iter().map(|v| v / total));
    }
    q
}

#[test]
fn the_m_step_and_e_step_equal_plain_implementations() {
    let preset = poisson_preset("death-notices").unwrap();
    let data = preset.data.clone();
    let mut em = death_notices(1e-10);
    for step in 0..5 {
        em.e_step().unwrap();
        let expected_q = reference_posterior(&data, em.params());
        for (a, b) in em.q().iter().zip(&expected_q) {
            assert!((a - b).abs() < 1e-12, "step {step}: q {a} vs {b}");
        }
        let expected = reference_m_step(&data, em.q(), 2);
        em.m_step().unwrap();
        let got = em.params();
        for (a, b) in got
            .weights
            .iter()
            .chain(&got.rates)
            .zip(expected.weights.iter().chain(&expected.rates))
        {
            assert!(
                (a - b).abs() <= 1e-12 * b.abs().max(1.0),
                "step {step}: {a} vs {b}"
            );
        }
    }
    // ℓ with the ln x! terms, written out.
    let p = em.params().clone();
    let loglik: f64 = data
        .iter()
        .map(|&x| {
            (0..2)
                .map(|k| {
                    let ln = p.weights[k].ln() + x as f64 * p.rates[k].ln()
                        - p.rates[k]
                        - (1..=x).map(|j| (j as f64).ln()).sum::<f64>();
                    ln.exp()
                })
                .sum::<f64>()
                .ln()
        })
        .sum();
    assert!(
        (em.loglik() - loglik).abs() < 1e-9,
        "{} vs {loglik}",
        em.loglik()
    );
}

#[test]
fn a_component_on_zeros_keeps_a_positive_rate_and_an_empty_one_its_old_rate() {
    // All counts 0: the rate falls to the floor reg, never 0, and ℓ stays finite (≤ 0).
    let mut em = Em::new(
        Poisson::new(vec![0; 20]),
        params(0.5, [0.5, 3.0]),
        Options::default(),
    )
    .unwrap();
    em.run(200).unwrap();
    let p = em.params();
    assert!(
        p.rates.iter().all(|&r| r >= Options::default().reg),
        "{p:?}"
    );
    assert!(em.loglik().is_finite() && em.loglik() <= 0.0);
    assert!(em.collapse().is_none());
    // The formulas say that the floor acted.
    let f = <Poisson as emlab::core::formulas::ShowFormulas>::formulas(&em, 0);
    let m = emlab::core::formulas::Formulas::mathml(&f.m, Lang::En).concat();
    assert!(m.contains("max") && !m.contains("NaN"), "{m}");
    // With reg = 0 the rate reaches 0 on the zeros and nothing breaks.
    let options = Options {
        reg: 0.0,
        ..Options::default()
    };
    let mut em = Em::new(Poisson::new(vec![0; 20]), params(0.5, [0.5, 3.0]), options).unwrap();
    em.run(2000).unwrap();
    assert!(
        em.loglik().is_finite() && em.loglik() <= 1e-12,
        "{} {:?} {}",
        em.loglik(),
        em.params(),
        em.iteration()
    );
    let free = em.model().to_free(em.params());
    assert!(free.iter().all(|v| v.is_finite()), "{free:?}");
    // A q that gives component 2 nothing: it keeps its old rate and gets weight 0.
    let model = Poisson::new(vec![1, 2, 3]);
    let q = [1.0, 0.0, 1.0, 0.0, 1.0, 0.0];
    let step = model.m_step(&q, &params(0.5, [1.0, 7.0]), &Options::default());
    assert_eq!(step.empty, vec![1]);
    assert_eq!(step.params.rates, vec![2.0, 7.0]);
    assert_eq!(step.params.weights, vec![1.0, 0.0]);
}

#[test]
fn validate_free_coordinates_and_random_starts() {
    let model = Poisson::new(vec![0, 1, 2, 3, 9]);
    assert!(model.validate(&params(0.3, [1.0, 2.5])).is_ok());
    let err = |p: &PoissonParams| model.validate(p).unwrap_err().kind;
    assert!(matches!(
        err(&params(0.3, [1.0, 0.0])),
        ErrorKind::BadRate {
            component: 1,
            value
        } if value == 0.0
    ));
    assert!(matches!(
        err(&params(0.3, [-1.0, 2.0])),
        ErrorKind::BadRate { component: 0, .. }
    ));
    assert!(matches!(
        err(&params(0.3, [f64::NAN, 2.0])),
        ErrorKind::NotFiniteParam { .. }
    ));
    assert!(matches!(
        err(&PoissonParams {
            weights: vec![0.5, 0.5],
            rates: vec![1.0]
        }),
        ErrorKind::WrongLength { .. }
    ));
    assert!(matches!(
        err(&PoissonParams {
            weights: vec![0.5, 0.6],
            rates: vec![1.0, 2.0]
        }),
        ErrorKind::WeightsSum { .. }
    ));
    let e = model.validate(&params(0.3, [1.0, -2.0])).unwrap_err();
    assert_eq!(e.id(), "err-rate");
    assert_eq!(
        e.message(Lang::En),
        "Rate λ of component 2 is -2; it must be positive."
    );
    assert!(e.message(Lang::Zh).contains("速率"));

    let p = params(0.3, [1.0, 2.5]);
    let free = model.to_free(&p);
    assert_eq!(free.len(), 4);
    let back = model.from_free(&free, &p);
    for (a, b) in back
        .weights
        .iter()
        .chain(&back.rates)
        .zip(p.weights.iter().chain(&p.rates))
    {
        assert!((a - b).abs() < 1e-14);
    }
    assert_eq!(
        model.free_names(&p),
        vec!["ln π1", "ln π2", "ln λ1", "ln λ2"]
    );
    assert_eq!(model.free_scales(&p).len(), 4);
    assert!(model.collapse(&p).is_none());

    let preset = poisson_preset("death-notices").unwrap();
    let model = Poisson::new(preset.data);
    for seed in 0..50 {
        for k in 1..=10 {
            let start = random_start(&model, k, &mut rng(seed));
            assert!(
                model.validate(&start).is_ok(),
                "seed {seed} k {k}: {start:?}"
            );
            // Apart, every one: equal rates never part under EM (K = 10 started with λ = 0.2157 twice).
            assert!(
                start.rates.windows(2).all(|w| w[0] < w[1]),
                "seed {seed} k {k}: {:?}",
                start.rates
            );
            assert!(start.rates.iter().all(|&r| r > 0.0 && r <= 10.0));
            let again = random_start(&model, k, &mut rng(seed));
            assert_eq!(start, again);
            Em::new(model.clone(), start, Options::default()).unwrap();
        }
    }
    // Constant data still gives a usable start.
    let zeros = Poisson::new(vec![0; 5]);
    let start = random_start(&zeros, 3, &mut rng(1));
    assert!(zeros.validate(&start).is_ok(), "{start:?}");
    assert!(start.rates.windows(2).all(|w| w[0] < w[1]), "{start:?}");
}

#[test]
fn ln_factorial_is_exact_small_and_smooth_large() {
    assert_eq!(ln_factorial(0), 0.0);
    assert_eq!(ln_factorial(1), 0.0);
    assert!((ln_factorial(5) - 120f64.ln()).abs() < 1e-14);
    // Stirling's series takes over at 1024: it agrees with the sum there.
    let sum: f64 = (1..=1024u64).map(|k| (k as f64).ln()).sum();
    assert!(
        (ln_factorial(1024) - sum).abs() < 1e-9 * sum,
        "{}",
        ln_factorial(1024) - sum
    );
    assert!(ln_factorial(MAX_COUNT).is_finite());
    // Large counts give finite, sensible log-probabilities.
    let model = Poisson::new(vec![0, MAX_COUNT, 5]);
    let em = Em::new(
        model,
        params(0.5, [2.0, MAX_COUNT as f64]),
        Options::default(),
    )
    .unwrap();
    assert!(em.loglik().is_finite());
}

#[test]
fn counts_parse_in_both_formats() {
    assert_eq!(
        parse_counts("3\n0\n\n# a comment\n2\n").unwrap(),
        vec![3, 0, 2]
    );
    assert_eq!(
        parse_counts("0,2\n1,3\n5,0\n").unwrap(),
        vec![0, 0, 1, 1, 1]
    );
    assert_eq!(
        parse_counts("deaths,days\n0,1\n4;2\n7\t1\n").unwrap(),
        vec![0, 4, 4, 7]
    );
    assert_eq!(
        parse_counts("\u{feff}x\n2\n3.0\n1e1\n").unwrap(),
        vec![2, 3, 10]
    );
    assert_eq!(parse_counts("2 3\n").unwrap(), vec![2, 2, 2]);
    let table: String = DAYS
        .iter()
        .enumerate()
        .map(|(x, n)| format!("{x},{n}\n"))
        .collect();
    assert_eq!(parse_counts(&table).unwrap().len(), 1096);
}

#[test]
fn bad_counts_name_their_line() {
    let kind = |text: &str| parse_counts(text).unwrap_err().kind;
    let bad = |line, column, text: &str, max| ErrorKind::BadCount {
        line,
        column,
        text: text.into(),
        max,
    };
    assert_eq!(kind("1\n2\n-3\n"), bad(3, 1, "-3", MAX_COUNT));
    assert_eq!(kind("1\n2.5\n"), bad(2, 1, "2.5", MAX_COUNT));
    assert_eq!(
        kind("1\n99999999999\n"),
        bad(2, 1, "99999999999", MAX_COUNT)
    );
    assert_eq!(
        kind("1\n99999999999999999999999\n"),
        bad(2, 1, "99999999999999999999999", MAX_COUNT)
    );
    assert_eq!(kind("1\n1e300\n"), bad(2, 1, "1e300", MAX_COUNT));
    assert_eq!(kind("0,1\n1,-2\n"), bad(2, 2, "-2", 2_000_000));
    assert_eq!(kind("0,1\n1,0.5\n"), bad(2, 2, "0.5", 2_000_000));
    assert!(matches!(
        kind("1\nabc\n"),
        ErrorKind::NotANumber {
            line: 2,
            column: 1,
            ..
        }
    ));
    assert!(matches!(
        kind("1\nNaN\n"),
        ErrorKind::NonFinite { line: 2, .. }
    ));
    assert_eq!(
        kind("1\n1,2,3\n"),
        ErrorKind::WrongFieldCount {
            line: 2,
            expected: 2,
            got: 3
        }
    );
    assert_eq!(kind(""), ErrorKind::EmptyData);
    assert_eq!(
        kind("deaths,days\n"),
        ErrorKind::OnlyHeader {
            text: "deaths,days".into()
        }
    );
    assert_eq!(kind("3,0\n"), ErrorKind::EmptyData);
    assert!(matches!(
        kind("1,1500000\n2,1500000\n"),
        ErrorKind::TooManyPoints { got: 3_000_000, .. }
    ));
    let e = parse_counts("1\n-3\n").unwrap_err();
    assert_eq!(e.id(), "err-count");
    assert_eq!(
        e.message(Lang::En),
        "Line 2, column 1: “-3” is not a count: use a whole number from 0 to 1000000000."
    );
    assert!(e.message(Lang::Zh).contains("第 2 行"));
}

fn svg_of(em: &Em<Poisson>, view: &CountsView, style: &Style) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (900, 500)).into_drawing_area();
        draw_counts(&root, em, view, style).unwrap();
        root.present().unwrap();
    }
    svg
}

#[test]
fn the_counts_figure_draws_every_theta() {
    let mut em = death_notices(1e-10);
    let view = CountsView::default();
    let svg = svg_of(&em, &view, &Style::default());
    assert!(svg.contains("Counts and the Poisson mixture"));
    assert!(svg.contains("proportion of observations") && svg.contains("count x"));
    assert!(svg.contains("π1 Poisson(x | λ1)") && svg.contains("π2 Poisson(x | λ2)"));
    assert!(svg.contains("mixture p(x)"));
    assert!(!svg.contains("NaN"));
    // Ten bars, one per count 0..9, at the data's proportions.
    let bars = count_bars(em.model().data(), CountScale::Proportion);
    assert_eq!((bars.lo, bars.width, bars.heights.len()), (0, 1, 10));
    assert!((bars.heights[2] - 271.0 / 1096.0).abs() < 1e-15);
    let freq = count_bars(em.model().data(), CountScale::Frequency);
    assert_eq!(freq.heights[0], 162.0);

    em.run(2000).unwrap();
    let zh = Style {
        lang: Lang::Zh,
        ..Style::default()
    };
    let frequency = CountsView {
        scale: CountScale::Frequency,
        selected: Some(5),
    };
    for (view, style) in [(view, Style::default()), (frequency, zh)] {
        let svg = svg_of(&em, &view, &style);
        assert!(svg.contains(style.text("fig-counts")));
        assert!(!svg.contains("NaN"));
    }

    // Extreme θ: tiny and huge rates, a weight of almost 0, K = 10.
    let model = em.model().clone();
    let extremes = [
        params(1e-300, [1e-300, 1e300]),
        params(0.5, [1e-300, 1e-300]),
        params(1.0 - 1e-16, [1e300, 1e300]),
        PoissonParams {
            weights: vec![0.1; 10],
            rates: (1..=10).map(|r| r as f64).collect(),
        },
    ];
    for p in extremes {
        model.validate(&p).unwrap();
        let mut em = em.clone();
        em.restart(p.clone());
        for view in [view, frequency] {
            let svg = svg_of(&em, &view, &Style::default());
            assert!(svg.contains("Counts and the Poisson mixture"), "{p:?}");
            assert!(!svg.contains("NaN"), "{p:?}");
        }
    }

    // Counts spread widely are grouped into at most 120 bars; a single value is one bar.
    for data in [
        vec![0, 5, MAX_COUNT],
        vec![1000, 1010, 1200],
        vec![7; 4],
        vec![0],
        vec![0, u64::MAX],
    ] {
        let bars = count_bars(&data, CountScale::Proportion);
        assert!(
            bars.heights.len() <= 120 && !bars.heights.is_empty(),
            "{data:?}"
        );
        let total: f64 = bars.heights.iter().sum::<f64>() * bars.width as f64;
        assert!((total - 1.0).abs() < 1e-12, "{data:?}");
        let model = Poisson::new(data.clone());
        let start = params(0.5, [1.0, data[data.len() - 1] as f64 + 1.0]);
        // Counts near 2⁶⁴ overflow every ℓ: EM refuses them, so there is no figure to draw.
        let Ok(em) = Em::new(model, start, Options::default()) else {
            assert_eq!(data, vec![0, u64::MAX]);
            continue;
        };
        let svg = svg_of(&em, &frequency, &Style::default());
        assert!(svg.contains("Counts and the Poisson mixture") && !svg.contains("NaN"));
    }
}

#[test]
fn the_formulas_show_the_runners_numbers() {
    use emlab::core::formulas::{e_step_row, Formulas, ShowFormulas};
    let mut em = death_notices(1e-10);
    for step in 0..4 {
        if step > 0 {
            em.e_step().unwrap();
        }
        let next = em.peek_m_step();
        for i in [0, 500, 1095] {
            let f = Poisson::formulas(&em, i);
            assert_eq!(
                f.caption(&em.model().describe(i, emlab::text::Lang::En)),
                format!("i = {}: x = {}", i + 1, em.model().data()[i])
            );
            let close = |a: f64, b: f64| (a - b).abs() <= 1e-3 * b.abs().max(1e-12);
            for c in 0..2 {
                let q = f.find("q", c, 0).unwrap().printed();
                // The E-step shown is the one θ gives now (before the first E-step q is still uniform).
                let posterior = e_step_row(&em, i).1[c];
                assert!(close(q, posterior), "{q} vs {posterior}");
                let rate = f.find("λ", c, 0).unwrap().printed();
                assert!(close(rate, next.rates[c]), "{rate} vs {:?}", next.rates);
                let weight = f.find("π", c, 0).unwrap().printed();
                assert!(
                    close(weight, next.weights[c]),
                    "{weight} vs {:?}",
                    next.weights
                );
            }
            for lang in [Lang::En, Lang::Zh] {
                for line in Formulas::mathml(&f.e, lang)
                    .iter()
                    .chain(&Formulas::mathml(&f.m, lang))
                {
                    assert!(!line.contains("NaN") && !line.contains("inf"), "{line}");
                }
            }
        }
        if step > 0 {
            em.m_step().unwrap();
        }
    }
}

#[test]
fn the_y_description_fits_a_short_counts_figure() {
    // At 1024×768 (a 505×300 figure; here 260 tall) "proportion of observations", turned along the y axis,
    // was longer than the plot and reached up into the legend; set smaller to fit, it read as a footnote
    // beside a projector's tick labels. Where it does not fit at 85 % of its size it reads "proportion",
    // at full size; on a tall figure it is whole.
    let em = death_notices(1e-10);
    let desc_of = |w: u32, h: u32| {
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (w, h)).into_drawing_area();
            let style = Style {
                width: f64::from(w),
                ..Style::default()
            };
            draw_counts(&root, &em, &CountsView::default(), &style).unwrap();
            root.present().unwrap();
        }
        let lines: Vec<&str> = svg.lines().collect();
        let size_of = |text: &str| {
            let at = lines.iter().position(|l| *l == text)?;
            let tag = lines[at - 1];
            let size = tag.split("font-size=\"").nth(1)?.split('"').next()?;
            Some((size.parse::<f64>().ok()?, tag.contains("rotate")))
        };
        let x = size_of("count x").expect("the x description").0;
        match (size_of("proportion of observations"), size_of("proportion")) {
            (Some((y, turned)), None) => ("long", y / x, turned),
            (None, Some((y, turned))) => ("short", y / x, turned),
            other => panic!("{w}×{h}: one y description, got {other:?}"),
        }
    };
    assert_eq!(desc_of(505, 260), ("short", 1.0, true));
    assert_eq!(desc_of(505, 600), ("long", 1.0, true));
}

/// A click on the death notices' bar chart chooses a day with that count, and the arrow keys step to the
/// next count up or down: the click chose nothing (x = 0, day 1, stayed), and the arrows walked through days
/// of the same count, the Jensen figure unchanged.
#[test]
fn a_click_or_an_arrow_chooses_a_day_by_its_count() {
    use emlab::core::lab::Lab;
    let lab = Lab::preset("death-notices", 2, 1).unwrap();
    let b = lab.bound();
    let count = |i: usize| b.describe(i, emlab::text::Lang::En);
    let three = lab.em.nearest_value(3.2).unwrap();
    assert_eq!(count(three), "x = 3");
    let up = lab.neighbour(three, true);
    assert_eq!(count(up), "x = 4");
    assert_eq!(count(lab.neighbour(up, false)), "x = 3");
    let zero = lab.em.nearest_value(-5.0).unwrap();
    assert_eq!(count(zero), "x = 0");
    assert_eq!(lab.neighbour(zero, false), zero, "no smaller count");
}
