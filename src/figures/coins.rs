//! The coin figures. "Which coin tossed each set?" (Do & Batzoglou 2008, Fig. 1b, live): one row per set with its
//! tosses, a bar of its posterior q = P(coin | tosses), and the expected heads and tails the E-step credits to each
//! coin, then the totals and the θ the M-step makes of them. "Path of θ": (θ₁, θ₂) after every M-step in [0, 1]²,
//! with, for two coins with learned weights (Li Hang's three coins), the line πθ1 + (1 − π)θ2 = m̄ on which the
//! likelihood cannot tell the starts apart (Li Hang writes πp + (1 − π)q; q here is the posterior).

use super::format::trimmed_number;
use super::legend::{legend_band, LegendEntry, Swatch};
use super::style::{
    axes, chart_untitled, clip_polyline, component_color, draw_y_desc, fitting_y_desc_font, titled,
    Marker, PlotTransform, Style, BAR, BOUND, INK,
};
use super::FigureError;
use crate::core::coins::Coins;
use crate::core::em::Em;
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontStyle;

/// The most sets drawn as rows; the rest are summarised in a "+N more" line (and counted in the totals).
pub const MAX_ROWS: usize = 20;
/// The smallest row height in CSS pixels (its text is about half of it): below it, rows are cut instead of shrunk.
pub const MIN_ROW_HEIGHT: f64 = 36.0;
/// A table of at most this many sets is a lesson's (Do & Batzoglou's five sets, Li Hang's ten tosses): its
/// rows may shrink to [`LESSON_ROW_HEIGHT`] before any is cut.
pub const LESSON_SETS: usize = 10;
/// The smallest row height of a lesson's table (text about 14 px): at [`MIN_ROW_HEIGHT`] a 1280×720 or
/// 1024×768 screen showed two or one of the five sets.
pub const LESSON_ROW_HEIGHT: f64 = 26.0;
/// Beyond this many points the path is drawn as a line without a dot per iteration.
pub const PATH_DOTS: usize = 200;

// What the E-step credits to each coin is the core's math, beside the M-step it feeds.
pub use crate::core::coins::{coin_credits, credited, CoinCredits};

/// The fraction of all tosses that came up heads, m̄ = Σ hᵢ / Σ nᵢ (0.6 for Li Hang's data).
pub fn heads_fraction(model: &Coins) -> f64 {
    let (h, n) = model.counts().iter().fold((0u64, 0u64), |(h, n), &(a, b)| {
        (h + u64::from(a), n + u64::from(b))
    });
    if n == 0 {
        0.0
    } else {
        h as f64 / n as f64
    }
}

/// The part inside [0, 1]² of the line πθ1 + (1 − π)θ2 = m in the (θ1, θ2) plane, if it crosses the square.
pub fn identifiability_segment(pi: f64, m: f64) -> Option<((f64, f64), (f64, f64))> {
    let (a, b) = (pi, 1.0 - pi);
    let norm2 = a * a + b * b;
    if !(norm2 > 0.0 && m.is_finite()) {
        return None;
    }
    // The point of the line nearest the origin, and the unit direction along it.
    let (cx, cy) = (m * a / norm2, m * b / norm2);
    let len = norm2.sqrt();
    let (dx, dy) = (b / len, -a / len);
    let ends = [
        (cx - 3.0 * dx, cy - 3.0 * dy),
        (cx + 3.0 * dx, cy + 3.0 * dy),
    ];
    let runs = clip_polyline(&ends, (0.0, 1.0), (0.0, 1.0));
    runs.first().map(|r| (r[0], r[r.len() - 1]))
}

/// A rough width in pixels of `text` at a font of `size` device pixels (plotters draws at about 0.8 of it).
/// The width of `text` in `font` as the backend measures it (the canvas's own text metrics in the page),
/// or [`approx_width`] at `size` when the backend cannot say.
fn measured<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    text: &str,
    font: &TextStyle,
    size: f64,
) -> f64 {
    match root.estimate_text_size(text, font) {
        Ok((w, _)) if w > 0 => f64::from(w),
        _ => approx_width(text, size),
    }
}

fn approx_width(text: &str, size: f64) -> f64 {
    let em: f64 = text
        .chars()
        .map(|c| match c {
            ' ' | '.' | ',' | '(' | ')' | '/' | '|' => 0.3,
            'A'..='Z' | '0'..='9' | '←' | '=' | '+' => 0.62,
            // A CJK character is a whole em wide (the 0.8 below is for Latin text): at 1.0 a Chinese row of
            // ten tosses was taken to fit and its last toss ran under the q bar.
            c if u32::from(c) >= 0x2E80 => 1.25,
            _ => 0.52,
        })
        .sum();
    em * 0.8 * size
}

