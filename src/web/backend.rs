//! One drawing backend for the page's canvases and its SVG exports, so the figure code is compiled once
//! for both (plotters figures are generic over the backend: two backends would mean two copies of every
//! figure in the wasm file).

use crate::figures::marks::{Marks, MarksBackend};
use crate::figures::svg::SvgFigureBackend;
use plotters_backend::{
    BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingBackend, DrawingErrorKind,
};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{Clamped, JsCast, JsValue};
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageData};

/// The most text sizes kept; beyond it the cache starts again (the page shows a few hundred labels).
const TEXT_SIZES_KEPT: usize = 4096;

thread_local! {
    /// Text sizes in pixels already measured on the page, by font and text.
    static TEXT_SIZES: std::cell::RefCell<std::collections::HashMap<String, (u32, u32)>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// A `<canvas>` or an SVG document being written.
pub enum AnyBackend<'a> {
    /// The page's canvas (plotters' backend for it, the element, for drawing pixels, and its text state).
    Canvas(CanvasBackend, HtmlCanvasElement, CanvasText),
    /// SVG text, for an export.
    Svg(SvgFigureBackend<'a>),
}

/// A backend's error, as its message.
#[derive(Debug)]
pub struct BackendError(String);

impl std::fmt::Display for BackendError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BackendError {}

/// A backend's error kind with its error as a [`BackendError`].
fn lift<E: std::error::Error + Send + Sync>(
    e: DrawingErrorKind<E>,
) -> DrawingErrorKind<BackendError> {
    match e {
        DrawingErrorKind::DrawingError(e) => {
            DrawingErrorKind::DrawingError(BackendError(e.to_string()))
        }
        DrawingErrorKind::FontError(e) => DrawingErrorKind::FontError(e),
    }
}

/// A JavaScript exception from drawing on the canvas, as a backend error.
fn js_error(e: JsValue) -> DrawingErrorKind<BackendError> {
    let message = e.as_string().unwrap_or_else(|| format!("{e:?}"));
    DrawingErrorKind::DrawingError(BackendError(message))
}

/// Calls `$call` on whichever backend `$self` holds, with its error lifted.
macro_rules! each {
    ($self:expr, $b:ident => $call:expr) => {
        match $self {
            AnyBackend::Canvas($b, _, text) => {
                // plotters' shapes set the fill style: the next label sets its own again.
                text.fill = None;
                $call.map_err(lift)
            }
            AnyBackend::Svg($b) => $call.map_err(lift),
        }
    };
}

impl DrawingBackend for AnyBackend<'_> {
    type ErrorType = BackendError;

    fn get_size(&self) -> (u32, u32) {
        match self {
            AnyBackend::Canvas(b, _, _) => b.get_size(),
            AnyBackend::Svg(b) => b.get_size(),
        }
    }

    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.present())
    }

    fn draw_pixel(
        &mut self,
        point: BackendCoord,
        color: BackendColor,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_pixel(point, color))
    }

    fn draw_line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.fill_polygon(vert, style))
    }

    fn draw_text<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        match self {
            AnyBackend::Canvas(_, _, state) => state.draw(text, style, pos).map_err(js_error),
            AnyBackend::Svg(b) => b.draw_text(text, style, pos).map_err(lift),
        }
    }

    fn estimate_text_size<S: BackendTextStyle>(
        &self,
        text: &str,
        style: &S,
    ) -> Result<(u32, u32), DrawingErrorKind<BackendError>> {
        match self {
            // plotters measures text on a page by adding a <span>, laying the page out and removing it: a
            // DOM round trip per label per redraw. Each (font, text) is measured once.
            AnyBackend::Canvas(b, _, _) => {
                let font = css_font(style);
                let key = format!("{font}\u{0}{text}");
                if let Some(size) = TEXT_SIZES.with_borrow(|sizes| sizes.get(&key).copied()) {
                    return Ok(size);
                }
                let size = match ascii_size(text, &font, style) {
                    Some(size) => size,
                    None => b.estimate_text_size(text, style).map_err(lift)?,
                };
                TEXT_SIZES.with_borrow_mut(|sizes| {
                    if sizes.len() >= TEXT_SIZES_KEPT {
                        sizes.clear();
                    }
                    sizes.insert(key, size);
                });
                Ok(size)
            }
            AnyBackend::Svg(b) => b.estimate_text_size(text, style).map_err(lift),
        }
    }

    fn blit_bitmap(
        &mut self,
        pos: BackendCoord,
        size: (u32, u32),
        src: &[u8],
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        each!(self, b => b.blit_bitmap(pos, size, src))
    }
}

