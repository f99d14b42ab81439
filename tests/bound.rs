//! The lower-bound picture: ℓ = L + KL, Jensen's chord per point, and the slice through θ, checked at every
//! half-step of 50 iterations on every preset.

use emlab::core::bound::{BoundView, SliceAlong, SliceSource};
use emlab::core::em::{log_sum_exp, Em, Mixture};
use emlab::core::gmm1d::{random_start, Gmm1d};
use emlab::core::options::Options;
use emlab::core::presets::{preset_1d, PRESETS_1D};
use emlab::core::sample::rng;

/// KL(q ‖ p(z|x,θ)) summed over points, computed from the posterior directly (not through the bound).
fn kl_direct<M: Mixture>(em: &Em<M>) -> f64 {
    let mut total = 0.0;
    for i in 0..em.model().len() {
        let lj = em.log_joint_row(i);
        let lse = log_sum_exp(&lj);
        for (k, &q) in em.q_row(i).iter().enumerate() {
            if q > 0.0 {
                total += q * (q.ln() - (lj[k] - lse));
            }
        }
    }
    total
}

/// Checks every property of the bound picture for the current state of `em`.
fn check_state<M: Mixture>(em: &Em<M>, what: &str, after_e: bool) {
    let (l, b) = (SliceSource::loglik(em), SliceSource::lower_bound(em));
    let scale = l.abs().max(1.0);
    let kl = kl_direct(em);
    assert!(kl >= -1e-9 * scale, "{what}: KL {kl} < 0");
    assert!(
        (l - (b + kl)).abs() <= 1e-9 * scale,
        "{what}: ℓ {l} ≠ L {b} + KL {kl}"
    );

    let n = em.model().len();
    let gaps: f64 = (0..n).map(|i| em.jensen(i).gap).sum();
    assert!(
        (gaps - kl).abs() <= 1e-9 * scale,
        "{what}: Jensen gaps {gaps} ≠ KL {kl}"
    );
    for i in (0..n).step_by(n.div_ceil(50)) {
        let j = em.jensen(i);
        assert!(j.gap >= -1e-12, "{what}: point {i} gap {}", j.gap);
        assert!(
            j.chord.1 <= j.curve.1 + 1e-12,
            "{what}: chord above the curve"
        );
        if after_e {
            let r0 = j.r[0];
            for &r in &j.r {
                assert!(
                    (r - r0).abs() <= 1e-9 * r0.abs(),
                    "{what}: point {i} markers differ {:?}",
                    j.r
                );
            }
            assert!(
                j.gap.abs() < 1e-12,
                "{what}: point {i} gap {} after E",
                j.gap
            );
        }
    }

    let slice = em.slice(SliceAlong::EmDirection, 41);
    let t0 = slice
        .at
        .iter()
        .position(|&t| t.abs() < 1e-12)
        .expect("t = 0 is sampled");
    let t1 = slice
        .at
        .iter()
        .position(|&t| (t - 1.0).abs() < 1e-12)
        .expect("t = 1 is sampled");
    for s in 0..slice.at.len() {
        let (ls, bs) = (slice.loglik[s], slice.bound[s]);
        assert!(
            ls >= bs - 1e-9 * scale,
            "{what}: slice ℓ < L at t = {}",
            slice.at[s]
        );
    }
    let best = (0..slice.at.len())
        .max_by(|&a, &c| slice.bound[a].total_cmp(&slice.bound[c]))
        .unwrap();
    assert!(
        slice.bound[best] - slice.bound[t1] <= 1e-9 * scale,
        "{what}: L peaks at t = {}, not t = 1",
        slice.at[best]
    );
    if after_e {
        assert!(
            (slice.loglik[t0] - slice.bound[t0]).abs() <= 1e-9 * scale,
            "{what}: no touch at t = 0"
        );
    }
}

