//! "ℓ = L + KL" for the whole data set: the three numbers, and one bar split into the bound and the gap,
//! with the ℓ of the previous half-step dashed for comparison.

use super::format::{gap_value, split_number, tick_number};
use super::style::{axes, Style, BOUND, GAP, INK};
use super::FigureError;
use crate::core::bound::BoundView;
use crate::core::em::TracePoint;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// Draws the numbers ℓ, L, KL and the split bar: L from the left, KL stacked on it up to ℓ.
pub fn draw_split<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &dyn BoundView,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    root.fill(&WHITE)?;
    let (l, b) = (view.loglik(), view.lower_bound());
    let (width, _) = root.dim_in_pixel();
    let trace = view.trace();
    let previous = trace.len().checked_sub(2).map(|p| trace[p]);
    let (x0, x1) = bar_range(b, l, previous);
    let line = style.px(28.0);
    let top = style.px(6.0) + line + style.px(4.0);
    let bar = root.margin(
        top + 3 * line,
        style.px(8.0),
        style.px(10.0),
        style.px(10.0),
    );
    let (x, _) = super::style::drawable_range(x0..x1);
    let tick_h = style.tick_font().get_size() as i32 + style.px(8.0);
    let mut chart = ChartBuilder::on(&bar)
        .x_label_area_size(tick_h)
        .build_cartesian_2d(x, 0.0..1.0)?;
    // A real gap is at least a few pixels wide: one of 5e−8 nats on a bar spanning 0.004 (the least span its
    // scale can label, 1e−6·|ℓ|) was under a pixel, "KL gap 4.966e−8" above a bar of L alone.
    // In the chart's own range: `drawable_range` widens one narrower than 1e−9 of its values.
    let (a, z) = (chart.x_range().start, chart.x_range().end);
    let per_px = (z - a) / f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
    let kl_from = if gap_value(l - b, l) > 0.0 {
        b.min(l - f64::from(style.upx(MIN_GAP_PX)) * per_px)
    } else {
        b
    };
    // Drawn wider than its share of the scale under it, KL's name says so (5.5e−8 nats were 6 px of a bar
    // whose scale spans 0.001).
    let gap_name = style.text(if kl_from < b {
        "legend-split-gap-widened"
    } else {
        "legend-split-gap"
    });
    let rows = [
        ("ℓ", style.text("legend-loglik"), l, INK),
        ("L", style.text("legend-split-bound"), b, BOUND),
        ("KL", gap_name, l - b, GAP),
    ];
    let right = width as i32 - style.px(10.0);
    let numbers: Vec<String> = rows
        .iter()
        .enumerate()
        .map(|(n, &(_, _, value, _))| {
            if n == 2 {
                // Rounding noise reads 0, as "0.000" like the side panel's readout (it read "0" beside it).
                split_number(gap_value(value, l))
            } else {
                split_number(value)
            }
        })
        .collect();
    // Names and numbers in type small enough (down to 70 %) that a row's name never touches its number
    // ("L(q, θ) lower bound−3,639.027" on the 1280×720 side panel).
    let font = {
        let font = style.font(20.0);
        let widest = rows
            .iter()
            .zip(&numbers)
            .map(|(&(_, name, _, _), number)| {
                let w = |t: &str| {
                    root.estimate_text_size(t, &TextStyle::from(font.clone()))
                        .map_or(0, |(w, _)| w as i32)
                };
                w(name) + w(number)
            })
            .max()
            .unwrap_or(0);
        let room = right - style.px(10.0) - style.px(12.0);
        super::style::shrunk_to_fit(font, f64::from(widest), f64::from(room), 0.7)
    };
    root.draw(&Text::new(
        style.text("fig-split").to_string(),
        (style.px(10.0), style.px(6.0)),
        style.font(24.0).color(&INK),
    ))?;
    for (n, ((_, name, _, color), number)) in rows.iter().zip(numbers).enumerate() {
        let y = top + n as i32 * line;
        root.draw(&Text::new(
            name.to_string(),
            (style.px(10.0), y),
            font.color(color),
        ))?;
        let right_aligned = font
            .color(color)
            .pos(plotters::style::text_anchor::Pos::new(
                plotters::style::text_anchor::HPos::Right,
                plotters::style::text_anchor::VPos::Top,
            ));
        root.draw(&Text::new(number, (right, y), right_aligned))?;
    }

    // A scale under the bar: the bar is zoomed to L and ℓ (KL a fifth of it at least), so KL took over half
    // of it for 14.3 nats and for 0.018 alike; the nats it spans are written under it.
    // Only for finite values and a span f64 can hold: with L = −∞ the axis was cut to f64's limits, whose
    // span overflows, and plotters' tick search panicked on it (the property test of never_freeze.rs).
    // The ticks are chosen here, not by plotters: its nice steps jump from one tick to three (0.05 to 0.01
    // apart on a 0.032-nat bar), and three labels of "−43,301.04" do not fit under a 290-px bar.
    let (a, z) = (chart.x_range().start, chart.x_range().end);
    if b.is_finite() && l.is_finite() && (z - a).is_finite() {
        axes(&mut chart, style)
            .disable_mesh()
            .disable_y_axis()
            .x_labels(0)
            .draw()?;
        let font = TextStyle::from(style.tick_font()).color(&INK);
        let width_of = |text: &str| {
            root.estimate_text_size(text, &font)
                .map_or(0.0, |(w, _)| f64::from(w))
        };
        let width = f64::from(chart.plotting_area().dim_in_pixel().0);
        // The bar's margins (8 px left, 10 px right) are room for half a label past its ends.
        let (ticks, range) = scale_ticks((a, z), width, f64::from(style.px(8.0)), &width_of);
        let centred = font.pos(plotters::style::text_anchor::Pos::new(
            plotters::style::text_anchor::HPos::Center,
            plotters::style::text_anchor::VPos::Top,
        ));
        for t in ticks {
            let (px, py) = chart.backend_coord(&(t, 0.0));
            root.draw(&PathElement::new(
                vec![(px, py), (px, py + style.px(5.0))],
                INK.stroke_width(style.upx(1.0)),
            ))?;
            root.draw(&Text::new(
                tick_number(t, range),
                (px, py + style.px(7.0)),
                centred.clone(),
            ))?;
        }
    }
    chart.draw_series([
        Rectangle::new(
            [(x0.max(a), 0.15), (kl_from, 0.85)],
            BOUND.mix(0.8).filled(),
        ),
        Rectangle::new([(kl_from, 0.15), (l, 0.85)], GAP.filled()),
    ])?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(l, 0.0), (l, 1.0)],
        INK.stroke_width(style.upx(4.0)),
    )))?;
    if let Some(p) = previous {
        let before = INK.mix(0.6);
        let w = 0.035 * (x1 - x0);
        if (x0..=x1).contains(&p.loglik) {
            chart.draw_series(std::iter::once(DashedPathElement::new(
                vec![(p.loglik, 0.0), (p.loglik, 1.0)],
                style.px(5.0),
                style.px(4.0),
                before.stroke_width(style.upx(2.0)),
            )))?;
        } else if p.loglik < x0 {
            // The last half-step's ℓ lies further left: a white arrowhead at the bar's left edge points to it.
            chart.draw_series(std::iter::once(Polygon::new(
                vec![
                    (x0 + 0.3 * w, 0.5),
                    (x0 + 1.3 * w, 0.3),
                    (x0 + 1.3 * w, 0.7),
                ],
                WHITE.filled(),
            )))?;
        } else if p.loglik > x1 {
            // Further right (ℓ fell: a variance floor that holds a component up): an arrowhead at the right
            // edge. Drawn as a line at its value, 23.9 beside a bar of 5.2 ± 5e−6 was 2e9 px away, past
            // what plotters' pixel coordinates hold (it panicked, found by the property test).
            chart.draw_series(std::iter::once(Polygon::new(
                vec![
                    (x1 - 0.3 * w, 0.5),
                    (x1 - 1.3 * w, 0.3),
                    (x1 - 1.3 * w, 0.7),
                ],
                INK.mix(0.6).filled(),
            )))?;
        }
    }
    Ok(())
}

