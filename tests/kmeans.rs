//! k-means as hard EM: J never rises, assignments settle, empty clusters keep their centres.

use emlab::core::em::{Em, Mixture};
use emlab::core::gmm2d::{CovarianceType, Gmm2d};
use emlab::core::kmeans::{assignments, objective, random_start, KMeans, KMeansParams};
use emlab::core::options::Options;
use emlab::core::presets2d::{old_faithful_raw, preset_2d, PRESETS_2D};
use emlab::core::sample::rng;

fn sizes(em: &Em<KMeans>) -> Vec<usize> {
    let mut s = vec![0; em.k()];
    for a in assignments(em) {
        s[a] += 1;
    }
    s
}

fn from(data: &[f64], centres: Vec<[f64; 2]>) -> Em<KMeans> {
    Em::new(
        KMeans::new(data.to_vec()),
        KMeansParams { centres },
        Options::default(),
    )
    .unwrap()
}

#[test]
fn hand_computed_iteration() {
    // Points 0, 1 (near the first centre) and 9, 11 (near the second), on the x axis.
    let data = [0.0, 0.0, 1.0, 0.0, 9.0, 0.0, 11.0, 0.0];
    let mut em = from(&data, vec![[2.0, 0.0], [8.0, 0.0]]);
    // ℓ = −J with each point at its nearest centre: 4 + 1 + 1 + 9.
    assert_eq!(objective(&em), 15.0);
    em.e_step().unwrap();
    assert_eq!(em.q(), &[1.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0, 1.0]);
    assert_eq!(em.lower_bound(), -15.0);
    em.m_step().unwrap();
    assert_eq!(em.params().centres, vec![[0.5, 0.0], [10.0, 0.0]]);
    assert_eq!(objective(&em), 0.25 + 0.25 + 1.0 + 1.0);
    assert_eq!(em.model().objective(em.params()), 2.5);
    assert_eq!(em.model().nearest_centre(em.params(), 2), 1);
    // The chosen point is named by its coordinates, as the 2-D mixture's ("#3" told a student nothing).
    assert_eq!(em.model().describe(2, emlab::text::Lang::En), "x = (9, 0)");
    // Written with the formulas' minus sign, not a hyphen.
    let em = from(&[-1.5, 0.25, 2.0, -0.001], vec![[0.0, 0.0], [1.0, 0.0]]);
    assert_eq!(
        em.model().describe(0, emlab::text::Lang::En),
        "x = (\u{2212}1.5, 0.25)"
    );
    assert_eq!(
        em.model().describe(1, emlab::text::Lang::En),
        "x = (2, \u{2212}0.001)"
    );
    // The formulas' heading names the point the same way (it had its own copy, with hyphens).
    use emlab::core::formulas::ShowFormulas;
    assert_eq!(
        KMeans::formulas(&em, 0).caption(&em.model().describe(0, emlab::text::Lang::En)),
        "i = 1: x = (\u{2212}1.5, 0.25)"
    );
}

#[test]
fn old_faithful_raw_splits_172_100_and_standardised_174_98() {
    // Raw units: waiting time (sd 13.6 min) dominates the distance, so k-means splits on it. Lloyd's
    // algorithm converges to J = 8901.769 with clusters of 100 and 172; checking every straight-line split
    // of the 272 points finds no lower J, so 172/100 is the global k-means optimum in raw units.
    let raw = old_faithful_raw();
    let mut em = from(&raw, vec![[2.0, 55.0], [4.3, 80.0]]);
    em.run(100).unwrap();
    assert!(em.converged());
    assert_eq!(sizes(&em), vec![100, 172]);
    assert!(
        (objective(&em) - 8901.769).abs() < 1e-3,
        "{}",
        objective(&em)
    );
    let c = &em.params().centres;
    assert!((c[0][0] - 2.09433).abs() < 1e-5 && (c[0][1] - 54.75).abs() < 1e-12);
    // Standardised (as in Bishop, PRML Fig. 9.1): the published 174/98 split.
    let std = preset_2d("old-faithful").unwrap().data;
    let mut em = from(&std, vec![[-1.0, 1.0], [1.0, -1.0]]);
    em.run(100).unwrap();
    let mut s = sizes(&em);
    s.sort_unstable();
    assert_eq!(s, vec![98, 174]);
    assert!(
        (objective(&em) - 79.57596).abs() < 1e-4,
        "{}",
        objective(&em)
    );
}

