//! Every figure of a [`Lab`], by the id the page gives it: one place that knows which figure each model
//! draws, for the canvas glue, SVG exports and the tests that draw every figure of every model.

use super::coins::{draw_coin_path, draw_coin_sets};
use super::histogram::{
    draw_empty_histogram, draw_histogram, range_around, HistogramView, RANGE_PAD,
};
use super::jensen::draw_jensen;
use super::marks::MarksBackend;
use super::scatter::{draw_scatter, with_points, ScatterView, PAD as SCATTER_PAD};
use super::slice::{draw_slice, SliceSampler};
use super::split::draw_split;
use super::trace::draw_trace;
use super::{FigureError, PlotTransform, Style};
use crate::core::bound::{Slice, SliceAlong};
use crate::core::coins::Coins;
use crate::core::gmm1d::Gmm1d;
use crate::core::gmm2d::Gmm2d;
use crate::core::kmeans::KMeans;
use crate::core::lab::Lab;
use crate::core::poisson::Poisson;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The figures of the page, named as the page names them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FigureId {
    /// The data: histogram (1-D), scatter (2-D, k-means) or the coin table.
    Data,
    /// θ's path over the iterations (coin models).
    Path,
    /// ℓ and L along a line in θ.
    Slice,
    /// Jensen's chord for the chosen point.
    Jensen,
    /// The ℓ = L + KL bar.
    Split,
    /// ℓ and L over the half-steps.
    Trace,
}

impl FigureId {
    /// Every figure, in page order.
    pub const ALL: [FigureId; 6] = [
        FigureId::Data,
        FigureId::Path,
        FigureId::Slice,
        FigureId::Jensen,
        FigureId::Split,
        FigureId::Trace,
    ];

    /// The figure called `name` ("histogram" or "data", "path", "slice", "jensen", "split", "trace").
    pub fn parse(name: &str) -> Option<FigureId> {
        match name {
            "histogram" | "data" => Some(FigureId::Data),
            "path" => Some(FigureId::Path),
            "slice" => Some(FigureId::Slice),
            "jensen" => Some(FigureId::Jensen),
            "split" => Some(FigureId::Split),
            "trace" => Some(FigureId::Trace),
            _ => None,
        }
    }
}

/// What a figure shows besides the lab's state: the histogram's bins, the chosen point, hard colouring
/// of the 2-D mixture, and the line the slice follows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FigureView {
    /// Histogram bins (1-D).
    pub bins: usize,
    /// The observation chosen for the Jensen figure (the lab's teaching point when `None`).
    pub selected: Option<usize>,
    /// Colour 2-D points by their most responsible component.
    pub hard: bool,
    /// The line the slice follows.
    pub along: SliceAlong,
    /// The least extent the data figure covers, x then y (1-D: x only), beside the data's own: while a data
    /// set is built by clicks after Clear, the extent of the data before it, so that the axes stay where
    /// the clicks aim (they shrank to the first point's ±1, and no click could land far from it).
    pub frame: Option<Frame>,
}

/// An extent (smallest, largest) in x and in y.
pub type Frame = [(f64, f64); 2];

impl Default for FigureView {
    fn default() -> Self {
        FigureView {
            bins: 40,
            selected: None,
            hard: false,
            along: SliceAlong::EmDirection,
            frame: None,
        }
    }
}

/// `extent` widened to take in `frame` (the same where there is none).
pub fn framed(extent: (f64, f64), frame: Option<(f64, f64)>) -> (f64, f64) {
    match frame {
        Some((lo, hi)) => (extent.0.min(lo), extent.1.max(hi)),
        None => extent,
    }
}

/// What a data figure covers along one axis for data spanning `extent` (before the figure's own padding,
/// `pad` of the size each side): the frame alone while the data lie within it so padded, else the data and
/// the frame together. While a data set is built by clicks after Clear, a click in the band round the frame
/// widened the axes, and the next click on the same spot landed further out each time.
pub fn kept(extent: (f64, f64), frame: Option<(f64, f64)>, pad: f64) -> (f64, f64) {
    match frame {
        Some(f) if extent.0 >= f.0 - pad * (f.1 - f.0) && extent.1 <= f.1 + pad * (f.1 - f.0) => f,
        _ => framed(extent, frame),
    }
}

/// True when `lab`'s model has figure `figure`, as its capabilities say (k-means has no bound figures;
/// only coins draw a path).
pub fn has_figure(lab: &Lab, figure: FigureId) -> bool {
    let can = lab.em.capabilities();
    match figure {
        FigureId::Data | FigureId::Trace => true,
        FigureId::Path => can.path,
        FigureId::Slice | FigureId::Jensen | FigureId::Split => can.bound,
    }
}

/// Draws `figure` of `lab` on `root`; returns the data figure's pixel transform (for clicks). `slice` is
/// the slice to draw when the caller has computed it (the page spreads it over frames); else it is
/// computed here. A figure the model does not have draws nothing.
pub fn draw_figure<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    lab: &Lab,
    figure: FigureId,
    view: &FigureView,
    slice: Option<&Slice>,
    style: &Style,
) -> Result<Option<PlotTransform>, FigureError<DB>> {
    if !has_figure(lab, figure) {
        return Ok(None);
    }
    if super::style::too_small(root, style) {
        root.fill(&WHITE)?;
        return Ok(None);
    }
    let bound = lab.bound();
    // A pass over the data: only the Jensen figure needs it, and only when no point was given.
    let selected = || {
        view.selected
            .filter(|&i| i < lab.len())
            .or_else(|| bound.largest_gap_point())
            .unwrap_or_else(|| bound.overlap_point())
    };
    match figure {
        FigureId::Data => draw_data(root, lab, view, style),
        FigureId::Path => {
            if let Some(em) = lab.em_of::<Coins>() {
                let path: Vec<(f64, f64)> = em
                    .params_path()
                    .iter()
                    .map(|p| (p.heads[0], p.heads.get(1).copied().unwrap_or(p.heads[0])))
                    .collect();
                draw_coin_path(root, em, &path, style)?;
            }
            Ok(None)
        }
        FigureId::Slice => {
            let computed;
            let slice = match slice {
                Some(s) => s,
                None => {
                    // The samples the page computes, all of them.
                    let mut sampler = SliceSampler::new(bound, view.along);
                    sampler.run(bound, || true);
                    computed = sampler.slice();
                    &computed
                }
            };
            draw_slice(root, bound, view.along, slice, style)?;
            Ok(None)
        }
        FigureId::Jensen => draw_jensen(root, bound, selected(), style).map(|_| None),
        FigureId::Split => draw_split(root, bound, style).map(|_| None),
        FigureId::Trace => draw_trace(root, bound, style).map(|_| None),
    }
}

