//! One lab for every model: presets by name, k-means on the 2-D presets, the side-by-side twin, the
//! covariance type and fixed coin weights, the lesson's starts, θ's path, and each lesson's K and reg.

use emlab::core::coins::Coins;
use emlab::core::em::Phase;
use emlab::core::gmm2d::CovarianceType;
use emlab::core::gmm2d::Gmm2d;
use emlab::core::kmeans::KMeans;
use emlab::core::kmeans::KMeansParams;
use emlab::core::lab::{preset_lesson, preset_model, Lab, Link};
use emlab::core::model::Model;
use emlab::core::options::Options;

#[test]
fn every_preset_loads_in_its_model_and_steps() {
    let cases = [
        ("heights", None, "gmm1d"),
        ("old-faithful", None, "gmm2d"),
        ("three-blobs", Some("kmeans"), "kmeans"),
        ("two-elongated", None, "gmm2d"),
        ("three-coins", None, "coins"),
        ("five-sets", None, "coins"),
    ];
    for (name, model, expected) in cases {
        let mut lab = Lab::preset_as(name, 2, 1, model).unwrap();
        assert_eq!(lab.model_name(), expected, "{name}");
        let before = lab.objective();
        lab.step().unwrap();
        lab.step().unwrap();
        let after = lab.objective();
        if expected == "kmeans" {
            assert!(after <= before, "{name}: J {before} → {after}");
        } else {
            assert!(after >= before, "{name}: ℓ {before} → {after}");
        }
    }
    assert_eq!(preset_model("three-coins"), Some("coins"));
    assert!(
        Lab::preset_as("heights", 2, 1, Some("kmeans")).is_err(),
        "k-means is for 2-D data"
    );
    assert!(Lab::preset_as("five-sets", 2, 1, Some("gmm2d")).is_err());
}

#[test]
fn the_twin_starts_where_the_lab_started_and_stands_where_it_stands() {
    let mut lab = Lab::preset("old-faithful", 2, 3).unwrap();
    // Made at the start and stepped with the lab, as side by side does.
    let mut along = lab.twin().unwrap();
    for _ in 0..3 {
        lab.step().unwrap();
        along.step().unwrap();
    }
    lab.e_step().unwrap();
    along.e_step().unwrap();
    lab.undo();
    along.undo();
    // Made now (a reload, the comparison ticked mid-lesson): it was at iteration 0, three behind.
    let twin = lab.twin().unwrap();
    let (Some(soft), Some(hard), Some(stepped)) = (
        lab.em_of::<Gmm2d>(),
        twin.em_of::<KMeans>(),
        along.em_of::<KMeans>(),
    ) else {
        panic!("expected a mixture and its k-means twins");
    };
    assert_eq!(hard.start(), &KMeansParams::from(soft.start()));
    assert_eq!(hard.iteration(), 3);
    assert_eq!(hard.params(), stepped.params());
    assert_eq!(twin.bound().loglik(), along.bound().loglik());
    assert_eq!(twin.position(), along.position());
    // And the half-step the lab can redo, the twin can redo too.
    let mut twin = twin;
    assert!(twin.redo() && along.redo());
    assert_eq!(twin.bound().loglik(), along.bound().loglik());
    let back = twin.twin().unwrap();
    let Some(again) = back.em_of::<Gmm2d>() else {
        panic!()
    };
    assert_eq!(again.start().means, soft.start().means);
    let e = Lab::preset("heights", 2, 1).unwrap().twin().unwrap_err();
    // In Chinese, wholly: it read "gmm1d 模型不支持“compare with k-means”。"
    assert_eq!(
        e.message(emlab::text::Lang::Zh),
        "一维高斯混合模型不支持“与 k 均值并排比较”。"
    );
}

#[test]
fn a_twin_too_far_behind_is_refused_not_replayed_for_seconds() {
    // 3,000 points and 4,000 half-steps: 12 million point-steps is within the budget, 24 million is not.
    let text: String = (0..3000)
        .map(|i| format!("{},{}\n", (i % 97) as f64 * 0.37, (i % 89) as f64 * 0.53))
        .collect();
    let mut lab = Lab::from_csv("kmeans", &text, 2, 1, 0).unwrap();
    lab.set_options(emlab::core::options::Options {
        tol: 0.0,
        ..lab.options()
    })
    .unwrap();
    for _ in 0..2000 {
        lab.step().unwrap();
    }
    assert!(lab.twin().is_ok());
    for _ in 0..2000 {
        lab.step().unwrap();
    }
    let e = lab.twin().unwrap_err();
    assert_eq!(e.id(), "err-twin-too-far");
    assert!(
        e.to_string().contains("8000 half-steps") && e.to_string().contains("3000 points"),
        "{e}"
    );
}