#[test]
fn objective_never_rises_and_assignments_settle() {
    for name in PRESETS_2D {
        let p = preset_2d(name).unwrap();
        let model = KMeans::new(p.data.clone());
        let start = random_start(&model, p.suggested_k, &mut rng(5));
        let mut em = Em::new(model, start, Options { reg: 0.0, tol: 0.0 }).unwrap();
        let mut last = objective(&em);
        let mut last_q = Vec::new();
        let mut settled_at = None;
        // J is of the state's own assignment and centres, so the assignment step lowers it too (it stood
        // still at every E-step when J was each point's nearest centre).
        let labelled_j = |em: &Em<KMeans>| -> f64 {
            let centres = &em.params().centres;
            em.model()
                .data()
                .chunks_exact(2)
                .zip(assignments(em))
                .map(|(p, a)| (p[0] - centres[a][0]).powi(2) + (p[1] - centres[a][1]).powi(2))
                .sum()
        };
        let mut fell_at_e = 0;
        for it in 0..100 {
            em.e_step().unwrap();
            // After the E-step L is −J of the nearest-centre assignment, i.e. ℓ.
            assert_eq!(em.lower_bound(), em.loglik(), "{name} it {it}");
            assert!(objective(&em) <= last, "{name} it {it}: J rose after E");
            let j = labelled_j(&em);
            assert!((objective(&em) - j).abs() <= 1e-9 * j, "{name} it {it}");
            fell_at_e += usize::from(it > 0 && objective(&em) < last * (1.0 - 1e-9));
            let q_now = em.q().to_vec();
            if q_now == last_q && settled_at.is_none() {
                settled_at = Some(it);
            }
            if settled_at.is_some() {
                assert_eq!(
                    q_now, last_q,
                    "{name} it {it}: assignments changed after settling"
                );
            }
            last_q = q_now;
            em.m_step().unwrap();
            assert!(em.lower_bound() <= em.loglik(), "{name} it {it}: L > -J");
            assert!(
                objective(&em) <= last + 1e-12 * last,
                "{name} it {it}: J rose"
            );
            let j = labelled_j(&em);
            assert!((objective(&em) - j).abs() <= 1e-9 * j, "{name} it {it}");
            last = objective(&em);
        }
        assert!(fell_at_e > 0, "{name}: J never fell at an assignment step");
        assert!(
            settled_at.is_some_and(|it| it < 50),
            "{name}: {settled_at:?}"
        );
        assert!(em.params().centres.iter().flatten().all(|v| v.is_finite()));
    }
}

#[test]
fn cuts_across_the_elongated_clusters() {
    // The lesson of the preset: nearest-centre clusters are round, so about half the points are mislabelled.
    let p = preset_2d("two-elongated").unwrap();
    let model = KMeans::new(p.data.clone());
    let start = random_start(&model, 2, &mut rng(4));
    let mut em = Em::new(model, start, Options::default()).unwrap();
    em.run(200).unwrap();
    let a = assignments(&em);
    let agree = a.iter().zip(&p.labels).filter(|(x, y)| x == y).count();
    let agree = agree.max(400 - agree);
    assert!(agree < 260, "{agree}/400");
}

#[test]
fn an_m_step_before_any_assignment_is_refused_and_equal_centres_are_not_a_symmetry() {
    use emlab::core::error::ErrorKind;
    // Before the first E-step no point is assigned: the M-step from the uniform q would move both centres
    // to the data's mean (15 → 50.5 here: J rose, under a legend saying J never increases). Refused, and
    // nothing changes.
    let data = [0.0, 0.0, 1.0, 0.0, 9.0, 0.0, 11.0, 0.0];
    let mut em = from(&data, vec![[2.0, 0.0], [8.0, 0.0]]);
    let err = em.m_step().unwrap_err();
    assert_eq!(err.kind, ErrorKind::MStepUnassigned);
    assert_eq!(err.id(), "err-m-step-unassigned");
    assert_eq!(em.params().centres, vec![[2.0, 0.0], [8.0, 0.0]]);
    assert_eq!(
        (em.iteration(), em.trace().len(), objective(&em)),
        (0, 1, 15.0)
    );
    assert!(!em.can_undo());
    em.e_step().unwrap();
    em.m_step().unwrap();
    assert_eq!(em.params().centres, vec![[0.5, 0.0], [10.0, 0.0]]);
    // After a reset the start has no assignment again.
    em.reset();
    assert_eq!(em.m_step().unwrap_err().kind, ErrorKind::MStepUnassigned);

    // Equal centres: the E-step gives every point to the first, the M-step moves only it. The soft
    // mixture's "EM cannot break this symmetry" would not be true here, so it is never said.
    let mut em = from(&data, vec![[0.0, 0.0], [0.0, 0.0]]);
    em.e_step().unwrap();
    assert!(
        !em.symmetric()
            && !em.symmetric_at(&KMeansParams {
                centres: vec![[0.0, 0.0]; 2]
            })
    );
    em.m_step().unwrap();
    assert_eq!(em.params().centres, vec![[5.25, 0.0], [0.0, 0.0]]);
    em.step().unwrap();
    assert_eq!(sizes(&em), vec![2, 2]);
}

#[test]
fn an_empty_cluster_keeps_its_centre() {
    let data = [0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 1.0, 1.0];
    let mut em = from(&data, vec![[0.5, 0.5], [100.0, -100.0], [0.0, 0.0]]);
    for _ in 0..3 {
        em.step().unwrap();
        assert_eq!(em.empty_components(), &[1]);
        assert_eq!(em.params().centres[1], [100.0, -100.0]);
        assert!(em.params().centres.iter().flatten().all(|v| v.is_finite()));
        assert!(em.loglik().is_finite() && em.lower_bound().is_finite());
    }
    // (0, 0) sits on the third centre; the other three are nearest the first.
    assert_eq!(sizes(&em), vec![3, 0, 1]);
}

