//! The saved session and the link: the core's own state to text and back. A restored lab is the same
//! lab bit for bit (θ, q, ℓ, L, the trace, the undo and redo history), for every model; a link replays
//! to the same figures and readouts; bad text is refused with a message and builds nothing.

use emlab::core::compact_session::{compact, expand};
use emlab::core::em::{Phase, MAX_HISTORY};
use emlab::core::gmm2d::CovarianceType;
use emlab::core::lab::{Lab, Link};
use emlab::core::registry::MODELS;

/// Everything a figure or readout shows, written out exactly.
fn shown(lab: &Lab) -> String {
    let b = lab.bound();
    let q: Vec<Vec<f64>> = (0..lab.len())
        .map(|i| lab.responsibilities(i).unwrap())
        .collect();
    format!(
        "{} {:?} {:?} {:?} {} {} {} {} {:?} {} {} {:?} {:?}",
        lab.model_name(),
        lab.params(),
        q,
        b.trace(),
        b.loglik().to_bits(),
        b.lower_bound().to_bits(),
        b.iteration(),
        lab.converged(),
        lab.phase(),
        lab.position(),
        lab.timeline_len(),
        lab.options(),
        lab.data_text(),
    )
}

/// A lab of every model on a preset it runs on, a few half-steps in.
fn labs() -> Vec<Lab> {
    let mut out = Vec::new();
    for m in MODELS {
        let preset = m.presets()[0];
        let mut lab = Lab::preset_as(preset, 2, 5, Some(m.name())).unwrap();
        for _ in 0..3 {
            lab.step().unwrap();
        }
        lab.e_step().unwrap();
        out.push(lab);
    }
    out
}

#[test]
fn every_model_comes_back_exactly_with_its_history() {
    for mut lab in labs() {
        let name = lab.model_name();
        let text = lab.save_session();
        let mut back = Lab::restore_session(&text, None).unwrap();
        assert_eq!(shown(&back), shown(&lab), "{name}");
        assert_eq!(back.preset, lab.preset, "{name}");
        assert_eq!(back.sequences, lab.sequences, "{name}");
        assert_eq!(back.starts, lab.starts, "{name}");
        // Undo and redo walk the same states in both.
        for _ in 0..3 {
            assert_eq!(back.undo(), lab.undo());
            assert_eq!(shown(&back), shown(&lab), "{name} after undo");
        }
        // Saved in the middle of the timeline: redo still returns.
        let mid = Lab::restore_session(&lab.save_session(), None).unwrap();
        assert_eq!(shown(&mid), shown(&lab), "{name} mid-timeline");
        let mut mid = mid;
        assert!(mid.redo() && lab.redo());
        assert_eq!(shown(&mid), shown(&lab), "{name} redo after restore");
        // And stepping on from the restored state is stepping on from the original.
        back.go_to(lab.position());
        back.step().unwrap();
        lab.step().unwrap();
        assert_eq!(shown(&back), shown(&lab), "{name} stepping on");
    }
}

#[test]
fn your_own_data_and_the_model_settings_are_kept() {
    let mut lab = Lab::from_csv("gmm1d", "1\n2\n2.5\n7\n8.25\n9\n", 2, 3, 0).unwrap();
    lab.add_point(4.0).unwrap();
    lab.step().unwrap();
    let back = Lab::restore_session(&lab.save_session(), None).unwrap();
    assert_eq!(shown(&back), shown(&lab));
    assert_eq!(back.preset, None);

    let mut two = Lab::preset("old-faithful", 2, 1).unwrap();
    two.set_covariance_type(CovarianceType::Diag).unwrap();
    two.step().unwrap();
    two.add_point_2d([0.5, -0.5]).unwrap();
    two.step().unwrap();
    let back = Lab::restore_session(&two.save_session(), None).unwrap();
    assert_eq!(shown(&back), shown(&two));
    let session = back.session(true);
    assert_eq!(session.variant.as_deref(), Some("diag"));

    let mut coins = Lab::preset("five-sets", 2, 1).unwrap();
    coins.step().unwrap();
    let back = Lab::restore_session(&coins.save_session(), None).unwrap();
    assert_eq!(shown(&back), shown(&coins));
    assert_eq!(back.session(true).variant.as_deref(), Some("fixed"));
    let mut typed = Lab::from_csv("coins", "HHTH\nTTHT\n3,10\n", 2, 1, 0).unwrap();
    typed.step().unwrap();
    let back = Lab::restore_session(&typed.save_session(), None).unwrap();
    assert_eq!(shown(&back), shown(&typed));
    assert_eq!(back.sequences, typed.sequences);
}

