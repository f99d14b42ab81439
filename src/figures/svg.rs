//! A figure as SVG text: the same drawing code as the page's canvases, on plotters' SVG backend.

use super::lab::{draw_figure, has_figure, FigureId, FigureView};
use super::Style;
use crate::core::bound::Slice;
use crate::core::lab::Lab;
use crate::text::Lang;
use plotters::prelude::*;

/// The size of an exported figure when none is asked for, in pixels.
pub const DEFAULT_SIZE: (u32, u32) = (800, 500);
/// The smallest and largest width or height an export may ask for, in pixels.
pub const SIZE_RANGE: (u32, u32) = (100, 8000);

/// Why a figure could not be exported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SvgError {
    /// The model does not draw this figure (k-means has no bound figures; only coins draw a path).
    NotForModel,
    /// The drawing code failed (its message).
    Drawing(String),
}

/// `figure` of `lab` as an SVG document of `size` pixels (at scale 1, laid out for that width), its text in
/// `lang`, showing what `view` says (the chosen point, hard colouring, the slice's line, the bins). `slice`
/// is the slice along `view.along` when the caller has it computed (else it is computed here).
pub fn figure_svg(
    lab: &Lab,
    figure: FigureId,
    view: &FigureView,
    slice: Option<&Slice>,
    lang: Lang,
    size: (u32, u32),
) -> Result<String, SvgError> {
    let mut svg = String::new();
    let backend = SVGBackend::with_string(&mut svg, size);
    draw_export(backend, lab, figure, view, slice, lang)?;
    Ok(svg)
}

/// Draws what [`figure_svg`] draws on `backend` (an SVG backend, or one that holds an SVG backend, so the
/// page's figure code serves both), laid out for its width at scale 1, and presents it.
pub fn draw_export<DB: DrawingBackend>(
    backend: DB,
    lab: &Lab,
    figure: FigureId,
    view: &FigureView,
    slice: Option<&Slice>,
    lang: Lang,
) -> Result<(), SvgError> {
    if !has_figure(lab, figure) {
        return Err(SvgError::NotForModel);
    }
    let style = Style {
        scale: 1.0,
        lang,
        width: f64::from(backend.get_size().0),
    };
    let root = backend.into_drawing_area();
    let drawing = |e: &dyn std::fmt::Display| SvgError::Drawing(e.to_string());
    draw_figure(&root, lab, figure, view, slice, &style).map_err(|e| drawing(&e))?;
    root.present().map_err(|e| drawing(&e))
}
