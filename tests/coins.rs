//! The coin mixture: Li Hang's three coins and Do & Batzoglou's five sets, exactly; parsing; the bound.

mod common;

use common::rel;
use emlab::core::coins::{coin_preset, marginal_heads, CoinParams, Coins, PRESETS_COINS};
use emlab::core::coins_csv::parse_coins;
use emlab::core::em::{Em, Mixture};
use emlab::core::error::ErrorKind;
use emlab::core::options::Options;

fn params(weights: [f64; 2], heads: [f64; 2]) -> CoinParams {
    CoinParams {
        weights: weights.to_vec(),
        heads: heads.to_vec(),
    }
}

fn run_preset(name: &str, start: usize) -> Em<Coins> {
    let p = coin_preset(name).unwrap();
    let model = Coins::from_data(&p.data, p.fix_weights);
    Em::new(model, p.starts[start].clone(), Options::default()).unwrap()
}

/// (π, p, q) of the three-coin model.
fn pi_p_q(em: &Em<Coins>) -> (f64, f64, f64) {
    let p = em.params();
    (p.weights[0], p.heads[0], p.heads[1])
}

#[test]
fn three_coins_reach_li_hangs_fixed_points_in_one_iteration() {
    let fixed_loglik = 6.0 * 0.6f64.ln() + 4.0 * 0.4f64.ln();
    assert!((fixed_loglik - (-6.730116670092564)).abs() < 1e-15);
    let expected = [(0.5, 0.6, 0.6), (76.0 / 187.0, 51.0 / 95.0, 119.0 / 185.0)];
    let rounded = [(0.5, 0.6, 0.6), (0.4064, 0.5368, 0.6432)];
    for start in 0..2 {
        let mut em = run_preset("three-coins", start);
        assert_eq!(em.model().counts().len(), 10);
        em.step().unwrap();
        let (pi, p, q) = pi_p_q(&em);
        let (ep, ex, eq) = expected[start];
        assert!((pi - ep).abs() < 1e-12 && (p - ex).abs() < 1e-12 && (q - eq).abs() < 1e-12);
        let (rp, rx, rq) = rounded[start];
        let r4 = |v: f64| (v * 1e4).round() / 1e4;
        assert_eq!((r4(pi), r4(p), r4(q)), (rp, rx, rq), "start {start}");
        assert!(
            (em.loglik() - fixed_loglik).abs() < 1e-12,
            "{}",
            em.loglik()
        );
        assert!((marginal_heads(em.params()) - 0.6).abs() < 1e-12);
        // A fixed point: another iteration changes nothing.
        let before = em.params().clone();
        em.step().unwrap();
        for (a, b) in em.params().heads.iter().zip(&before.heads) {
            assert!((a - b).abs() < 1e-12, "{a} {b}");
        }
        assert!((em.params().weights[0] - before.weights[0]).abs() < 1e-12);
        assert!((em.loglik() - fixed_loglik).abs() < 1e-12);
        assert!(em.converged());
    }
}

#[test]
fn five_sets_match_do_and_batzoglou() {
    let mut em = run_preset("five-sets", 0);
    assert_eq!(
        em.model().counts(),
        &[(5, 10), (9, 10), (8, 10), (4, 10), (7, 10)]
    );
    em.e_step().unwrap();
    let posterior_a: Vec<f64> = (0..5)
        .map(|i| (em.q_row(i)[0] * 100.0).round() / 100.0)
        .collect();
    assert_eq!(posterior_a, vec![0.45, 0.80, 0.73, 0.35, 0.65]);
    em.m_step().unwrap();
    let h = &em.params().heads;
    assert!(
        (h[0] - 0.7130122).abs() < 1e-6 && (h[1] - 0.5813393).abs() < 1e-6,
        "{h:?}"
    );
    assert_eq!(em.params().weights, vec![0.5, 0.5], "weights are fixed");
    for _ in 1..10 {
        em.step().unwrap();
    }
    assert_eq!(em.iteration(), 10);
    let h = &em.params().heads;
    assert!(
        (h[0] - 0.7967441).abs() < 1e-6 && (h[1] - 0.5196587).abs() < 1e-6,
        "{h:?}"
    );
    assert_eq!(em.params().weights, vec![0.5, 0.5]);
}

