//! The Poisson mixture's data figure: a bar per count x (the share or number of observations with that
//! count), each component's πₖ·Poisson(x | λₖ) in its colour, dash and marker, and the mixture p(x).

use super::format::{fixed_number, tick_number};
use super::legend::{legend_band, mixture_entries};
use super::style::{
    axes, chart_untitled, component_color, component_dash, component_marker, draw_side_legend,
    draw_y_desc, fitting_range_labels, fitting_y_desc, fitting_y_labels, side_legend_width, titled,
    PlotTransform, Style, BAR, INK,
};
use super::FigureError;
use crate::core::em::Em;
use crate::core::poisson::{Poisson, PoissonParams};
use crate::text::fill;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the bar heights count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CountScale {
    /// The share of observations with each count; the model shows p(x).
    #[default]
    Proportion,
    /// The number of observations with each count; the model shows N·p(x), the expected number.
    Frequency,
}

/// What the counts figure shows besides the model: the scale of the bars and the chosen observation.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CountsView {
    /// Share or number of observations.
    pub scale: CountScale,
    /// The observation chosen for the Jensen figure, marked under its bar.
    pub selected: Option<usize>,
}

/// The most bars drawn; a wider range of counts puts several consecutive counts in each bar.
pub const MAX_BARS: usize = 120;
/// Up to this many bars every model value also gets a marker.
pub const MARKER_BARS: usize = 40;

/// The bars of the figure: bar `b` covers the counts `lo + b·width ..= lo + (b + 1)·width − 1`.
#[derive(Clone, Debug, PartialEq)]
pub struct CountBars {
    /// The first count of the first bar.
    pub lo: u64,
    /// How many consecutive counts each bar covers (1 unless the range exceeds [`MAX_BARS`]).
    pub width: u64,
    /// Each bar's height per count: the share (or number) of observations in the bar divided by `width`.
    pub heights: Vec<f64>,
}

impl CountBars {
    /// The x position of bar `b` on the axis: the middle of the counts it covers.
    pub fn centre(&self, b: usize) -> f64 {
        self.lo as f64 + b as f64 * self.width as f64 + 0.5 * (self.width as f64 - 1.0)
    }

    /// The count at which the model is evaluated for bar `b` (the middle count, rounded down).
    pub fn count_at(&self, b: usize) -> u64 {
        self.lo
            .saturating_add((b as u64).saturating_mul(self.width))
            .saturating_add((self.width - 1) / 2)
    }
}

/// The bars of `data`: from 0 when the smallest count is at most half the largest (counts start at 0),
/// else from the smallest count, to the largest; heights per count in `scale`.
pub fn count_bars(data: &[u64], scale: CountScale) -> CountBars {
    let min = data.iter().copied().min().unwrap_or(0);
    let max = data.iter().copied().max().unwrap_or(0);
    let lo = if min <= max / 2 { 0 } else { min };
    let values = (max - lo).saturating_add(1);
    let width = values.div_ceil(MAX_BARS as u64).max(1);
    let bars = values.div_ceil(width) as usize;
    let mut counts = vec![0usize; bars];
    for &x in data {
        counts[(((x - lo) / width) as usize).min(bars - 1)] += 1;
    }
    let per = match scale {
        CountScale::Proportion => 1.0 / data.len().max(1) as f64,
        CountScale::Frequency => 1.0,
    } / width as f64;
    CountBars {
        lo,
        width,
        heights: counts.into_iter().map(|c| c as f64 * per).collect(),
    }
}

/// The model's value at every bar: each component's πₖ·Poisson(x | λₖ) (rows) and the mixture, in `scale`.
pub fn model_values(
    params: &PoissonParams,
    bars: &CountBars,
    n: usize,
    scale: CountScale,
) -> (Vec<Vec<f64>>, Vec<f64>) {
    let factor = match scale {
        CountScale::Proportion => 1.0,
        CountScale::Frequency => n as f64,
    };
    let finite = |v: f64| if v.is_finite() { v } else { 0.0 };
    let components: Vec<Vec<f64>> = (0..params.weights.len())
        .map(|k| {
            (0..bars.heights.len())
                .map(|b| {
                    finite(factor * Poisson::component_probability(params, k, bars.count_at(b)))
                })
                .collect()
        })
        .collect();
    let mixture = (0..bars.heights.len())
        .map(|b| components.iter().map(|c| c[b]).sum())
        .collect();
    (components, mixture)
}