#[test]
fn every_half_step_of_50_iterations_on_every_1d_preset() {
    for name in PRESETS_1D.iter().filter(|n| **n != "collapse") {
        let p = preset_1d(name).unwrap();
        let model = Gmm1d::new(p.data);
        let start = random_start(&model, p.suggested_k, &mut rng(21));
        let mut em = Em::new(model, start, Options::default()).unwrap();
        check_state(&em, &format!("{name} start"), false);
        for it in 0..50 {
            em.e_step().unwrap();
            check_state(&em, &format!("{name} E{it}"), true);
            em.m_step().unwrap();
            check_state(&em, &format!("{name} M{it}"), false);
        }
    }
}

#[test]
fn slice_marks_the_current_theta_before_and_after_the_m_step() {
    let p = preset_1d("heights").unwrap();
    let model = Gmm1d::new(p.data);
    let start = random_start(&model, 2, &mut rng(3));
    let mut em = Em::new(model, start, Options::default()).unwrap();
    em.e_step().unwrap();
    let before = em.slice(SliceAlong::EmDirection, 201);
    assert_eq!(
        (before.at_old, before.at_new, before.at_current),
        (0.0, 1.0, 0.0)
    );
    em.m_step().unwrap();
    let after = em.slice(SliceAlong::EmDirection, 201);
    assert_eq!(after.at_current, 1.0);
    // The same q, the same line: the curves are the same before and after the M-step.
    for s in 0..201 {
        let rel = |a: f64, b: f64| (a - b).abs() / a.abs();
        assert!(rel(before.bound[s], after.bound[s]) < 1e-9);
        assert!(rel(before.loglik[s], after.loglik[s]) < 1e-9);
    }
    // ℓ at θ_new equals the readout after the M-step, L there equals the bound readout.
    let t1 = 150;
    assert!((after.at[t1] - 1.0).abs() < 1e-12);
    assert!((after.loglik[t1] - em.loglik()).abs() < 1e-9 * em.loglik().abs());
    assert!((after.bound[t1] - em.lower_bound()).abs() < 1e-9 * em.loglik().abs());

    // One coordinate (μ2): the current value is marked, the others held.
    let names = em.free_names();
    let mu2 = names.iter().position(|n| n == "μ2").unwrap();
    let one = em.slice(SliceAlong::Coordinate(mu2), 201);
    assert_eq!(one.axis, "μ2");
    assert!((one.at_new - em.params().means[1]).abs() < 1e-12);
    assert!(one.at.first().unwrap() < &one.at_new && one.at.last().unwrap() > &one.at_new);
}

#[test]
fn the_same_bound_picture_holds_for_2d_mixtures_and_coins() {
    use emlab::core::coins::{coin_preset, Coins, PRESETS_COINS};
    use emlab::core::gmm2d::{random_start as start_2d, CovarianceType, Gmm2d};
    use emlab::core::presets2d::{preset_2d, PRESETS_2D};
    for name in PRESETS_2D {
        let p = preset_2d(name).unwrap();
        for covariance in [CovarianceType::Full, CovarianceType::Diag] {
            let model = Gmm2d::new(p.data.clone(), covariance);
            let start = start_2d(&model, p.suggested_k, &mut rng(8));
            let mut em = Em::new(model, start, Options::default()).unwrap();
            check_state(&em, &format!("{name} start"), false);
            for it in 0..30 {
                em.e_step().unwrap();
                check_state(&em, &format!("{name} {covariance:?} E{it}"), true);
                em.m_step().unwrap();
                check_state(&em, &format!("{name} {covariance:?} M{it}"), false);
            }
        }
    }
    for name in PRESETS_COINS {
        let p = coin_preset(name).unwrap();
        for start in p.starts {
            let mut em = Em::new(
                Coins::from_data(&p.data, p.fix_weights),
                start,
                Options::default(),
            )
            .unwrap();
            check_state(&em, &format!("{name} start"), false);
            for it in 0..30 {
                em.e_step().unwrap();
                check_state(&em, &format!("{name} E{it}"), true);
                em.m_step().unwrap();
                check_state(&em, &format!("{name} M{it}"), false);
            }
        }
    }
}

