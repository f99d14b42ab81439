//! Exports: every figure of every model as SVG (well-formed XML with the figure's title, in both
//! languages and at any state), and the trace as CSV (one row per half-step, numbers that read back
//! exactly, θ per half-step).

mod common;

use common::{slice_note_ground, svg_attr_opt, svg_points};
use emlab::core::gmm1d::Gmm1d;
use emlab::core::lab::Lab;
use emlab::core::model::Model;
use emlab::core::trace_csv::{number, theta_columns, trace_csv};
use emlab::figures::lab::{has_figure, FigureId, FigureView};
use emlab::figures::svg::{figure_svg, SvgError, DEFAULT_SIZE};
use emlab::text::{self, Lang};

/// A lab of every model: (preset, model override).
const LABS: [(&str, Option<&str>); 6] = [
    ("heights", None),
    ("collapse", None),
    ("old-faithful", None),
    ("three-blobs", Some("kmeans")),
    ("three-coins", None),
    ("five-sets", None),
];

/// The title's message id of `figure` for `lab` (what the page shows above it).
fn title_id(lab: &Lab, figure: FigureId, view: &FigureView) -> &'static str {
    let model = lab.model_name();
    match figure {
        FigureId::Data => match model {
            "gmm1d" => "fig-histogram",
            "gmm2d" if view.hard => "fig-scatter-hard",
            "gmm2d" => "fig-scatter",
            "kmeans" => "fig-kmeans",
            _ => "fig-coins",
        },
        FigureId::Path => "fig-path",
        FigureId::Slice => "fig-slice",
        FigureId::Jensen => "fig-jensen",
        FigureId::Split => "fig-split",
        FigureId::Trace if model == "kmeans" => "fig-trace-hard",
        FigureId::Trace => "fig-trace",
    }
}