#[test]
fn starts_from_the_mixture_means_and_validates() {
    let raw = old_faithful_raw();
    let gmm = Gmm2d::new(raw.clone(), CovarianceType::Full);
    let g = gmm.start_from_means(vec![[2.0, 55.0], [4.3, 80.0]]);
    let k = KMeansParams::from(&g);
    assert_eq!(k.centres, g.means);
    let model = KMeans::new(raw);
    assert_eq!(model.to_free(&k), vec![2.0, 55.0, 4.3, 80.0]);
    assert_eq!(model.from_free(&model.to_free(&k), &k), k);
    assert!(model.collapse(&k).is_none());
    let bad = KMeansParams {
        centres: vec![[f64::NAN, 0.0], [1.0, 1.0]],
    };
    assert_eq!(
        model.validate(&bad).unwrap_err().id(),
        "err-param-not-finite"
    );
    let none = KMeansParams { centres: vec![] };
    assert_eq!(model.validate(&none).unwrap_err().id(), "err-k-range");
    let start = random_start(&model, 4, &mut rng(1));
    let mut c = start.centres.clone();
    c.sort_by(|a, b| a.partial_cmp(b).unwrap());
    c.dedup();
    assert_eq!(c.len(), 4, "centres are distinct data points");
}

/// k-means keeps integer labels: its E- and M-steps, ℓ and L, undo, the slice and the largest-gap point work
/// from them, and the dense one-hot q (N×K numbers) is built only when asked for (a refactoring once built it
/// at every M-step, 40 % of the iteration at a million points).
#[test]
fn k_means_builds_no_dense_q_unless_asked() {
    use emlab::core::bound::{BoundView, SliceAlong};
    let p = preset_2d("three-blobs").unwrap();
    let model = KMeans::new(p.data);
    let start = random_start(&model, 3, &mut rng(3));
    let mut em = Em::new(model, start, Options::default()).unwrap();
    assert!(!em.holds_dense_q(), "at the start");
    for _ in 0..3 {
        em.e_step().unwrap();
        assert!(!em.holds_dense_q(), "after an E-step");
        em.m_step().unwrap();
        assert!(!em.holds_dense_q(), "after an M-step");
    }
    let _ = (em.loglik(), em.lower_bound(), em.largest_gap_point());
    let _ = em.slice(SliceAlong::EmDirection, 9);
    em.undo();
    em.step().unwrap();
    assert!(
        !em.holds_dense_q(),
        "after the bound's views, an undo and a step"
    );
    assert_eq!(em.q().len(), 3 * em.model().len());
    assert!(em.holds_dense_q(), "once asked for");
    em.e_step().unwrap();
    assert!(!em.holds_dense_q(), "a step drops it");
}

#[test]
fn the_bound_after_an_m_step_is_the_labelled_sum_and_exactly_l_once_labels_settle() {
    // L(q, θ) after an M-step is −Σᵢ ‖xᵢ − μ_{labelᵢ}‖² for the E-step's labels and the new centres:
    // computed as J plus what the points whose nearest centre changed add, it equals the plain sum (to
    // rounding), never exceeds ℓ, and is ℓ exactly when no label would change.
    for name in PRESETS_2D {
        let p = preset_2d(name).unwrap();
        let model = KMeans::new(p.data.clone());
        let start = random_start(&model, p.suggested_k, &mut rng(11));
        let mut em = Em::new(model, start, Options { reg: 0.0, tol: 0.0 }).unwrap();
        let mut settled = false;
        for it in 0..60 {
            em.e_step().unwrap();
            let labels = assignments(&em);
            em.m_step().unwrap();
            let centres = &em.params().centres;
            let plain: f64 = p
                .data
                .chunks_exact(2)
                .zip(&labels)
                .map(|(x, &k)| (x[0] - centres[k][0]).powi(2) + (x[1] - centres[k][1]).powi(2))
                .sum();
            let (l, bound) = (em.loglik(), em.lower_bound());
            assert!(
                (bound + plain).abs() <= 1e-12 * plain,
                "{name} it {it}: L = {bound}, plain −{plain}"
            );
            assert!(bound <= l, "{name} it {it}: L = {bound} > ℓ = {l}");
            let nearest: Vec<usize> = (0..labels.len())
                .map(|i| em.model().nearest_centre(em.params(), i))
                .collect();
            if nearest == labels {
                assert_eq!(
                    bound, l,
                    "{name} it {it}: no label changes, so L = ℓ exactly"
                );
                settled = true;
            } else {
                assert!(bound < l, "{name} it {it}: a label changes, so L < ℓ");
            }
        }
        assert!(settled, "{name}: the labels settle");
    }
}