#[test]
fn covariance_type_and_fixed_weights_restart_from_the_current_theta() {
    let mut lab = Lab::preset("two-elongated", 2, 2).unwrap();
    for _ in 0..5 {
        lab.step().unwrap();
    }
    lab.set_covariance_type(CovarianceType::Spherical).unwrap();
    for _ in 0..3 {
        lab.step().unwrap();
    }
    let Some(p) = lab.params_of::<Gmm2d>() else {
        panic!()
    };
    for c in &p.covariances {
        assert_eq!(c[0][1], 0.0);
        assert!((c[0][0] - c[1][1]).abs() < 1e-12);
    }
    let mut coins = Lab::preset("three-coins", 2, 1).unwrap();
    coins.set_fix_weights(true).unwrap();
    coins.use_start(1).unwrap();
    coins.step().unwrap();
    let Some(c) = coins.params_of::<Coins>() else {
        panic!()
    };
    assert_eq!(c.weights, vec![0.4, 0.6], "fixed weights stay");
    assert!(coins.use_start(7).is_err());
    assert!(lab.set_fix_weights(true).is_err(), "not a coin lab");
}

/// The covariance type or weight rule the lab already has changes nothing: an author passing a whole
/// options object each time lost the run (4 half-steps, undo gone) to `setOptions({covariance: 'full'})`.
#[test]
fn the_same_covariance_type_or_weight_rule_keeps_the_run() {
    let mut lab = Lab::preset("old-faithful", 2, 1).unwrap();
    lab.step().unwrap();
    lab.step().unwrap();
    let before = lab.params();
    lab.set_covariance_type(CovarianceType::Full).unwrap();
    assert_eq!(lab.timeline_len(), 4);
    assert_eq!(lab.params(), before);
    assert!(lab.undo());
    lab.set_covariance_type(CovarianceType::Diag).unwrap();
    assert_eq!(lab.timeline_len(), 0, "a new type restarts");

    let mut coins = Lab::preset("five-sets", 2, 1).unwrap();
    let fixed = coins.em_of::<Coins>().unwrap().model().fix_weights();
    coins.step().unwrap();
    coins.set_fix_weights(fixed).unwrap();
    assert_eq!(coins.timeline_len(), 2);
    coins.set_fix_weights(!fixed).unwrap();
    assert_eq!(coins.timeline_len(), 0, "a new rule restarts");
}

/// The collapse lesson at reg = 0, E, M, E and a refused M-step: the lab at the collapse.
fn collapsed() -> Lab {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.set_options(Options {
        reg: 0.0,
        ..lab.options()
    })
    .unwrap();
    lab.e_step().unwrap();
    lab.m_step().unwrap();
    lab.e_step().unwrap();
    assert!(lab.m_step().is_err());
    assert!(lab.collapse().is_some());
    lab
}

/// A preset's lab runs under its lesson's variance floor: the collapse lesson at 0, so it collapses
/// through the API as on the page (it ran at 1e-6 and converged).
#[test]
fn a_preset_lab_has_its_lessons_floor() {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    assert_eq!(lab.options().reg, 0.0);
    assert!(lab.run_to_convergence(100).is_err());
    assert!(lab.collapse().is_some());
    let lesson = preset_lesson("heights").unwrap();
    assert_eq!(
        Lab::preset("heights", 2, 1).unwrap().options().reg,
        lesson.reg
    );
    assert!(lesson.reg > 0.0);
}

/// A link keeps the page's seed where it was given one, as a whole number up to 2³² − 1 (a copied link
/// opened with seed 1, and a new K then started elsewhere).
#[test]
fn a_link_keeps_the_seed_it_was_given() {
    let mut link = Lab::preset("two-elongated", 2, 2).unwrap().link().unwrap();
    assert_eq!(link.seed, None);
    assert!(!link.to_json().contains("seed"));
    link.seed = Some(2);
    let json = link.to_json();
    assert!(json.ends_with(",\"seed\":2}"), "{json}");
    assert_eq!(Link::from_json(&json).unwrap().seed, Some(2));
    let too_large = json.replace("\"seed\":2", "\"seed\":4294967296");
    assert_eq!(Link::from_json(&too_large).unwrap_err(), "its seed");
    let negative = json.replace("\"seed\":2", "\"seed\":-1");
    assert!(Link::from_json(&negative).is_err());
}