#[test]
fn five_sets_complete_data_estimate() {
    let p = coin_preset("five-sets").unwrap();
    assert_eq!(p.labels, vec![1, 0, 0, 1, 0], "B, A, A, B, A");
    let model = Coins::from_data(&p.data, p.fix_weights);
    let est = model.complete_data_estimate(&p.labels, &p.starts[0]);
    // A: 24 heads in 30 tosses; B: 9 in 20.
    assert!((est.heads[0] - 0.80).abs() < 1e-15 && (est.heads[1] - 0.45).abs() < 1e-15);
    assert_eq!(est.weights, vec![0.5, 0.5]);
    // With learned weights the complete-data weights are the coin frequencies 3/5, 2/5.
    let free = Coins::from_data(&p.data, false).complete_data_estimate(&p.labels, &p.starts[0]);
    assert!((free.weights[0] - 0.6).abs() < 1e-15 && (free.weights[1] - 0.4).abs() < 1e-15);
}

#[test]
fn bound_properties_hold_on_every_preset_and_start() {
    let mut cases: Vec<(Coins, CoinParams)> = Vec::new();
    for name in PRESETS_COINS {
        let p = coin_preset(name).unwrap();
        for fix in [p.fix_weights, !p.fix_weights] {
            for s in &p.starts {
                cases.push((Coins::from_data(&p.data, fix), s.clone()));
            }
        }
    }
    // A larger set: 40 sets of 20 tosses from coins 0.3 and 0.8, three-component fit.
    let mut r = emlab::core::sample::rng(9);
    let obs: Vec<(u32, u32)> = (0..40)
        .map(|i| {
            let theta = if i % 3 == 0 { 0.3 } else { 0.8 };
            let h = (0..20)
                .filter(|_| rand::RngExt::random::<f64>(&mut r) < theta)
                .count();
            (h as u32, 20)
        })
        .collect();
    let start3 = CoinParams {
        weights: vec![0.2, 0.3, 0.5],
        heads: vec![0.4, 0.5, 0.6],
    };
    cases.push((Coins::new(obs, false), start3));
    for (c, (model, start)) in cases.into_iter().enumerate() {
        let mut em = Em::new(model, start, Options { reg: 0.0, tol: 0.0 }).unwrap();
        let mut last = em.loglik();
        for it in 0..100 {
            em.e_step().unwrap();
            assert!(
                rel(em.lower_bound(), em.loglik()) < 1e-9,
                "case {c} it {it}: L != l after E"
            );
            let after_e = em.lower_bound();
            em.m_step().unwrap();
            let (l, b) = (em.loglik(), em.lower_bound());
            assert!(
                b >= after_e - 1e-9 * after_e.abs(),
                "case {c} it {it}: L fell"
            );
            assert!(b <= l + 1e-9 * l.abs(), "case {c} it {it}: L > l");
            assert!(l >= last - 1e-9 * last.abs(), "case {c} it {it}: l fell");
            last = l;
        }
    }
}

#[test]
fn certain_coins_give_zero_times_log_zero() {
    // θ = 1 and θ = 0: an all-heads set has probability 1 under coin 0, an all-tails set under coin 1.
    let model = Coins::new(vec![(3, 3), (0, 2)], false);
    let mut em = Em::new(model, params([0.5, 0.5], [1.0, 0.0]), Options::default()).unwrap();
    assert!(
        (em.loglik() - 2.0 * 0.5f64.ln()).abs() < 1e-15,
        "{}",
        em.loglik()
    );
    em.step().unwrap();
    assert_eq!(em.q(), &[1.0, 0.0, 0.0, 1.0]);
    assert_eq!(em.params().heads, vec![1.0, 0.0]);
    assert!(em.loglik().is_finite() && em.lower_bound().is_finite());
    let row = em.log_joint_row(0);
    assert_eq!(row[0], 0.5f64.ln());
    assert_eq!(row[1], f64::NEG_INFINITY);
}