#[test]
fn bad_sessions_are_refused_with_what_is_wrong() {
    let lab = Lab::preset("heights", 2, 1).unwrap();
    let good = lab.save_session();
    for (bad, why) in [
        (String::new(), "empty"),
        ("{}".to_string(), "no fields"),
        (good.replace("\"version\":2", "\"version\":99"), "version"),
        (good.replace("\"gmm1d\"", "\"nope\""), "model"),
        (good.replace("\"heights\"", "\"nowhere\""), "preset"),
        (
            good.replace("\"states\":\"i=0\"", "\"states\":\"i=0t7\""),
            "trace",
        ),
        (
            good.replace("\"states\":\"i=0\"", "\"states\":\"i#0\""),
            "too few numbers",
        ),
        (
            good.replace("\"states\":\"i=0\"", "\"states\":\"i=0 e=p\""),
            "timeline",
        ),
        (
            good.replace("\"trace\":\"i##\"", "\"trace\":\"i## z\""),
            "a bad word",
        ),
        (
            good.replace("\"numbers\":\"", "\"numbers\":\"!"),
            "not base64",
        ),
        (good[..good.len() / 2].to_string(), "cut short"),
    ] {
        assert_ne!(bad, good, "{why}: the corruption applies");
        let e = Lab::restore_session(&bad, None).unwrap_err();
        assert!(!e.to_string().is_empty(), "{why}");
    }
    // θ that is not valid (a negative variance) is refused like setParams would refuse it.
    let mut lab = Lab::preset("heights", 1, 1).unwrap();
    lab.step().unwrap();
    let mut session = lab.session(true);
    let mut saved = expand(&session.em).unwrap();
    saved.current.params.fields[2].values[0] = -1.0;
    session.em = compact(&saved);
    assert!(Lab::from_session(session, None).is_err());
    // A θ that passes those checks but makes ℓ or L infinite (a variance of 1e-307 or 5e-324 after two
    // half-steps: L = −∞, shown as "gap +∞" and "KL = ∞") is refused too.
    for tiny in [1e-307, 5e-324] {
        let mut lab = Lab::preset("heights", 2, 1).unwrap();
        lab.step().unwrap();
        lab.step().unwrap();
        let mut session = lab.session(true);
        let mut saved = expand(&session.em).unwrap();
        saved.current.params.fields[2].values[1] = tiny;
        session.em = compact(&saved);
        match Lab::from_session(session, None) {
            Err(e) => assert!(!e.to_string().is_empty()),
            Ok(restored) => panic!(
                "variance {tiny}: restored with ℓ = {}, L = {}",
                restored.bound().loglik(),
                restored.bound().lower_bound()
            ),
        }
    }
}

#[test]
fn a_link_opens_on_the_same_picture() {
    for mut lab in labs() {
        let name = lab.model_name();
        lab.undo();
        let link = lab.link().unwrap();
        let json = link.to_json();
        let back = Lab::from_link(&Link::from_json(&json).unwrap()).unwrap();
        assert_eq!(back.params(), lab.params(), "{name}");
        // What the page's controls read first (readLink): the run's start and its half-steps, not replayed
        // (the page replayed every link twice).
        let start = Lab::link_start(&link).unwrap();
        assert_eq!(start.bound().trace().len(), 1, "{name}");
        assert_eq!(start.params(), link.start, "{name}");
        let phases: Vec<Phase> = lab.bound().trace()[1..].iter().map(|t| t.phase).collect();
        assert!(!phases.is_empty());
        assert_eq!(Lab::link_steps(&link).unwrap(), phases, "{name}");
        assert_eq!(back.bound().trace(), lab.bound().trace(), "{name}");
        assert_eq!(
            back.bound().loglik().to_bits(),
            lab.bound().loglik().to_bits()
        );
        assert_eq!(back.phase(), lab.phase());
        assert_eq!(
            link.steps, "3",
            "{name}: three whole iterations (the E-step after them undone)"
        );
    }
    // A link after setParams starts the run from the θ that was set.
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    lab.step().unwrap();
    lab.use_start(1).unwrap();
    lab.e_step().unwrap();
    let link = lab.link().unwrap();
    assert_eq!(link.steps, "e");
    let back = Lab::from_link(&link).unwrap();
    assert_eq!(shown(&back), shown(&lab));
    // Data too long for a URL is refused with its own message.
    let text: String = (0..20_000).map(|i| format!("{}.125\n", i % 977)).collect();
    let big = Lab::from_csv("gmm1d", &text, 2, 1, 0).unwrap();
    assert_eq!(big.link().unwrap_err().id(), "err-link-too-long");
    // And a link made by hand with that data is refused on reading by the same rule (it was opened).
    let mut small = Lab::from_csv("gmm1d", "1\n2\n3\n10\n11\n12\n", 2, 1, 0).unwrap();
    small.step().unwrap();
    let mut forged = small.link().unwrap();
    assert!(Lab::from_link(&forged).is_ok());
    forged.data = Some(text.clone());
    assert_eq!(
        Lab::from_link(&forged).unwrap_err().id(),
        "err-link-too-long"
    );
}