/// The tosses of a set as shown in its row: "H T T H" when that fits in `width` pixels, else "HTTH", else the
/// first tosses and "…"; "h heads / n" when only the counts are known.
pub fn toss_label(
    sequence: Option<&str>,
    counts: (u32, u32),
    width: f64,
    size: f64,
    style: &Style,
) -> String {
    let Some(seq) = sequence.filter(|s| !s.is_empty()) else {
        let (h, n) = counts;
        return fill(
            style.text("coin-counts"),
            &[("h", h.to_string()), ("n", n.to_string())],
        );
    };
    // Each toss in the language's words for the faces: H / T, 正 / 反 (the credits say "2.2 正，2.2 反").
    let faces: Vec<&str> = seq
        .chars()
        .map(|c| match c {
            'H' => style.text("coin-face-h"),
            _ => style.text("coin-face-t"),
        })
        .collect();
    let spaced = faces.join(" ");
    if approx_width(&spaced, size) <= width {
        return spaced;
    }
    let seq = faces.concat();
    if approx_width(&seq, size) <= width {
        return seq;
    }
    let face_w = approx_width(faces[0], size).max(f64::MIN_POSITIVE);
    let fit = ((width / face_w).floor() as usize).max(2);
    let mut cut: String = faces.iter().take(fit - 1).copied().collect();
    cut.push('…');
    cut
}

/// How many set rows the table shows in `avail` CSS pixels of height: all of them when they fit at
/// [`MIN_ROW_HEIGHT`] ([`LESSON_ROW_HEIGHT`] for a lesson's table of at most [`LESSON_SETS`]) with the header and
/// totals, and there are at most [`MAX_ROWS`]; otherwise as many as fit beside a "+N more" line, at least one.
pub fn rows_shown(sets: usize, avail: f64) -> usize {
    let row = if sets <= LESSON_SETS {
        LESSON_ROW_HEIGHT
    } else {
        MIN_ROW_HEIGHT
    };
    // Header, the gap above the totals, the totals and the M-step line (8.5 lines for five sets: the half
    // line is subtracted before rounding down, or 8.6 lines' room showed three sets and "+2 more").
    let capacity = ((avail / row) - 3.5).floor().max(0.0) as usize;
    if sets <= MAX_ROWS.min(capacity) {
        sets
    } else {
        MAX_ROWS.min(capacity.saturating_sub(1)).max(1).min(sets)
    }
}

/// Pixel columns of the sets table.
struct Columns {
    index: (i32, i32),
    tosses: (i32, i32),
    bar: (i32, i32),
    coins: Vec<(i32, i32)>,
}

impl Columns {
    fn new(left: i32, right: i32, k: usize) -> Self {
        let w = f64::from(right - left);
        let at = |f: f64| left + (f * w).round() as i32;
        let coin_w = 0.47 / k.max(1) as f64;
        Columns {
            index: (at(0.0), at(0.04)),
            tosses: (at(0.05), at(0.28)),
            bar: (at(0.29), at(0.51)),
            coins: (0..k)
                .map(|j| {
                    (
                        at(0.53 + coin_w * j as f64),
                        at(0.53 + coin_w * (j + 1) as f64),
                    )
                })
                .collect(),
        }
    }
}

/// Draws one stacked bar of responsibilities `q` (summing to 1) in `x`, centred on `y`, with the values inside.
fn draw_q_bar<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    q: &[f64],
    x: (i32, i32),
    y: i32,
    height: i32,
    size: f64,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let width = f64::from(x.1 - x.0);
    let (top, bottom) = (y - height / 2, y + height / 2);
    let mut left = f64::from(x.0);
    let label_font = (FontFamily::SansSerif, size * 0.85).into_font();
    for (j, &qj) in q.iter().enumerate() {
        let right = left + qj.clamp(0.0, 1.0) * width;
        let (l, r) = (left.round() as i32, right.round() as i32);
        if r > l {
            root.draw(&Rectangle::new(
                [(l, top), (r, bottom)],
                component_color(j).filled(),
            ))?;
        }
        let label = format!("{qj:.2}");
        if right - left >= approx_width(&label, size * 0.85) + f64::from(style.px(4.0)) {
            let pos = Pos::new(HPos::Center, VPos::Center);
            root.draw(&Text::new(
                label,
                ((l + r) / 2, y),
                label_font.color(&WHITE).pos(pos),
            ))?;
        }
        left = right;
    }
    root.draw(&Rectangle::new(
        [(x.0, top), (x.1, bottom)],
        INK.stroke_width(style.upx(1.5)),
    ))?;
    Ok(())
}

