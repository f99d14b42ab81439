//! "Jensen's inequality for one point": the markers rₖ = p(xᵢ, k | θ) / qᵢₖ on the concave y = ln r, their
//! q-weighted chord point (this point's share of L) under the curve point ln p(xᵢ | θ) (its share of ℓ).

use super::format::{axis_number, cut_zeros, ending_zeros, gap_number, tick_number};
use super::inset::{clear_box, Corner, Obstacles};
use super::legend::{legend_band, LegendEntry, Swatch};
use super::style::{
    axes, chart_untitled, component_color, component_marker, desc_font_if_fits, draw_y_desc,
    emptiest_corner, fitted_lines, fitting_desc_font, fitting_labels, fitting_y_labels, linspace,
    title_fits, titled, y_label_room, Marker, Style, BOUND, GAP, INK,
};
use super::FigureError;
use crate::core::bound::{BoundView, JensenPoint};
use crate::core::em::Phase;
use crate::core::small_sort::sort_small_by;
use crate::text::fill;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Responsibilities below this get no marker (they would be invisible dots far down the curve).
pub const MIN_MARKER_Q: f64 = 1e-3;

/// The (r, ln r) window, zoomed to the markers: the component points rₖ, the chord point and the curve
/// point with margins, so the chord spans most of the width however close the markers are (on `heights`
/// they differ in the fifth digit). When the markers meet (after an E-step) the window is the curve
/// around p(xᵢ | θ), as where the gap reads 0 (`gap_zero`, [`gap_reads_zero`]). Returns the x and y
/// ranges and whether the markers meet.
pub fn window(j: &JensenPoint, gap_zero: bool) -> ((f64, f64), (f64, f64), bool) {
    let shown: Vec<usize> = (0..j.q.len())
        .filter(|&k| j.q[k] >= MIN_MARKER_Q && j.r[k].is_finite() && j.r[k] > 0.0)
        .collect();
    let xs = shown.iter().map(|&k| j.r[k]).chain([j.chord.0, j.curve.0]);
    let (x_lo, x_hi) = xs
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let p = j.curve.0;
    let spread = x_hi - x_lo;
    // A gap the legend reads as 0 (rounding noise, `format::NOISE`) is drawn as none: at convergence a
    // magnifier opened a gap of a few billionths ×200,000 under a legend saying "gap KL = 0".
    let meet = spread.is_nan() || spread <= 1e-9 * x_hi.abs() || gap_zero;
    let (x0, x1) = if meet || !(p.is_finite() && p > 0.0) {
        let p = if p.is_finite() && p > 0.0 { p } else { 1.0 };
        (0.5 * p, 1.5 * p)
    } else {
        // The same margin on the left even where it reaches below r = 0 (no tick is labelled there, and
        // ln r starts where it enters the plot): clamped at ½·r, a marker near 0 sat on the y axis, over
        // its tick labels (death-notices, two-gaussians at the start).
        let margin = 0.18 * (x_hi - x_lo);
        (x_lo - margin, x_hi + margin)
    };
    // The curve's height at the left edge, or at ½·r where the edge is at or below 0.
    let left = if x_lo.is_finite() {
        x0.max(0.5 * x_lo)
    } else {
        x0
    };
    let ys = shown
        .iter()
        .map(|&k| j.ln_r[k])
        .chain([j.chord.1, j.curve.1, left.ln(), x1.ln()]);
    let (y_lo, y_hi) = ys
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
            (a.min(v), b.max(v))
        });
    let span = (y_hi - y_lo).max(1e-12 * y_hi.abs()).max(f64::MIN_POSITIVE);
    // Where the markers meet, the note under them ("q = posterior: … the gap is 0") needs a band the curve
    // leaves free: the curve's left end came down onto its first words.
    let below = if meet { 0.45 } else { 0.1 };
    ((x0, x1), (y_lo - below * span, y_hi + 0.12 * span), meet)
}

