//! The main 1-D figure: density histogram, each component's weighted curve, the mixture, and a strip of
//! every point's responsibilities under the axis.

use super::format::tick_number;
use super::legend::{legend_band, mixture_entries};
use super::marks::{Mark, Marks, MarksBackend};
use super::style::{
    axes, chart_untitled, component_color, component_dash, draw_side_legend, fitted_lines,
    fitting_range_labels, fitting_y_labels, linspace, side_legend_width, titled, PlotTransform,
    Style, BAR, GAP, INK,
};
use super::FigureError;
use crate::core::em::Em;
use crate::core::gmm1d::{bin_counts, extent, Gmm1d};
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

/// The fewest histogram bins `drawData` takes (and the page's Bins field).
pub const BINS_MIN: usize = 5;
/// The most histogram bins `drawData` takes.
pub const BINS_MAX: usize = 200;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// What the histogram shows besides the model: bin count and the chosen point.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HistogramView {
    /// Number of histogram bins.
    pub bins: usize,
    /// The point chosen for the Jensen figure, marked on the strip.
    pub selected: Option<usize>,
    /// The least x extent the axis covers beside the data's own (see [`crate::figures::lab::FigureView`]).
    pub frame: Option<(f64, f64)>,
}

impl Default for HistogramView {
    fn default() -> Self {
        HistogramView {
            bins: 40,
            selected: None,
            frame: None,
        }
    }
}

/// The most points drawn on the responsibility strip; larger data sets are thinned evenly.
pub const STRIP_POINTS: usize = 4000;
/// The fewest and most points evaluated along each curve: one per device pixel column of the figure.
pub const CURVE_POINTS: (usize, usize) = (100, 4000);

/// The x range the histogram covers: the data's range widened by 5 % on each side, and never so narrow
/// that a bin's density (1 / (N · width)) overflows: values 0 and 1e-308 get a window of ±1e-100.
pub fn x_range(data: &[f64]) -> (f64, f64) {
    range_around(extent(data))
}

/// The share of the data's span the histogram adds each side of it.
pub const RANGE_PAD: f64 = 0.05;

/// [`x_range`] for data whose smallest and largest values are `extent`.
pub fn range_around((lo, hi): (f64, f64)) -> (f64, f64) {
    let size = lo.abs().max(hi.abs());
    let pad = if hi > lo { RANGE_PAD * (hi - lo) } else { 1.0 };
    let pad = pad.max(1e-9 * size).max(1e-100);
    (lo - pad, hi + pad)
}

/// Density-scaled bin heights of `data` over `range` (they integrate to 1).
pub fn densities(data: &[f64], range: (f64, f64), bins: usize) -> Vec<f64> {
    densities_of(&bin_counts(data, range, bins), data.len(), range)
}

/// Density-scaled heights of bins with `counts` of `n` observations over `range`.
pub fn densities_of(counts: &[usize], n: usize, range: (f64, f64)) -> Vec<f64> {
    let width = (range.1 - range.0) / counts.len().max(1) as f64;
    let scale = 1.0 / (n as f64 * width);
    counts.iter().map(|&c| c as f64 * scale).collect()
}

/// The room left of the plot for the y tick labels and the strip's label ("responsibilities q"), in CSS
/// px, and the label's font: the area widens for the label (up to 175 CSS px), and the label shrinks only
/// beyond that, so it never runs over the strip.
fn strip_label_area<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    style: &Style,
) -> (f64, FontDesc<'static>) {
    let strip_font = style.tick_font();
    let label_w = root
        .estimate_text_size(
            style.text("strip-label"),
            &TextStyle::from(strip_font.clone()),
        )
        .map_or(0.0, |(w, _)| f64::from(w) / style.scale);
    let y_area = (label_w + 12.0).clamp(92.0, 175.0);
    if label_w + 12.0 > y_area {
        let shrunk = style.font(20.0 * style.fit() * ((y_area - 12.0) / label_w).max(0.6));
        (y_area, shrunk)
    } else {
        (y_area, strip_font)
    }
}

/// The histogram's frame with no data in it (a data set built by clicks after Clear, before its first
/// point): the title and the x axis over `(lo, hi)`, placed as the histogram places them, and no bars,
/// curves or density ticks; returns the transform for clicks.
pub fn draw_empty_histogram<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    (lo, hi): (f64, f64),
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let (y_area, _) = strip_label_area(root, style);
    let body = titled(root, style.text("fig-histogram"), style)?;
    let mut chart = chart_untitled(&body, y_area, lo..hi, 0.0..1.0, style)?;
    let x_labels = fitting_range_labels(&chart, (lo, hi), 8, style);
    axes(&mut chart, style)
        .disable_mesh()
        .y_labels(0)
        .x_labels(x_labels)
        .x_label_formatter(&|v| tick_number(*v, hi - lo))
        .x_desc(style.text("axis-x"))
        .draw()?;
    Ok(PlotTransform::new(
        (lo, hi),
        (0.0, 1.0),
        chart.plotting_area().get_pixel_range(),
    ))
}