/// The values the bar spans: L from its left, KL stacked on it up to ℓ, with room on both sides, and the
/// last half-step's ℓ and L where they leave KL at least a fifth of the bar. After an M-step of the
/// two-gaussians lesson, L rose by 7,800 nats and KL is 141: spanning the old values made KL a 2-px
/// sliver nobody could see; the old ℓ is then left off the bar (an arrowhead at its left edge).
pub fn bar_range(b: f64, l: f64, previous: Option<TracePoint>) -> (f64, f64) {
    let gap = l - b;
    let (mut lo, mut hi) = (b, l);
    if let Some(p) = previous {
        let (wide_lo, wide_hi) = (lo.min(p.bound).min(p.loglik), hi.max(p.loglik));
        let real_gap = gap_value(gap, l) > 0.0;
        if !real_gap || gap >= MIN_GAP_SHARE * WIDTH * (wide_hi - wide_lo) {
            (lo, hi) = (wide_lo, wide_hi);
        }
    }
    // Not narrower than 1e−6·|ℓ|: its scale's labels would need ten decimals (a KL below that is drawn
    // at its least width, `MIN_GAP_PX`, and its number says how small it is).
    let span = (hi - lo).max(1e-6 * hi.abs()).max(1e-9);
    (lo - LEFT * span, hi + RIGHT * span)
}

