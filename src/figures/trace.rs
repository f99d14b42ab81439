//! "Log-likelihood and bound trace": ℓ and L after every half-step (E: L jumps up to ℓ; M: both rise),
//! iterations on the x-axis, and a mark where convergence was declared.

use super::format::{fixed_number, tick_number};
use super::legend::{legend_band, LegendEntry, Swatch};
use super::style::{
    axes, chart_untitled, draw_y_desc, fitting_y_desc, fitting_y_labels, titled, y_label_room,
    Style, BOUND, INK,
};
use super::FigureError;
use crate::core::bound::BoundView;
use crate::core::em::{Phase, TracePoint};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Beyond this many half-steps the points are drawn as lines only.
pub const MARKER_LIMIT: usize = 120;

/// Where a trace point sits on the iteration axis: E-steps halfway between M-steps.
pub fn position(p: &TracePoint) -> f64 {
    match p.phase {
        Phase::E => p.iteration as f64 + 0.5,
        Phase::Init | Phase::M => p.iteration as f64,
    }
}

/// Draws the trace of ℓ and L.
pub fn draw_trace<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &dyn BoundView,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    root.fill(&WHITE)?;
    // Hard EM (k-means) has no bound: its one curve is the objective J = −(its "ℓ").
    let hard = view.is_hard();
    let points: Vec<TracePoint> = view
        .trace()
        .iter()
        .map(|p| {
            if hard {
                TracePoint {
                    loglik: -p.loglik,
                    bound: -p.loglik,
                    ..*p
                }
            } else {
                *p
            }
        })
        .collect();
    let trace = &points[..];
    let finite = trace
        .iter()
        .flat_map(|p| [p.loglik, p.bound])
        .filter(|v| v.is_finite());
    let (lo, hi) = finite.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    // A flat series (k-means after it settles, J = 99.8 at every step) gets a range around its value,
    // with ticks that read J, not the float noise of a 1e-9-wide window.
    let pad = if hi - lo > 1e-9 * hi.abs().max(1.0) {
        0.06 * (hi - lo)
    } else {
        0.05 * hi.abs().max(1.0)
    };
    // At least five iterations wide, so the ticks fall on whole iterations and the curve has room to grow.
    let x_max = trace.iter().map(position).fold(5.0, f64::max);

    let title = style.text(if hard { "fig-trace-hard" } else { "fig-trace" });
    let x = -0.1..x_max.ceil() + 0.1;
    let label_area = y_label_room(lo - pad..hi + pad, style);
    // The legend in a band under the title (as every figure's): measured once per label, where plotters'
    // own legend box measured its labels by laying the page out at every redraw.
    let entries: Vec<LegendEntry> = series(style, hard)
        .into_iter()
        .map(|(color, width, label, _)| LegendEntry::new(Swatch::Line(color, width, None), label))
        .collect();
    let body = legend_band(&titled(root, title, style)?, &entries, style)?;
    let mut chart = chart_untitled(&body, label_area, x, lo - pad..hi + pad, style)?;
    let (long, short) = if hard {
        ("axis-objective", "axis-objective-short")
    } else {
        ("axis-value", "axis-value-short")
    };
    let (y_desc, desc_font) = fitting_y_desc(&chart, style.text(long), style.text(short), style);
    let y_labels = fitting_y_labels(&chart, 6, style);
    axes(&mut chart, style)
        .x_labels(8)
        .y_labels(y_labels)
        .x_label_formatter(&|v| {
            if (v - v.round()).abs() < 1e-6 {
                fixed_number(v.round(), 0)
            } else {
                fixed_number(*v, 1)
            }
        })
        .y_label_formatter(&|v| tick_number(*v, hi - lo + 2.0 * pad))
        .x_desc(style.text(if hard {
            "axis-iteration-hard"
        } else {
            "axis-iteration"
        }))
        .draw()?;
    draw_y_desc(&body, &chart, y_desc, desc_font, style)?;

    let markers = trace.len() <= MARKER_LIMIT;
    for (color, width, _, is_loglik) in series(style, hard) {
        let value = move |p: &TracePoint| if is_loglik { p.loglik } else { p.bound };
        let points: Vec<(f64, f64)> = trace.iter().map(|p| (position(p), value(p))).collect();
        let stroke = color.stroke_width(style.upx(width));
        chart.draw_series(LineSeries::new(points.clone(), stroke))?;
        if markers {
            let size = style.px(if is_loglik { 3.5 } else { 6.0 });
            chart.draw_series(points.iter().map(|&p| Circle::new(p, size, color.filled())))?;
        }
    }
    if let Some(p) = trace.iter().find(|p| p.converged) {
        let x = position(p);
        let dash = DashedPathElement::new(
            vec![(x, lo - pad), (x, hi + pad)],
            style.px(8.0),
            style.px(6.0),
            INK.mix(0.6).stroke_width(style.upx(1.5)),
        );
        chart.draw_series(std::iter::once(dash))?;
        // Right of the mark, where no curve goes (after the last iteration), when there is room; else left of
        // it, halfway up, where the curves have settled (its right end clear of the dashed line). Left of a
        // mark at iteration 2 of 5, the steep first segment of a fast run went through the words.
        let word = style.text("mark-converged");
        let font = style.tick_font();
        let word_w = chart
            .plotting_area()
            .estimate_text_size(word, &TextStyle::from(font.clone()))
            .map_or(0, |(w, _)| w as i32);
        let mark_px = chart.backend_coord(&(x, lo)).0;
        let right_edge = chart.plotting_area().get_pixel_range().0.end;
        let (offset, anchor) = if right_edge - mark_px >= word_w + style.px(12.0) {
            (style.px(6.0), HPos::Left)
        } else {
            (-style.px(6.0), HPos::Right)
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at((x, 0.5 * (lo + hi)))
                + Text::new(
                    word.to_string(),
                    (offset, 0),
                    font.color(&INK).pos(Pos::new(anchor, VPos::Center)),
                ),
        ))?;
    }
    Ok(())
}

/// The trace's curves, in drawing order: L first and wider, ℓ on top, so both stay visible where they
/// coincide (hard EM: the objective alone). Colour, CSS width, legend label, and whether it is ℓ.
fn series(style: &Style, hard: bool) -> Vec<(RGBColor, f64, String, bool)> {
    let loglik = style.text(if hard {
        "legend-objective"
    } else {
        "legend-loglik"
    });
    let mut series = vec![
        (BOUND, 5.0, style.text("legend-bound").to_string(), false),
        (INK, 2.5, loglik.to_string(), true),
    ];
    series.drain(..usize::from(hard));
    series
}