/// A link made at a collapse opens at the collapse (it replayed the refused M-step as a second E-step:
/// no collapse, no explanation).
#[test]
fn a_link_made_at_a_collapse_opens_at_it() {
    let lab = collapsed();
    let link = lab.link().unwrap();
    let steps = Lab::link_steps(&link).unwrap();
    assert_eq!(
        steps,
        [Phase::E, Phase::M, Phase::E, Phase::M],
        "{}",
        link.steps
    );
    let opened = Lab::from_link(&Link::from_json(&link.to_json()).unwrap()).unwrap();
    assert_eq!(opened.collapse(), lab.collapse());
    assert_eq!(opened.params(), lab.params());
    assert_eq!(opened.timeline_len(), lab.timeline_len());
    assert_eq!(opened.session(true), lab.session(true));
}

/// A new variance floor takes a collapse back, as its note advises ("set reg above 0"): EM went on
/// refusing every step with the collapse message whatever the floor.
#[test]
fn a_new_floor_takes_a_collapse_back() {
    let mut lab = collapsed();
    let steps = lab.timeline_len();
    lab.set_options(Options {
        reg: 1e-3,
        ..lab.options()
    })
    .unwrap();
    assert_eq!(lab.collapse(), None);
    assert_eq!(
        lab.timeline_len(),
        steps - 1,
        "the refused M-step's state is gone"
    );
    lab.m_step().unwrap();
    lab.e_step().unwrap();
    // A tolerance changes nothing of it.
    let mut lab = collapsed();
    lab.set_options(Options {
        tol: 1e-6,
        ..lab.options()
    })
    .unwrap();
    assert!(lab.collapse().is_some());
}

/// A floor set since the last half-step is said to be pending until a half-step is made under it: the
/// page said "M-step done: … ℓ rose" of the last M-step after a new floor at convergence.
#[test]
fn a_new_floor_is_pending_until_a_half_step_is_made_under_it() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.run_to_convergence(5_000).unwrap();
    assert!(lab.converged());
    assert!(!lab.floor_changed());
    let set = |lab: &mut Lab, reg: f64| {
        let options = Options {
            reg,
            ..lab.options()
        };
        lab.set_options(options).unwrap();
    };
    let reg = lab.options().reg;
    set(&mut lab, reg);
    assert!(!lab.floor_changed(), "the same floor is no change");
    assert!(lab.converged());
    set(&mut lab, 100.0);
    assert!(lab.floor_changed());
    assert!(!lab.converged());
    // The tolerance is not the floor.
    let tol = Options {
        tol: 1e-3,
        ..lab.options()
    };
    lab.set_options(tol).unwrap();
    assert!(lab.floor_changed());
    lab.e_step().unwrap();
    assert!(!lab.floor_changed(), "the E-step is made under it");
    // Back to the converged state, made under the old floor.
    lab.undo();
    assert!(lab.floor_changed());
    set(&mut lab, reg);
    assert!(!lab.floor_changed());
}

#[test]
fn three_coin_starts_and_path_follow_the_book() {
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    assert_eq!(lab.starts.len(), 2);
    lab.use_start(1).unwrap();
    lab.step().unwrap();
    lab.step().unwrap();
    let path = lab.params_path();
    assert_eq!(
        path.len(),
        2,
        "start, then one move: the fixed point is reached after one iteration"
    );
    let end = Coins::from_theta(&path[1]).unwrap();
    assert!((end.weights[0] - 76.0 / 187.0).abs() < 1e-12);
    assert!((end.heads[0] - 51.0 / 95.0).abs() < 1e-12);
    assert!((end.heads[1] - 119.0 / 185.0).abs() < 1e-12);
    assert!(lab
        .set_params_of::<emlab::core::gmm1d::Gmm1d>(&emlab::core::gmm1d::Gmm1dParams {
            weights: vec![1.0],
            means: vec![0.0],
            variances: vec![1.0],
        })
        .is_err());
}

#[test]
fn csv_for_every_model() {
    let two = Lab::from_csv_columns("gmm2d", "a,b,c\n1,2,9\n3,4,9\n5,1,9\n8,8,9\n", 2, 1, [0, 1])
        .unwrap();
    assert_eq!((two.model_name(), two.len()), ("gmm2d", 4));
    let km = Lab::from_csv_columns("kmeans", "1 2\n3 4\n5 1\n", 2, 1, [1, 0]).unwrap();
    assert_eq!(km.model_name(), "kmeans");
    let coins = Lab::from_csv("coins", "HTTH\n5,10\nhhht\n", 2, 1, 0).unwrap();
    assert_eq!((coins.model_name(), coins.len()), ("coins", 3));
    assert_eq!(coins.sequences[1], None);
    let e = Lab::from_csv("coins", "HTXH\n", 1, 1, 0).unwrap_err();
    assert_eq!(e.to_string(), "Line 1, column 3: “X” is not H, T, 1 or 0.");
    let e = Lab::from_csv_columns("gmm2d", "1,1\n1,1\n", 2, 1, [0, 1]).unwrap_err();
    assert_eq!(e.id(), "err-too-few-distinct");
}

