//! The registry is the one list of models: every registered model has all its parts (presets that
//! build, θ fields that round-trip, words in both languages, every figure drawn), EM's invariants hold
//! for all of them, and the page keeps no model list of its own.

mod common;

use emlab::core::lab::{preset_model, Lab};
use emlab::core::registry::{presets, MODELS};
use emlab::figures::lab::{draw_figure, has_figure, FigureId, FigureView};
use emlab::figures::Style;
use emlab::text::{get, messages, Lang};
use plotters::prelude::*;

/// True when message `id` exists in the table (in both languages, by the table's shape).
fn has_message(id: &str) -> bool {
    messages()
        .iter()
        .any(|(m, en, zh)| *m == id && !en.is_empty() && !zh.is_empty())
}

#[test]
fn every_model_has_every_part() {
    assert!(MODELS.len() >= 4);
    for m in MODELS {
        let name = m.name();
        assert!(!m.presets().is_empty(), "{name} has a preset");
        for id in [format!("group-{name}"), format!("model-{name}")] {
            assert!(has_message(&id), "{name}: message {id}");
        }
        let can = m.capabilities();
        assert!(
            has_message(&format!("fig-{}", can.data_figure)),
            "{name}: its figure's title"
        );
        for f in m.fields().iter().filter(|f| !f.column.is_empty()) {
            assert!(has_message(f.column), "{name}: column {}", f.column);
        }
        for &preset in m.presets() {
            assert!(
                has_message(&format!("preset-{preset}")),
                "{name}: preset-{preset}"
            );
            let lab = Lab::preset_as(preset, 2, 1, Some(name)).unwrap();
            assert_eq!(lab.model_name(), name);
            // θ goes out as fields and comes back as the same θ.
            let mut again = lab.clone();
            again.set_params(&lab.params()).unwrap();
            assert_eq!(again.params(), lab.params(), "{name}");
            // Its data as text reads back as the same data.
            let text = lab.data_text();
            let back = Lab::from_csv(name, &text, 2, 1, 0).unwrap();
            assert_eq!(back.data_text(), text, "{name} {preset}");
        }
    }
    // Every preset belongs to exactly the first model that lists it.
    for (preset, model) in presets() {
        assert_eq!(preset_model(preset), Some(model.name()));
    }
}

#[test]
fn a_location_field_moves_with_the_data_and_no_other_field_does() {
    // What `FieldSpec::location` says (the page shows such a field as 0 within float noise of the data's
    // scale): shift the data and the start by 1000, and after a step exactly those fields are 1000 more.
    let mut located = Vec::new();
    for m in MODELS {
        if !m.fields().iter().any(|f| f.location) {
            continue; // counts (coins, Poisson) have no place to shift
        }
        located.push(m.name());
        let shift = 1000.0;
        let mut lab = Lab::preset_as(m.presets()[0], 2, 1, Some(m.name())).unwrap();
        let shifted: String = lab
            .data_text()
            .lines()
            .map(|line| {
                let moved: Vec<String> = line
                    .split(',')
                    .map(|v| (v.parse::<f64>().unwrap() + shift).to_string())
                    .collect();
                moved.join(",") + "\n"
            })
            .collect();
        let mut moved = Lab::from_csv(m.name(), &shifted, 2, 1, 0).unwrap();
        let mut start = lab.params();
        for (field, spec) in start.fields.iter_mut().zip(m.fields()) {
            if spec.location {
                field.values.iter_mut().for_each(|v| *v += shift);
            }
        }
        moved.set_params(&start).unwrap();
        lab.step().unwrap();
        moved.step().unwrap();
        let (after, moved_after) = (lab.params(), moved.params());
        for ((a, b), spec) in after.fields.iter().zip(&moved_after.fields).zip(m.fields()) {
            let by = if spec.location { shift } else { 0.0 };
            for (x, y) in a.values.iter().zip(&b.values) {
                assert!(
                    (y - x - by).abs() <= 1e-6 * x.abs().max(1.0),
                    "{} {}: {x} became {y} on data shifted by {shift}",
                    m.name(),
                    spec.name
                );
            }
        }
    }
    assert_eq!(located, ["gmm1d", "gmm2d", "kmeans"]);
}