/// The Jensen figure's point after an M-step is the observation with the largest share of KL(q ‖ p(z|x,θ)):
/// found from the next E-step's q (computed ahead), it is the largest share a pass over the log-joints
/// finds, on 1-D and 2-D data and K = 2, 3; after an E-step there is none.
#[test]
fn the_largest_gap_point_is_the_largest_share_of_kl() {
    use emlab::core::gmm2d::Gmm2d;
    use emlab::core::lab::Lab;
    fn check<M: Mixture>(em: &Em<M>, name: &str) {
        let shares: Vec<f64> = (0..em.model().len())
            .map(|i| {
                let row = em.log_joint_row(i);
                log_sum_exp(&row)
                    - row
                        .iter()
                        .zip(em.q_row(i))
                        .filter(|(_, &q)| q > 0.0)
                        .map(|(l, q)| q * (l - q.ln()))
                        .sum::<f64>()
            })
            .collect();
        let max = shares.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let i = em.largest_gap_point().expect("a gap after an M-step");
        assert!(max > 1e-6, "{name}: {max}");
        assert!(
            (shares[i] - max).abs() <= 1e-9 * max,
            "{name}: {} vs {max}",
            shares[i]
        );
    }
    for (name, k) in [("heights", 2), ("two-gaussians", 3), ("old-faithful", 3)] {
        let mut lab = Lab::preset(name, k, 1).unwrap();
        for _ in 0..3 {
            lab.e_step().unwrap();
            if let Some(em) = lab.em_of::<Gmm1d>() {
                assert_eq!(em.largest_gap_point(), None, "{name} after an E-step");
            }
            lab.m_step().unwrap();
            match lab.em_of::<Gmm1d>() {
                Some(em) => check(em, name),
                None => check(lab.em_of::<Gmm2d>().unwrap(), name),
            }
        }
    }
}

/// k-means (hard EM): the Jensen figure's point is the point the next E-step moves with the largest gain,
/// its labelled squared distance less its nearest (ℓ − L point by point); none before the first E-step
/// nor after an E-step (every label is then the nearest).
#[test]
fn the_hard_gap_point_is_the_point_moved_with_the_largest_gain() {
    use emlab::core::kmeans::KMeans;
    use emlab::core::lab::Lab;
    let mut lab = Lab::preset_as("three-blobs", 3, 4, Some("kmeans")).unwrap();
    assert_eq!(
        lab.bound().largest_gap_point(),
        None,
        "before the first E-step"
    );
    let mut seen = 0;
    for _ in 0..4 {
        lab.e_step().unwrap();
        assert_eq!(lab.bound().largest_gap_point(), None, "after an E-step");
        lab.m_step().unwrap();
        let em = lab.em_of::<KMeans>().unwrap();
        let (data, centres) = (em.model().data(), &em.params().centres);
        let d2 = |p: &[f64], c: &[f64; 2]| (p[0] - c[0]).powi(2) + (p[1] - c[1]).powi(2);
        let gains: Vec<f64> = data
            .chunks_exact(2)
            .zip(em.labels().unwrap())
            .map(|(p, &l)| {
                let nearest = centres
                    .iter()
                    .map(|c| d2(p, c))
                    .fold(f64::INFINITY, f64::min);
                d2(p, &centres[l as usize]) - nearest
            })
            .collect();
        let most = gains.iter().copied().fold(0.0, f64::max);
        match lab.bound().largest_gap_point() {
            Some(i) => {
                seen += 1;
                assert!(
                    (gains[i] - most).abs() <= 1e-9 * most,
                    "{} vs {most}",
                    gains[i]
                );
            }
            None => assert!(most <= 1e-9, "a point moves by {most} and none is shown"),
        }
    }
    assert!(seen > 0, "some M-step moves a point");
}

