//! "Jensen's inequality for one point": the markers rₖ = p(xᵢ, k | θ) / qᵢₖ on the concave y = ln r, their
//! q-weighted chord point (this point's share of L) under the curve point ln p(xᵢ | θ) (its share of ℓ).

use super::slice::{axis_number, tick_number};
use super::style::{axes, chart, component_color, linspace, Style, BOUND, GAP, INK};
use super::FigureError;
use crate::core::bound::{BoundView, JensenPoint};
use crate::text::fill;
use plotters::coord::Shift;
use plotters::prelude::*;

/// Responsibilities below this get no marker (they would be invisible dots far down the curve).
pub const MIN_MARKER_Q: f64 = 1e-3;

/// The (r, ln r) window: every visible marker and the curve point, with room around them.
pub fn window(j: &JensenPoint) -> ((f64, f64), (f64, f64)) {
    let shown = |k: &usize| j.q[*k] >= MIN_MARKER_Q && j.r[*k].is_finite();
    let ks: Vec<usize> = (0..j.q.len()).filter(shown).collect();
    let r_max = ks.iter().map(|&k| j.r[k]).fold(j.curve.0, f64::max);
    let x_max = 1.25 * r_max.max(f64::MIN_POSITIVE);
    let y_min = ks.iter().map(|&k| j.ln_r[k]).fold(j.curve.1, f64::min);
    let y_top = x_max.ln();
    let span = (y_top - y_min).max(1.0);
    ((0.0, x_max), (y_min - 0.25 * span, y_top + 0.08 * span))
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
    let ((x0, x1), (y0, y1)) = window(&j);
    let title = format!("{} ({})", style.text("fig-jensen"), view.describe(i));
    let mut chart = chart(root, &title, 90.0, x0..x1, y0..y1, style)?;
    axes(&mut chart, style)
        .x_labels(5)
        .y_labels(6)
        .x_label_formatter(&|v| tick_number(*v, x1 - x0))
        .y_label_formatter(&|v| tick_number(*v, y1 - y0))
        .x_desc(style.text("axis-r"))
        .y_desc(style.text("axis-ln-r"))
        .draw()?;

    // y = ln r, sampled evenly in ln r so the steep part near 0 is smooth.
    let curve = linspace(y0.max(x1.ln() - 60.0), x1.ln(), 400).map(|y| (y.exp(), y));
    let ink = INK.stroke_width(style.upx(3.0));
    chart
        .draw_series(LineSeries::new(curve, ink))?
        .label(style.text("legend-ln"))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], ink));

    // The chord polygon through the markers: every q-weighted mean of them lies inside it.
    let mut shown: Vec<usize> = (0..j.q.len())
        .filter(|&k| j.q[k] >= MIN_MARKER_Q && j.r[k].is_finite())
        .collect();
    shown.sort_by(|&a, &b| j.r[a].total_cmp(&j.r[b]));
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
    shown.sort_by(|&a, &b| j.q[b].total_cmp(&j.q[a]));
    for &k in &shown {
        let size = style.px(5.0 + 14.0 * j.q[k].sqrt());
        let at = (j.r[k], j.ln_r[k].max(y0));
        chart.draw_series([
            Circle::new(at, size, component_color(k).filled()),
            Circle::new(at, size, WHITE.stroke_width(style.upx(2.0))),
        ])?;
    }

    // The gap: from the chord point up to the curve point.
    let (cx, cy) = j.chord;
    let (px, py) = j.curve;
    let gap_stroke = GAP.stroke_width(style.upx(4.0));
    chart
        .draw_series(std::iter::once(PathElement::new(
            vec![(cx, cy.max(y0)), (px, py)],
            gap_stroke,
        )))?
        .label(fill(
            style.text("legend-gap"),
            &[("value", axis_number(j.gap))],
        ))
        .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], gap_stroke));
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
    chart
        .draw_series(std::iter::once(diamond((cx, cy.max(y0)))))?
        .label(style.text("legend-chord"))
        .legend(move |(x, y)| Circle::new((x + 12, y), 6, BOUND.filled()));
    chart
        .draw_series(std::iter::once(Circle::new(
            (px, py),
            style.px(7.0),
            INK.filled(),
        )))?
        .label(style.text("legend-curve"))
        .legend(move |(x, y)| Circle::new((x + 12, y), 6, INK.filled()));

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(style.tick_font())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(j)
}