#[test]
fn em_invariants_hold_for_every_model_on_every_preset() {
    for m in MODELS {
        for &preset in m.presets() {
            // Up to 3 components, as many as the data has distinct observations (three-coins' ten single
            // tosses are H and T: K = 3 is refused, as for every model).
            let distinct = Lab::preset_as(preset, 1, 7, Some(m.name()))
                .unwrap()
                .distinct();
            for k in 1..=distinct.min(3) {
                let mut lab = Lab::preset_as(preset, k, 7, Some(m.name())).unwrap();
                common::assert_em_invariants(&mut lab, 60);
            }
        }
    }
}

#[test]
fn every_figure_of_every_model_draws() {
    for m in MODELS {
        let mut lab = Lab::preset_as(m.presets()[0], 2, 3, Some(m.name())).unwrap();
        lab.step().unwrap();
        lab.e_step().unwrap();
        for figure in FigureId::ALL {
            if !has_figure(&lab, figure) {
                continue;
            }
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, (640, 420)).into_drawing_area();
                let style = Style {
                    lang: Lang::Zh,
                    ..Style::default()
                };
                draw_figure(&root, &lab, figure, &FigureView::default(), None, &style).unwrap();
                root.present().unwrap();
            }
            assert!(common::svg_is_clean(&svg), "{} {figure:?}", m.name());
        }
    }
}

#[test]
fn the_page_has_no_model_list_of_its_own() {
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    for entry in std::fs::read_dir(&www).unwrap() {
        let path = entry.unwrap().path();
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !["js", "html", "css"].contains(&ext) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(!text.contains("data-models"), "{}", path.display());
        for m in MODELS {
            for quoted in [format!("'{}'", m.name()), format!("\"{}\"", m.name())] {
                assert!(
                    !text.contains(&quoted),
                    "{} names the model {quoted}: ask the core (models(), state().can)",
                    path.display()
                );
            }
        }
    }
    // The words the page shows for every model exist in both languages.
    for m in MODELS {
        assert_ne!(get(Lang::Zh, &format!("model-{}", m.name())), "");
    }
}

/// The ids in `text` that follow one of `openers` as a quoted literal ('…' or "…"); template literals
/// (ids built from a variable, checked through the registry above) are skipped.
fn quoted_ids_after<'a>(text: &'a str, openers: &[&str]) -> Vec<&'a str> {
    let mut ids = Vec::new();
    for opener in openers {
        for (at, _) in text.match_indices(opener) {
            let rest = text[at + opener.len()..].trim_start();
            let Some(quote) = rest.chars().next().filter(|c| *c == '\'' || *c == '"') else {
                continue;
            };
            if let Some(end) = rest[1..].find(quote) {
                ids.push(&rest[1..1 + end]);
            }
        }
    }
    ids
}

/// Every message id the page names exists in both languages: `data-msg…="id"` attributes in
/// `www/index.html`, and `page.text['id']` / `msg('id')` in `www/*.js`.
#[test]
fn every_message_the_page_uses_exists_in_both_languages() {
    let www = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let mut used: Vec<(String, String)> = Vec::new();
    let html = std::fs::read_to_string(www.join("index.html")).unwrap();
    // data-msg="id", data-msg-label="id", and any other data-msg-… attribute.
    for (at, _) in html.match_indices("data-msg") {
        let rest = &html[at..];
        let Some(eq) = rest.find('=') else { continue };
        let name = &rest[..eq];
        if name.contains(char::is_whitespace) || name.contains('>') {
            continue;
        }
        for id in quoted_ids_after(&rest[eq..], &["="]).into_iter().take(1) {
            used.push(("index.html".into(), id.to_string()));
        }
    }
    assert!(used.len() > 20, "index.html names its messages: {used:?}");
    for entry in std::fs::read_dir(&www).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("js") {
            continue;
        }
        let js = std::fs::read_to_string(&path).unwrap();
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        for id in quoted_ids_after(&js, &["page.text[", "msg("]) {
            used.push((file.clone(), id.to_string()));
        }
    }
    let missing: Vec<_> = used.iter().filter(|(_, id)| !has_message(id)).collect();
    assert!(
        missing.is_empty(),
        "ids the page uses with no message in both languages: {missing:?}"
    );
}