/// [`kept`] on both axes of the plane, with the scatter's padding, and whether the frame held on both.
fn kept_2d(extent: Frame, frame: Option<Frame>) -> (Frame, bool) {
    let kept = [0, 1].map(|a| kept(extent[a], frame.map(|f| f[a]), SCATTER_PAD));
    (kept, frame == Some(kept))
}

/// The data figure of `lab`'s model with no data in it, for a data set built by clicks after Clear before its
/// first point: its axes over `lab`'s data (widened to `frame`) and "Click here to add a point" in the
/// middle, where the clicks land. Returns the transform for clicks; `None` for a model whose data a click
/// does not edit (nothing drawn).
pub fn draw_empty_data<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    lab: &Lab,
    frame: Option<Frame>,
    style: &Style,
) -> Result<Option<PlotTransform>, FigureError<DB>> {
    let transform = if let Some(em) = lab.em_of::<Gmm1d>() {
        let range = kept(em.model().extent(), frame.map(|f| f[0]), RANGE_PAD);
        draw_empty_histogram(root, range_around(range), style)?
    } else {
        // One component's legend (a mean, and for the mixture its σ ellipses), as the first point's lab
        // has, placed but not drawn.
        const ONE: [[[f64; 2]; 2]; 1] = [[[1.0, 0.0], [0.0, 1.0]]];
        let (extent, title, covariances) = if let Some(em) = lab.em_of::<Gmm2d>() {
            (em.model().extent(), "fig-scatter", Some(&ONE[..]))
        } else if let Some(em) = lab.em_of::<KMeans>() {
            (em.model().extent(), "fig-kmeans", None)
        } else {
            return Ok(None);
        };
        let view = ScatterView {
            components: false,
            ..ScatterView::new(false, title, style)
        };
        let (extent, _) = kept_2d(extent, frame);
        let centre = [extent[0], extent[1]].map(|(lo, hi)| 0.5 * (lo + hi));
        draw_scatter(root, &[], extent, &[], &[centre], covariances, &view, style)?
    };
    let centre = (
        (transform.px.0 + transform.px.1) / 2,
        (transform.py.0 + transform.py.1) / 2,
    );
    let hint = TextStyle::from(style.label_font())
        .color(&MUTED)
        .pos(Pos::new(HPos::Center, VPos::Center));
    root.draw(&Text::new(style.text("data-click-here"), centre, hint))?;
    Ok(Some(transform))
}

/// The grey of a hint written where there is nothing to show yet.
const MUTED: RGBColor = RGBColor(74, 79, 87);

/// The data figure of each model: one line per data figure.
fn draw_data<DB: MarksBackend>(
    root: &DrawingArea<DB, Shift>,
    lab: &Lab,
    view: &FigureView,
    style: &Style,
) -> Result<Option<PlotTransform>, FigureError<DB>> {
    if let Some(em) = lab.em_of::<Gmm1d>() {
        let histogram = HistogramView {
            bins: view.bins.clamp(1, 500),
            selected: view.selected,
            frame: view.frame.map(|f| f[0]),
        };
        draw_histogram(root, em, &histogram, style).map(Some)
    } else if let Some(em) = lab.em_of::<Gmm2d>() {
        let p = em.params();
        let title = if view.hard {
            "fig-scatter-hard"
        } else {
            "fig-scatter"
        };
        let (extent, frame_held) = kept_2d(with_points(em.model().extent(), &p.means), view.frame);
        let scatter = ScatterView {
            selected: view.selected,
            frame_held,
            ..ScatterView::new(view.hard, title, style)
        };
        let covariances = Some(&p.covariances[..]);
        let data = em.model().data();
        draw_scatter(
            root,
            data,
            extent,
            em.q(),
            &p.means,
            covariances,
            &scatter,
            style,
        )
        .map(Some)
    } else if let Some(em) = lab.em_of::<KMeans>() {
        let (data, centres) = (em.model().data(), &em.params().centres);
        let (extent, frame_held) = kept_2d(with_points(em.model().extent(), centres), view.frame);
        let scatter = ScatterView {
            selected: view.selected,
            frame_held,
            ..ScatterView::new(true, "fig-kmeans", style)
        };
        draw_scatter(root, data, extent, em.q(), centres, None, &scatter, style).map(Some)
    } else if let Some(em) = lab.em_of::<Coins>() {
        draw_coin_sets(root, em, &lab.sequences, view.selected, style).map(Some)
    } else if let Some(em) = lab.em_of::<Poisson>() {
        let counts = super::counts::CountsView {
            selected: view.selected,
            ..Default::default()
        };
        super::counts::draw_counts(root, em, &counts, style).map(Some)
    } else {
        Ok(None)
    }
}