/// The saved EM state written out exactly (`{:?}` prints every f64 so it reads back to the same bits,
/// and tells −0 from 0).
fn exact(lab: &Lab) -> String {
    format!("{:?}", lab.em.saved())
}

/// Checks that the compact form of `lab`'s state expands to the same state, bit for bit, and that a
/// session restored from it (with and without its data) shows the same lab, q included.
fn comes_back(lab: &Lab, what: &str) {
    let saved = lab.em.saved();
    let back = expand(&compact(&saved)).unwrap();
    assert_eq!(format!("{back:?}"), format!("{saved:?}"), "{what}");
    let restored = Lab::restore_session(&lab.save_session(), None).unwrap();
    assert_eq!(exact(&restored), exact(lab), "{what}");
    assert_eq!(shown(&restored), shown(lab), "{what}");
    let text = lab.save_session_within(false, usize::MAX).unwrap();
    let restored = Lab::restore_session(&text, Some(&lab.data_text())).unwrap();
    assert_eq!(shown(&restored), shown(lab), "{what} (data given apart)");
}

#[test]
fn the_compact_state_comes_back_bit_for_bit_after_every_kind_of_call() {
    for m in MODELS {
        for &preset in m.presets() {
            let mut lab = Lab::preset_as(preset, 2, 7, Some(m.name())).unwrap();
            let name = format!("{} on {preset}", m.name());
            comes_back(&lab, &format!("{name}: at the start"));
            lab.e_step().unwrap();
            comes_back(&lab, &format!("{name}: after E"));
            let _ = lab.m_step();
            comes_back(&lab, &format!("{name}: after M"));
            for _ in 0..4 {
                let _ = lab.step();
            }
            lab.undo();
            lab.undo();
            comes_back(&lab, &format!("{name}: after undo"));
            lab.redo();
            comes_back(&lab, &format!("{name}: after redo"));
            let theta = lab.params();
            lab.set_params(&theta).unwrap();
            let _ = lab.step();
            comes_back(&lab, &format!("{name}: after setParams"));
            lab.undo();
            lab.undo();
            lab.undo();
            comes_back(&lab, &format!("{name}: undone past setParams"));
            lab.reset();
            let _ = lab.e_step();
            comes_back(&lab, &format!("{name}: after reset"));
        }
    }
}

#[test]
fn a_collapse_and_empty_components_come_back() {
    let mut lab = Lab::preset("collapse", 2, 1).unwrap();
    lab.set_options(emlab::core::options::Options {
        reg: 0.0,
        tol: 1e-10,
    })
    .unwrap();
    let mut collapsed = false;
    for _ in 0..200 {
        if lab.step().is_err() {
            collapsed = true;
            break;
        }
    }
    assert!(
        collapsed && lab.collapse().is_some(),
        "the collapse preset collapses"
    );
    comes_back(&lab, "collapsed");
    // K larger than the data's distinct values leaves components empty.
    let mut lab = Lab::from_csv("gmm1d", "1\n2\n3\n4\n", 2, 3, 0).unwrap();
    let mut theta = lab.params();
    theta.fields[1].values = vec![2.5, 1e6];
    theta.fields[2].values = vec![1.0, 1.0];
    lab.set_params(&theta).unwrap();
    lab.step().unwrap();
    assert_eq!(
        lab.empty_components(),
        vec![1],
        "the far component gets no responsibility"
    );
    comes_back(&lab, "empty components");
}

