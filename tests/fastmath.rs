//! The kernels' inline exp, ln and ln_1p (`emlab::core::fastmath`) against std over millions of random
//! arguments in the ranges the kernels pass and at the edges: the largest error measured, in ulps, is at
//! most 1; ±∞, 0, subnormals and NaN keep std's meaning. The two-lane form gives the one-lane numbers
//! bit for bit (the plain `Pair`; the wasm's `F64x2` runs the same operations).

use emlab::core::fastmath::{self, exp_lanes, ln_1p_lanes, ln_lanes, Pair};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Random arguments per range.
const SAMPLES: usize = 2_000_000;

/// The distance between two finite f64 of the same sign, in units in the last place.
fn ulps(a: f64, b: f64) -> u64 {
    if a == b {
        return 0;
    }
    assert!(
        a.is_finite() && b.is_finite() && (a >= 0.0) == (b >= 0.0),
        "{a:e} vs {b:e}: not comparable"
    );
    (a.to_bits() as i64 - b.to_bits() as i64).unsigned_abs()
}

/// The largest ulp error of `fast` against `reference` over `args`, with the argument where it occurs.
fn max_ulps(
    args: impl Iterator<Item = f64>,
    fast: fn(f64) -> f64,
    reference: fn(f64) -> f64,
) -> (u64, f64) {
    let mut worst = (0, f64::NAN);
    for x in args {
        let e = ulps(fast(x), reference(x));
        if e > worst.0 || worst.1.is_nan() {
            worst = (e.max(worst.0), x);
        }
    }
    worst
}

/// `SAMPLES` uniform arguments in [lo, hi).
fn uniform(seed: u64, lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..SAMPLES).map(move |_| lo + (hi - lo) * rng.random::<f64>())
}

/// `SAMPLES` arguments whose logarithm is uniform in [2^lo, 2^hi).
fn log_uniform(seed: u64, lo: f64, hi: f64) -> impl Iterator<Item = f64> {
    let mut rng = StdRng::seed_from_u64(seed);
    (0..SAMPLES).map(move |_| (lo + (hi - lo) * rng.random::<f64>()).exp2())
}

#[test]
fn exp_is_within_one_ulp_over_the_kernels_range_and_beyond() {
    let ranges: [(&str, Box<dyn Iterator<Item = f64>>); 5] = [
        ("[-1, 0]", Box::new(uniform(1, -1.0, 0.0))),
        ("[-40, 0]", Box::new(uniform(2, -40.0, 0.0))),
        (
            "[-745.2, 0] (subnormal results)",
            Box::new(uniform(3, -745.2, 0.0)),
        ),
        ("[0, 709.7]", Box::new(uniform(4, 0.0, 709.7))),
        (
            "-|tiny|",
            Box::new(log_uniform(5, -1074.0, 0.0).map(|x| -x)),
        ),
    ];
    for (name, args) in ranges {
        let (worst, at) = max_ulps(args, fastmath::exp, f64::exp);
        println!("exp on {name}: at most {worst} ulp (at {at:e})");
        assert!(worst <= 1, "exp on {name}: {worst} ulps at {at:e}");
    }
}

#[test]
fn ln_is_within_one_ulp_over_the_kernels_range_and_beyond() {
    let ranges: [(&str, Box<dyn Iterator<Item = f64>>); 4] = [
        ("[1, 11] (a row's sum)", Box::new(uniform(6, 1.0, 11.0))),
        ("(0, 1] (a responsibility)", Box::new(uniform(7, 0.0, 1.0))),
        ("2^[-1074, 1024)", Box::new(log_uniform(8, -1074.0, 1024.0))),
        ("near 1", Box::new(uniform(9, 0.99, 1.01))),
    ];
    for (name, args) in ranges {
        let (worst, at) = max_ulps(args.filter(|&x| x > 0.0), fastmath::ln, f64::ln);
        println!("ln on {name}: at most {worst} ulp (at {at:e})");
        assert!(worst <= 1, "ln on {name}: {worst} ulps at {at:e}");
    }
}