/// Draws the Jensen figure for observation `i` (which must exist).
pub fn draw_jensen<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &dyn BoundView,
    i: usize,
    style: &Style,
) -> Result<JensenPoint, FigureError<DB>> {
    root.fill(&WHITE)?;
    let j = view.jensen(i);
    let gap_zero = gap_reads_zero(&j, view);
    let ((x0, x1), (y0, y1), meet) = window(&j, gap_zero);
    // "Jensen's inequality (x = (0.5225, 1.629))" where the whole title would be drawn much smaller (a 2-D
    // point on a tablet's 360-px figure: 13 px type beside the next figure's 18).
    let point = view.describe(i, style.lang);
    let full = format!("{} ({point})", style.text("fig-jensen"));
    let title = if title_fits(root, &full, 0.85, style) {
        full
    } else {
        format!("{} ({point})", style.text("fig-jensen-short"))
    };
    // The legend in a band under the title: inside the plot it covered the markers where they meet.
    let entries = [
        LegendEntry::new(Swatch::Line(INK, 3.0, None), style.text("legend-ln")),
        LegendEntry::new(
            Swatch::Line(GAP, 4.0, None),
            fill(
                style.text("legend-gap"),
                &[(
                    "value",
                    gap_number(if gap_zero { 0.0 } else { j.gap }, j.curve.1, axis_number),
                )],
            ),
        ),
        LegendEntry::new(
            Swatch::Marker(Marker::Diamond, BOUND),
            style.text("legend-chord"),
        ),
        LegendEntry::new(
            Swatch::Marker(Marker::Circle, INK),
            style.text("legend-curve"),
        ),
    ];
    let body = legend_band(&titled(root, &title, style)?, &entries, style)?;
    // Room for the widest tick label (at least the 90 px every figure had), but at most a quarter of a
    // narrow figure: the plot and the zoomed range under it need the rest.
    let y_room_wanted = y_label_room(y0..y1, style);
    let y_room = y_room_wanted.min(0.25 * style.width).max(90.0);
    let mut chart = chart_untitled(&body, y_room, x0..x1, y0..y1, style)?;
    // The zoom, printed with the axis, so nobody mistakes the scale of a window a few millionths wide.
    let window = |axis: &str| {
        fill(
            style.text("jensen-window"),
            &[
                ("axis", axis.to_string()),
                // r is never below 0: a window from 0 says "0" ("0.0000 … 0.0014" read as a zero r).
                (
                    "r0",
                    if x0 <= 0.0 {
                        "0".to_string()
                    } else {
                        tick_number(x0, x1 - x0)
                    },
                ),
                ("r1", tick_number(x1, x1 - x0)),
            ],
        )
    };
    // Where the whole of it would be clipped even in smaller type (a coin lesson's 300-px figure in
    // Chinese: "r = p(x, k | θ) / q_k，已放大：3.967302e−3 ⋯ 3.967375e−3"), the axis is named by its
    // letter alone; the ticks and the window stay.
    let full = window(style.text("axis-r"));
    let (x_desc, desc_font) = match desc_font_if_fits(root, &chart, &full, style) {
        Some(font) => (full, font),
        None => {
            let short = window("r");
            let font = fitting_desc_font(root, &chart, &short, style);
            (short, font)
        }
    };
    let (x_labels, crowded) = fitting_labels(&chart, &tick_number(x1, x1 - x0), 5, style);
    // plotters' nice steps can leave one tick (r from 0.0015 to 0.0025: "0.002" at 4 asked): then ticks at
    // the next finer step, every other one labelled ("0.0016 0.0020 0.0024" under five ticks).
    let key_points = |n: usize| -> Vec<f64> {
        use plotters::coord::ranged1d::Ranged;
        let mut points = plotters::coord::types::RangedCoordf64::from(x0..x1).key_points(n);
        points.retain(|v| *v >= 0.0);
        points
    };
    let (x_labels, alternate) = if key_points(x_labels).len() >= 2 {
        (x_labels, false)
    } else {
        (x_labels + 1..=2 * x_labels)
            .find(|&n| key_points(n).len() >= 3)
            .map_or((x_labels, false), |n| (n, true))
    };
    let ticks = key_points(x_labels);
    // Where even four labels are crowded, the zeros every label ends with are cut ("2.00e-4" → "2e-4"),
    // so all keep one number of decimals.
    let zeros = if crowded {
        ticks
            .iter()
            .map(|&v| ending_zeros(&tick_number(v, x1 - x0)))
            .min()
            .unwrap_or(0)
    } else {
        0
    };
    let text = |v: f64| cut_zeros(&tick_number(v, x1 - x0), zeros);
    // Every `stride`-th tick is labelled: the least stride (2 where the ticks were made finer) that leaves
    // a label's width and a quarter between labels. On a coin lesson's 320-px figure at 1366×768
    // "3.96732e−3 3.96734e−3 3.96736e−3" ran together.
    let stride = {
        let width = f64::from(chart.plotting_area().dim_in_pixel().0);
        let font = TextStyle::from(style.tick_font());
        let label = ticks
            .iter()
            .filter_map(|&v| {
                chart
                    .plotting_area()
                    .estimate_text_size(&text(v), &font)
                    .ok()
            })
            .map(|(w, _)| f64::from(w))
            .fold(1.0, f64::max);
        let step = match ticks.as_slice() {
            [a, b, ..] => (b - a).abs() / (x1 - x0) * width,
            _ => f64::INFINITY,
        };
        ((1.25 * label / step).ceil() as usize).max(if alternate { 2 } else { 1 })
    };
    let labelled = |v: f64| match ticks.iter().position(|&t| t == v) {
        Some(i) => i % stride == 0,
        None => stride == 1,
    };
    let y_labels = fitting_y_labels(&chart, 6, style);
    axes(&mut chart, style)
        .axis_desc_style(desc_font)
        .x_labels(x_labels)
        .y_labels(y_labels)
        .x_label_formatter(&|v| {
            if *v < 0.0 || !labelled(*v) {
                String::new()
            } else {
                text(*v)
            }
        })
        .y_label_formatter(&|v| tick_number(*v, y1 - y0))
        .x_desc(x_desc)
        .draw()?;
    // "ln r" beside the tick labels where they leave it room (the legend's "y = ln r" names the curve too):
    // on a coin lesson's 300-px figure the window's seven-digit ticks ("−5.529650") wanted more than the
    // figure's quarter that the y labels may take, and "ln r" was drawn over them. Measured only where the
    // room was cut short (an SVG's text estimate is wider than the canvas's).
    let tick_font = TextStyle::from(style.tick_font());
    let widest_tick = [y0, y1]
        .iter()
        .filter_map(|&v| {
            body.estimate_text_size(&tick_number(v, y1 - y0), &tick_font)
                .ok()
        })
        .map(|(w, _)| f64::from(w))
        .fold(0.0, f64::max);
    let desc_room = f64::from(style.px(y_room - super::style::CHART_MARGIN - 10.0)) - widest_tick;
    if y_room >= y_room_wanted || desc_room >= style.label_font().get_size() {
        draw_y_desc(
            &body,
            &chart,
            style.text("axis-ln-r"),
            style.label_font(),
            style,
        )?;
    }

    // y = ln r over the window, sampled evenly in ln r so a steep part is smooth.
    let curve = linspace(x0.ln().max(y0), x1.ln().min(y1), 400).map(|y| (y.exp(), y));
    let ink = INK.stroke_width(style.upx(3.0));
    chart.draw_series(LineSeries::new(curve, ink))?;

    // The chord polygon through the markers: every q-weighted mean of them lies inside it.
    let mut shown: Vec<usize> = (0..j.q.len())
        .filter(|&k| j.q[k] >= MIN_MARKER_Q && j.r[k].is_finite())
        .collect();
    sort_small_by(&mut shown, |&a, &b| j.r[a].total_cmp(&j.r[b]).is_lt());
    let corners: Vec<(f64, f64)> = shown.iter().map(|&k| (j.r[k], j.ln_r[k].max(y0))).collect();
    if corners.len() > 2 {
        chart.draw_series(std::iter::once(Polygon::new(
            corners.clone(),
            BOUND.mix(0.12),
        )))?;
    }
    if corners.len() > 1 {
        let mut closed = corners.clone();
        closed.push(corners[0]);
        chart.draw_series(std::iter::once(PathElement::new(
            closed,
            BOUND.stroke_width(style.upx(2.0)),
        )))?;
    }

    // Markers rₖ on the curve, sized by qₖ, largest first so small ones stay visible on top.
    sort_small_by(&mut shown, |&a, &b| j.q[b].total_cmp(&j.q[a]).is_lt());
    // Where markers meet (every rₖ is p(xᵢ | θ) after an E-step), one of the same size hid the other (a
    // square over a circle, q = ½ each). A marker with others on it is drawn a ring wider than the largest of
    // them, and one on another stays larger than the chord point's diamond and the curve point drawn over
    // them all, so each shows as a ring.
    let places: Vec<(f64, f64)> = shown.iter().map(|&k| (j.r[k], j.ln_r[k].max(y0))).collect();
    let centres: Vec<(i32, i32)> = places.iter().map(|at| chart.backend_coord(at)).collect();
    let mut sizes: Vec<i32> = shown
        .iter()
        .map(|&k| style.px(5.0 + 14.0 * j.q[k].sqrt()))
        .collect();
    let lies_on = |a: usize, b: usize, sizes: &[i32]| {
        let (dx, dy) = (centres[a].0 - centres[b].0, centres[a].1 - centres[b].1);
        f64::from(dx).hypot(f64::from(dy)) < f64::from(sizes[b]) / 2.0
    };
    let (ring, core) = (style.px(3.5), style.px(12.0));
    for i in (0..shown.len()).rev() {
        if (0..i).any(|b| lies_on(i, b, &sizes)) {
            sizes[i] = sizes[i].max(core);
        }
        for m in i + 1..shown.len() {
            if lies_on(m, i, &sizes) {
                sizes[i] = sizes[i].max(sizes[m] + ring);
            }
        }
    }
    // Each component's marker has its own shape as well as its colour (a greyscale printout, colour vision).
    for (n, &k) in shown.iter().enumerate() {
        let (at, size) = (places[n], sizes[n]);
        match component_marker(k) {
            Marker::Circle => chart.draw_series([
                Circle::new(at, size, component_color(k).filled()),
                Circle::new(at, size, WHITE.stroke_width(style.upx(2.0))),
            ])?,
            shape => {
                let outline = shape.outline(size);
                let mut closed = outline.clone();
                closed.push(outline[0]);
                chart.draw_series(std::iter::once(
                    EmptyElement::at(at)
                        + Polygon::new(outline, component_color(k).filled())
                        + PathElement::new(closed, WHITE.stroke_width(style.upx(2.0))),
                ))?
            }
        };
    }

    // The gap: from the chord point up to the curve point.
    let (cx, cy) = j.chord;
    let (px, py) = j.curve;
    let gap_stroke = GAP.stroke_width(style.upx(4.0));
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(cx, cy.max(y0)), (px, py)],
        gap_stroke,
    )))?;
    let diamond = |c: (f64, f64)| {
        EmptyElement::at(c)
            + Polygon::new(
                vec![
                    (0, -style.px(9.0)),
                    (style.px(9.0), 0),
                    (0, style.px(9.0)),
                    (-style.px(9.0), 0),
                ],
                BOUND.filled(),
            )
    };
    chart.draw_series(std::iter::once(diamond((cx, cy.max(y0)))))?;
    chart.draw_series(std::iter::once(Circle::new(
        (px, py),
        style.px(7.0),
        INK.filled(),
    )))?;

    if meet {
        let room = chart.plotting_area().dim_in_pixel().0 as i32 - style.px(8.0);
        let note = meet_note(&j, gap_zero, view, style);
        // Two lines already where one would fill the plot to within a tenth: "总差距小于 10⁻¹²·|ℓ|，记为 0",
        // measured to fit a three-coin figure at 1024×768 in presentation, was drawn past its right edge.
        let (lines, font, widest) = fitted_lines(root, &note, style.label_font(), room, 1.1);
        let line_h = (1.2_f64 * font.get_size()).round() as i32;
        let font = font.color(&INK).pos(Pos::new(HPos::Center, VPos::Bottom));
        let at = (0.5 * (x0 + x1), y0 + 0.04 * (y1 - y0));
        // On a white ground, as the slice's notes: the grid lines ran through the words.
        let half_w = widest / 2 + style.px(4.0);
        let ground = Rectangle::new(
            [
                (-half_w, -(lines.len() as i32) * line_h - style.px(2.0)),
                (half_w, style.px(2.0)),
            ],
            WHITE.mix(0.9).filled(),
        );
        chart.draw_series(std::iter::once(EmptyElement::at(at) + ground))?;
        for (i, line) in lines.iter().enumerate() {
            let up = (lines.len() - 1 - i) as i32 * line_h;
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(line.to_string(), (0, -up), font.clone()),
            ))?;
        }
    }

    // The magnifier (below) goes in the corner the curve and the markers leave emptiest.
    let mut drawn: Vec<f64> = linspace(x0, x1, 40)
        .filter(|&r| r > 0.0)
        .flat_map(|r| [r, r.ln()])
        .collect();
    drawn.extend(shown.iter().flat_map(|&k| [j.r[k], j.ln_r[k]]));
    drawn.extend([cx, cy, px, py]);
    let corner = emptiest_corner(&drawn, (x0, x1), (y0, y1), 1);
    let upper_left = matches!(corner, SeriesLabelPosition::UpperLeft);

    // A gap too thin to see (the markers differ in the fifth digit on `heights`): a magnifier in an empty
    // corner shows the chord under the curve with the gap opened up, and says by how much.
    let (_, gap_top) = chart.backend_coord(&(px, py));
    let (_, gap_bottom) = chart.backend_coord(&(cx, cy));
    let visible = f64::from(gap_bottom - gap_top) >= f64::from(style.px(24.0));
    if !meet && !visible && j.gap > 0.0 && j.gap.is_finite() {
        let label = magnifier_label(&j, y1 - y0, style);
        let label_w = root
            .estimate_text_size(&label, &TextStyle::from(style.tick_font()))
            .map_or(0.0, |(w, _)| f64::from(w));
        // What the box must not cover, in pixels: the curve, the chord polygon and the gap's line, and the
        // markers with their sizes (a box sized by the plot alone stood over the curve's upper end).
        let at_px = |p: (f64, f64)| {
            let (x, y) = chart.backend_coord(&p);
            (f64::from(x), f64::from(y))
        };
        let mut lines: Vec<Vec<(f64, f64)>> = vec![linspace(x0.ln().max(y0), x1.ln().min(y1), 400)
            .map(|y| at_px((y.exp(), y)))
            .collect()];
        let mut closed: Vec<(f64, f64)> = corners.iter().map(|&c| at_px(c)).collect();
        closed.extend(closed.first().copied());
        lines.push(closed);
        lines.push(vec![at_px((cx, cy.max(y0))), at_px((px, py))]);
        let mut dots: Vec<((f64, f64), f64)> = places
            .iter()
            .zip(&sizes)
            .map(|(&p, &size)| (at_px(p), f64::from(size)))
            .collect();
        dots.push((at_px((cx, cy.max(y0))), f64::from(style.px(9.0))));
        dots.push((at_px((px, py)), f64::from(style.px(7.0))));
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let plot = (
            (f64::from(xs.start), f64::from(xs.end)),
            (f64::from(ys.start), f64::from(ys.end)),
        );
        // 36 % of the plot's width and 40 % of its height, at least MAGNIFIER_HEIGHT and at most half the
        // plot (in 40 % of a 170-px plot the label left the gap a few pixels, its two dots touching); smaller
        // where the curve or a marker would be under it, down to the label's width and MAGNIFIER_HEIGHT.
        let plot_h = plot.1 .1 - plot.1 .0;
        let plot_w = plot.0 .1 - plot.0 .0;
        let least_h = f64::from(style.px(MAGNIFIER_HEIGHT));
        // Never narrower than its label ("the gap ×1172" ran past the box's right edge at 768 px).
        let label_room = label_w + f64::from(style.px(16.0));
        let full = (
            (0.36 * plot_w).max(label_room).min(0.9 * plot_w),
            (0.40 * plot_h).max(least_h).min(0.5 * plot_h),
        );
        let least = (
            label_room.max(0.2 * plot_w).min(full.0),
            least_h.min(0.4 * plot_h),
        );
        let pad = f64::from(style.px(8.0));
        let margin = f64::from(style.px(3.0));
        let corners = match upper_left {
            true => [Corner::UPPER_LEFT, Corner::LOWER_RIGHT],
            false => [Corner::LOWER_RIGHT, Corner::UPPER_LEFT],
        };
        // Clear of the curve and the markers; where no box is, clear of the markers alone (over a stretch
        // of the curve); where not even that, none: on a coin lesson's 300-px figure the box in "the
        // emptiest corner" stood over the very markers it magnifies.
        let clear = clear_box(
            &corners,
            plot,
            pad,
            full,
            least,
            &Obstacles::new(&lines, dots.clone(), margin),
        )
        .or_else(|| {
            clear_box(
                &corners,
                plot,
                pad,
                full,
                least,
                &Obstacles::new(&[], dots, margin),
            )
        });
        let Some((left, top, iw, ih)) = clear else {
            return Ok(j);
        };
        let chord_slope = {
            let (lo, hi) = shown
                .iter()
                .fold((None::<usize>, None::<usize>), |(lo, hi), &k| {
                    let lo = lo.filter(|&l| j.r[l] <= j.r[k]).or(Some(k));
                    let hi = hi.filter(|&h| j.r[h] >= j.r[k]).or(Some(k));
                    (lo, hi)
                });
            match (lo, hi) {
                (Some(a), Some(b)) if j.r[b] > j.r[a] => {
                    (j.ln_r[b] - j.ln_r[a]) / (j.r[b] - j.r[a])
                }
                _ => 1.0 / px,
            }
        };
        draw_magnifier(
            root,
            (left as i32, top as i32),
            (iw as u32, ih as u32),
            &j,
            chord_slope,
            label,
            style,
        )?;
    }
    Ok(j)
}