#[test]
fn each_preset_brings_its_lesson_k_and_reg() {
    let cases = [
        ("heights", 2),
        ("two-gaussians", 2),
        ("three-gaussians", 3),
        ("collapse", 2),
        ("old-faithful", 2),
        ("three-blobs", 3),
        ("two-elongated", 2),
        ("three-coins", 2),
        ("five-sets", 2),
    ];
    for (name, k) in cases {
        let lesson = preset_lesson(name).unwrap();
        assert_eq!(lesson.k, k, "{name}");
        let reg = if name == "collapse" { 0.0 } else { 1e-6 };
        assert_eq!(lesson.reg, reg, "{name}");
        assert_eq!(
            lesson.seed,
            if name == "two-elongated" { 2 } else { 1 },
            "{name}"
        );
        // The lesson's K runs on its data set.
        let mut lab = Lab::preset(name, lesson.k, lesson.seed).unwrap();
        lab.step().unwrap();
    }
    assert_eq!(preset_lesson("nope"), None);
    // The two long clouds from the lesson's seed: a full covariance follows each cloud (seed 1 ends in a
    // local optimum, a component of weight 0.074 inside one cloud, which the lesson is not about).
    let weights = |seed: u64| {
        let mut lab = Lab::preset("two-elongated", 2, seed).unwrap();
        lab.run_to_convergence(5000).unwrap();
        lab.params().fields[0].values.clone()
    };
    let seed = preset_lesson("two-elongated").unwrap().seed;
    assert!(
        weights(seed).iter().all(|w| (w - 0.5).abs() < 0.01),
        "{:?}",
        weights(seed)
    );
    assert!(weights(1).iter().any(|w| *w < 0.1), "{:?}", weights(1));
}

#[test]
fn run_to_convergence_equals_stepping_until_converged() {
    let mut run = Lab::preset("heights", 2, 1).unwrap();
    let n = run.run_to_convergence(10_000).unwrap();
    assert!(run.converged() && n > 0 && n < 10_000);
    let mut stepped = Lab::preset("heights", 2, 1).unwrap();
    let mut steps = 0;
    while !stepped.converged() {
        stepped.step().unwrap();
        steps += 1;
    }
    assert_eq!(steps, n);
    assert_eq!(stepped.bound().loglik(), run.bound().loglik());
    // A cap below what convergence needs stops there, not converged.
    let mut capped = Lab::preset("heights", 2, 1).unwrap();
    assert_eq!(capped.run_to_convergence(2).unwrap(), 2);
    assert!(!capped.converged());
}

/// Along E-steps, M-steps and undos of `model` on preset `name`: every M-step records `evaluate`'s ℓ and L
/// bit for bit, every E-step is bit for bit a fresh pass of the model's kernel at its θ (q, ℓ, H(q),
/// statistics), although after an M-step both come from one pass; and an E-step right after an M-step
/// records the M-step's ℓ.
fn check_look_ahead<M: Model>(name: &str, k: usize, model: Option<&str>) {
    let mut lab = Lab::preset_as(name, k, 1, model).unwrap();
    // E, M, U(ndo), R(edo), and G(o to) half-step 2 then back to where it was.
    for op in "EMEMEMUUEMEUEMUMEUURRUUGMEUUM".chars() {
        match op {
            'E' => lab.e_step().unwrap(),
            'M' => lab.m_step().unwrap(),
            'R' => assert!(lab.redo()),
            'G' => {
                let here = lab.position();
                lab.go_to(2);
                lab.go_to(here);
            }
            _ => assert!(lab.undo()),
        }
        let em = lab.em_of::<M>().unwrap();
        // Whatever the way here (a step, an undo keeping the q it had, a jump), q, its statistics and
        // H(q) are bit for bit a fresh pass at the θ q is the posterior of.
        let q_of = match em.phase() {
            Phase::E => Some(em.params()),
            Phase::M => em.params_before_m_step(),
            Phase::Init => None,
        };
        if let (Some(theta), false) = (q_of, M::HARD) {
            let mut q = vec![0.0; em.model().len() * em.k()];
            let (pass, stats) = em.model().e_pass(theta, &mut q, &mut []);
            let same = q
                .iter()
                .zip(em.q())
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{name} q after {op}");
            assert_eq!(&stats, em.stats(), "{name} statistics after {op}");
            assert_eq!(
                pass.entropy.to_bits(),
                em.entropy().to_bits(),
                "{name} H after {op}"
            );
        }
        if em.phase() == Phase::M {
            // The M-step's ℓ and L, from the pass that also made the next E-step, are `evaluate`'s.
            let (loglik, energy) = em.model().evaluate(em.params(), em.stats(), em.labels());
            assert_eq!(loglik.to_bits(), em.loglik().to_bits(), "{name} ℓ after M");
            let bound = energy + em.entropy();
            assert_eq!(
                bound.to_bits(),
                em.lower_bound().to_bits(),
                "{name} L after M"
            );
        }
        if em.phase() != Phase::E {
            continue;
        }
        let mut q = vec![
            0.0;
            if M::HARD {
                0
            } else {
                em.model().len() * em.k()
            }
        ];
        let mut labels = vec![0; if M::HARD { em.model().len() } else { 0 }];
        let (pass, stats) = em.model().e_pass(em.params(), &mut q, &mut labels);
        assert_eq!(pass.loglik.to_bits(), em.loglik().to_bits(), "{name} ℓ");
        assert_eq!(
            pass.entropy.to_bits(),
            em.entropy().to_bits(),
            "{name} H(q)"
        );
        assert_eq!(&stats, em.stats(), "{name} statistics");
        if M::HARD {
            assert_eq!(Some(labels.as_slice()), em.labels(), "{name} labels");
        } else {
            let same = q
                .iter()
                .zip(em.q())
                .all(|(a, b)| a.to_bits() == b.to_bits());
            assert!(same, "{name} q");
        }
        let trace = em.trace();
        if !M::HARD && trace.len() > 2 && trace[trace.len() - 2].phase == Phase::M {
            let (m, e) = (&trace[trace.len() - 2], &trace[trace.len() - 1]);
            assert_eq!(
                m.loglik.to_bits(),
                e.loglik.to_bits(),
                "{name}: ℓ after M, after E"
            );
        }
    }
}