#[test]
fn a_full_history_is_small_and_restores_without_replaying() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    // Tolerance 0: EM never declares convergence, so the history fills to MAX_HISTORY.
    lab.set_options(emlab::core::options::Options {
        reg: 1e-6,
        tol: 0.0,
    })
    .unwrap();
    lab.run_to_convergence(MAX_HISTORY / 2 + 10).unwrap();
    for _ in 0..20 {
        lab.undo();
    }
    assert_eq!(lab.timeline_len(), MAX_HISTORY);
    let full = format!("{:?}", lab.em.saved()).len();
    let text = lab.save_session();
    let per_half_step = text.len() as f64 / MAX_HISTORY as f64;
    println!(
        "heights, {MAX_HISTORY} half-steps: full SavedEm {{:?}} {full} bytes, compact session {} bytes \
         ({per_half_step:.1} bytes per half-step)",
        text.len()
    );
    assert!(text.len() < 1_000_000, "{} bytes", text.len());
    assert!(per_half_step < 60.0, "{per_half_step} bytes per half-step");
    assert!(full > 4 * text.len(), "the full form is {full} bytes");
    let started = std::time::Instant::now();
    let back = Lab::restore_session(&text, None).unwrap();
    let took = started.elapsed();
    assert_eq!(exact(&back), exact(&lab));
    assert_eq!(shown(&back), shown(&lab));
    println!("restored in {took:?}");
    // Capped: the oldest undo steps go, the current state and the redo steps stay exact.
    let capped = lab.save_session_within(true, 200_000).unwrap();
    assert!(capped.len() <= 200_000, "{}", capped.len());
    let mut short = Lab::restore_session(&capped, None).unwrap();
    assert_eq!(
        shown(&short).split(' ').count(),
        shown(&lab).split(' ').count()
    );
    assert_eq!(short.params(), lab.params());
    assert_eq!(short.bound().trace(), lab.bound().trace());
    assert!(short.position() < lab.position() && short.position() > 1000);
    assert_eq!(short.timeline_len() - short.position(), 20);
    short.go_to(short.timeline_len());
    lab.go_to(lab.timeline_len());
    assert_eq!(
        short.params(),
        lab.params(),
        "the redo steps kept are exact"
    );
    assert_eq!(short.bound().trace(), lab.bound().trace());
    assert_eq!(
        short.bound().loglik().to_bits(),
        lab.bound().loglik().to_bits()
    );
}

#[test]
fn a_run_longer_than_the_history_restores() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.set_options(emlab::core::options::Options {
        reg: 1e-6,
        tol: 0.0,
    })
    .unwrap();
    lab.run_to_convergence(MAX_HISTORY).unwrap();
    let back = Lab::restore_session(&lab.save_session(), None).unwrap();
    assert_eq!(exact(&back), exact(&lab));
}

#[test]
fn a_damaged_compact_state_is_refused_or_restored_never_a_panic() {
    let mut lab = Lab::from_csv("gmm1d", "1\n2\n2.5\n7\n8.25\n9\n4\n", 2, 3, 0).unwrap();
    for _ in 0..3 {
        lab.step().unwrap();
    }
    lab.undo();
    lab.undo();
    let session = lab.session(true);
    let replacements = [
        '#', '=', '0', 'p', 'q', 'r', 's', 'n', '9', 'e', 'M', ' ', 'x', 'c', '.', ',', 'A', '/',
        'l', 'b', 'θ', '−',
    ];
    // Every character of the words, and of the numbers, replaced by each of these: the lab comes back (a
    // valid state: another number, a letter that predicts the same) or is refused with a message.
    let mut outcomes = [[0usize; 2]; 3];
    for (part, outcome) in outcomes.iter_mut().enumerate() {
        let text = [&session.em.states, &session.em.trace, &session.em.numbers][part];
        for at in 0..text.len() {
            for &c in &replacements {
                let mut chars: Vec<char> = text.chars().collect();
                chars[at] = c;
                let changed: String = chars.into_iter().collect();
                let mut damaged = session.clone();
                *[
                    &mut damaged.em.states,
                    &mut damaged.em.trace,
                    &mut damaged.em.numbers,
                ][part] = changed;
                match Lab::from_session(damaged, None) {
                    Ok(back) => {
                        outcome[0] += 1;
                        assert!(back.bound().loglik().is_finite());
                    }
                    Err(e) => {
                        outcome[1] += 1;
                        assert!(!e.to_string().is_empty());
                    }
                }
            }
        }
    }
    // Damage to the words is mostly caught.
    for (part, [restored, refused]) in outcomes.iter().take(2).enumerate() {
        assert!(
            refused > restored,
            "part {part}: {refused} refused, {restored} restored"
        );
    }
}