/// Draws the sets table: tosses, posterior bar and credited heads/tails per set, then totals and the new θ.
///
/// `sequences[i]` is set i's tosses as `H`/`T` letters (from `CoinData::sequences`), or `None` when only its
/// counts are known; missing entries count as `None`. The `selected` set's row is framed; returns the rows'
/// transform (y: the row index, downward from 0), from which a click on a row chooses its set
/// (`Model::nearest_row`).
pub fn draw_coin_sets<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    em: &Em<Coins>,
    sequences: &[Option<String>],
    selected: Option<usize>,
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let k = em.k();
    let counts = em.model().counts();
    let credits = coin_credits(em);
    // Count decimals: the paper's one for sets of ten tosses, two for single tosses (Li Hang).
    let max_n = counts.iter().map(|c| c.1).max().unwrap_or(1);
    let (dec_count, dec_theta) = if max_n < 10 { (2, 4) } else { (1, 2) };
    let count = |v: f64| {
        if v == 0.0 {
            "0".to_string()
        } else {
            format!("{v:.dec_count$}")
        }
    };

    let title_h = style.px(48.0);
    let centre = Pos::new(HPos::Center, VPos::Top);
    root.draw(&Text::new(
        style.text("fig-coins"),
        (w / 2, style.px(8.0)),
        style.title_font().color(&INK).pos(centre),
    ))?;

    // Header, rows, the "+N more" line, a half-line gap, totals and the M-step line.
    let avail = f64::from(h - title_h - style.px(8.0)).max(1.0);
    // Rows are counted at the figure's text scale; a lesson's table that would lose rows there (Li Hang's ten
    // tosses in presentation at 1080p, text 1.43×: five rows and "+5 more") is counted at the page's own
    // scale instead, its text then smaller than the other figures' but every set shown.
    let shown = {
        let sets = counts.len();
        let at_scale = rows_shown(sets, avail / style.scale);
        let dpr = if style.width > 0.0 {
            f64::from(w.max(1)) / style.width
        } else {
            style.scale
        };
        if at_scale < sets && sets <= LESSON_SETS && dpr < style.scale {
            rows_shown(sets, avail / dpr)
        } else {
            at_scale
        }
    };
    let more = counts.len() - shown;
    let lines = 1.0 + shown as f64 + if more > 0 { 1.0 } else { 0.0 } + 0.5 + 2.0;
    let row_h = (avail / lines).min(f64::from(style.px(56.0))).max(1.0);
    let size = (row_h / style.scale * 0.55).clamp(10.0, 22.0) * style.scale;
    let cols = Columns::new(style.px(12.0), w - style.px(12.0), k);
    // One size for the whole table, small enough that the header, the totals and the M-step line fit
    // their columns (with a tenth to spare for the estimate), so no cell prints over its neighbour.
    let size = {
        let width = |c: (i32, i32)| f64::from(c.1 - c.0);
        let mut cells: Vec<(String, f64)> = vec![
            (
                style.text("coin-col-tosses").to_string(),
                width(cols.tosses),
            ),
            (
                style.text("coin-col-posterior").to_string(),
                width(cols.bar),
            ),
        ];
        for (j, &c) in cols.coins.iter().enumerate() {
            let header = fill(style.text("coin-col-credit"), &[("k", (j + 1).to_string())]);
            let (th, tt) = credits.totals[j];
            let total = fill(
                style.text("coin-credit"),
                &[("h", count(th)), ("t", count(tt))],
            );
            cells.push((header, width(c)));
            cells.push((total, width(c)));
        }
        let bold = TextStyle::from((FontFamily::SansSerif, size, FontStyle::Bold).into_font());
        let fit = cells
            .iter()
            .map(|(text, room)| room / (1.05 * measured(root, text, &bold, size)))
            .fold(1.0, f64::min);
        (size * fit).max(8.0 * style.scale)
    };
    let font = (FontFamily::SansSerif, size).into_font();
    let bold = (FontFamily::SansSerif, size, FontStyle::Bold).into_font();
    let mid = |line: f64| title_h + (row_h * (line + 0.5)).round() as i32;
    let left = Pos::new(HPos::Left, VPos::Center);
    let right = Pos::new(HPos::Right, VPos::Center);
    let bar_h = (0.7 * row_h).round() as i32;

    // Header.
    let y = mid(0.0);
    root.draw(&Text::new(
        style.text("coin-col-tosses"),
        (cols.tosses.0, y),
        bold.color(&INK).pos(left),
    ))?;
    root.draw(&Text::new(
        style.text("coin-col-posterior"),
        (cols.bar.0, y),
        bold.color(&INK).pos(left),
    ))?;
    for (j, &(x0, _)) in cols.coins.iter().enumerate() {
        let label = fill(style.text("coin-col-credit"), &[("k", (j + 1).to_string())]);
        root.draw(&Text::new(
            label,
            (x0, y),
            bold.color(&component_color(j)).pos(left),
        ))?;
    }

    // One row per set.
    let toss_w = f64::from(cols.tosses.1 - cols.tosses.0);
    for (i, &set_counts) in counts.iter().enumerate().take(shown) {
        let y = mid(1.0 + i as f64);
        if i % 2 == 1 {
            let band = [
                (style.px(6.0), y - (row_h / 2.0) as i32),
                (w - style.px(6.0), y + (row_h / 2.0) as i32),
            ];
            root.draw(&Rectangle::new(band, BAR.mix(0.25).filled()))?;
        }
        root.draw(&Text::new(
            (i + 1).to_string(),
            (cols.index.1, y),
            font.color(&INK.mix(0.6)).pos(right),
        ))?;
        let seq = sequences.get(i).and_then(Option::as_deref);
        let label = toss_label(seq, set_counts, toss_w, size, style);
        root.draw(&Text::new(
            label,
            (cols.tosses.0, y),
            font.color(&INK).pos(left),
        ))?;
        draw_q_bar(root, em.q_row(i), cols.bar, y, bar_h, size, style)?;
        // The set the Jensen figure and the formulas show, framed as the other data figures ring their point.
        if selected == Some(i) {
            let half = (row_h / 2.0) as i32;
            root.draw(&Rectangle::new(
                [(style.px(4.0), y - half), (w - style.px(4.0), y + half)],
                INK.stroke_width(style.upx(2.5)),
            ))?;
        }
        for (j, &(x0, _)) in cols.coins.iter().enumerate() {
            let (ch, ct) = credited(em.q_row(i)[j], counts[i]);
            let text = fill(
                style.text("coin-credit"),
                &[("h", count(ch)), ("t", count(ct))],
            );
            root.draw(&Text::new(
                text,
                (x0, y),
                font.color(&component_color(j)).pos(left),
            ))?;
        }
    }
    let mut line = 1.0 + shown as f64;
    if more > 0 {
        let note = fill(style.text("coin-more"), &[("n", more.to_string())]);
        let italic = (FontFamily::SansSerif, size, FontStyle::Italic).into_font();
        root.draw(&Text::new(
            note,
            (cols.tosses.0, mid(line)),
            italic.color(&INK.mix(0.7)).pos(left),
        ))?;
        // The chosen set is one of those not shown: its line is framed.
        if selected.is_some_and(|i| i >= shown && i < counts.len()) {
            let (y, half) = (mid(line), (row_h / 2.0) as i32);
            root.draw(&Rectangle::new(
                [(style.px(4.0), y - half), (w - style.px(4.0), y + half)],
                INK.stroke_width(style.upx(2.5)),
            ))?;
        }
        line += 1.0;
    }

    // Totals, under a rule.
    let rule_y = title_h + (row_h * (line + 0.25)).round() as i32;
    root.draw(&PathElement::new(
        vec![(style.px(6.0), rule_y), (w - style.px(6.0), rule_y)],
        INK.stroke_width(style.upx(2.0)),
    ))?;
    line += 0.5;
    let y = mid(line);
    root.draw(&Text::new(
        style.text("coin-total"),
        (cols.tosses.0, y),
        bold.color(&INK).pos(left),
    ))?;
    let learned = !em.model().fix_weights();
    if learned {
        draw_q_bar(root, &credits.mean_q, cols.bar, y, bar_h, size, style)?;
    }
    for (j, &(x0, _)) in cols.coins.iter().enumerate() {
        let (th, tt) = credits.totals[j];
        let text = fill(
            style.text("coin-credit"),
            &[("h", count(th)), ("t", count(tt))],
        );
        root.draw(&Text::new(
            text,
            (x0, y),
            bold.color(&component_color(j)).pos(left),
        ))?;
    }

    // What the M-step makes of the totals.
    let y = mid(line + 1.0);
    root.draw(&Text::new(
        style.text("coin-m-step"),
        (cols.tosses.0, y),
        bold.color(&INK).pos(left),
    ))?;
    let weights_id = if learned {
        "coin-weights-learned"
    } else {
        "coin-weights-fixed"
    };
    // With its numbers where they fit ("π ← mean of q" alone gave θ's values but not π's).
    let weights = if learned {
        let values: Vec<String> = credits.mean_q.iter().map(|m| format!("{m:.2}")).collect();
        let value = if values.len() == 1 {
            values.concat()
        } else {
            format!("({})", values.join(", "))
        };
        let with = fill(style.text("coin-weights-value"), &[("value", value)]);
        let room = f64::from(cols.coins[0].0 - cols.bar.0 - style.px(8.0));
        if measured(root, &with, &TextStyle::from(font.clone()), size) <= room {
            with
        } else {
            style.text(weights_id).to_string()
        }
    } else {
        style.text(weights_id).to_string()
    };
    root.draw(&Text::new(
        weights,
        (cols.bar.0, y),
        font.color(&INK).pos(left),
    ))?;
    // θₖ ← heads / tosses = value, in a smaller font if need be; θₖ ← value when even that does not fit.
    let thetas: Vec<(String, String)> = (0..k)
        .map(|j| {
            let k1 = (j + 1).to_string();
            let Some(theta) = credits.theta(j) else {
                let short = fill(
                    style.text("coin-theta-short"),
                    &[("k", k1), ("value", "—".into())],
                );
                return (short.clone(), short);
            };
            let (th, tt) = credits.totals[j];
            let value = format!("{theta:.dec_theta$}");
            let args = [
                ("k", k1.clone()),
                ("h", count(th)),
                ("n", count(th + tt)),
                ("value", value.clone()),
            ];
            let short = fill(
                style.text("coin-theta-short"),
                &[("k", k1), ("value", value)],
            );
            (fill(style.text("coin-theta-new"), &args), short)
        })
        .collect();
    let fit = cols
        .coins
        .iter()
        .zip(&thetas)
        .map(|(&(x0, x1), (long, _))| {
            // Measured by the backend (the page's own fonts: an estimate let "θ1 ← 3.00 / 5.00 = 0.6000"
            // run into θ2's column at 1280 and 1366 px), with a gap before the next column.
            let width = measured(root, long, &TextStyle::from(font.clone()), size);
            f64::from(x1 - x0 - style.px(10.0)) / width
        })
        .fold(1.0_f64, f64::min);
    // One line when it fits (a little smaller if need be); else "θₖ ← h / n" over "= value" in the same
    // row (two lines of at most 0.85 of the size fit the row's height); else θₖ ← value.
    let room = |&(x0, x1): &(i32, i32)| f64::from(x1 - x0 - style.px(10.0));
    let measure = |text: &str| measured(root, text, &TextStyle::from(font.clone()), size);
    let halves: Vec<Option<(String, String)>> = thetas
        .iter()
        .map(|(long, _)| {
            long.split_once(" = ")
                .map(|(head, value)| (head.to_string(), format!("= {value}")))
        })
        .collect();
    let split_fit = cols
        .coins
        .iter()
        .zip(&halves)
        .map(|(c, half)| match half {
            Some((head, tail)) => room(c) / measure(head).max(measure(tail)),
            None => 0.0,
        })
        .fold(1.0, f64::min);
    let two_lines = fit < 0.85 && split_fit >= 0.6;
    let line_size = size * split_fit.min(0.85);
    for (j, ((x0, _), (long, short))) in cols.coins.iter().zip(thetas).enumerate() {
        let color = component_color(j);
        match (&halves[j], fit >= 0.85, two_lines) {
            (_, true, _) => root.draw(&Text::new(
                long,
                (*x0, y),
                (FontFamily::SansSerif, size * fit)
                    .into_font()
                    .color(&color)
                    .pos(left),
            ))?,
            (Some((head, tail)), false, true) => {
                let font = (FontFamily::SansSerif, line_size).into_font();
                let half = (0.55 * line_size).round() as i32;
                root.draw(&Text::new(
                    head.clone(),
                    (*x0, y - half),
                    font.color(&color).pos(left),
                ))?;
                root.draw(&Text::new(
                    tail.clone(),
                    (*x0, y + half),
                    font.color(&color).pos(left),
                ))?;
            }
            _ => root.draw(&Text::new(short, (*x0, y), font.color(&color).pos(left)))?,
        }
    }
    // A click on a row chooses its set: rows downward from 0 at the first row's top edge.
    let rows_top = title_h + row_h.round() as i32;
    let rows_bottom = title_h + (row_h * (1.0 + shown as f64)).round() as i32;
    Ok(PlotTransform::new(
        (0.0, 1.0),
        (shown as f64, 0.0),
        (style.px(6.0)..w - style.px(6.0), rows_top..rows_bottom),
    ))
}