#[test]
fn ln_1p_is_within_one_ulp_over_the_kernels_range_and_beyond() {
    let ranges: [(&str, Box<dyn Iterator<Item = f64>>); 4] = [
        ("[0, 1] (e^gap)", Box::new(uniform(10, 0.0, 1.0))),
        ("2^[-1074, 0)", Box::new(log_uniform(11, -1074.0, 0.0))),
        (
            "(-1, 0)",
            Box::new(uniform(12, -1.0, 0.0).filter(|&x| x > -1.0)),
        ),
        ("2^[0, 1000)", Box::new(log_uniform(13, 0.0, 1000.0))),
    ];
    for (name, args) in ranges {
        let (worst, at) = max_ulps(args, fastmath::ln_1p, f64::ln_1p);
        println!("ln_1p on {name}: at most {worst} ulp (at {at:e})");
        assert!(worst <= 1, "ln_1p on {name}: {worst} ulps at {at:e}");
    }
}

#[test]
fn edges_keep_std_meaning() {
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    // Each edge gives std's result (NaN for NaN, ±∞, ±0 as std) or one within an ulp of it.
    let check = |name: &str, edges: &[f64], fast: fn(f64) -> f64, std: fn(f64) -> f64| {
        for &x in edges {
            let (fast, std) = (fast(x), std(x));
            assert!(
                same(fast, std) || ulps(fast, std) <= 1,
                "{name}({x:e}) = {fast:e}, std {std:e}"
            );
        }
    };
    let exp_edges = [
        f64::NEG_INFINITY,
        -1e300,
        -1000.0,
        -745.2,
        -745.13,
        -745.1332191019411,
        -744.44,
        -708.4,
        -708.3964185322641,
        -1.0,
        -f64::MIN_POSITIVE,
        -0.0,
        0.0,
        f64::MIN_POSITIVE,
        1.0,
        709.78,
        709.8,
        1e300,
        f64::INFINITY,
        f64::NAN,
    ];
    check("exp", &exp_edges, fastmath::exp, f64::exp);
    let ln_edges = [
        0.0,
        -0.0,
        -1.0,
        f64::NEG_INFINITY,
        f64::INFINITY,
        f64::NAN,
        f64::MIN_POSITIVE,
        f64::MIN_POSITIVE / 3.0,
        5e-324,
        1.0,
        2.0,
        f64::MAX,
    ];
    check("ln", &ln_edges, fastmath::ln, f64::ln);
    let ln_1p_edges = [
        0.0,
        -0.0,
        5e-324,
        1e-300,
        1.0,
        -1.0,
        -2.0,
        f64::INFINITY,
        f64::NAN,
    ];
    check("ln_1p", &ln_1p_edges, fastmath::ln_1p, f64::ln_1p);
}

#[test]
fn two_lanes_give_one_lanes_numbers_bit_for_bit() {
    let mut rng = StdRng::seed_from_u64(14);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    for _ in 0..200_000 {
        let x = [
            -800.0 * rng.random::<f64>(),
            3.0 * rng.random::<f64>() - 1.0,
        ];
        let (e, l, l1) = (exp_lanes(Pair(x)), ln_lanes(Pair(x)), ln_1p_lanes(Pair(x)));
        for (i, &xi) in x.iter().enumerate() {
            assert!(same(e.0[i], exp_lanes(xi)), "exp({xi:e})");
            assert!(same(l.0[i], ln_lanes(xi)), "ln({xi:e})");
            assert!(same(l1.0[i], ln_1p_lanes(xi)), "ln_1p({xi:e})");
        }
    }
}

#[test]
fn the_pair_kernels_on_two_lanes_give_one_lanes_numbers_bit_for_bit() {
    use emlab::core::em::{log_sum_exp_pair, soft_pair, soft_pair_lanes};
    let mut rng = StdRng::seed_from_u64(15);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    let special = [f64::NEG_INFINITY, f64::NAN, -800.0, 0.0, 1e300];
    for i in 0..200_000 {
        let mut pick = || match rng.random_range(0..10) {
            0 => special[rng.random_range(0..special.len())],
            _ => -50.0 * rng.random::<f64>().powi(2) * 100.0,
        };
        let (a, b) = ([pick(), pick()], [pick(), pick()]);
        let (q0, q1, lse, h) = soft_pair_lanes(Pair(a), Pair(b));
        let both = log_sum_exp_pair(Pair(a), Pair(b));
        for lane in 0..2 {
            let one = soft_pair(a[lane], b[lane]);
            let wide = (q0.0[lane], q1.0[lane], lse.0[lane], h.0[lane]);
            assert!(
                same(one.0, wide.0)
                    && same(one.1, wide.1)
                    && same(one.2, wide.2)
                    && same(one.3, wide.3),
                "case {i}: soft_pair({:e}, {:e}) = {one:?}, two lanes {wide:?}",
                a[lane],
                b[lane]
            );
            let one = log_sum_exp_pair(a[lane], b[lane]);
            assert!(same(one, both.0[lane]), "case {i}: log_sum_exp_pair");
        }
    }
}