/// The note under markers that meet: the gap is 0 (q is the posterior), or, where it is not rounding noise,
/// the component without a marker that makes it (the collapse lesson after its M-step: q₂ = 1e−10 at a point
/// far from the component on x = 10, whose ln r₂ = −4e9 made a gap of 0.47 under "the gap is 0").
fn meet_note(j: &JensenPoint, gap_zero: bool, view: &dyn BoundView, style: &Style) -> String {
    if j.gap.is_nan() || gap_zero {
        // After an M-step q is not the posterior: the gap is only too small to tell from rounding, the whole
        // state's or this point's.
        // Where L is not below ℓ after an M-step (a symmetric start: q is the posterior of components made
        // equal) q is the posterior too, as the slice beside says ("the bound touches ℓ here").
        let id = if view.phase() != Phase::M || view.loglik() <= view.lower_bound() {
            "jensen-meet"
        } else if state_gap_reads_zero(view) {
            "jensen-meet-rounded"
        } else {
            "jensen-meet-point"
        };
        return style.text(id).to_string();
    }
    let share = |k: usize| j.q[k] * (j.curve.1 - j.ln_r[k]);
    let unseen = (0..j.q.len())
        .filter(|&k| {
            j.q[k] > 0.0 && !(j.q[k] >= MIN_MARKER_Q && j.r[k].is_finite() && j.r[k] > 0.0)
        })
        .fold(None, |best: Option<usize>, k| match best {
            Some(b) if share(b) >= share(k) => Some(b),
            _ => Some(k),
        });
    match unseen {
        Some(k) => fill(
            style.text("jensen-unseen"),
            &[("k", (k + 1).to_string()), ("q", axis_number(j.q[k]))],
        ),
        None => style.text("jensen-meet").to_string(),
    }
}

