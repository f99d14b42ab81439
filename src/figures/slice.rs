//! "Lower bound along a line in θ" (Bishop PRML Fig. 9.14, live): ℓ(θ) and L(q, θ) for the current q
//! along the EM direction or one coordinate, with θ_old, θ_new and the KL gap marked.

use super::style::{axes, chart, Style, BOUND, GAP, INK};
use super::FigureError;
use crate::core::bound::{BoundView, Slice, SliceAlong};
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Samples along the slice (the issue asks for at least 200).
pub const SLICE_SAMPLES: usize = 201;

/// Samples along the slice for `n` observations: [`SLICE_SAMPLES`] up to 50,000 points, then fewer (each
/// sample is a pass over the data), never under 61 — still a smooth curve at a figure's width.
pub fn samples_for(n: usize) -> usize {
    if n <= 50_000 {
        SLICE_SAMPLES
    } else {
        (SLICE_SAMPLES * 50_000 / n).max(61)
    }
}

/// The y range that keeps θ_old, θ_new and the gap in view: far-away low values are cut off.
pub fn y_range(slice: &Slice, current: (f64, f64)) -> (f64, f64) {
    let all = slice
        .loglik
        .iter()
        .chain(&slice.bound)
        .copied()
        .filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let nearest = |at: f64| {
        let s = (0..slice.at.len())
            .min_by(|&a, &b| {
                (slice.at[a] - at)
                    .abs()
                    .total_cmp(&(slice.at[b] - at).abs())
            })
            .unwrap_or(0);
        slice.loglik[s].min(slice.bound[s])
    };
    // Only finite values place the window (L is −∞ where q gives weight to an impossible component).
    let anchor = [
        current.0,
        current.1,
        nearest(slice.at_old),
        nearest(slice.at_new),
    ]
    .into_iter()
    .filter(|v| v.is_finite())
    .fold(hi, f64::min);
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    let span = (hi - anchor).max(1e-9 * hi.abs()).max(1e-12);
    let lo = lo.max(hi - 2.5 * span);
    let pad = 0.08 * (hi - lo).max(span);
    (lo - pad, hi + pad)
}

/// Splits a curve into runs of points inside [lo, hi], so values off the chart leave a gap, not a flat line.
fn visible_runs(at: &[f64], values: &[f64], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let mut runs = vec![Vec::new()];
    for (&a, &v) in at.iter().zip(values) {
        if v.is_finite() && v >= lo && v <= hi {
            runs.last_mut().expect("runs starts non-empty").push((a, v));
        } else if !runs.last().is_some_and(Vec::is_empty) {
            runs.push(Vec::new());
        }
    }
    runs.retain(|r| r.len() > 1);
    runs
}

