//! The saved session and the link: the core's own state to text and back. A restored lab is the same
//! lab bit for bit (θ, q, ℓ, L, the trace, the undo and redo history), for every model; a link replays
//! to the same figures and readouts; bad text is refused with a message and builds nothing.

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
        let mut back = Lab::restore_session(&text).unwrap();
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
        let mid = Lab::restore_session(&lab.save_session()).unwrap();
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
    let back = Lab::restore_session(&lab.save_session()).unwrap();
    assert_eq!(shown(&back), shown(&lab));
    assert_eq!(back.preset, None);

    let mut two = Lab::preset("old-faithful", 2, 1).unwrap();
    two.set_covariance_type(CovarianceType::Diag).unwrap();
    two.step().unwrap();
    two.add_point_2d([0.5, -0.5]).unwrap();
    two.step().unwrap();
    let back = Lab::restore_session(&two.save_session()).unwrap();
    assert_eq!(shown(&back), shown(&two));
    let session = back.session();
    assert_eq!(session.variant.as_deref(), Some("diag"));

    let mut coins = Lab::preset("five-sets", 2, 1).unwrap();
    coins.step().unwrap();
    let back = Lab::restore_session(&coins.save_session()).unwrap();
    assert_eq!(shown(&back), shown(&coins));
    assert_eq!(back.session().variant.as_deref(), Some("fixed"));
    let mut typed = Lab::from_csv("coins", "HHTH\nTTHT\n3,10\n", 2, 1, 0).unwrap();
    typed.step().unwrap();
    let back = Lab::restore_session(&typed.save_session()).unwrap();
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
        (good.replace("\"version\":1", "\"version\":99"), "version"),
        (good.replace("\"gmm1d\"", "\"nope\""), "model"),
        (good.replace("\"heights\"", "\"nowhere\""), "preset"),
        (good.replace("\"trace_len\":1", "\"trace_len\":7"), "trace"),
        (good[..good.len() / 2].to_string(), "cut short"),
    ] {
        assert_ne!(bad, good, "{why}: the corruption applies");
        let e = Lab::restore_session(&bad).unwrap_err();
        assert!(!e.to_string().is_empty(), "{why}");
    }
    // θ that is not valid (a negative variance) is refused like setParams would refuse it.
    let mut lab = Lab::preset("heights", 1, 1).unwrap();
    lab.step().unwrap();
    let text = lab.save_session();
    let v = lab.params().fields[2].values[0];
    let bad = text.replace(&format!("[{v}]"), "[-1.0]");
    assert_ne!(bad, text);
    assert!(Lab::restore_session(&bad).is_err());
}

#[test]
fn a_link_opens_on_the_same_picture() {
    for mut lab in labs() {
        let name = lab.model_name();
        lab.undo();
        let link = lab.link().unwrap();
        let json = serde_json::to_string(&link).unwrap();
        let back = Lab::from_link(&serde_json::from_str::<Link>(&json).unwrap()).unwrap();
        assert_eq!(back.params(), lab.params(), "{name}");
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
}