/// The trait's own `largest_hard_share` (for a hard model that does not write its own; k-means does): the
/// point whose best log-joint exceeds its labelled one the most, from the log-joints, on 1-D data with
/// labels that are not all the best.
#[test]
fn the_default_hard_share_is_the_largest_best_less_labelled_log_joint() {
    let data: Vec<f64> = (0..200).map(|i| 150.0 + 0.2 * i as f64).collect();
    let model = Gmm1d::new(data);
    let params = emlab::core::gmm1d::Gmm1dParams {
        weights: vec![0.5, 0.5],
        means: vec![160.0, 180.0],
        variances: vec![25.0, 25.0],
    };
    let labels: Vec<u32> = (0..200).map(|i| (i % 3 == 0) as u32).collect();
    let (i, share) = model.largest_hard_share(&params, &labels);
    let prepared = model.prepare(&params);
    let mut row = [0.0; 2];
    let gains: Vec<f64> = labels
        .iter()
        .enumerate()
        .map(|(j, &l)| {
            model.log_joint_row(&prepared, j, &mut row);
            row[0].max(row[1]) - row[l as usize]
        })
        .collect();
    let most = gains.iter().copied().fold(0.0, f64::max);
    assert!(most > 1.0, "some labels are far from the best: {most}");
    assert_eq!(share, most);
    assert_eq!(
        i,
        gains.iter().position(|&g| g == most).unwrap(),
        "the first of the largest"
    );
}

/// Every soft model names its free coordinates (the slice menu): the 2-D mixture and the coins said θ1 …
/// θ18 and θ1 … θ4, and the coins' θ1 was not their θ1 (coin 1's heads probability) but ln π1.
#[test]
fn every_slice_coordinate_has_a_name_of_its_own() {
    use emlab::core::lab::Lab;
    for (name, k, expect) in [
        ("heights", 2, "μ2"),
        ("three-blobs", 3, "ln σ3 (x₂ | x₁)"),
        ("three-coins", 2, "logit θ1"),
        ("death-notices", 2, "ln λ2"),
    ] {
        let lab = Lab::preset(name, k, 1).unwrap();
        let names = lab.bound().free_names();
        assert!(names.contains(&expect.to_string()), "{name}: {names:?}");
        assert!(
            names.iter().all(|n| !n.starts_with('θ')),
            "{name}: {names:?}"
        );
        let mut distinct = names.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), names.len(), "{name}: {names:?}");
    }
    let blobs = Lab::preset("three-blobs", 3, 1).unwrap();
    assert_eq!(blobs.bound().free_names().len(), 18);
}

/// After E and M on the collapse lesson every point's posterior for the component walking onto x = 10
/// underflows to 0: every share of KL was ∞, none was taken, and the Jensen figure stayed on a point with
/// no gap (x = −1.91, "the gap is 0") while KL read 0.5. The point with the largest gap is found.
#[test]
fn the_largest_gap_point_is_found_where_posteriors_underflow() {
    use emlab::core::lab::Lab;
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.e_step().unwrap();
    lab.m_step().unwrap();
    let b = lab.bound();
    let gaps: Vec<f64> = (0..b.observations()).map(|i| b.jensen(i).gap).collect();
    let best = (0..gaps.len())
        .max_by(|&a, &c| gaps[a].total_cmp(&gaps[c]))
        .unwrap();
    assert!(gaps[best] > 0.4, "{gaps:?}");
    assert_eq!(b.largest_gap_point(), Some(best), "{gaps:?}");
}