/// Draws the slice figure for the current state of `view`.
///
/// `slice` is `view.slice(along, SLICE_SAMPLES)`, computed by the caller so that it can be kept while
/// the state does not change (it is the costly part: ℓ and L over the data at every sample).
pub fn draw_slice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &dyn BoundView,
    along: SliceAlong,
    slice: &Slice,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    root.fill(&WHITE)?;
    let mut slice = slice.clone();
    // Everything is drawn relative to ℓ(θ_old): the differences are what the lesson is about, and they stay
    // readable when ℓ itself is −43,301.033 and a step changes it in the fourth decimal.
    let origin = view.loglik();
    for v in slice.loglik.iter_mut().chain(slice.bound.iter_mut()) {
        *v -= origin;
    }
    let current = (0.0, view.lower_bound() - origin);
    // A degenerate θ_new (the next M-step would collapse a component): ℓ has no finite value there, and
    // the line through it has none either, so the figure says so instead of drawing curves.
    let degenerate = slice
        .at
        .iter()
        .position(|&a| (a - slice.at_new).abs() < 1e-12)
        .is_some_and(|i| !slice.loglik[i].is_finite());
    let (lo, hi) = if degenerate {
        (-1.0, 1.0)
    } else {
        y_range(&slice, current)
    };
    let (a0, a1) = slice.range;
    let x_desc = match along {
        SliceAlong::EmDirection => style.text("axis-slice-t").to_string(),
        SliceAlong::Coordinate(_) => slice.axis.clone(),
    };

    let mut chart = chart(root, style.text("fig-slice"), 100.0, a0..a1, lo..hi, style)?;
    axes(&mut chart, style)
        .x_labels(6)
        .y_labels(6)
        .y_label_formatter(&|v| tick_number(*v, hi - lo))
        .x_desc(x_desc)
        .y_desc(style.text("axis-relative"))
        .draw()?;

    // L first and wider, ℓ on top, so both stay visible where they touch.
    let series = [
        (&slice.bound, BOUND, 5.0, style.text("legend-bound")),
        (&slice.loglik, INK, 2.5, style.text("legend-loglik")),
    ];
    for (values, color, width, label) in series.into_iter().filter(|_| !degenerate) {
        let stroke = color.stroke_width(style.upx(width));
        for (n, run) in visible_runs(&slice.at, values, lo, hi)
            .into_iter()
            .enumerate()
        {
            let drawn = chart.draw_series(LineSeries::new(run, stroke))?;
            if n == 0 {
                drawn
                    .label(label)
                    .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 24, y)], stroke));
            }
        }
    }

    if degenerate {
        chart.draw_series(std::iter::once(Text::new(
            style.text("slice-unbounded").to_string(),
            (0.5 * (a0 + a1), 0.5 * (lo + hi)),
            style
                .label_font()
                .color(&GAP)
                .pos(Pos::new(HPos::Center, VPos::Center)),
        )))?;
    }

    // θ_old and θ_new as dashed verticals with their names on top.
    let marks = [
        (slice.at_old, style.text("mark-old")),
        (slice.at_new, style.text("mark-new")),
    ];
    for (at, name) in marks {
        if !(a0..=a1).contains(&at) {
            continue;
        }
        let dash = DashedPathElement::new(
            vec![(at, lo), (at, hi)],
            style.px(8.0),
            style.px(6.0),
            INK.mix(0.6).stroke_width(style.upx(1.5)),
        );
        chart.draw_series(std::iter::once(dash))?;
        chart.draw_series(std::iter::once(Text::new(
            name.to_string(),
            (at, hi),
            style
                .tick_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }

    // The gap at the current θ: ℓ − L = KL, drawn and labelled when there is one.
    let gap = current.0 - current.1;
    let at = slice.at_current;
    if gap > 1e-9 * origin.abs().max(1.0) && (a0..=a1).contains(&at) {
        let bottom = current.1.max(lo);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(at, bottom), (at, current.0)],
            GAP.stroke_width(style.upx(5.0)),
        )))?;
        let label = fill(style.text("mark-kl"), &[("value", axis_number(gap))]);
        // Beside the gap, on the side with room (θ_new sits near the right edge after an M-step).
        let left = at > 0.5 * (a0 + a1);
        let (dx, anchor) = if left {
            (-0.02, HPos::Right)
        } else {
            (0.02, HPos::Left)
        };
        // Beside the middle of a tall gap; below a short one, clear of the θ names along the top.
        let tall = current.0 - bottom > 0.15 * (hi - lo);
        let (y, v) = if tall {
            ((bottom + current.0) / 2.0, VPos::Center)
        } else {
            (bottom - 0.02 * (hi - lo), VPos::Top)
        };
        chart.draw_series(std::iter::once(Text::new(
            label,
            (at + dx * (a1 - a0), y),
            style.label_font().color(&GAP).pos(Pos::new(anchor, v)),
        )))?;
    }
    let dot =
        |at: f64, v: f64, color: RGBColor| Circle::new((at, v), style.px(6.0), color.filled());
    chart.draw_series([dot(at, current.0, INK), dot(at, current.1.max(lo), BOUND)])?;

    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerMiddle)
        .label_font(style.tick_font())
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    Ok(())
}

/// A tick label with enough decimals to tell ticks `range / 6` apart.
pub fn tick_number(v: f64, range: f64) -> String {
    let step = (range / 6.0).abs();
    // A tick at zero reads 0, not the float noise of the range's arithmetic (2.12e-22).
    let v = if v.abs() < 1e-6 * step { 0.0 } else { v };
    // e-notation only where decimals would not do: tiny steps around small values, or huge values.
    if (step > 0.0 && step < 1e-4 && v.abs() < 1e-2) || v.abs() >= 1e7 {
        return if v == 0.0 {
            "0".to_string()
        } else {
            format!("{v:.2e}")
        };
    }
    if step > 0.0 && step < 1e-4 {
        let decimals = ((-step.log10()).ceil() as usize).min(12);
        return format!("{v:.decimals$}");
    }
    let decimals = if step >= 1.0 {
        0
    } else {
        (-step.log10()).ceil() as usize
    };
    format!("{v:.decimals$}")
}

/// An axis number with as many digits as a log-likelihood needs: 1,234.5 or 0.0123.
pub fn axis_number(v: f64) -> String {
    if !v.is_finite() {
        return crate::core::format::short(v);
    }
    let a = v.abs();
    if a >= 1e6 || (a < 1e-3 && a > 0.0) {
        format!("{v:.3e}")
    } else if a >= 100.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}