#[test]
fn rows_of_any_k_on_two_lanes_give_one_lanes_numbers_bit_for_bit() {
    use emlab::core::em::{log_sum_exp_row, log_sum_exp_row_lanes, soft_row, soft_row_lanes};
    let mut rng = StdRng::seed_from_u64(16);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    let special = [f64::NEG_INFINITY, f64::NAN, -800.0, 0.0, 700.0];
    for case in 0..100_000 {
        let k = rng.random_range(1..=10);
        let mut pick = || match rng.random_range(0..20) {
            0 => special[rng.random_range(0..special.len())],
            _ => -1000.0 * rng.random::<f64>().powi(3),
        };
        let rows: [Vec<f64>; 2] = [
            (0..k).map(|_| pick()).collect(),
            (0..k).map(|_| pick()).collect(),
        ];
        let mut wide: Vec<Pair> = (0..k).map(|j| Pair([rows[0][j], rows[1][j]])).collect();
        let lse_wide = log_sum_exp_row_lanes(&wide);
        let (lse, h) = soft_row_lanes(&mut wide);
        for (lane, row) in rows.iter().enumerate() {
            let what = format!("case {case}, K = {k}, row {row:?}");
            assert!(
                same(log_sum_exp_row(row), lse_wide.0[lane]),
                "{what}: log_sum_exp_row"
            );
            let mut q = row.clone();
            let (lse_one, h_one) = soft_row(&mut q);
            assert!(
                same(lse_one, lse.0[lane]) && same(h_one, h.0[lane]),
                "{what}: ℓ, H"
            );
            for (j, &qj) in q.iter().enumerate() {
                assert!(same(qj, wide[j].0[lane]), "{what}: q[{j}]");
            }
        }
    }
}

#[test]
fn ln_1p_on_the_unit_interval_gives_ln_1p_numbers_bit_for_bit() {
    use emlab::core::fastmath::ln_1p_unit_lanes;
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    let edges = [
        0.0,
        5e-324,
        f64::MIN_POSITIVE,
        1e-300,
        1.1e-16,
        0.5,
        1.0,
        f64::NAN,
    ];
    for x in uniform(17, 0.0, 1.0)
        .chain(log_uniform(18, -1074.0, 0.0))
        .chain(edges)
    {
        assert!(
            same(ln_1p_unit_lanes(x), ln_1p_lanes(x)),
            "ln_1p_unit({x:e})"
        );
    }
}

#[test]
fn the_1d_pair_e_pass_and_loglik_pass_give_the_same_loglik_bit_for_bit() {
    use emlab::core::em::Mixture;
    use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
    let mut rng = StdRng::seed_from_u64(19);
    for n in [1, 2, 3, 1001, 10_000] {
        let data: Vec<f64> = (0..n)
            .map(|i| (i % 3) as f64 * 5.0 + rng.random::<f64>())
            .collect();
        let model = Gmm1d::new(data);
        let p = Gmm1dParams {
            weights: vec![0.3, 0.7],
            means: vec![0.5, 8.0],
            variances: vec![2.0, 9.0],
        };
        let (mut q, mut labels) = (vec![0.0; 2 * n], vec![0; n]);
        let (pass, _) = model.e_pass(&p, &mut q, &mut labels);
        let loglik = model.loglik(&p);
        assert!(loglik.is_finite() && loglik < 0.0, "N = {n}: ℓ = {loglik}");
        assert_eq!(
            pass.loglik.to_bits(),
            loglik.to_bits(),
            "N = {n}: {} vs {loglik}",
            pass.loglik
        );
    }
}

