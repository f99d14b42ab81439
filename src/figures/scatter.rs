//! The 2-D figure (Bishop PRML Fig. 9.8, live): the data, each point coloured by its responsibilities (or by its
//! hard assignment), each component's mean as a large cross and, for a Gaussian mixture, its 1σ (solid) and 2σ
//! (dashed) ellipses. Used for the 2-D mixture and for k-means (no covariances, so no ellipses).

use super::format::tick_number;
use super::legend::{
    legend_band, legend_band_height, legend_column, legend_column_width, legend_row_height,
    LegendEntry, Swatch,
};
use super::marks::{Mark, Marks, MarksBackend};
use super::style::{
    axes, blend, chart_equal_aspect, clip_polyline, component_color, component_marker,
    equal_aspect_scale, fitting_range_labels, titled, Marker, PlotTransform, Style, BAR, INK,
};
use super::FigureError;
use crate::core::em::argmax;
use crate::core::gmm2d::ellipse;
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use std::f64::consts::PI;

/// What the scatter shows besides the model: hard or soft colours, the title, and the axis names.
#[derive(Clone, Debug, PartialEq)]
pub struct ScatterView {
    /// Colour each point by its most responsible component (argmax q) instead of the blend of all.
    pub hard: bool,
    /// The message id of the title, e.g. "fig-scatter", "fig-scatter-hard" or "fig-kmeans".
    pub title_id: &'static str,
    /// The names of the x and y axes (column headers of the data, or x₁, x₂).
    pub axis_names: (String, String),
    /// The point chosen for the Jensen figure and the formulas, ringed.
    pub selected: Option<usize>,
    /// Draw the means and ellipses; without, only their legend, which keeps its room (the empty plane after
    /// Clear is laid out as the first point's will be, so the axes stay where the clicks aim).
    pub components: bool,
    /// Keep the axes to `extent` alone, the means not widening them: a data set built by clicks after Clear
    /// whose points and means lie within its frame's padded band (they are drawn inside the plot's padding).
    pub frame_held: bool,
}

impl ScatterView {
    /// A view titled `title_id` with the generic axis names x₁ and x₂ in the figure's language.
    pub fn new(hard: bool, title_id: &'static str, style: &Style) -> Self {
        ScatterView {
            hard,
            title_id,
            axis_names: (
                style.text("axis-x1").to_string(),
                style.text("axis-x2").to_string(),
            ),
            selected: None,
            components: true,
            frame_held: false,
        }
    }
}

/// The most points drawn; larger data sets are thinned evenly (every m-th point).
pub const MAX_DRAWN: usize = 20_000;
/// Points along each ellipse (the closing point repeats the first).
pub const ELLIPSE_POINTS: usize = 100;
/// The fraction of each data range added on both sides.
pub const PAD: f64 = 0.08;
/// The least room, in CSS px, between the data or a mean and the plot's edges: a mean's marker (a × 16 px
/// across, on a white outline) stays whole.
pub const KEEP_PX: f64 = 20.0;
/// Data sets up to this size get larger dots (they are easier to see on a projector).
pub const SMALL_DATA: usize = 1_000;

/// The x and y ranges of the data and the means: the data's `extent` (its finite values' smallest and
/// largest x and y, [`crate::core::gmm2d::extent_2d`]) and the means, so none is ever off the chart; a
/// zero span gets ±1. Depends only on the data and the means, so the axes stay put while EM moves the
/// ellipses.
pub fn scatter_extent(extent: [(f64, f64); 2], means: &[[f64; 2]]) -> ((f64, f64), (f64, f64)) {
    let [(lo0, hi0), (lo1, hi1)] = with_points(extent, means);
    let (lo, hi) = ([lo0, lo1], [hi0, hi1]);
    let range = |c: usize| {
        if lo[c] > hi[c] {
            (-1.0, 1.0)
        } else if hi[c] > lo[c] {
            (lo[c], hi[c])
        } else {
            (lo[c] - 1.0, hi[c] + 1.0)
        }
    };
    (range(0), range(1))
}

/// `extent` widened to take in the finite coordinates of `points` (the means or centres the plane shows too).
pub fn with_points(mut extent: [(f64, f64); 2], points: &[[f64; 2]]) -> [(f64, f64); 2] {
    for p in points {
        for (axis, &v) in extent.iter_mut().zip(p).filter(|(_, v)| v.is_finite()) {
            *axis = (axis.0.min(v), axis.1.max(v));
        }
    }
    extent
}

/// The colour of a point with responsibilities `q_row`: the blend of the component colours, or with `hard` the
/// colour of the most responsible component. An empty row (no responsibilities known) is grey, and so is a
/// uniform row coloured hard: k-means' start has no assignment yet (every point was centre 1's colour).
pub fn point_color(q_row: &[f64], hard: bool) -> RGBColor {
    if q_row.is_empty() || (hard && q_row.iter().all(|&v| v == q_row[0])) {
        BAR
    } else if hard {
        component_color(argmax(q_row))
    } else {
        blend(q_row)
    }
}