#[test]
fn free_coordinates_round_trip_and_stay_valid() {
    let model = Coins::new(vec![(1, 2)], false);
    let a = params([0.3, 0.7], [0.2, 0.9]);
    let b = params([0.9, 0.1], [1.0, 0.0]);
    let fa = model.to_free(&a);
    let back = model.from_free(&fa, &a);
    for (x, y) in back
        .weights
        .iter()
        .chain(&back.heads)
        .zip(a.weights.iter().chain(&a.heads))
    {
        assert!((x - y).abs() < 1e-15, "{x} {y}");
    }
    let fb = model.to_free(&b);
    assert!(fb.iter().all(|v| v.is_finite()), "{fb:?}");
    for s in 0..=10 {
        let t = s as f64 / 10.0;
        let f: Vec<f64> = fa
            .iter()
            .zip(&fb)
            .map(|(x, y)| (1.0 - t) * x + t * y)
            .collect();
        model.validate(&model.from_free(&f, &a)).unwrap();
    }
    let end = model.from_free(&fb, &b);
    assert_eq!(end.heads[0], 1.0);
    assert!(end.heads[1] < 1e-300);
}

#[test]
fn validation_names_the_fault() {
    let model = Coins::new(vec![(1, 2)], false);
    let id = |p: CoinParams| model.validate(&p).unwrap_err().id();
    assert_eq!(id(params([0.5, 0.5], [1.2, 0.5])), "err-probability");
    assert_eq!(id(params([0.5, 0.5], [0.5, -0.1])), "err-probability");
    assert_eq!(
        id(params([0.5, 0.5], [f64::NAN, 0.5])),
        "err-param-not-finite"
    );
    assert_eq!(id(params([0.5, 0.6], [0.5, 0.5])), "err-weights-sum");
    let short = CoinParams {
        weights: vec![0.5, 0.5],
        heads: vec![0.5],
    };
    assert_eq!(id(short), "err-wrong-length");
    let e = model.validate(&params([0.5, 0.5], [0.5, 1.5])).unwrap_err();
    assert_eq!(
        e.kind,
        ErrorKind::BadProbability {
            component: 1,
            value: 1.5
        }
    );
    assert_eq!(
        e.to_string(),
        "Probability of component 2 is 1.5; it must lie between 0 and 1."
    );
    assert!(model.collapse(&params([0.5, 0.5], [0.0, 1.0])).is_none());
}

#[test]
fn parses_sequences_and_counts() {
    let text = "# five sets\nHTTH\n\nh t t h\n1,0,0,1\n1 1\n5,10\n10 10\n0;3\n\u{feff}T\n";
    let d = parse_coins(text).unwrap();
    assert_eq!(
        d.counts,
        vec![
            (2, 4),
            (2, 4),
            (2, 4),
            (2, 2),
            (5, 10),
            (10, 10),
            (0, 3),
            (0, 1)
        ]
    );
    let seq = |s: &str| Some(s.to_string());
    assert_eq!(
        d.sequences,
        vec![
            seq("HTTH"),
            seq("HTTH"),
            seq("HTTH"),
            seq("HH"),
            None,
            None,
            None,
            seq("T")
        ]
    );
}

#[test]
fn parse_errors_name_line_and_column() {
    let kind = |t: &str| parse_coins(t).unwrap_err().kind;
    assert_eq!(
        kind("HHTT\n\nHTXH\n"),
        ErrorKind::BadCoinLine {
            line: 3,
            column: 3,
            found: 'X'
        }
    );
    assert_eq!(
        kind("H, T, 2"),
        ErrorKind::BadCoinLine {
            line: 1,
            column: 7,
            found: '2'
        }
    );
    let e = parse_coins("HT\nH-T\n").unwrap_err();
    assert_eq!(e.id(), "err-coin-line");
    assert_eq!(e.to_string(), "Line 2, column 2: “-” is not H, T, 1 or 0.");
    assert_eq!(kind("HT\n11,10\n"), ErrorKind::BadCoinCounts { line: 2 });
    assert_eq!(kind("3,0"), ErrorKind::BadCoinCounts { line: 1 });
    assert_eq!(kind("5,1x"), ErrorKind::BadCoinCounts { line: 1 });
    // A count past 2³² − 1 is said to be too large: "heads must be between 0 and tosses" was not true.
    assert_eq!(
        kind("5,99999999999"),
        ErrorKind::CoinCountTooLarge {
            line: 1,
            max: 4_294_967_295
        }
    );
    assert_eq!(
        parse_coins("3,10\n5,5000000000\n").unwrap_err().to_string(),
        "Line 2: a set of more than 4,294,967,295 tosses is too large for the page; count a smaller sample."
    );
    assert_eq!(kind(",,,"), ErrorKind::BadCoinCounts { line: 1 });
    assert_eq!(
        parse_coins("HT\n11,10\n").unwrap_err().id(),
        "err-coin-counts"
    );
    assert_eq!(kind("\n  \n# only a comment\n"), ErrorKind::EmptyData);
}