#[test]
fn the_2d_e_pass_and_loglik_pass_give_the_same_loglik_bit_for_bit() {
    use emlab::core::em::Mixture;
    use emlab::core::gmm2d::{CovarianceType, Gmm2d, Gmm2dParams};
    let mut rng = StdRng::seed_from_u64(20);
    for (n, k) in [
        (1, 3),
        (2, 3),
        (3, 3),
        (1001, 3),
        (10_000, 3),
        (1001, 2),
        (1001, 4),
    ] {
        let data: Vec<f64> = (0..2 * n)
            .map(|i| (i % 6) as f64 + rng.random::<f64>())
            .collect();
        let model = Gmm2d::new(data, CovarianceType::Full);
        let p = Gmm2dParams {
            weights: vec![1.0 / k as f64; k],
            means: (0..k).map(|j| [j as f64 * 2.0, j as f64]).collect(),
            covariances: vec![[[1.5, 0.3], [0.3, 1.0]]; k],
        };
        let (mut q, mut labels) = (vec![0.0; k * n], vec![0; n]);
        let (pass, _) = model.e_pass(&p, &mut q, &mut labels);
        let loglik = model.loglik(&p);
        assert!(
            loglik.is_finite() && loglik < 0.0,
            "N = {n}, K = {k}: ℓ = {loglik}"
        );
        assert_eq!(
            pass.loglik.to_bits(),
            loglik.to_bits(),
            "N = {n}, K = {k}: {} vs {loglik}",
            pass.loglik
        );
    }
}

#[test]
fn exp_of_a_gap_is_exp_bit_for_bit_and_zero_for_nan() {
    use emlab::core::fastmath::exp_gap_lanes;
    let same = |a: f64, b: f64| a.to_bits() == b.to_bits();
    let edges = [
        0.0, -0.0, -1e-300, -708.39, -708.4, -745.13, -745.14, -1000.0, -1e300,
    ];
    for x in uniform(21, -1100.0, 0.0)
        .chain(log_uniform(22, -300.0, 3.0).map(|x| -x))
        .chain(edges)
        .chain([f64::NEG_INFINITY])
    {
        assert!(same(exp_gap_lanes(x), exp_lanes(x)), "exp_gap({x:e})");
        let two = exp_gap_lanes(Pair([x, 0.5 * x]));
        assert!(
            same(two.0[0], exp_lanes(x)) && same(two.0[1], exp_lanes(0.5 * x)),
            "two lanes at {x:e}"
        );
    }
    assert_eq!(exp_gap_lanes(f64::NAN).to_bits(), 0f64.to_bits());
    assert_eq!(exp_gap_lanes(Pair([f64::NAN, -1.0])).0[0].to_bits(), 0);
}

#[test]
fn pair_terms_give_soft_pairs_q_and_its_logs_to_an_ulp() {
    use emlab::core::em::{pair_terms, soft_pair};
    let mut rng = StdRng::seed_from_u64(23);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    for i in 0..200_000 {
        let mut pick = || match rng.random_range(0..20) {
            0 => -800.0,
            1 => -40.0 + rng.random::<f64>(),
            _ => -50.0 * rng.random::<f64>().powi(2) * 10.0,
        };
        let (a, b) = ([pick(), pick()], [pick(), pick()]);
        let wide = pair_terms(Pair(a), Pair(b));
        for lane in 0..2 {
            let one = pair_terms(a[lane], b[lane]);
            let (q0, q1, lse, h) = soft_pair(a[lane], b[lane]);
            let what = format!("case {i}: ({:e}, {:e})", a[lane], b[lane]);
            assert!(same(one.q0, q0) && same(one.q1, q1), "{what}: q");
            assert!(
                same(one.q0, wide.q0.0[lane])
                    && same(one.u, wide.u.0[lane])
                    && same(one.loglik, wide.loglik.0[lane])
                    && same(one.entropy, wide.entropy.0[lane]),
                "{what}: two lanes"
            );
            let ln_u = one.u.ln();
            let scale = lse.abs().max(1.0);
            assert!(
                (one.loglik + ln_u - lse).abs() <= 2.0 * f64::EPSILON * scale,
                "{what}: ℓ {} vs {lse}",
                one.loglik + ln_u
            );
            assert!(
                (one.entropy + ln_u - h).abs() <= 4.0 * f64::EPSILON * h.abs().max(1e-300)
                    || (one.entropy + ln_u - h).abs() <= 1e-300,
                "{what}: H {} vs {h}",
                one.entropy + ln_u
            );
        }
    }
}