/// `n` + 1 points (closed) on the `sigmas`-standard-deviation contour of N(mean, cov); empty when the
/// covariance is not usable (NaN or infinite).
pub fn ellipse_points(
    mean: [f64; 2],
    cov: &[[f64; 2]; 2],
    sigmas: f64,
    n: usize,
) -> Vec<(f64, f64)> {
    let (a, b, angle) = ellipse(cov);
    if !(a.is_finite() && b.is_finite() && angle.is_finite()) {
        return Vec::new();
    }
    let (sin, cos) = angle.sin_cos();
    let n = n.max(3);
    (0..=n)
        .map(|i| {
            let t = 2.0 * PI * i as f64 / n as f64;
            let (u, v) = (sigmas * a * t.cos(), sigmas * b * t.sin());
            (mean[0] + u * cos - v * sin, mean[1] + u * sin + v * cos)
        })
        .collect()
}

/// The corners of a bold "×" with arms `arm` pixels long and `half` pixels thick on each side, around (0, 0).
fn cross_offsets(arm: i32, half: i32) -> Vec<(i32, i32)> {
    let (l, w) = (f64::from(arm), f64::from(half));
    let plus = [
        (w, l),
        (w, w),
        (l, w),
        (l, -w),
        (w, -w),
        (w, -l),
        (-w, -l),
        (-w, -w),
        (-l, -w),
        (-l, w),
        (-w, w),
        (-w, l),
    ];
    let s = std::f64::consts::FRAC_1_SQRT_2;
    plus.iter()
        .map(|&(x, y)| (((x - y) * s).round() as i32, ((x + y) * s).round() as i32))
        .collect()
}