/// A canvas's 2-D context and the text settings its labels last left on it. Drawn as plotters-canvas draws
/// text, but a label sets only the settings that differ from the last label's (each is a call into
/// JavaScript with a string, five per label: a third of a click's text drawing).
pub struct CanvasText {
    /// The canvas's 2-D context.
    context: CanvasRenderingContext2d,
    /// The CSS font set last ("" before the first label).
    font: String,
    /// The text alignment set last.
    align: &'static str,
    /// The text baseline set last.
    baseline: &'static str,
    /// The fill colour set last by a label, `None` once anything else may have set the fill style.
    fill: Option<([u8; 3], u64)>,
}

impl CanvasText {
    /// The text state of `canvas`'s context, nothing set yet.
    pub fn of(canvas: &HtmlCanvasElement) -> Result<Self, JsValue> {
        Ok(CanvasText {
            context: context_of(canvas)?,
            font: String::new(),
            align: "",
            baseline: "",
            fill: None,
        })
    }

    /// Draws `text` at `pos` (what `CanvasBackend::draw_text` draws). A rotated label sets everything inside
    /// save/restore, which puts the remembered settings back.
    fn draw<S: BackendTextStyle>(
        &mut self,
        text: &str,
        style: &S,
        pos: BackendCoord,
    ) -> Result<(), JsValue> {
        use plotters_backend::text_anchor::{HPos, VPos};
        use plotters_backend::FontTransform;
        let color = style.color();
        if color.alpha == 0.0 {
            return Ok(());
        }
        let turn = match style.transform() {
            FontTransform::None => 0.0,
            FontTransform::Rotate90 => 90.0,
            FontTransform::Rotate180 => 180.0,
            FontTransform::Rotate270 => 270.0,
        };
        let baseline = match style.anchor().v_pos {
            VPos::Top => "top",
            VPos::Center => "middle",
            VPos::Bottom => "bottom",
        };
        let align = match style.anchor().h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "center",
        };
        let fill = (
            [color.rgb.0, color.rgb.1, color.rgb.2],
            color.alpha.to_bits(),
        );
        let font = css_font(style);
        let c = &self.context;
        let rotated = turn != 0.0;
        let (mut x, mut y) = (f64::from(pos.0), f64::from(pos.1));
        if rotated {
            c.save();
            c.translate(x, y)?;
            c.rotate(turn / 180.0 * std::f64::consts::PI)?;
            (x, y) = (0.0, 0.0);
        }
        if rotated || self.baseline != baseline {
            c.set_text_baseline(baseline);
        }
        if rotated || self.align != align {
            c.set_text_align(align);
        }
        if rotated || self.fill != Some(fill) {
            let (r, g, b) = color.rgb;
            c.set_fill_style_str(&format!("rgba({r},{g},{b},{})", color.alpha));
        }
        if rotated || self.font != font {
            c.set_font(&font);
        }
        c.fill_text(text, x, y)?;
        if rotated {
            c.restore();
        } else {
            (self.baseline, self.align, self.fill, self.font) = (baseline, align, Some(fill), font);
        }
        Ok(())
    }
}

thread_local! {
    /// A canvas that is never shown, whose context measures text (`measureText` lays nothing out).
    static MEASURE: std::cell::RefCell<Option<CanvasRenderingContext2d>> = const { std::cell::RefCell::new(None) };
    /// The height of a line of ASCII text, by font, measured once on the page as plotters measures it.
    static ASCII_HEIGHTS: std::cell::RefCell<std::collections::HashMap<String, u32>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// The size of an ASCII text in CSS font `font` (the numbers of ticks and readouts, with their signs, new
/// after every half-step) without laying the page out: its width from a canvas's `measureText`, its height
/// the font's line height, measured once per font with plotters' own `<span>` (each such measure is a
/// layout of the whole page: 5 per click).
/// `None` for other text (a fallback font for Chinese or ℓ may change the line's height), which plotters
/// measures, once per text.
fn ascii_size<S: BackendTextStyle>(text: &str, font: &str, style: &S) -> Option<(u32, u32)> {
    // The signs the number formatters print beside ASCII (minus, times, dot, ellipsis, en dash, degree) are
    // in every text font, so they keep its line height.
    let plain = |c: char| c.is_ascii() || "−×·…–°±".contains(c);
    if text.is_empty() || !text.chars().all(plain) {
        return None;
    }
    let height = match ASCII_HEIGHTS.with_borrow(|h| h.get(font).copied()) {
        Some(height) => height,
        None => {
            let (_, height) =
                plotters::style::FontDesc::new(style.family(), style.size(), style.style())
                    .box_size("0")
                    .ok()?;
            ASCII_HEIGHTS.with_borrow_mut(|h| h.insert(font.to_string(), height));
            height
        }
    };
    let width = MEASURE.with_borrow_mut(|slot| -> Option<f64> {
        if slot.is_none() {
            let document = web_sys::window()?.document()?;
            let canvas = document
                .create_element("canvas")
                .ok()?
                .dyn_into::<HtmlCanvasElement>()
                .ok()?;
            *slot = Some(context_of(&canvas).ok()?);
        }
        let context = slot.as_ref()?;
        context.set_font(font);
        Some(context.measure_text(text).ok()?.width())
    })?;
    Some((width.round() as u32, height))
}

/// The CSS font of a text style, as plotters-canvas sets it on the canvas.
fn css_font<S: BackendTextStyle>(style: &S) -> String {
    format!(
        "{} {}px {}",
        style.style().as_str(),
        style.size(),
        style.family().as_str()
    )
}

impl MarksBackend for AnyBackend<'_> {
    fn draw_marks(&mut self, marks: &Marks) -> Result<(), DrawingErrorKind<BackendError>> {
        match self {
            AnyBackend::Canvas(_, canvas, _) => paint_marks(canvas, marks).map_err(js_error),
            AnyBackend::Svg(b) => b.draw_marks(marks).map_err(lift),
        }
    }
}