#[test]
fn row_terms_give_soft_rows_q_and_its_logs_to_an_ulp() {
    use emlab::core::em::{log_sum_exp_terms, soft_row, soft_row_terms};
    use emlab::core::params::MAX_K;
    let wide_row = |rows: &[Vec<f64>; 2], k: usize| {
        let mut w = [Pair([0.0; 2]); MAX_K];
        for (j, w) in w.iter_mut().enumerate().take(k) {
            *w = Pair([rows[0][j], rows[1][j]]);
        }
        w
    };
    let mut rng = StdRng::seed_from_u64(24);
    let same = |a: f64, b: f64| (a.is_nan() && b.is_nan()) || a.to_bits() == b.to_bits();
    for case in 0..100_000 {
        let k = rng.random_range(1..=10);
        let mut pick = || match rng.random_range(0..20) {
            0 => -800.0,
            _ => -100.0 * rng.random::<f64>().powi(3),
        };
        let rows: [Vec<f64>; 2] = [
            (0..k).map(|_| pick()).collect(),
            (0..k).map(|_| pick()).collect(),
        ];
        let mut wide = [Pair([0.0; 2]); MAX_K];
        for (j, w) in wide.iter_mut().enumerate().take(k) {
            *w = Pair([rows[0][j], rows[1][j]]);
        }
        let (max_w, u_w) = log_sum_exp_terms::<Pair, 0>(&wide, k);
        let (max, u, minus_dot) = soft_row_terms::<Pair, 0>(&mut wide, k);
        // The kernels' own copies for K = 2 and 3 (the rows written out per component) agree.
        let mut fixed = wide_row(&rows, k);
        let fixed_terms = match k {
            2 => Some(soft_row_terms::<Pair, 2>(&mut fixed, k)),
            3 => Some(soft_row_terms::<Pair, 3>(&mut fixed, k)),
            _ => None,
        };
        if let Some((fm, fu, fd)) = fixed_terms {
            assert_eq!((fm, fu, fd), (max, u, minus_dot), "K = {k} copy");
            assert_eq!(&fixed[..k], &wide[..k], "K = {k} copy: q");
        }
        assert!(same(max.0[0], max_w.0[0]) && same(u.0[1], u_w.0[1]));
        for (lane, row) in rows.iter().enumerate() {
            let what = format!("case {case}, K = {k}, row {row:?}");
            let mut q = row.clone();
            let (lse, h) = soft_row(&mut q);
            for (j, &qj) in q.iter().enumerate() {
                assert!(same(qj, wide[j].0[lane]), "{what}: q[{j}]");
            }
            let ln_u = u.0[lane].ln();
            let l = max.0[lane] + ln_u;
            assert!(
                (l - lse).abs() <= 2.0 * f64::EPSILON * lse.abs().max(1.0),
                "{what}: ℓ {l} vs {lse}"
            );
            // ln u carries u's rounding (K = 2: soft_row corrects it as ln_1p does): ~ε absolute.
            let hh = ln_u + minus_dot.0[lane];
            assert!(
                (hh - h).abs() <= 4.0 * f64::EPSILON * h.abs().max(1.0),
                "{what}: H {hh} vs {h}"
            );
        }
    }
}

#[test]
fn ln_of_products_adds_the_lns_across_blocks() {
    use emlab::core::em::{LnProduct, LN_BLOCK};
    let mut rng = StdRng::seed_from_u64(25);
    for n in [
        0,
        1,
        LN_BLOCK - 1,
        LN_BLOCK,
        LN_BLOCK + 1,
        5 * LN_BLOCK + 17,
        100_000,
    ] {
        let us: Vec<[f64; 2]> = (0..n)
            .map(|_| [1.0 + rng.random::<f64>(), 1.0 + 9.0 * rng.random::<f64>()])
            .collect();
        let mut product = LnProduct::<Pair>::default();
        for u in &us {
            product.push(Pair(*u));
        }
        let total = product.total();
        for lane in 0..2 {
            let plain: f64 = us.iter().map(|u| u[lane].ln()).sum();
            assert!(
                (total.0[lane] - plain).abs() <= 1e-15 * (n as f64).max(1.0) * plain.abs().max(1.0),
                "N = {n}, lane {lane}: {} vs {plain}",
                total.0[lane]
            );
        }
    }
}