/// True where point `j`'s gap reads 0: rounding noise against its own ln p(xᵢ | θ), or the state's whole gap
/// reads 0 (a point's gap is part of it). The point's gap of 1.9e−10 was magnified ×172,936 beside a total
/// gap the readouts called 0.
pub fn gap_reads_zero(j: &JensenPoint, view: &dyn BoundView) -> bool {
    j.gap <= super::format::NOISE * j.curve.1.abs().max(1.0) || state_gap_reads_zero(view)
}

/// True where the state's whole gap ℓ − L reads 0 by the readouts' rule ([`super::format::gap_value`]).
fn state_gap_reads_zero(view: &dyn BoundView) -> bool {
    super::format::gap_value(view.loglik() - view.lower_bound(), view.loglik()) == 0.0
}

/// The least height of the magnifier, in CSS px: its label, and under it a gap of two dots' width.
pub const MAGNIFIER_HEIGHT: f64 = 76.0;

/// The magnifier's label: "the gap ×86", the gap's magnification against the main plot's ln r range
/// `main_span`.
fn magnifier_label(j: &JensenPoint, main_span: f64, style: &Style) -> String {
    let zoom = main_span / (2.0 * (j.curve.1 - j.chord.1));
    fill(
        style.text("jensen-magnified"),
        &[("factor", super::format::factor_number(zoom))],
    )
}