/// Marks painted on a figure's canvas, kept with their image so that the same marks are not rasterised
/// again: a scatter's points after an M-step (q, and so their colours, did not change; 100,000 points
/// were ~8 ms of an M-step's click).
struct Painted {
    /// The figure's canvas.
    target: HtmlCanvasElement,
    /// The marks, and the box (origin, size) their image covers.
    marks: Marks,
    origin: BackendCoord,
    size: (u32, u32),
    /// An off-page canvas holding their image at (0, 0).
    image: HtmlCanvasElement,
}

/// The most figure canvases whose marks are kept (the data figure, its twin, an export or two).
const PAINTED_KEPT: usize = 4;

thread_local! {
    /// The marks last painted on each of the last few canvases that had marks, oldest first.
    static PAINTED: std::cell::RefCell<Vec<Painted>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The 2-D context of `canvas`.
fn context_of(canvas: &HtmlCanvasElement) -> Result<CanvasRenderingContext2d, JsValue> {
    canvas
        .get_context("2d")?
        .ok_or_else(|| JsValue::from_str("This canvas has no 2-D drawing context."))?
        .dyn_into::<CanvasRenderingContext2d>()
        .map_err(JsValue::from)
}

/// Paints `marks` on `canvas` as one image: rasterised here, put on an off-page canvas and drawn from it
/// (`putImageData` alone would replace the axes under the marks instead of drawing over them); the same
/// marks as last time on this canvas are drawn from the image kept ([`PAINTED`]).
fn paint_marks(canvas: &HtmlCanvasElement, marks: &Marks) -> Result<(), JsValue> {
    let Some((origin, size)) = marks.extent((canvas.width(), canvas.height())) else {
        return Ok(());
    };
    let image = PAINTED.with_borrow_mut(|kept| -> Result<HtmlCanvasElement, JsValue> {
        let at = kept.iter().position(|p| p.target == *canvas);
        if let Some(p) = at.map(|i| &kept[i]) {
            if p.origin == origin && p.size == size && p.marks == *marks {
                return Ok(p.image.clone());
            }
        }
        let image = match at {
            Some(i) => kept.remove(i).image,
            None if kept.len() >= PAINTED_KEPT => kept.remove(0).image,
            None => web_sys::window()
                .and_then(|w| w.document())
                .ok_or_else(|| JsValue::from_str("No document to draw in."))?
                .create_element("canvas")?
                .dyn_into::<HtmlCanvasElement>()?,
        };
        // Grown only, never shrunk: resizing a canvas reallocates it.
        if image.width() < size.0 || image.height() < size.1 {
            image.set_width(image.width().max(size.0));
            image.set_height(image.height().max(size.1));
        }
        let rgba = marks.rasterize(origin, size);
        let pixels = ImageData::new_with_u8_clamped_array_and_sh(Clamped(&rgba), size.0, size.1)?;
        context_of(&image)?.put_image_data(&pixels, 0.0, 0.0)?;
        kept.push(Painted {
            target: canvas.clone(),
            marks: marks.clone(),
            origin,
            size,
            image: image.clone(),
        });
        Ok(image)
    })?;
    let (w, h) = (f64::from(size.0), f64::from(size.1));
    let (x, y) = (f64::from(origin.0), f64::from(origin.1));
    context_of(canvas)?
        .draw_image_with_html_canvas_element_and_sw_and_sh_and_dx_and_dy_and_dw_and_dh(
            &image, 0.0, 0.0, w, h, x, y, w, h,
        )
}