/// Draws the histogram figure and returns the transform from pixels to (x, density) for clicks.
pub fn draw_histogram<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    em: &Em<Gmm1d>,
    view: &HistogramView,
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let data = em.model().data();
    let params = em.params();
    let (lo, hi) = range_around(super::lab::kept(em.model().extent(), view.frame, RANGE_PAD));
    let counts = em.model().bin_counts((lo, hi), view.bins);
    let heights = densities_of(&counts, data.len(), (lo, hi));
    let bar_max = heights.iter().copied().fold(0.0, f64::max);
    // One point per pixel column: the curves are as sharp as the screen, and cost nothing per data point.
    let columns = (root.dim_in_pixel().0 as usize).clamp(CURVE_POINTS.0, CURVE_POINTS.1);
    let mut xs: Vec<f64> = linspace(lo, hi, columns).collect();
    let mut mixture: Vec<f64> = xs.iter().map(|&x| Gmm1d::density(params, x)).collect();
    let curve_max = mixture.iter().copied().fold(0.0, f64::max);
    // Every curve also passes through each component's mean: a component narrower than a pixel column
    // (σ² = 9e-9 one step before the collapse lesson's collapse) fell between the columns and was not
    // drawn at all; now it is a spike, up to its peak or off the top (the axis stays the columns').
    for &mean in params.means.iter().filter(|m| (lo..=hi).contains(*m)) {
        let at = xs.partition_point(|&x| x < mean);
        if xs.get(at) != Some(&mean) {
            xs.insert(at, mean);
            mixture.insert(at, Gmm1d::density(params, mean));
        }
    }
    // A collapsing spike must not flatten the histogram: cap the axis at three bar heights.
    let y_top = 1.1
        * bar_max
            .max(curve_max.min(3.0 * bar_max))
            .max(f64::MIN_POSITIVE);
    let strip = 0.22 * y_top;

    let title = style.text("fig-histogram");
    // Four or more components: the legend is a column beside the plot, where it hides no bar (at K = 10 a
    // legend inside hid a third of the histogram).
    let k = params.weights.len();
    let beside = k >= 4;
    let legend_w = if beside {
        side_legend_width(root, k, style)
    } else {
        0
    };
    let (plot_root, side) = root.split_horizontally(root.dim_in_pixel().0 as i32 - legend_w);
    // The strip's label ("responsibilities q") sits left of the strip, in the y label area, in the tick
    // labels' size: the area widens for it (up to 175 CSS px), and the label shrinks only beyond that, so
    // it never runs over the strip.
    let strip_label = style.text("strip-label");
    let (y_area, strip_font) = strip_label_area(&plot_root, style);
    // Up to three components the legend is a band of its own under the title, where it covers no curve.
    let under_title = titled(&plot_root, title, style)?;
    let body = if beside {
        under_title
    } else {
        let entries = mixture_entries(style, "legend-component", k, 3.0, 4.0);
        legend_band(&under_title, &entries, style)?
    };
    let mut chart = chart_untitled(&body, y_area, lo..hi, -strip..y_top, style)?;
    let y_labels = fitting_y_labels(&chart, 6, style);
    let x_labels = fitting_range_labels(&chart, (lo, hi), 8, style);
    axes(&mut chart, style)
        .disable_x_mesh()
        .y_labels(y_labels)
        .x_labels(x_labels)
        .x_label_formatter(&|v| tick_number(*v, hi - lo))
        .y_label_formatter(&|v| {
            if *v < 0.0 {
                String::new()
            } else {
                tick_number(*v, y_top)
            }
        })
        .x_desc(style.text("axis-x"))
        .y_desc(style.text("axis-density"))
        .draw()?;

    let width = (hi - lo) / heights.len() as f64;
    chart.draw_series(heights.iter().enumerate().map(|(b, &h)| {
        let x0 = lo + b as f64 * width;
        Rectangle::new([(x0, 0.0), (x0 + width, h)], BAR.filled())
    }))?;

    let clip = |y: f64| y.min(y_top);
    for k in 0..params.weights.len() {
        let stroke = component_color(k).stroke_width(style.upx(3.0));
        let curve = xs
            .iter()
            .map(|&x| (x, clip(Gmm1d::component_density(params, k, x))));
        // Each component has its own dash pattern, so a greyscale printout tells them apart too.
        match component_dash(k) {
            None => chart.draw_series(LineSeries::new(curve, stroke))?,
            Some((dash, gap)) => chart.draw_series(DashedLineSeries::new(
                curve,
                style.px(dash),
                style.px(gap),
                stroke,
            ))?,
        };
    }
    let ink = INK.stroke_width(style.upx(4.0));
    chart.draw_series(LineSeries::new(
        xs.iter().zip(&mixture).map(|(&x, &y)| (x, clip(y))),
        ink,
    ))?;

    draw_strip(&mut chart, em, strip, style)?;
    // A collapsed component: its spike on the point it sits on, drawn as an arrow off the top (its
    // density there is unbounded), and the point itself marked on the strip.
    if let Some(c) = em.collapse().filter(|c| c.point < data.len()) {
        let x = data[c.point];
        // The arrowhead's tip touches the plot's top edge, not the legend above it: its centre sits one
        // marker size (in data units) below the top.
        let head = style.px(12.0);
        let plot_h = f64::from(chart.plotting_area().dim_in_pixel().1.max(1));
        let tip = y_top - f64::from(head) * (y_top + strip) / plot_h;
        let spike = GAP.stroke_width(style.upx(5.0));
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x, 0.0), (x, tip)],
            spike,
        )))?;
        chart.draw_series([
            TriangleMarker::new((x, tip), head, GAP.filled()),
            TriangleMarker::new((x, -strip * 0.5), style.px(12.0), GAP.filled()),
        ])?;
        let label = fill(
            style.text("mark-collapse"),
            &[("k", (c.component + 1).to_string())],
        );
        let right_half = x > 0.5 * (lo + hi);
        let anchor = if right_half { HPos::Right } else { HPos::Left };
        // The label keeps to the spike's side of the plot (on two lines where it is wider than 45 % of it)
        // and hangs from half the height, or higher where a bar or the mixture under it would reach into
        // it: "component 2: σ² → 0, density → ∞" ran over the curve and a bar in English.
        let plot_w = f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
        // Clear of the spike (5 px wide) by 6 px: 1 % of the axis was 4 px in a narrow figure, and "∞"
        // touched the spike (1024×768, in Chinese).
        let clear = (f64::from(style.px(8.5)) * (hi - lo) / plot_w).max(0.01 * (hi - lo));
        let nudge = if right_half { -clear } else { clear };
        let room = (0.45 * plot_w) as i32;
        let (lines, font, w_px) = fitted_lines(root, &label, style.label_font(), room, 1.0);
        let line_h = 1.2 * font.get_size();
        let w = f64::from(w_px) * (hi - lo) / plot_w;
        let h = line_h * lines.len() as f64 * (y_top + strip) / plot_h;
        let span = if right_half {
            (x + nudge - w)..=(x + nudge)
        } else {
            (x + nudge)..=(x + nudge + w)
        };
        let bars = heights.iter().enumerate().filter(|&(b, _)| {
            let x0 = lo + b as f64 * width;
            x0 <= *span.end() && x0 + width >= *span.start()
        });
        let curve = xs.iter().zip(&mixture).filter(|(x, _)| span.contains(*x));
        let under = bars
            .map(|(_, &h)| h)
            .chain(curve.map(|(_, &y)| y))
            .fold(0.0, f64::max);
        let hang = (under + 0.03 * y_top + h).clamp(0.55 * y_top, y_top);
        let font = font.color(&GAP).pos(Pos::new(anchor, VPos::Top));
        let (x_px, y_px) = chart.backend_coord(&(x + nudge, hang));
        let base = root.get_base_pixel();
        let (x_px, y_px) = (x_px - base.0, y_px - base.1);
        for (i, line) in lines.iter().enumerate() {
            let down = (i as f64 * line_h).round() as i32;
            root.draw(&Text::new(*line, (x_px, y_px + down), font.clone()))?;
        }
    }
    if let Some(i) = view.selected.filter(|&i| i < data.len()) {
        let x = data[i];
        // Dashed and grey, as the slice marks θ: a solid black line read as part of the mixture's curve (an
        // asymptote on the collapse lesson, a frame at the edge of the two Gaussians).
        chart.draw_series(std::iter::once(DashedPathElement::new(
            vec![(x, -strip), (x, y_top)],
            style.px(8.0),
            style.px(6.0),
            INK.mix(0.6).stroke_width(style.upx(1.5)),
        )))?;
        chart.draw_series(std::iter::once(TriangleMarker::new(
            (x, 0.0),
            style.px(9.0),
            INK.filled(),
        )))?;
    }

    if beside {
        draw_side_legend(&side, k, style)?;
    }

    // Centred on the strip, but never higher than the bottom of the y axis's "0" label, which it touched
    // on a short strip (presentation at 1280×720 in Chinese).
    let strip_px = chart.backend_coord(&(lo, -strip / 2.0)).1;
    let zero_px = chart.backend_coord(&(lo, 0.0)).1;
    let zero_h = root
        .estimate_text_size(
            &tick_number(0.0, y_top),
            &TextStyle::from(style.tick_font()),
        )
        .map_or(0, |(_, h)| h as i32);
    let top = (strip_px - style.px(8.0)).max(zero_px + zero_h / 2 + style.px(1.0));
    root.draw(&Text::new(
        strip_label,
        (style.px(4.0), top),
        strip_font.color(&INK),
    ))?;
    Ok(PlotTransform::new(
        (lo, hi),
        (-strip, y_top),
        chart.plotting_area().get_pixel_range(),
    ))
}