/// Draws the counts figure and returns the transform from pixels to (count, height) for clicks.
pub fn draw_counts<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    em: &Em<Poisson>,
    view: &CountsView,
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let data = em.model().data();
    let params = em.params();
    let bars = count_bars(data, view.scale);
    let (components, mixture) = model_values(params, &bars, data.len(), view.scale);
    let largest = bars
        .heights
        .iter()
        .chain(&mixture)
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let k = params.weights.len();
    let beside = k >= 4;
    // Room above the bars for the note on binned counts; the legend has a band of its own.
    let headroom = if bars.width > 1 { 1.25 } else { 1.1 };
    let y_top = headroom * largest.max(f64::MIN_POSITIVE);
    let n_bars = bars.heights.len();
    let width = bars.width as f64;
    let (lo, hi) = (
        bars.lo as f64 - 0.5 - 0.1 * width,
        bars.lo as f64 + n_bars as f64 * width - 0.5 + 0.1 * width,
    );

    let legend_w = if beside {
        side_legend_width(root, k, style)
    } else {
        0
    };
    let (plot_root, side) = root.split_horizontally(root.dim_in_pixel().0 as i32 - legend_w);
    // Up to three components the legend is a band of its own under the title, where it covers no curve.
    let under_title = titled(&plot_root, style.text("fig-counts"), style)?;
    let body = if beside {
        under_title
    } else {
        let entries = mixture_entries(style, "legend-poisson-component", k, 2.5, 3.5);
        legend_band(&under_title, &entries, style)?
    };
    let mut chart = chart_untitled(&body, 92.0, lo..hi, 0.0..y_top, style)?;
    let few = hi - lo <= 24.0;
    let (long, short) = match view.scale {
        CountScale::Proportion => ("axis-proportion", "axis-proportion-short"),
        CountScale::Frequency => ("axis-frequency", "axis-frequency-short"),
    };
    let (y_desc, desc_font) = fitting_y_desc(&chart, style.text(long), style.text(short), style);
    let y_labels = fitting_y_labels(&chart, 6, style);
    let x_labels = match few {
        true => n_bars + 2,
        false => fitting_range_labels(&chart, (lo, hi), 8, style),
    };
    axes(&mut chart, style)
        .disable_x_mesh()
        .y_labels(y_labels)
        .x_labels(x_labels)
        .x_label_formatter(&|v| {
            if few {
                // Counts are whole numbers: label only the ticks that are.
                let r = v.round();
                if (v - r).abs() < 1e-6 {
                    fixed_number(r.max(0.0), 0)
                } else {
                    String::new()
                }
            } else {
                tick_number(*v, hi - lo)
            }
        })
        .y_label_formatter(&|v| tick_number(*v, y_top))
        .x_desc(style.text("axis-count"))
        .draw()?;
    draw_y_desc(&body, &chart, y_desc, desc_font, style)?;

    let half = 0.4 * width;
    chart.draw_series(bars.heights.iter().enumerate().map(|(b, &h)| {
        let x = bars.centre(b);
        Rectangle::new([(x - half, 0.0), (x + half, h.min(y_top))], BAR.filled())
    }))?;

    let clip = |y: f64| y.clamp(0.0, y_top);
    let markers = n_bars <= MARKER_BARS;
    let radius = style.px(4.5);
    for (c, values) in components.iter().enumerate() {
        let color = component_color(c);
        let stroke = color.stroke_width(style.upx(2.5));
        let points: Vec<(f64, f64)> = values
            .iter()
            .enumerate()
            .map(|(b, &v)| (bars.centre(b), clip(v)))
            .collect();
        // Each component has its own dash pattern and marker, so a greyscale printout tells them apart.
        match component_dash(c) {
            None => chart.draw_series(LineSeries::new(points.iter().copied(), stroke))?,
            Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(
                points.iter().copied(),
                style.px(dash),
                style.px(gap),
                stroke,
            ))?,
        };
        if markers {
            let outline = component_marker(c).outline(radius);
            chart.draw_series(
                points
                    .iter()
                    .map(|&p| EmptyElement::at(p) + Polygon::new(outline.clone(), color.filled())),
            )?;
        }
    }
    let ink = INK.stroke_width(style.upx(3.5));
    let mixture_points: Vec<(f64, f64)> = mixture
        .iter()
        .enumerate()
        .map(|(b, &v)| (bars.centre(b), clip(v)))
        .collect();
    chart.draw_series(LineSeries::new(mixture_points.iter().copied(), ink))?;
    if markers {
        chart.draw_series(
            mixture_points
                .iter()
                .map(|&p| Circle::new(p, style.px(3.0), INK.filled())),
        )?;
    }

    if let Some(i) = view.selected.filter(|&i| i < data.len()) {
        let b = (((data[i] - bars.lo) / bars.width) as usize).min(n_bars - 1);
        let x = bars.centre(b);
        let h = bars.heights.get(b).copied().unwrap_or(0.0).min(y_top);
        chart.draw_series(std::iter::once(Rectangle::new(
            [(x - half, 0.0), (x + half, h)],
            INK.stroke_width(style.upx(2.0)),
        )))?;
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (x, 0.0),
            style.px(9.0),
            INK.filled(),
        )))?;
    }

    if bars.width > 1 {
        let note = fill(
            style.text("counts-binned"),
            &[("width", bars.width.to_string())],
        );
        chart.draw_series(std::iter::once(Text::new(
            note,
            (lo + 0.01 * (hi - lo), y_top),
            style
                .tick_font()
                .color(&INK)
                .pos(Pos::new(HPos::Left, VPos::Top)),
        )))?;
    }

    if beside {
        draw_side_legend(&side, k, style)?;
    }
    Ok(PlotTransform::new(
        (lo, hi),
        (0.0, y_top),
        chart.plotting_area().get_pixel_range(),
    ))
}