#[test]
fn a_session_saved_without_its_data_is_refused_on_other_data() {
    // Restored on other data it was taken: the trace was the old data's and the state said "converged".
    let text = "1\n2\n3\n10\n11\n12\n";
    let mut lab = Lab::from_csv("gmm1d", text, 2, 1, 0).unwrap();
    lab.run_to_convergence(100).unwrap();
    let session = lab.save_session_within(false, usize::MAX).unwrap();
    for other in ["100\n200\n300\n400\n", "1\n2\n3\n10\n11\n13\n"] {
        let e = Lab::restore_session(&session, Some(other)).unwrap_err();
        assert_eq!(e.id(), "err-session-other-data", "{other:?}");
    }
    // Its own data, as text written another way, is taken.
    let back = Lab::restore_session(&session, Some("1.0\n2\n3\n10\n11\n12.000\n")).unwrap();
    assert_eq!(back.bound().loglik(), lab.bound().loglik());
    assert!(back.converged());
}

#[test]
fn a_session_whose_preset_was_edited_is_refused() {
    // A heights session renamed two-gaussians opened on 12,000 points; an own-data session renamed
    // heights opened on the 1,000 heights, ℓ −9.9e6 beside a trace of −16, "Restored your last session".
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.step().unwrap();
    let session = lab.save_session();
    assert!(
        session.contains("\"preset\":\"heights\""),
        "{}",
        &session[..200]
    );
    let renamed = session.replace("\"preset\":\"heights\"", "\"preset\":\"two-gaussians\"");
    let e = Lab::restore_session(&renamed, None).unwrap_err();
    assert_eq!(e.id(), "err-session-other-data");
    let mut own = Lab::from_csv("gmm1d", "1\n2\n3\n10\n11\n12\n13\n2.5\n", 2, 1, 0).unwrap();
    own.step().unwrap();
    let saved = own.save_session_within(false, usize::MAX).unwrap();
    assert!(saved.contains("\"preset\":null"), "{}", &saved[..200]);
    let renamed = saved.replace("\"preset\":null", "\"preset\":\"heights\"");
    let e = Lab::restore_session(&renamed, None).unwrap_err();
    assert_eq!(e.id(), "err-session-other-data");
    // Unedited, both open as they were.
    assert_eq!(
        Lab::restore_session(&session, None)
            .unwrap()
            .bound()
            .loglik(),
        lab.bound().loglik()
    );
}

#[test]
fn a_session_and_a_link_keep_the_point_the_figures_show() {
    use emlab::core::lab::Focus;
    // A reload showed point 12 where a student had chosen 116, and a copied link another point.
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.step().unwrap();
    for chosen in [true, false] {
        let focus = Some(Focus { index: 116, chosen });
        let text = lab.save_session_focused(false, usize::MAX, focus).unwrap();
        let (_, back) = Lab::restore_session_focused(&text, None).unwrap();
        assert_eq!(back, focus);
        let mut link = lab.link().unwrap();
        link.focus = focus;
        let read = emlab::core::lab::Link::from_json(&link.to_json()).unwrap();
        let (_, opened) = Lab::from_link_focused(&read).unwrap();
        assert_eq!(opened, focus);
    }
    // Written before (no point): none. A point past the data: refused, as any tampered part.
    let (_, none) = Lab::restore_session_focused(&lab.save_session(), None).unwrap();
    assert_eq!(none, None);
    let far = Some(Focus {
        index: lab.len(),
        chosen: true,
    });
    let text = lab.save_session_focused(true, usize::MAX, far).unwrap();
    let e = Lab::restore_session_focused(&text, None).unwrap_err();
    assert_eq!(e.id(), "err-session-unreadable");
}