#[test]
fn an_m_step_makes_the_next_e_step_in_its_own_pass() {
    use emlab::core::gmm1d::Gmm1d;
    use emlab::core::poisson::Poisson;
    check_look_ahead::<Gmm1d>("heights", 3, None);
    check_look_ahead::<Gmm2d>("old-faithful", 3, None);
    check_look_ahead::<KMeans>("three-blobs", 3, Some("kmeans"));
    // The book's symmetric start (its ten single tosses are two distinct sets: K = 2), and five sets at 3.
    check_look_ahead::<Coins>("three-coins", 2, None);
    check_look_ahead::<Coins>("five-sets", 3, None);
    check_look_ahead::<Poisson>("death-notices", 3, None);
}

/// A state of `M`'s EM as bits: θ, ℓ, L, H(q), the statistics, q (or the labels), the trace, and, after an
/// M-step, the Jensen figure's point.
fn bits_of<M: Model>(lab: &Lab) -> String {
    let em = lab.em_of::<M>().unwrap();
    let q: Vec<u64> = em.q().iter().map(|v| v.to_bits()).collect();
    let trace: Vec<(u64, u64)> = em
        .trace()
        .iter()
        .map(|t| (t.loglik.to_bits(), t.bound.to_bits()))
        .collect();
    let point = (em.phase() == Phase::M).then(|| lab.bound().largest_gap_point());
    format!(
        "{:?} {} {} {} {:?} {:?} {:?} {:?} {:?}",
        em.params(),
        em.loglik().to_bits(),
        em.lower_bound().to_bits(),
        em.entropy().to_bits(),
        em.stats(),
        em.labels(),
        trace,
        point,
        q.iter().fold(0u64, |h, &b| h.rotate_left(5) ^ b),
    )
}

/// Steps two labs made by `make` along E, M and undo (U); before each half-step the second prepares its
/// pass one part at a time (`prepare_step`, as the page does while running), and at P it makes one part
/// of the next half-step's pass and stops there. Both are bit for bit the same after every operation
/// (θ, ℓ, L, H(q), statistics, q, trace, the Jensen point). Returns the most calls one half-step took.
fn check_prepared<M: Model>(make: impl Fn() -> Lab) -> usize {
    let (mut plain, mut parted) = (make(), make());
    let mut most = 0;
    for op in "EMEMEPUEMPEUUMEM".chars() {
        match op {
            'P' => {
                parted.prepare_step(1);
                continue;
            }
            'U' => {
                assert!(plain.undo());
                assert!(parted.undo());
            }
            _ => {
                let mut calls = 1;
                while !parted.prepare_step(1) {
                    calls += 1;
                }
                most = most.max(calls);
                let half = |lab: &mut Lab| {
                    if op == 'E' {
                        lab.e_step()
                    } else {
                        lab.m_step()
                    }
                };
                half(&mut plain).unwrap();
                half(&mut parted).unwrap();
            }
        }
        assert_eq!(bits_of::<M>(&plain), bits_of::<M>(&parted), "after {op}");
    }
    most
}