/// Parses `svg` as XML (panics with the parser's message when it is not well-formed) and returns its
/// text nodes, trimmed.
fn svg_texts(svg: &str, what: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(svg)
        .unwrap_or_else(|e| panic!("{what}: the SVG is not well-formed XML: {e}"));
    assert_eq!(doc.root_element().tag_name().name(), "svg", "{what}");
    doc.descendants()
        .filter(|n| n.is_text())
        .filter_map(|n| n.text())
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Checks every figure `lab` has at its current state, in both languages.
fn check_every_figure(lab: &Lab, state: &str, hard: bool) {
    for lang in [Lang::En, Lang::Zh] {
        for figure in FigureId::ALL {
            let view = FigureView {
                hard,
                ..FigureView::default()
            };
            let what = format!("{} {figure:?} {lang:?} {state}", lab.model_name());
            let svg = figure_svg(lab, figure, &view, None, lang, DEFAULT_SIZE);
            if !has_figure(lab, figure) {
                assert_eq!(svg, Err(SvgError::NotForModel), "{what}");
                continue;
            }
            let svg = svg.unwrap_or_else(|e| panic!("{what}: {e:?}"));
            let title = text::get(lang, title_id(lab, figure, &view));
            let texts = svg_texts(&svg, &what);
            assert!(
                texts.iter().any(|t| t.starts_with(title)),
                "{what}: no title “{title}” among {texts:?}"
            );
            assert!(
                svg.contains(r#"width="800" height="500""#),
                "{what}: the default size"
            );
        }
    }
}

#[test]
fn every_figure_of_every_model_exports_as_well_formed_svg_with_its_title() {
    for (name, model) in LABS {
        let mut lab = Lab::preset_as(name, 2, 1, model).unwrap();
        check_every_figure(&lab, "start", false);
        lab.e_step().unwrap();
        check_every_figure(&lab, "after E", false);
        // The collapse lesson (reg = 0) may stop with a collapse: the figures are drawn all the same.
        let _ = lab.m_step();
        check_every_figure(&lab, "after M", true);
        let _ = lab.run_to_convergence(200);
        check_every_figure(&lab, "later", false);
    }
}

#[test]
fn an_export_takes_its_size_and_the_chosen_point() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.step().unwrap();
    let svg = figure_svg(
        &lab,
        FigureId::Jensen,
        &FigureView {
            selected: Some(3),
            ..FigureView::default()
        },
        None,
        Lang::En,
        (1200, 700),
    )
    .unwrap();
    assert!(svg.contains(r#"width="1200" height="700""#));
    let title = svg_texts(&svg, "jensen")
        .into_iter()
        .find(|t| t.starts_with(text::get(Lang::En, "fig-jensen")))
        .unwrap();
    let point = lab.bound().describe(3, emlab::text::Lang::En);
    assert!(title.contains(&point), "{title} names {point}");
}

/// The CSV as a header and rows of cells.
fn parse_csv(csv: &str) -> (Vec<String>, Vec<Vec<String>>) {
    assert!(csv.ends_with('\n'));
    let mut lines = csv.lines();
    let header: Vec<String> = lines.next().unwrap().split(',').map(String::from).collect();
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    for row in &rows {
        assert_eq!(row.len(), header.len(), "every row has every column");
    }
    (header, rows)
}

/// The column `name` of `rows`, parsed.
fn column(header: &[String], rows: &[Vec<String>], name: &str) -> Vec<f64> {
    let i = header.iter().position(|h| h == name).unwrap();
    rows.iter().map(|r| r[i].parse::<f64>().unwrap()).collect()
}

/// Checks the CSV of `lab` against its trace and its θ now.
fn check_csv(lab: &Lab, what: &str) {
    let csv = trace_csv(lab);
    let (header, rows) = parse_csv(&csv);
    let trace = lab.bound().trace();
    assert_eq!(rows.len(), trace.len(), "{what}: one row per half-step");
    assert_eq!(&header[..3], ["iteration", "half_step", "phase"]);
    let hard = lab.model_name() == "kmeans";
    let first_theta = if hard { 4 } else { 6 };
    let (loglik, bound): (Vec<f64>, Vec<f64>) = if hard {
        let j = column(&header, &rows, "J");
        (
            j.iter().map(|v| -v).collect(),
            j.iter().map(|v| -v).collect(),
        )
    } else {
        let kl = column(&header, &rows, "kl");
        let (l, b) = (
            column(&header, &rows, "loglik"),
            column(&header, &rows, "lower_bound"),
        );
        for (i, p) in trace.iter().enumerate() {
            // KL is ℓ − L, with the rounding noise of a touching bound written as 0 (never negative).
            let gap = emlab::core::format::gap_value(p.loglik - p.bound, p.loglik);
            assert_eq!(kl[i].to_bits(), gap.to_bits(), "{what}");
            assert!(kl[i] >= 0.0, "{what}: KL {} in row {i}", kl[i]);
        }
        (l, b)
    };
    let iteration = column(&header, &rows, "iteration");
    let half = column(&header, &rows, "half_step");
    for (i, p) in trace.iter().enumerate() {
        if hard {
            // J of the state's assignment and centres: −L, at the start (no assignment) −ℓ.
            let j = if i == 0 { -p.loglik } else { -p.bound };
            assert_eq!((-loglik[i]).to_bits(), j.to_bits(), "{what}: J row {i}");
        } else {
            assert_eq!(loglik[i].to_bits(), p.loglik.to_bits(), "{what}: ℓ row {i}");
        }
        if !hard {
            assert_eq!(bound[i].to_bits(), p.bound.to_bits(), "{what}: L row {i}");
        }
        assert_eq!(iteration[i], p.iteration as f64);
        assert_eq!(half[i], i as f64);
    }
    // θ: the last row is θ now, the columns named as theta_columns names them.
    let now = theta_columns(lab.em.fields(), &lab.params());
    let names: Vec<&str> = now.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(&header[first_theta..], &names[..], "{what}");
    let last = rows.last().unwrap();
    for (cell, (_, v)) in last[first_theta..].iter().zip(&now) {
        assert_eq!(
            cell.parse::<f64>().unwrap().to_bits(),
            v.to_bits(),
            "{what}"
        );
    }
    // θ changes only at M rows: an E row repeats the row before.
    for i in 1..rows.len() {
        if rows[i][2] == "e" {
            assert_eq!(rows[i][first_theta..], rows[i - 1][first_theta..], "{what}");
        }
    }
}

#[test]
fn the_trace_csv_has_a_row_per_half_step_that_reads_back_exactly() {
    for (name, model) in LABS {
        let mut lab = Lab::preset_as(name, 2, 1, model).unwrap();
        check_csv(&lab, &format!("{name} start"));
        lab.e_step().unwrap();
        check_csv(&lab, &format!("{name} after E"));
        let _ = lab.m_step();
        let _ = lab.run_to_convergence(300);
        check_csv(&lab, &format!("{name} run"));
        let steps = lab.bound().trace().len();
        lab.undo();
        lab.undo();
        check_csv(&lab, &format!("{name} undone"));
        assert_eq!(lab.bound().trace().len(), steps - 2);
        lab.redo();
        check_csv(&lab, &format!("{name} redone"));
        lab.go_to(1);
        check_csv(&lab, &format!("{name} at 1"));
    }
}

#[test]
fn the_trace_csv_gives_theta_after_every_m_step() {
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    lab.run_to_convergence(5).unwrap();
    let (header, rows) = parse_csv(&trace_csv(&lab));
    let path = lab.params_path();
    let m_rows: Vec<&Vec<String>> = rows
        .iter()
        .filter(|r| r[2] == "m" || r[2] == "init")
        .collect();
    assert_eq!(m_rows.len(), path.len(), "the start and every M-step");
    for (row, theta) in m_rows.iter().zip(&path) {
        let p = Gmm1d::from_theta(theta).unwrap();
        let mu1 = header.iter().position(|h| h == "mu_1").unwrap();
        assert_eq!(
            row[mu1].parse::<f64>().unwrap().to_bits(),
            p.means[0].to_bits()
        );
    }
    // A new θ set by hand starts a new trace: the CSV follows it, not the trace before.
    let mut p = lab.params_of::<Gmm1d>().unwrap();
    p.means[0] += 1.0;
    lab.set_params_of::<Gmm1d>(&p).unwrap();
    lab.step().unwrap();
    let (header, rows) = parse_csv(&trace_csv(&lab));
    assert_eq!(rows.len(), 3);
    let mu1 = header.iter().position(|h| h == "mu_1").unwrap();
    assert_eq!(rows[0][mu1].parse::<f64>().unwrap(), p.means[0]);
    // Undo back over the new θ: the run before it, its trace and CSV as they were (the trace had been
    // cleared, so the states before showed one row: the new start's ℓ beside their own θ).
    let before_csv = {
        let mut back = lab.clone();
        back.undo();
        back.undo();
        back.undo();
        trace_csv(&back)
    };
    let mut old = Lab::preset("heights", 2, 1).unwrap();
    old.run_to_convergence(5).unwrap();
    assert_eq!(
        before_csv,
        trace_csv(&old),
        "the run before the new θ, undone back to"
    );
    check_csv(&lab, "after a new θ");
    let after_csv = trace_csv(&lab);
    let mut there = lab.clone();
    there.go_to(0);
    assert_eq!(
        parse_csv(&trace_csv(&there)).1.len(),
        1,
        "the first start alone"
    );
    check_csv(&there, "at 0 after a new θ");
    there.go_to(there.timeline_len());
    assert_eq!(
        trace_csv(&there),
        after_csv,
        "and forward again to the new run"
    );
}

#[test]
fn numbers_are_written_to_read_back_exactly() {
    for v in [
        0.0,
        -0.0,
        0.1,
        -1234.5678,
        1e-7,
        -3.3e-300,
        5e-324,
        1e16,
        123456789012345680.0,
        f64::MAX,
        f64::MIN_POSITIVE,
        std::f64::consts::PI,
    ] {
        let text = number(v);
        assert_eq!(
            text.parse::<f64>().unwrap().to_bits(),
            v.to_bits(),
            "{text}"
        );
        assert!(text.len() <= 24, "{text} is short");
    }
    assert_eq!(number(0.5), "0.5");
    assert_eq!(number(1e-7), "1e-7");
}

#[test]
fn theta_older_than_the_history_is_left_empty_not_invented() {
    use emlab::core::em::MAX_HISTORY;
    use emlab::core::options::Options;
    let mut lab = Lab::preset("heights", 2, 1).unwrap();
    // tol = 0: EM never declares convergence, so the trace outgrows the undo history.
    let reg = lab.options().reg;
    lab.set_options(Options { reg, tol: 0.0 }).unwrap();
    let iterations = MAX_HISTORY / 2 + 50;
    lab.run_to_convergence(iterations).unwrap();
    let (header, rows) = parse_csv(&trace_csv(&lab));
    assert_eq!(rows.len(), 2 * iterations + 1);
    let theta = header.iter().position(|h| h == "pi_1").unwrap();
    let empty = rows.iter().take_while(|r| r[theta].is_empty()).count();
    // The history keeps MAX_HISTORY states before the current one.
    assert_eq!(
        empty,
        rows.len() - (MAX_HISTORY + 1),
        "θ for the states kept"
    );
    assert!(rows[empty..].iter().all(|r| !r[theta].is_empty()));
    assert!(
        rows.iter().all(|r| !r[3].is_empty()),
        "ℓ is there for every half-step"
    );
}

#[test]
fn exported_text_is_the_size_the_canvas_draws_it() {
    use emlab::figures::lab::draw_figure;
    use emlab::figures::svg::SVG_FONT_SHRINK;
    use emlab::figures::Style;
    use plotters::prelude::*;
    let lab = Lab::preset("heights", 2, 1).unwrap();
    let view = FigureView::default();
    let exported = figure_svg(&lab, FigureId::Trace, &view, None, Lang::En, (800, 500)).unwrap();
    // The same figure on plotters' own SVG backend, which writes every font size / 1.24.
    let mut plain = String::new();
    {
        let root = SVGBackend::with_string(&mut plain, (800, 500)).into_drawing_area();
        let style = Style {
            width: 800.0,
            ..Style::default()
        };
        draw_figure(&root, &lab, FigureId::Trace, &view, None, &style).unwrap();
        root.present().unwrap();
    }
    let sizes = |svg: &str| -> Vec<f64> {
        let doc = roxmltree::Document::parse(svg).unwrap();
        doc.descendants()
            .filter_map(|n| n.attribute("font-size"))
            .map(|s| s.parse().unwrap())
            .collect()
    };
    let (big, small) = (sizes(&exported), sizes(&plain));
    assert!(!big.is_empty());
    assert_eq!(big.len(), small.len());
    for (b, s) in big.iter().zip(&small) {
        assert!((b - s * SVG_FONT_SHRINK).abs() < 1e-9, "{b} vs {s}");
    }
}

/// The slice's note on a flat line (three coins from the symmetric start: ℓ and L agree along it) stays
/// inside a narrow figure: on two lines, broken after its colon, where one line would run past the plot
/// (a 1024-px screen cut "EM has nothing left to c…"), and on one line where it fits.
#[test]
fn the_flat_slice_note_breaks_where_it_would_not_fit() {
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    lab.use_start(0).unwrap(); // (π, p, q) = (0.5, 0.5, 0.5): every coin the same
    for _ in 0..2 {
        lab.step().unwrap();
    }
    for lang in [Lang::En, Lang::Zh] {
        let note = text::get(lang, "slice-flat");
        let (first, second) = emlab::figures::slice::middle_break(note).unwrap();
        let texts = |width| {
            let view = FigureView::default();
            let svg = figure_svg(&lab, FigureId::Slice, &view, None, lang, (width, 400)).unwrap();
            svg_texts(&svg, "slice")
        };
        let wide = texts(1600);
        assert!(
            wide.iter().any(|t| t == note),
            "{lang:?}: one line at 1600 px: {wide:?}"
        );
        let narrow = texts(480);
        assert!(
            !narrow.iter().any(|t| t == note),
            "{lang:?}: not one line at 480 px"
        );
        assert!(narrow.iter().any(|t| t == first), "{lang:?}: {first}");
        assert!(narrow.iter().any(|t| t == second), "{lang:?}: {second}");
        // Under the flat curves, clear of them: 8 % of a short panel's height put its ground on them.
        for height in [230, 300, 400] {
            let view = FigureView::default();
            let svg = figure_svg(&lab, FigureId::Slice, &view, None, lang, (480, height)).unwrap();
            let (top, bottom, _, _) = slice_note_ground(&svg)
                .unwrap_or_else(|| panic!("{lang:?} {height}: the note's ground"));
            let curves: Vec<f64> = svg
                .lines()
                .filter(|l| l.starts_with("<polyline") && !l.contains("stroke=\"#000000\""))
                .map(svg_points)
                .filter(|pts| pts.len() > 10 && pts.iter().all(|p| p.1 == pts[0].1))
                .map(|pts| pts[0].1)
                .collect();
            assert!(!curves.is_empty(), "{lang:?} {height}: the flat curves");
            for y in curves {
                assert!(
                    y + 2.0 < top || y - 2.0 > bottom,
                    "{lang:?} {height}: a curve at y = {y} on the note's ground {top}…{bottom}"
                );
            }
        }
    }
}

/// On a coin lesson's 290-px slice (1280×720, three figures to a row) the flat note in two lines was 9 px type;
/// there it says its short words ("ℓ = L along this line: nothing left to climb") in at least 85 % of the label
/// type, and the whole note where that fits.
#[test]
fn the_flat_slice_note_is_said_shortly_where_the_whole_would_be_tiny() {
    let mut lab = Lab::preset("three-coins", 2, 1).unwrap();
    lab.use_start(0).unwrap();
    for _ in 0..2 {
        lab.step().unwrap();
    }
    let view = FigureView::default();
    let svg = figure_svg(&lab, FigureId::Slice, &view, None, Lang::En, (290, 300)).unwrap();
    let texts = svg_texts(&svg, "slice");
    let (first, second) =
        emlab::figures::slice::middle_break(text::get(Lang::En, "slice-flat-short")).unwrap();
    assert!(
        texts.iter().any(|t| t == first) && texts.iter().any(|t| t == second),
        "the short note: {texts:?}"
    );
    assert!(
        !texts.iter().any(|t| t.contains("agree")),
        "not the whole note: {texts:?}"
    );
    let size = |line: &str| {
        let lines: Vec<&str> = svg.lines().collect();
        let at = lines.iter().position(|l| l.contains(line)).unwrap();
        [lines[at], lines[at.saturating_sub(1)]]
            .into_iter()
            .find_map(|l| svg_attr_opt(l, "font-size"))
            .unwrap()
    };
    // Against the legend's type in the same figure (the label type).
    let legend = size("lower bound");
    assert!(
        size("nothing left to climb") >= 0.85 * legend,
        "{} px against {legend}",
        size("nothing left to climb")
    );
    let wide = figure_svg(&lab, FigureId::Slice, &view, None, Lang::En, (800, 500)).unwrap();
    assert!(
        svg_texts(&wide, "slice")
            .iter()
            .any(|t| t.contains("agree")),
        "the whole note where it fits"
    );
}

#[test]
fn a_log_probability_is_never_above_zero_and_kl_never_below() {
    // Sets of tosses that are all heads: EM reaches θ = 1, where ℓ = ln 1 = 0; rounding gave
    // ℓ = 2.2e-16 (a probability above 1) and the trace's KL −1.8e-15.
    let mut lab = Lab::from_csv("coins", "HHHH\nHHH\n", 2, 1, 0).unwrap();
    lab.run_to_convergence(100).unwrap();
    let b = lab.bound();
    assert!(b.loglik() <= 0.0, "ℓ = {}", b.loglik());
    assert!(b.lower_bound() <= 0.0, "L = {}", b.lower_bound());
    assert!(b.trace().iter().all(|p| p.loglik <= 0.0 && p.bound <= 0.0));
    check_csv(&lab, "all heads");
}

/// The Jensen figure's title names its point in full type: on a tablet's narrow figure a 2-D point's whole
/// title ("Jensen's inequality for one point (x = (0.5225, 1.629))") was shrunk to 13 px beside the next
/// figure's 18; there it says "Jensen's inequality (x = …)" instead, and the whole title where it fits.
#[test]
fn the_jensen_title_is_shortened_before_its_type_is_shrunk() {
    let mut lab = Lab::preset("old-faithful", 2, 1).unwrap();
    lab.step().unwrap();
    for lang in [Lang::En, Lang::Zh] {
        let full = text::get(lang, "fig-jensen");
        let short = text::get(lang, "fig-jensen-short");
        let title = |width| {
            let view = FigureView::default();
            let svg = figure_svg(&lab, FigureId::Jensen, &view, None, lang, (width, 400)).unwrap();
            let title = svg_texts(&svg, "jensen")
                .into_iter()
                .find(|t| t.starts_with(short) || t.starts_with(full))
                .unwrap_or_else(|| panic!("{lang:?} {width}: a title"));
            // The `<text …>` tag on the title's line or the line before it.
            let lines: Vec<&str> = svg.lines().collect();
            let point = &title[title.find("(x =").unwrap()..];
            let at = lines.iter().position(|l| l.contains(point)).unwrap();
            let size = [lines[at], lines[at.saturating_sub(1)]]
                .into_iter()
                .find_map(|l| svg_attr_opt(l, "font-size"))
                .unwrap_or_else(|| panic!("{lang:?} {width}: the title's size"));
            (title, size)
        };
        let (wide, _) = title(1400);
        assert!(
            wide.starts_with(full) && wide.contains("(x = ("),
            "{lang:?}: {wide}"
        );
        let (narrow, narrow_size) = title(360);
        assert!(
            narrow.starts_with(&format!("{short} (x = (")),
            "{lang:?}: {narrow}"
        );
        // Against the trace's title beside it, at the same size.
        let view = FigureView::default();
        let trace = figure_svg(&lab, FigureId::Trace, &view, None, lang, (360, 400)).unwrap();
        let lines: Vec<&str> = trace.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains(text::get(lang, "fig-trace")))
            .unwrap();
        let trace_size = [lines[at], lines[at.saturating_sub(1)]]
            .into_iter()
            .find_map(|l| svg_attr_opt(l, "font-size"))
            .unwrap();
        assert!(
            narrow_size >= 0.85 * trace_size,
            "{lang:?}: {narrow_size} px against the trace's {trace_size}"
        );
    }
}