/// A responsibility at or below this draws no segment in the strip (it would be under a pixel high).
const STRIP_LEAST_Q: f64 = 0.002;

/// Of `points` (in drawing order), the last at each pixel column `column(i)`, in drawing order (all of
/// them when the columns span more than a few screens: points far off the figure).
pub fn last_per_column(points: &[usize], column: impl Fn(usize) -> i32) -> Vec<usize> {
    let columns: Vec<i32> = points.iter().map(|&i| column(i)).collect();
    let (Some(&low), Some(&high)) = (columns.iter().min(), columns.iter().max()) else {
        return Vec::new();
    };
    let span = (i64::from(high) - i64::from(low) + 1) as usize;
    if span > 65_536 {
        return points.to_vec();
    }
    let mut last = vec![usize::MAX; span];
    for (order, &c) in columns.iter().enumerate() {
        last[(c - low) as usize] = order;
    }
    // The kept orders marked, then read in drawing order (no sort).
    let mut kept = vec![false; points.len()];
    for order in last.into_iter().filter(|&o| o != usize::MAX) {
        kept[order] = true;
    }
    points
        .iter()
        .zip(kept)
        .filter_map(|(&point, keep)| keep.then_some(point))
        .collect()
}

/// Each point as a short stacked bar under the axis: its responsibilities qᵢₖ in the component colours,
/// each stack from the strip's bottom pixel to its top pixel without a gap (a segment starts where the one
/// below it ended; the last reaches the top). Where the bars are a whole even number of pixels wide they
/// cover whole pixel columns, so of the points at one pixel column only the last drawn shows: only it is
/// drawn (12,000 points on a figure ~1,000 pixels wide: a twentieth of the bars, the same picture).
fn draw_strip<DB: MarksBackend>(
    chart: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    em: &Em<Gmm1d>,
    strip: f64,
    style: &Style,
) -> Result<(), FigureError<DB>> {
    let data = em.model().data();
    let stride = data.len().div_ceil(STRIP_POINTS).max(1);
    let (bottom, height) = (-0.92 * strip, 0.8 * strip);
    let width = style.upx(2.0);
    let points: Vec<usize> = (0..data.len()).step_by(stride).collect();
    let column = |i: usize| chart.backend_coord(&(data[i], bottom)).0;
    let shown = if width.is_multiple_of(2) {
        last_per_column(&points, column)
    } else {
        points
    };
    // One element for all bars: the canvas paints them as one image, SVG as lines.
    let mut bars = Marks::with_capacity(2 * shown.len());
    for &i in &shown {
        let q = em.q_row(i);
        let last = q.iter().rposition(|&qk| qk > STRIP_LEAST_Q);
        let (mut cumulative, mut from) = (bottom, chart.backend_coord(&(data[i], bottom)));
        for (k, &qk) in q.iter().enumerate() {
            cumulative += qk * height;
            if qk > STRIP_LEAST_Q {
                let top = if Some(k) == last {
                    bottom + height
                } else {
                    cumulative
                };
                let to = chart.backend_coord(&(data[i], top));
                bars.push(Mark::Bar { from, to, width }, component_color(k));
                from = to;
            }
        }
    }
    chart.plotting_area().strip_coord_spec().draw(&bars)?;
    Ok(())
}
