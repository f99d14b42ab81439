//! "Log-likelihood and bound trace": ℓ and L after every half-step (E: L jumps up to ℓ; M: both rise),
//! iterations on the x-axis, and a mark where convergence was declared.

use super::format::{fixed_number, tick_number, NOISE};
use super::inset::{clear_box, Corner, Obstacles};
use super::legend::{legend_band, LegendEntry, Swatch};
use super::style::{
    axes, chart_untitled, draw_y_desc, fitting_y_desc, fitting_y_labels, titled, y_label_room,
    Style, BOUND, INK,
};
use super::FigureError;
use crate::core::bound::BoundView;
use crate::core::em::{Phase, TracePoint};
use crate::text::fill;
use plotters::coord::types::RangedCoordf64;
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
    // Hard EM (k-means) has no bound to draw: its one curve is the objective J of each state's assignment
    // and centres, which both half-steps lower.
    let hard = view.is_hard();
    let points: Vec<TracePoint> = view
        .trace()
        .iter()
        .map(|p| {
            if hard {
                TracePoint {
                    loglik: p.hard_objective(),
                    bound: p.hard_objective(),
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
    // The last iterations' steps, too small to see under the start's L far below: a magnifier opens them
    // (not at convergence, where they are as small as the tolerance and the mark says why; once a new floor
    // has taken convergence back, again).
    if !trace.last().is_some_and(|p| p.converged) {
        if let Some(window) = last_iterations(trace, hard) {
            magnify(
                root,
                &chart,
                trace,
                window,
                hi - lo + 2.0 * pad,
                (markers, hard),
                style,
            )?;
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

/// How many whole iterations the trace's magnifier shows.
pub const MAGNIFIED_ITERATIONS: usize = 2;

/// The least magnification worth the trace's magnifier.
pub const MIN_MAGNIFICATION: f64 = 5.0;

/// The trace's last [`MAGNIFIED_ITERATIONS`] iterations: the index of their first point and their values'
/// range, when there are as many after the start's (whose L, far below, sets the axis) and they moved by
/// more than rounding noise. None otherwise.
fn last_iterations(trace: &[TracePoint], hard: bool) -> Option<(usize, (f64, f64))> {
    let last = position(trace.last()?);
    let reach = MAGNIFIED_ITERATIONS as f64;
    if last < reach + 1.0 {
        return None;
    }
    let from = trace
        .iter()
        .rposition(|p| position(p) < last - reach - 1e-9)
        .map_or(0, |i| i + 1);
    let values = trace[from..]
        .iter()
        .flat_map(|p| [p.loglik, if hard { p.loglik } else { p.bound }]);
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    // Ten times the page's rounding-noise rule: at 100 times the staircase left heights 740 iterations
    // before convergence, while ℓ still rose by 3.6e-4 nats an iteration.
    let moved = hi - lo > 10.0 * NOISE * hi.abs().max(1.0);
    (lo.is_finite() && hi.is_finite() && moved).then_some((from, (lo, hi)))
}

/// The magnifier of the last iterations (`window`: their first point and values' range), in the corner
/// the curves leave empty, when on the main axis (`span` nats high) they are less than 16 px high; under a
/// label with its magnification ("the last 2 iterations ×48"). Nothing where no corner is clear.
fn magnify<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    chart: &ChartContext<'_, DB, Cartesian2d<RangedCoordf64, RangedCoordf64>>,
    trace: &[TracePoint],
    (from, (lo, hi)): (usize, (f64, f64)),
    span: f64,
    (markers, hard): (bool, bool),
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let at_px = |x: f64, y: f64| {
        let (x, y) = chart.backend_coord(&(x, y));
        (f64::from(x), f64::from(y))
    };
    let last = position(&trace[trace.len() - 1]);
    if at_px(last, lo).1 - at_px(last, hi).1 >= f64::from(style.px(16.0)) {
        return Ok(());
    }
    let (xs, ys) = chart.plotting_area().get_pixel_range();
    let plot = (
        (f64::from(xs.start), f64::from(xs.end)),
        (f64::from(ys.start), f64::from(ys.end)),
    );
    let (plot_w, plot_h) = (plot.0 .1 - plot.0 .0, plot.1 .1 - plot.1 .0);
    let font = style.tick_font().color(&INK);
    let label = |factor: f64| {
        fill(
            style.text("trace-magnified"),
            &[
                ("n", MAGNIFIED_ITERATIONS.to_string()),
                ("factor", super::format::factor_number(factor)),
            ],
        )
    };
    // Measured with the widest factor the label can print (its thousands grouped, as the axes write them).
    let widest = label((span / (hi - lo)).max(1.0));
    let (label_w, label_h) = root
        .estimate_text_size(&widest, &font)
        .map_or((0.0, 0.0), |(w, h)| (f64::from(w), f64::from(h)));
    // What the box must not cover: both curves and their markers.
    let series = series(style, hard);
    let lines: Vec<Vec<(f64, f64)>> = series
        .iter()
        .map(|&(_, _, _, is_loglik)| {
            trace
                .iter()
                .map(|p| at_px(position(p), if is_loglik { p.loglik } else { p.bound }))
                .collect()
        })
        .collect();
    let dots = match markers {
        true => lines
            .iter()
            .flatten()
            .map(|&p| (p, f64::from(style.px(6.0))))
            .collect(),
        false => Vec::new(),
    };
    let obstacles = Obstacles::new(&lines, dots, f64::from(style.px(4.0)));
    let label_room = label_w + f64::from(style.px(16.0));
    let least_h = 2.0 * label_h + f64::from(style.px(60.0));
    let full = (
        (0.45 * plot_w).max(label_room).min(0.9 * plot_w),
        (0.45 * plot_h).max(least_h).min(0.6 * plot_h),
    );
    let least = (label_room.min(full.0), least_h.min(full.1));
    // ℓ rises, so the lower right is empty; k-means' J falls, leaving the upper right.
    let corners = match hard {
        false => [Corner::LOWER_RIGHT, Corner::UPPER_RIGHT],
        true => [Corner::UPPER_RIGHT, Corner::LOWER_RIGHT],
    };
    let pad = f64::from(style.px(8.0));
    let Some((left, top, w, h)) = clear_box(&corners, plot, pad, full, least, &obstacles) else {
        return Ok(());
    };
    // Worth a box only where it magnifies 5 times or more (k-means after 4 steps: ×3 over a quarter of
    // the plot). The inset's plot is the box less its label band and the iterations' row.
    let inset_estimate = h - 2.0 * label_h - f64::from(style.px(16.0));
    if inset_estimate / (1.3 * (hi - lo)) / (plot_h / span) < MIN_MAGNIFICATION {
        return Ok(());
    }
    let base = root.get_base_pixel();
    let area = root.clone().shrink(
        (left as i32 - base.0, top as i32 - base.1),
        (w as u32, h as u32),
    );
    area.fill(&WHITE)?;
    let first = position(&trace[from]);
    let room = 0.15 * (hi - lo);
    let x_pad = 0.15 * (last - first);
    let mut inset = ChartBuilder::on(&area)
        .margin(style.px(8.0))
        .margin_top(style.px(10.0) + label_h as i32)
        .margin_bottom(style.px(6.0) + label_h as i32)
        .build_cartesian_2d(first - x_pad..last + x_pad, lo - room..hi + room)?;
    // The iterations under their M-steps, so the inset reads against the main axis.
    let whole = (first.ceil() as usize)..=(last.floor() as usize);
    inset.draw_series(whole.map(|n| {
        EmptyElement::at((n as f64, lo - room))
            + Text::new(
                n.to_string(),
                (0, style.px(3.0)),
                font.clone().pos(Pos::new(HPos::Center, VPos::Top)),
            )
    }))?;
    for (color, width, _, is_loglik) in series {
        let value = move |p: &TracePoint| if is_loglik { p.loglik } else { p.bound };
        let points: Vec<(f64, f64)> = trace[from..]
            .iter()
            .map(|p| (position(p), value(p)))
            .collect();
        inset.draw_series(LineSeries::new(
            points.clone(),
            color.stroke_width(style.upx(width)),
        ))?;
        let size = style.px(if is_loglik { 3.5 } else { 6.0 });
        inset.draw_series(points.iter().map(|&p| Circle::new(p, size, color.filled())))?;
    }
    // The magnification: pixels per nat in the inset against the main axis.
    let inset_h = {
        let ys = inset.plotting_area().get_pixel_range().1;
        f64::from(ys.end - ys.start)
    };
    let factor = (inset_h / (hi - lo + 2.0 * room)) / (plot_h / span);
    area.draw(&Rectangle::new(
        [(0, 0), (w as i32 - 1, h as i32 - 1)],
        INK.stroke_width(style.upx(1.5)),
    ))?;
    area.draw(&Text::new(
        label(factor),
        (style.px(6.0), style.px(4.0)),
        font.pos(Pos::new(HPos::Left, VPos::Top)),
    ))?;
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