/// The scale's ticks in `a..z` and the range to write them with ([`tick_number`]'s): multiples of a step of 1,
/// 2 or 5 × 10ᵏ, the smallest whose labels (measured by `width_of`) leave a quarter of a label between them
/// on an axis `width` px long and stay within `room` px beyond its ends; where fewer than two such
/// multiples lie inside, two labels near the ends (multiples of a smaller step) or one in the middle.
pub fn scale_ticks(
    (a, z): (f64, f64),
    width: f64,
    room: f64,
    width_of: &dyn Fn(&str) -> f64,
) -> (Vec<f64>, f64) {
    let span = z - a;
    if !(span > 0.0 && span.is_finite() && width > 0.0) {
        return (Vec::new(), span);
    }
    // The values a label `label` px wide can be centred on, its ends inside the axis and the room.
    let inside = |label: f64| {
        let half = ((0.5 * label - room).max(0.0) / width * span).min(0.5 * span);
        (a + half, z - half)
    };
    let widest = |values: &[f64], range: f64| {
        values
            .iter()
            .map(|v| width_of(&tick_number(*v, range)))
            .fold(0.0, f64::max)
    };
    let decade = 10f64.powf((span / 50.0).log10().floor());
    let steps = (0..12).map(|i| [1.0, 2.0, 5.0][i % 3] * decade * 10f64.powi(i as i32 / 3));
    for step in steps {
        // Decimals enough to tell ticks a step apart (tick_number resolves a sixth of its range).
        let range = 6.0 * step;
        let label = widest(&[a, z], range);
        if step / span * width >= 1.25 * label {
            let (lo, hi) = inside(label);
            let first = (lo / step).ceil();
            let ticks: Vec<f64> = (0..20)
                .map(|i| (first + f64::from(i)) * step)
                .take_while(|t| *t <= hi)
                .collect();
            if ticks.len() >= 2 {
                return (ticks, range);
            }
            break;
        }
    }
    // Steps from a fifth of the span down: a finer one costs a digit but lands nearer the ends.
    let finer = [5.0, 2.0, 1.0, 0.5, 0.2, 0.1].map(|m| m * decade * 10.0);
    for step in finer.into_iter().filter(|s| *s <= span / 5.0) {
        let range = 6.0 * step;
        let (lo, hi) = inside(widest(&[a, z], range));
        let (t1, t2) = ((lo / step).ceil() * step, (hi / step).floor() * step);
        if t2 > t1 && (t2 - t1) / span * width >= 1.25 * widest(&[t1, t2], range) {
            return (vec![t1, t2], range);
        }
    }
    (vec![0.5 * (a + z)], span)
}

/// The least width, in CSS px, of the bar's KL where KL is not 0 (the ℓ line, 4 px wide, covers 2 of them).
const MIN_GAP_PX: f64 = 6.0;
/// Room left of the lowest value, in spans of the values (the bar of L starts there).
const LEFT: f64 = 0.6;
/// Room right of the highest value, in spans of the values.
const RIGHT: f64 = 0.15;
/// The bar's width in spans of its values.
const WIDTH: f64 = 1.0 + LEFT + RIGHT;
/// The least share of the bar KL keeps when the last half-step's values widen it.
const MIN_GAP_SHARE: f64 = 0.2;