#[test]
fn a_header_of_names_over_counts_is_skipped_and_never_a_sequence() {
    // "heads,tosses" over its counts was refused at its "e".
    for text in [
        "heads,tosses\n5,10\n9,10\n",
        "正面,次数\n5,10\n9,10\n",
        "# sets\nHeads Tosses\n5 10\n9 10\n",
    ] {
        let data = parse_coins(text).unwrap();
        assert_eq!(data.counts, vec![(5, 10), (9, 10)], "{text:?}");
    }
    // A line of tosses is no header, nor a line of names over sequences, nor a typo over counts.
    assert_eq!(
        parse_coins("HT,TH\n5,10\n").unwrap().counts,
        vec![(2, 4), (5, 10)]
    );
    assert!(parse_coins("heads,tosses\nHTTH\n").is_err());
    assert!(parse_coins("h,n\n5,10\n").is_err());
}

#[test]
fn presets_are_named_and_unknown_ones_rejected() {
    assert_eq!(PRESETS_COINS, &["three-coins", "five-sets"]);
    for name in PRESETS_COINS {
        let p = coin_preset(name).unwrap();
        assert_eq!(p.suggested_k, 2);
        assert!(!p.starts.is_empty());
    }
    assert_eq!(
        coin_preset("four-coins").unwrap_err().id(),
        "err-unknown-preset"
    );
}

/// The Chinese page's coin table writes tosses as 正 and 反: typed back, they are heads and tails, and a
/// toss that is neither is quoted as typed ("好", not "\u{597d}"); "5，10" is heads, tosses.
#[test]
fn zheng_and_fan_are_heads_and_tails_and_a_bad_toss_is_quoted_as_typed() {
    let d = parse_coins("正反正\n反 反 正\n5，10\n").unwrap();
    assert_eq!(d.counts, vec![(2, 3), (1, 3), (5, 10)]);
    let e = parse_coins("HT\nH好T\n").unwrap_err();
    let text = e.message(emlab::text::Lang::Zh);
    assert!(text.contains('好') && !text.contains("\\u"), "{text}");
}

/// A file of `heads,tosses` lines is read as one: read line by line, its `0,1` was the sequence TH
/// ("0,1\n1,2\n0,3" gave (1, 2) for its first set, without a word), and `1,1` was HH. A file of 0/1 pairs
/// alone stays sequences (`1,1` is HH, as the module says).
#[test]
fn a_file_of_heads_tosses_lines_reads_its_zero_one_lines_as_counts() {
    assert_eq!(
        parse_coins("0,1\n1,2\n0,3\n").unwrap().counts,
        vec![(0, 1), (1, 2), (0, 3)]
    );
    assert_eq!(
        parse_coins("1,1\n2,5\n3,5").unwrap().counts,
        vec![(1, 1), (2, 5), (3, 5)]
    );
    assert_eq!(
        parse_coins("1,1\n0,1\n").unwrap().counts,
        vec![(2, 2), (1, 2)]
    );
    // In a counts file "0,0" is no toss at all, refused with its line.
    assert_eq!(
        parse_coins("0,0\n2,5\n").unwrap_err().kind,
        emlab::core::error::ErrorKind::BadCoinCounts { line: 1 }
    );
    // Mixed sequences and counts still read line by line.
    assert_eq!(
        parse_coins("HTH\n5,10\n").unwrap().counts,
        vec![(2, 3), (5, 10)]
    );
}