/// At 150,000 observations (three parts of a pass) for every model: a half-step prepared part by part is
/// the half-step made at once, and the soft models' passes really are made in parts (hard EM's pass is a
/// few ms at the largest N and is made whole).
#[test]
fn a_half_step_prepared_part_by_part_is_the_half_step_made_at_once() {
    use emlab::core::em::PASS_PART;
    use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
    use emlab::core::options::Options;
    use emlab::core::poisson::Poisson;
    let n = 2 * PASS_PART + 18_928;
    let wave = |i: usize, m: usize| ((i * 7919) % m) as f64 / m as f64;
    // Two tight groups, and between them, in the last part only, the points whose q moves most (so the
    // Jensen point is found in a later part than the first).
    let ones: Vec<f64> = (0..n)
        .map(|i| match i {
            _ if i >= 2 * PASS_PART => 150.0 + 40.0 * wave(i, 1000),
            _ if i % 3 == 0 => 150.0 + 4.0 * wave(i, 1000),
            _ => 186.0 + 4.0 * wave(i, 1000),
        })
        .collect();
    let one_d = |means: &[f64]| {
        let k = means.len();
        let start = Gmm1dParams {
            weights: vec![1.0 / k as f64; k],
            means: means.to_vec(),
            variances: vec![60.0; k],
        };
        let model = Gmm1d::new(ones.clone());
        Lab::of_model(model, start, Options::default()).unwrap()
    };
    let parts = check_prepared::<Gmm1d>(|| one_d(&[158.0, 181.0]));
    assert_eq!(parts, 3, "1-D K = 2: a part a call");
    let threes = || one_d(&[155.0, 170.0, 185.0]);
    assert_eq!(check_prepared::<Gmm1d>(threes), 3, "1-D K = 3");
    let twos: Vec<f64> = (0..n)
        .flat_map(|i| {
            [
                (i % 3) as f64 * 4.0 + wave(i, 997),
                (i % 3) as f64 * 2.0 + wave(i, 991),
            ]
        })
        .collect();
    let plane = |model: &str| {
        let full = CovarianceType::Full;
        Lab::points(model, twos.clone(), 3, 1, full).unwrap()
    };
    assert_eq!(check_prepared::<Gmm2d>(|| plane("gmm2d")), 3, "2-D K = 3");
    assert_eq!(
        check_prepared::<KMeans>(|| plane("kmeans")),
        1,
        "k-means: made whole"
    );
    let counts: String = (0..n)
        .map(|i| format!("{}\n", (i * 7919) % 13 + 3 * (i % 2)))
        .collect();
    let poisson = || Lab::from_csv("poisson", &counts, 2, 1, 0).unwrap();
    assert_eq!(check_prepared::<Poisson>(poisson), 3, "Poisson");
    let tosses: String = (0..n)
        .map(|i| format!("{},10\n", (i * 7919) % 11))
        .collect();
    let coins = || Lab::from_csv("coins", &tosses, 2, 1, 0).unwrap();
    assert_eq!(check_prepared::<Coins>(coins), 3, "coins");
}

/// A convergence reached under one variance floor or tolerance no longer holds once they change; setting the
/// same options again keeps it.
#[test]
fn changing_the_options_ends_a_convergence() {
    use emlab::core::options::Options;
    let mut lab = Lab::preset("two-gaussians", 2, 1).unwrap();
    lab.run_to_convergence(5000).unwrap();
    assert!(lab.converged());
    let same = lab.options();
    lab.set_options(same).unwrap();
    assert!(lab.converged(), "the same options");
    lab.set_options(Options { reg: 50.0, ..same }).unwrap();
    assert!(!lab.converged(), "a new variance floor");
    let mut lab = Lab::preset("two-gaussians", 2, 1).unwrap();
    lab.run_to_convergence(5000).unwrap();
    lab.set_options(Options {
        tol: 1e-14,
        ..lab.options()
    })
    .unwrap();
    assert!(!lab.converged(), "a smaller tolerance");
}

/// A floor (and a tolerance) changed mid-run: the link replays each half-step under the options it was
/// taken under, and a session keeps them. The link replayed every half-step under the last floor (ℓ
/// −3638.98340 against −3638.98570, at the same half-step and iteration).
#[test]
fn a_link_replays_each_half_step_under_its_own_options() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.step().unwrap();
    lab.step().unwrap();
    let first = lab.options();
    lab.set_options(Options { reg: 0.5, ..first }).unwrap();
    lab.step().unwrap();
    lab.e_step().unwrap();
    lab.set_options(Options {
        reg: 0.5,
        tol: 1e-3,
    })
    .unwrap();
    let link = lab.link().unwrap();
    assert_eq!(
        link.options_at,
        vec![(0, first), (5, Options { reg: 0.5, ..first })],
        "{}",
        link.to_json()
    );
    let opened = Lab::from_link(&Link::from_json(&link.to_json()).unwrap()).unwrap();
    assert_eq!(opened.params(), lab.params());
    assert_eq!(opened.options(), lab.options());
    assert_eq!(opened.session(true), lab.session(true));
    // A session keeps each half-step's options: its link is the same.
    let restored = Lab::restore_session(&lab.save_session(), None).unwrap();
    assert_eq!(restored.link().unwrap(), link);
    // A run under one floor throughout writes none (links as before).
    let mut plain = Lab::preset("heights", 2, 1).unwrap();
    plain.step().unwrap();
    assert!(plain.link().unwrap().options_at.is_empty());
    assert!(!plain.link().unwrap().to_json().contains("optionsAt"));
}