/// Draws θ's path in the (θ₁, θ₂) square and returns the pixel transform of the square.
///
/// `path` holds (θ₁, θ₂) at the start and after every M-step (the caller collects them); the current θ of `em`
/// is marked. For two coins with learned weights, the dashed line πθ1 + (1 − π)θ2 = m̄ at the current π is drawn,
/// where m̄ is the data's fraction of heads: every θ on it gives one toss the same chance of heads.
pub fn draw_coin_path<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    em: &Em<Coins>,
    path: &[(f64, f64)],
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let params = em.params();
    let axis = |k: usize| fill(style.text("axis-theta"), &[("k", k.to_string())]);
    let current = (
        params.heads[0],
        params.heads.get(1).copied().unwrap_or(params.heads[0]),
    );
    // For two coins with learned weights: the line of θ that give one toss the same chance of heads.
    let ident = if em.k() == 2 && !em.model().fix_weights() {
        let m = heads_fraction(em.model());
        identifiability_segment(params.weights[0], m).map(|segment| (segment, m))
    } else {
        None
    };
    // The legend in a band under the title: inside the square it covered the start or the path.
    let mut entries = Vec::new();
    if let Some((_, m)) = ident {
        let label = fill(
            style.text("legend-ident"),
            &[("value", trimmed_number(m, 3))],
        );
        entries.push(LegendEntry::new(
            Swatch::Line(BOUND, 3.0, Some((7.0, 5.0))),
            label,
        ));
    }
    if path.len() > 1 {
        entries.push(LegendEntry::new(
            Swatch::Line(INK, 3.0, None),
            style.text("legend-path"),
        ));
    }
    if !path.is_empty() {
        entries.push(LegendEntry::new(
            Swatch::Ring(INK),
            style.text("legend-start"),
        ));
    }
    entries.push(LegendEntry::new(
        Swatch::Marker(Marker::Circle, BOUND),
        style.text("legend-current"),
    ));
    let body = legend_band(
        &titled(root, style.text("fig-path"), style)?,
        &entries,
        style,
    )?;
    let mut chart = chart_untitled(&body, 80.0, 0.0..1.0, 0.0..1.0, style)?;
    let desc_font = fitting_y_desc_font(&chart, &axis(2), style);
    axes(&mut chart, style)
        .bold_line_style(INK.mix(0.08))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| format!("{v:.1}"))
        .y_label_formatter(&|v| format!("{v:.1}"))
        .x_desc(axis(1))
        .draw()?;
    draw_y_desc(&body, &chart, &axis(2), desc_font, style)?;

    if let Some(((a, b), _)) = ident {
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![a, b],
            style.px(12.0),
            style.px(8.0),
            BOUND.stroke_width(style.upx(3.0)),
        )))?;
    }
    if path.len() > 1 {
        let ink = INK.stroke_width(style.upx(3.0));
        chart.draw_series(LineSeries::new(path.iter().copied(), ink))?;
        if path.len() <= PATH_DOTS {
            chart.draw_series(
                path.iter()
                    .map(|&p| Circle::new(p, style.px(5.0), INK.filled())),
            )?;
        }
    }
    if let Some(&start) = path.first() {
        let ring = INK.stroke_width(style.upx(3.0));
        chart.draw_series(std::iter::once(Circle::new(start, style.px(11.0), ring)))?;
    }
    chart.draw_series(std::iter::once(Circle::new(
        current,
        style.px(11.0),
        WHITE.filled(),
    )))?;
    chart.draw_series(std::iter::once(Circle::new(
        current,
        style.px(8.0),
        BOUND.filled(),
    )))?;
    Ok(PlotTransform::new(
        (0.0, 1.0),
        (0.0, 1.0),
        chart.plotting_area().get_pixel_range(),
    ))
}
