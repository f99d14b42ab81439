//! A figure as SVG text: the same drawing code as the page's canvases, on plotters' SVG backend (with its
//! text at the size the canvas draws it).

use super::lab::{draw_figure, has_figure, FigureId, FigureView};
use super::marks::MarksBackend;
use super::Style;
use crate::core::bound::Slice;
use crate::core::lab::Lab;
use crate::text::Lang;
use plotters::prelude::*;
use plotters_backend::text_anchor::Pos;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontFamily,
    FontStyle, FontTransform,
};

/// The size of an exported figure when none is asked for, in pixels.
pub const DEFAULT_SIZE: (u32, u32) = (800, 500);
/// The smallest width and height an export may ask for, in pixels: those a figure is drawn at
/// ([`super::style::MIN_FIGURE`]; at 100 × 100 an export was a blank page).
pub const SIZE_MIN: (u32, u32) = (
    super::style::MIN_FIGURE.0 as u32,
    super::style::MIN_FIGURE.1 as u32,
);
/// The largest width or height an export may ask for, in pixels.
pub const SIZE_MAX: u32 = 8000;

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
    let backend = SvgFigureBackend(SVGBackend::with_string(&mut svg, size));
    draw_export(backend, lab, figure, view, slice, lang)?;
    Ok(svg)
}

/// Draws what [`figure_svg`] draws on `backend` (an SVG backend, or one that holds an SVG backend, so the
/// page's figure code serves both), laid out for its width at scale 1, and presents it.
pub fn draw_export<DB: MarksBackend>(
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

/// plotters' SVG backend writes a font size as the size asked for / 1.24; the canvas backend draws it at
/// the size asked for.
pub const SVG_FONT_SHRINK: f64 = 1.24;

/// plotters' SVG backend with its text at the size the canvas draws it, so an exported figure reads as it
/// does on screen (every other call goes to the SVG backend as it is).
pub struct SvgFigureBackend<'a>(pub SVGBackend<'a>);

/// A text style asking for [`SVG_FONT_SHRINK`] × its size, which the SVG backend shrinks back.
struct ScreenSize<'s, S>(&'s S);

impl<S: BackendTextStyle> BackendTextStyle for ScreenSize<'_, S> {
    type FontError = S::FontError;

    fn color(&self) -> BackendColor {
        self.0.color()
    }

    fn size(&self) -> f64 {
        self.0.size() * SVG_FONT_SHRINK
    }

    fn transform(&self) -> FontTransform {
        self.0.transform()
    }

    fn style(&self) -> FontStyle {
        self.0.style()
    }

    fn anchor(&self) -> Pos {
        self.0.anchor()
    }

    fn family(&self) -> FontFamily<'_> {
        self.0.family()
    }

    fn layout_box(&self, text: &str) -> Result<((i32, i32), (i32, i32)), Self::FontError> {
        self.0.layout_box(text)
    }

    fn draw<E, F: FnMut(i32, i32, BackendColor) -> Result<(), E>>(
        &self,
        text: &str,
        pos: BackendCoord,
        draw: F,
    ) -> Result<Result<(), E>, Self::FontError> {
        self.0.draw(text, pos, draw)
    }
}

/// The SVG backend's error kind.
type SvgErrorKind<'a> = DrawingErrorKind<<SVGBackend<'a> as DrawingBackend>::ErrorType>;

impl<'a> DrawingBackend for SvgFigureBackend<'a> {
    type ErrorType = <SVGBackend<'a> as DrawingBackend>::ErrorType;

    fn get_size(&self) -> (u32, u32) {
        self.0.get_size()
    }

    fn ensure_prepared(&mut self) -> Result<(), SvgErrorKind<'a>> {
        self.0.ensure_prepared()
    }

    fn present(&mut self) -> Result<(), SvgErrorKind<'a>> {
        self.0.present()
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_pixel(point, color)
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_line(from, to, style)
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_rect(upper_left, bottom_right, style, fill)
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_path(path, style)
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_circle(center, radius, style, fill)
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.fill_polygon(vert, style)
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.draw_text(text, &ScreenSize(style), pos)
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), SvgErrorKind<'a>> {
        self.0.estimate_text_size(text, style)
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), SvgErrorKind<'a>> {
        self.0.blit_bitmap(pos, size, src)
    }
}