/// A run longer than the history keeps has lost its start: its link is refused with a message (it opened
/// from the oldest state kept and replayed every half-step from there, to another θ), and so is its twin.
#[test]
fn a_run_longer_than_the_history_has_no_link() {
    use emlab::core::em::MAX_HISTORY;
    let mut lab = Lab::preset("death-notices", 2, 1).unwrap();
    lab.set_options(Options {
        tol: 0.0,
        ..lab.options()
    })
    .unwrap();
    lab.run_to_convergence(MAX_HISTORY / 2).unwrap();
    let link = lab.link().unwrap();
    assert_eq!(
        Lab::from_link(&link).unwrap().params(),
        lab.params(),
        "at the limit"
    );
    lab.step().unwrap();
    let e = lab.link().unwrap_err();
    assert_eq!(e.id(), "err-run-too-long");
    assert!(
        e.to_string().contains("longer than the 10000 half-steps"),
        "{e}"
    );
    let mut twin_lab = Lab::preset("old-faithful", 2, 1).unwrap();
    twin_lab
        .set_options(Options {
            tol: 0.0,
            ..twin_lab.options()
        })
        .unwrap();
    twin_lab.run_to_convergence(MAX_HISTORY / 2 + 1).unwrap();
    assert_eq!(twin_lab.twin().unwrap_err().id(), "err-twin-start-gone");
}

/// A twin replays each half-step under the options it was taken under: the twin of a run whose floor
/// changed part-way was a run at the last floor throughout (three-blobs, reg 0.5 after one iteration; its
/// twin's twin was not the lab).
#[test]
fn a_twin_replays_each_half_step_under_its_own_options() {
    let mut lab = Lab::preset("three-blobs", 3, 1).unwrap();
    lab.step().unwrap();
    lab.set_options(Options {
        reg: 0.5,
        ..lab.options()
    })
    .unwrap();
    lab.step().unwrap();
    lab.step().unwrap();
    let back = lab.twin().unwrap().twin().unwrap();
    assert_eq!(back.params(), lab.params());
    assert_eq!(back.options(), lab.options());
    assert_eq!(back.session(true).em.trace, lab.session(true).em.trace);
}

/// The floor note names a component only where the floor keeps it from collapsing: the M-step from the same
/// q with reg = 0 puts it on one point. The page said it of any variance within reg of the floor, so the
/// heights at reg = 1000 (variances 1,030 and 1,050, never near a collapse) read "with reg = 0 it would
/// collapse onto one point".
#[test]
fn the_floor_holds_a_component_only_where_reg_0_would_collapse_it() {
    use emlab::core::lab::{preset_lesson, Lab};
    let mut heights = Lab::preset("heights", 2, 1).unwrap();
    let mut options = heights.options();
    options.reg = 1000.0;
    heights.set_options(options).unwrap();
    for _ in 0..5 {
        heights.step().unwrap();
        assert_eq!(heights.floor_holds(), None);
    }
    let lesson = preset_lesson("collapse").unwrap();
    let mut collapse = Lab::preset("collapse", lesson.k, 1).unwrap();
    let mut options = collapse.options();
    options.reg = 1e-6;
    collapse.set_options(options).unwrap();
    let mut held = None;
    for _ in 0..60 {
        collapse.step().unwrap();
        held = held.or(collapse.floor_holds());
    }
    assert_eq!(held, Some(1), "component 2 sits on x = 10, held up by 1e-6");
    // At reg = 0 there is no floor to hold anything.
    let mut bare = Lab::preset("collapse", lesson.k, 1).unwrap();
    let mut options = bare.options();
    options.reg = 0.0;
    bare.set_options(options).unwrap();
    let mut collapsed = false;
    for _ in 0..60 {
        collapsed = bare.step().is_err();
        assert_eq!(bare.floor_holds(), None);
        if collapsed {
            break;
        }
    }
    assert!(collapsed, "at reg = 0 the collapse lesson collapses");
}