/// Draws the scatter figure and returns the transform from pixels to data (x, y), for click-to-add.
///
/// `data` holds flat x, y pairs (`extent` their [`crate::core::gmm2d::extent_2d`], kept by the model);
/// `q` the N×K responsibilities row-major (K = `means.len()`); `covariances` the K covariance matrices
/// of a Gaussian mixture, or `None` for k-means (no ellipses).
#[allow(clippy::too_many_arguments)]
pub fn draw_scatter<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    data: &[f64],
    extent: [(f64, f64); 2],
    q: &[f64],
    means: &[[f64; 2]],
    covariances: Option<&[[[f64; 2]; 2]]>,
    view: &ScatterView,
    style: &Style,
) -> Result<PlotTransform, FigureError<DB>> {
    root.fill(&WHITE)?;
    let k = means.len();
    let n = data.len() / 2;
    let widening = if view.frame_held { &[][..] } else { means };
    let ((x0, x1), (y0, y1)) = scatter_extent(extent, widening);
    let title = style.text(view.title_id);
    // The legend in a band under the title: inside the plane it covered points and ellipses.
    let legend_id = if covariances.is_some() {
        "legend-mean2d"
    } else {
        "legend-centre"
    };
    let mut entries: Vec<LegendEntry> = (0..means.len())
        .map(|j| {
            // The first mean is drawn as a bold ×, the others in their component's marker shape.
            let shape = if j == 0 {
                Marker::Cross
            } else {
                component_marker(j)
            };
            LegendEntry::new(
                Swatch::Marker(shape, component_color(j)),
                fill(style.text(legend_id), &[("k", (j + 1).to_string())]),
            )
        })
        .collect();
    if covariances.is_some() && !means.is_empty() {
        entries.push(LegendEntry::new(
            Swatch::Line(INK, 3.0, None),
            style.text("legend-sigma1"),
        ));
        entries.push(LegendEntry::new(
            Swatch::Line(INK, 3.0, Some((7.0, 5.0))),
            style.text("legend-sigma2"),
        ));
    }
    // Where the equal-aspect plane leaves room at its sides (a wide figure: the projector's), the legend
    // is a column beside it instead, and the plane takes the band's height: chosen wherever that draws the
    // data larger (by more than 1 %: ties keep the band).
    let under_title = titled(root, title, style)?;
    let (w, h) = under_title.dim_in_pixel();
    let band_h = legend_band_height(&under_title, &entries, style);
    let column_w = legend_column_width(&under_title, &entries, style);
    let spans = (&(x0..x1), &(y0..y1));
    let scale = |size: (i32, i32)| {
        let size = (size.0.max(1) as u32, size.1.max(1) as u32);
        equal_aspect_scale(size, 80.0, spans, (PAD, KEEP_PX), style).0
    };
    let beside = entries.len() as i32 * legend_row_height(style) <= h as i32
        && scale((w as i32 - column_w, h as i32)) < 0.99 * scale((w as i32, h as i32 - band_h));
    let body = if beside {
        let (plane, column) = under_title.split_horizontally(w as i32 - column_w);
        legend_column(&column, &entries, style.px(4.0), style)?;
        plane
    } else {
        legend_band(&under_title, &entries, style)?
    };
    let mut chart = chart_equal_aspect(&body, 80.0, x0..x1, y0..y1, (PAD, KEEP_PX), style)?;
    let (x0, x1, y0, y1) = {
        let (x, y) = (chart.x_range(), chart.y_range());
        (x.start, x.end, y.start, y.end)
    };
    let x_labels = fitting_range_labels(&chart, (x0, x1), 6, style);
    axes(&mut chart, style)
        .bold_line_style(INK.mix(0.08))
        .x_labels(x_labels)
        .y_labels(6)
        .x_label_formatter(&|v| tick_number(*v, x1 - x0))
        .y_label_formatter(&|v| tick_number(*v, y1 - y0))
        .x_desc(view.axis_names.0.as_str())
        .y_desc(view.axis_names.1.as_str())
        .draw()?;

    // The data, thinned evenly beyond MAX_DRAWN points.
    let stride = n.div_ceil(MAX_DRAWN).max(1);
    let radius = style.px(if n <= SMALL_DATA { 4.5 } else { 3.0 });
    let row = |i: usize| {
        if k > 0 {
            q.get(i * k..(i + 1) * k).unwrap_or(&[])
        } else {
            &[]
        }
    };
    // One element for all of them: the canvas paints them as one image (a canvas call per point cost
    // most of the figure at 20,000 points), SVG as circles.
    let mut dots = Marks::with_capacity(n.div_ceil(stride));
    for i in (0..n).step_by(stride) {
        let centre = chart.backend_coord(&(data[2 * i], data[2 * i + 1]));
        let radius = radius.max(0) as u32;
        dots.push(
            Mark::Disc { centre, radius },
            point_color(row(i), view.hard),
        );
    }
    root.draw(&dots)?;

    // The 1σ (solid) and 2σ (dashed) ellipses, each on a white halo so it stands out from same-coloured points.
    if let Some(covs) = covariances.filter(|_| view.components) {
        for (j, (mean, cov)) in means.iter().zip(covs).enumerate() {
            let color = component_color(j);
            for sigmas in [1.0, 2.0] {
                let points = ellipse_points(*mean, cov, sigmas, ELLIPSE_POINTS);
                for run in clip_polyline(&points, (x0, x1), (y0, y1)) {
                    let halo = WHITE.mix(0.9).stroke_width(style.upx(6.0));
                    chart.draw_series(std::iter::once(PathElement::new(run.clone(), halo)))?;
                    let stroke = color.stroke_width(style.upx(3.0));
                    if sigmas == 1.0 {
                        chart.draw_series(std::iter::once(PathElement::new(run, stroke)))?;
                    } else {
                        let (dash, gap) = (style.px(12.0), style.px(8.0));
                        chart.draw_series(std::iter::once(DashedPathElement::new(
                            run, dash, gap, stroke,
                        )))?;
                    }
                }
            }
        }
    }

    // The means: a bold × in the component colour with a white outline, over the points and ellipses.
    let cross = cross_offsets(style.px(16.0), style.px(4.0));
    let mut outline = cross.clone();
    outline.push(cross[0]);
    for (j, mean) in means.iter().enumerate().filter(|_| view.components) {
        let at = (mean[0], mean[1]);
        if !(at.0.is_finite() && at.1.is_finite()) {
            continue;
        }
        let color = component_color(j);
        let white = WHITE.stroke_width(style.upx(5.0));
        // The first mean is a ×; the others take their component's marker shape too, so a greyscale
        // printout still tells the components apart.
        let shape = if j == 0 {
            cross.clone()
        } else {
            component_marker(j).outline(style.px(13.0))
        };
        let mut ring = shape.clone();
        ring.push(shape[0]);
        chart.draw_series(std::iter::once(
            EmptyElement::at(at)
                + PathElement::new(if j == 0 { outline.clone() } else { ring }, white),
        ))?;
        chart.draw_series(std::iter::once(
            EmptyElement::at(at) + Polygon::new(shape, color.filled()),
        ))?;
    }
    // The chosen point (the Jensen figure's and the formulas'): a dark ring on a white halo, as the 1-D
    // figures mark theirs on the strip; a point among thousands was found in no other way. Over the means: a
    // thin ring hides little of them, and k-means' chosen point is often beside a centre.
    if let Some(i) = view.selected.filter(|&i| i < n) {
        let at = (data[2 * i], data[2 * i + 1]);
        if at.0.is_finite() && at.1.is_finite() {
            let ring = radius + style.px(6.0);
            chart.draw_series(std::iter::once(Circle::new(
                at,
                ring,
                WHITE.stroke_width(style.upx(6.0)),
            )))?;
            chart.draw_series(std::iter::once(Circle::new(
                at,
                ring,
                INK.stroke_width(style.upx(2.5)),
            )))?;
        }
    }

    Ok(PlotTransform::new(
        (x0, x1),
        (y0, y1),
        chart.plotting_area().get_pixel_range(),
    ))
}