/// After an M-step θ maximises L(q, ·), so along every coordinate the slice menu offers, L's highest sample
/// is θ_new's. The menu offered coordinates the M-step does not move, where a student saw L peak elsewhere
/// (Σ₂₁ of a diagonal Σ, one log-sd of a spherical Σ, ln π of the five sets' fixed weights) or stay flat
/// (ln π1 of one component). Each offered coordinate also names the line it draws.
#[test]
fn every_slice_coordinate_on_offer_peaks_at_the_m_steps_theta() {
    use emlab::core::gmm2d::CovarianceType;
    use emlab::core::lab::Lab;
    let mut cases: Vec<(Lab, &str, Vec<&str>, Vec<&str>)> = Vec::new();
    for (covariance, offered, left_out) in [
        (
            CovarianceType::Full,
            vec!["Σ1₂₁ / σ1 (x₁)", "ln σ3 (x₂ | x₁)"],
            vec![],
        ),
        (
            CovarianceType::Diag,
            vec!["ln σ1 (x₁)", "ln σ3 (x₂)"],
            vec!["Σ1₂₁ / σ1 (x₁)", "ln σ3 (x₂ | x₁)"],
        ),
        (
            CovarianceType::Spherical,
            vec!["ln σ1", "ln σ3"],
            vec!["ln σ1 (x₁)", "Σ1₂₁ / σ1 (x₁)"],
        ),
    ] {
        let mut lab = Lab::preset("three-blobs", 3, 1).unwrap();
        lab.set_covariance_type(covariance).unwrap();
        cases.push((lab, "three-blobs", offered, left_out));
    }
    cases.push((
        Lab::preset("five-sets", 2, 1).unwrap(),
        "five-sets",
        vec!["logit θ1", "logit θ2"],
        vec!["ln π1", "ln π2"],
    ));
    let mut coins = Lab::preset("three-coins", 2, 1).unwrap();
    coins.set_fix_weights(false).unwrap();
    cases.push((coins, "three-coins", vec!["ln π1", "logit θ2"], vec![]));
    cases.push((
        Lab::preset("heights", 1, 1).unwrap(),
        "heights K = 1",
        vec!["μ1", "ln σ1²"],
        vec!["ln π1"],
    ));
    cases.push((
        Lab::preset("heights", 2, 1).unwrap(),
        "heights",
        vec!["ln π2", "μ2"],
        vec![],
    ));
    cases.push((
        Lab::preset("death-notices", 1, 1).unwrap(),
        "death-notices K = 1",
        vec!["ln λ1"],
        vec!["ln π1"],
    ));
    for (mut lab, name, offered, left_out) in cases {
        let names = lab.bound().free_names();
        for n in &offered {
            assert!(
                names.contains(&n.to_string()),
                "{name}: {n} not in {names:?}"
            );
        }
        for n in &left_out {
            assert!(!names.contains(&n.to_string()), "{name}: {n} in {names:?}");
        }
        for _ in 0..2 {
            lab.e_step().unwrap();
            lab.m_step().unwrap();
        }
        let view = lab.bound();
        for (i, axis) in names.iter().enumerate() {
            let slice = view.slice(SliceAlong::Coordinate(i), 401);
            assert_eq!(&slice.axis, axis, "{name}");
            let at_new = slice.at_current;
            let (best, _) =
                slice
                    .bound
                    .iter()
                    .enumerate()
                    .fold(
                        (0, f64::NEG_INFINITY),
                        |b, (s, &v)| if v > b.1 { (s, v) } else { b },
                    );
            // L at θ_new is the bound readout; no sample on the line is higher than it (beyond rounding
            // and the variance floor's shift), and the highest sample is the one nearest θ_new.
            let top = view.lower_bound();
            let spacing = slice.at[1] - slice.at[0];
            assert!(
                slice.bound[best] <= top + 1e-9 * top.abs(),
                "{name} along {axis}: L {} above L(θ_new) {top}",
                slice.bound[best]
            );
            assert!(
                (slice.at[best] - at_new).abs() <= spacing,
                "{name} along {axis}: L peaks at {} (θ_new {at_new})",
                slice.at[best]
            );
        }
    }
}