/// The magnifier: around the chord point, the curve ln r and the chord (the line through the markers)
/// with the gap between them filling most of the height, under `label` (the printed magnification).
fn draw_magnifier<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    size: (u32, u32),
    j: &JensenPoint,
    chord_slope: f64,
    label: String,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let area = root.clone().shrink(at, size);
    area.fill(&WHITE)?;
    let (px, py) = j.curve;
    let (cx, cy) = j.chord;
    let g = py - cy;
    // The gap fills half the height under the label.
    let (ylo, yhi) = (cy - 0.5 * g, py + 0.5 * g);
    let half = 1.2 * g * px;
    let label_font = style.tick_font().color(&INK);
    // The curves keep below the label ("the gap ×173"): in the label's band the curve ran through it.
    let label_h = area
        .estimate_text_size(&label, &label_font)
        .map_or(0, |(_, h)| h as i32);
    let mut inset = ChartBuilder::on(&area)
        .margin(style.px(4.0))
        .margin_top(style.px(8.0) + label_h)
        .build_cartesian_2d(px - half..px + half, ylo..yhi)?;
    // Only what lies inside the inset (plotters would flatten the rest onto its edge).
    let inside = |&(_, y): &(f64, f64)| (ylo..=yhi).contains(&y);
    inset.draw_series(LineSeries::new(
        linspace(px - half, px + half, 120)
            .map(|r| (r, r.ln()))
            .filter(inside),
        INK.stroke_width(style.upx(3.0)),
    ))?;
    inset.draw_series(LineSeries::new(
        linspace(px - half, px + half, 120)
            .map(|r| (r, cy + chord_slope * (r - cx)))
            .filter(inside),
        BOUND.stroke_width(style.upx(2.0)),
    ))?;
    inset.draw_series(std::iter::once(PathElement::new(
        vec![(cx, cy), (px, py)],
        GAP.stroke_width(style.upx(4.0)),
    )))?;
    inset.draw_series([
        Circle::new((px, py), style.px(5.0), INK.filled()),
        Circle::new((cx, cy), style.px(5.0), BOUND.filled()),
    ])?;
    area.draw(&Rectangle::new(
        [(0, 0), (size.0 as i32 - 1, size.1 as i32 - 1)],
        INK.stroke_width(style.upx(1.5)),
    ))?;
    area.draw(&Text::new(
        label,
        (style.px(6.0), style.px(4.0)),
        label_font.pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
    Ok(())
}