/// Step right after an E-step completes that iteration with its M-step. It took another E-step first: the
/// same q from the same θ, so the timeline held the same picture twice (E, E, M) and the first Undo seemed to
/// do nothing.
#[test]
fn step_after_an_e_step_takes_only_the_m_step() {
    use emlab::core::lab::Lab;
    let mut lab = Lab::preset("two-gaussians", 2, 1).unwrap();
    lab.e_step().unwrap();
    lab.step().unwrap();
    assert_eq!(lab.position(), 2, "E, then M");
    assert_eq!(lab.bound().iteration(), 1);
    let mut plain = Lab::preset("two-gaussians", 2, 1).unwrap();
    plain.step().unwrap();
    assert_eq!(plain.position(), 2);
    assert_eq!(
        plain.bound().loglik().to_bits(),
        lab.bound().loglik().to_bits()
    );
    // After an M-step a Step is a whole iteration.
    lab.step().unwrap();
    assert_eq!(lab.position(), 4);
    assert_eq!(lab.bound().iteration(), 2);
}

/// A link made after a new θ (`set_params`) opens the state it was made at: the θ the run started from and
/// the half-steps since (the run before the new θ is kept for undo, and a link counted its half-steps too:
/// heights opened at iteration 1 instead of 0, and k-means' link could not be opened at all). Its twin too.
#[test]
fn a_link_after_a_new_theta_opens_the_state_it_was_made_at() {
    let same = |a: &Lab, b: &Lab, what: &str| {
        assert_eq!(a.params(), b.params(), "{what}: θ");
        assert_eq!(a.bound().phase(), b.bound().phase(), "{what}: phase");
        assert_eq!(
            a.bound().iteration(),
            b.bound().iteration(),
            "{what}: iteration"
        );
        assert_eq!(
            a.bound().loglik().to_bits(),
            b.bound().loglik().to_bits(),
            "{what}: ℓ"
        );
        assert_eq!(
            a.bound().trace().len(),
            b.bound().trace().len(),
            "{what}: trace"
        );
    };
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.e_step().unwrap();
    let mut p = lab.params();
    let means = p.fields.iter_mut().find(|f| f.name == "means").unwrap();
    means.values = vec![160.0, 170.0];
    lab.set_params(&p).unwrap();
    let opened = |lab: &Lab| {
        Lab::from_link(&Link::from_json(&lab.link().unwrap().to_json()).unwrap()).unwrap()
    };
    same(&opened(&lab), &lab, "right after the new θ");
    lab.e_step().unwrap();
    lab.m_step().unwrap();
    same(&opened(&lab), &lab, "two half-steps later");
    lab.undo();
    lab.undo();
    same(&opened(&lab), &lab, "undone back onto the new θ");

    let mut km = Lab::preset_as("three-blobs", 3, 1, Some("kmeans")).unwrap();
    km.e_step().unwrap();
    km.m_step().unwrap();
    let mut p = km.params();
    let centres = p.fields.iter_mut().find(|f| f.name == "means").unwrap();
    centres.values = vec![0.0, 0.0, 1.0, 1.0, 3.0, 3.0];
    km.set_params(&p).unwrap();
    same(&opened(&km), &km, "k-means right after the new θ");
    km.e_step().unwrap();
    same(&opened(&km), &km, "k-means after an E-step");
    assert_eq!(
        km.twin().unwrap().bound().trace().len(),
        km.bound().trace().len(),
        "its twin"
    );
}

/// Reset goes back to the start along the timeline: the run stays there for Redo and the timeline until a
/// new half-step is taken (`R` in a lecture wiped a whole run with no way back); twice is once.
#[test]
fn reset_keeps_the_run_for_redo_until_a_new_half_step() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    let start = lab.bound().loglik().to_bits();
    lab.step().unwrap();
    lab.step().unwrap();
    lab.step().unwrap();
    let end = (lab.bound().loglik().to_bits(), lab.params());
    assert_eq!(lab.timeline_len(), 6);
    lab.reset();
    assert_eq!((lab.position(), lab.timeline_len()), (0, 6));
    assert_eq!(lab.bound().loglik().to_bits(), start);
    assert_eq!(lab.bound().trace().len(), 1, "the start's trace");
    lab.reset();
    assert_eq!(
        (lab.position(), lab.timeline_len()),
        (0, 6),
        "twice is once"
    );
    assert!(lab.redo());
    assert_eq!(lab.bound().phase(), Phase::E);
    lab.go_to(6);
    assert_eq!(
        (lab.bound().loglik().to_bits(), lab.params()),
        end,
        "the run as it was"
    );
    lab.reset();
    lab.e_step().unwrap();
    assert_eq!(
        lab.timeline_len(),
        1,
        "a new half-step forgets what was undone"
    );
}