/// Before convergence the gap after an M-step is not called 0: on `heights` at iteration 900 of 1,038 it
/// is 1.9e−7 nats, under the old rounding-noise rule (1e−9·|ℓ| = 3.6e−6) the readout said 0, the slice "EM
/// has nothing left to climb" and the Jensen figure "the points meet", beside "Converged: no". After an
/// E-step the gap is exactly 0, so the rule's margin over real rounding noise costs nothing there.
#[test]
fn the_gap_after_an_m_step_before_convergence_is_not_rounding_noise() {
    use emlab::core::format::gap_value;
    use emlab::core::lab::Lab;
    use emlab::figures::slice::relative;
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    for _ in 0..900 {
        lab.e_step().unwrap();
        lab.m_step().unwrap();
    }
    assert!(!lab.em.converged());
    let b = lab.bound();
    let (l, bound) = (b.loglik(), b.lower_bound());
    assert!(l - bound > 1e-8, "a real gap: {:e}", l - bound);
    assert!(
        gap_value(l - bound, l) > 0.0,
        "the readout's gap {:e} read 0",
        l - bound
    );
    let slice = b.slice(SliceAlong::EmDirection, 41);
    let rel = relative(&slice, l);
    assert!(
        rel.loglik.iter().chain(&rel.bound).any(|v| *v != 0.0),
        "the slice read flat"
    );
    let j = b.jensen(b.largest_gap_point().unwrap());
    assert!(
        !emlab::figures::jensen::gap_reads_zero(&j, b),
        "Jensen's gap {:e}",
        j.gap
    );
    // After the next E-step, ℓ − L is exactly 0 on every preset and at every half-step measured (the
    // figures' rule is a margin, 1e−12·|ℓ|, over that).
    lab.e_step().unwrap();
    let b = lab.bound();
    assert_eq!(gap_value(b.loglik() - b.lower_bound(), b.loglik()), 0.0);
}

/// After an E-step the Jensen figure keeps the point with the largest share of the gap that E-step closed:
/// `largest_gap_point_before_e_step` is the state before's `largest_gap_point` (read before the step), on
/// soft and hard models, after the uniform start too, and the same when the state is reached by the
/// timeline from elsewhere (it is computed from the history, not remembered from what was read).
#[test]
fn the_point_after_an_e_step_is_the_largest_share_of_the_state_before() {
    use emlab::core::lab::Lab;
    for (name, k, model) in [
        ("heights", 2, None),
        ("two-gaussians", 3, None),
        ("old-faithful", 3, None),
        ("three-blobs", 3, Some("kmeans")),
        ("five-sets", 2, None),
        ("death-notices", 2, None),
    ] {
        let mut lab = Lab::preset_as(name, k, 1, model).unwrap();
        let mut expected = Vec::new();
        let mut some = 0;
        for _ in 0..4 {
            for m_step in [false, true] {
                let before = lab.bound().largest_gap_point();
                if m_step {
                    lab.m_step().unwrap();
                    assert_eq!(lab.bound().largest_gap_point_before_e_step(), None);
                } else {
                    lab.e_step().unwrap();
                    let after = lab.bound().largest_gap_point_before_e_step();
                    assert_eq!(after, before, "{name} at half-step {}", lab.position());
                    some += usize::from(after.is_some());
                    expected.push((lab.position(), after));
                }
            }
        }
        assert!(some >= 3, "{name}: {expected:?}");
        lab.e_step().unwrap();
        assert!(
            lab.bound().largest_gap_point_before_e_step().is_some(),
            "{name}"
        );
        // A second E-step would close no gap (its q is already the posterior): it is refused.
        let refused = lab.e_step().unwrap_err();
        assert!(refused.id().starts_with("err-e-step-again"), "{name}");
        for &(at, point) in expected.iter().rev() {
            lab.go_to(at);
            assert_eq!(
                lab.bound().largest_gap_point_before_e_step(),
                point,
                "{name} at {at}"
            );
        }
    }
}
