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
    static TEXT_SIZES: std::cell::RefCell<Sizes> = const { std::cell::RefCell::new(Sizes(Vec::new())) };
}

/// Sizes by text, in a sorted list: a few hundred labels, each looked up by halving, where a `HashMap`
/// would bring about 6 KB of wasm.
struct Sizes(Vec<(String, (u32, u32))>);

impl Sizes {
    /// The size kept for `key`.
    fn get(&self, key: &str) -> Option<(u32, u32)> {
        let at = self.0.binary_search_by(|(k, _)| k.as_str().cmp(key)).ok()?;
        Some(self.0[at].1)
    }

    /// Keeps `size` for `key`.
    fn insert(&mut self, key: String, size: (u32, u32)) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&key)) {
            Ok(at) => self.0[at].1 = size,
            Err(at) => self.0.insert(at, (key, size)),
        }
    }
}

/// A `<canvas>` or an SVG document being written.
pub enum AnyBackend<'a> {
    /// The page's canvas (plotters' backend for it, the element, for drawing pixels, and the settings its
    /// drawing last left on its context).
    Canvas(CanvasBackend, HtmlCanvasElement, CanvasState),
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
            AnyBackend::Canvas($b, _, state) => {
                // plotters-canvas may set the fill and stroke: the next shape or label sets its own again.
                state.forget_styles();
                $call.map_err(lift)
            }
            AnyBackend::Svg($b) => $call.map_err(lift),
        }
    };
}

/// Draws a shape on the canvas with `$state` (a [`CanvasState`]) if `$self` is one, else with the SVG
/// backend as `$svg`.
macro_rules! shape {
    ($self:expr, $state:ident => $canvas:expr, $b:ident => $svg:expr) => {
        match $self {
            AnyBackend::Canvas(_, _, $state) => $canvas,
            AnyBackend::Svg($b) => $svg.map_err(lift),
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

    // Called before every shape and label: plotters-canvas's do nothing, and leave the settings alone.
    fn ensure_prepared(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, _s => Ok(()), b => b.ensure_prepared())
    }

    fn present(&mut self) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, _s => Ok(()), b => b.present())
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
        shape!(self, s => s.line(from, to, style), b => b.draw_line(from, to, style))
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, s => s.rect(upper_left, bottom_right, style, fill),
            b => b.draw_rect(upper_left, bottom_right, style, fill))
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        path: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, s => s.path(path, style, false), b => b.draw_path(path, style))
    }

    fn draw_circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, s => s.circle(center, radius, style, fill),
            b => b.draw_circle(center, radius, style, fill))
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        vert: I,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        shape!(self, s => s.path(vert, style, true), b => b.fill_polygon(vert, style))
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
                if let Some(size) = TEXT_SIZES.with_borrow(|sizes| sizes.get(&key)) {
                    return Ok(size);
                }
                let size = match text_size(text, &font, style) {
                    Some(size) => size,
                    None => b.estimate_text_size(text, style).map_err(lift)?,
                };
                TEXT_SIZES.with_borrow_mut(|sizes| {
                    if sizes.0.len() >= TEXT_SIZES_KEPT {
                        sizes.0.clear();
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

/// A colour as the canvas settings compare it: red, green, blue and the alpha's bits.
type ColorKey = ([u8; 3], u64);

/// The key of `color`.
fn color_key(color: BackendColor) -> ColorKey {
    (
        [color.rgb.0, color.rgb.1, color.rgb.2],
        color.alpha.to_bits(),
    )
}

/// `color` as CSS, as plotters-canvas writes it.
fn css_color(color: BackendColor) -> String {
    let (r, g, b) = color.rgb;
    format!("rgba({r},{g},{b},{})", color.alpha)
}

/// A canvas's 2-D context and the settings its drawing last left on it. Shapes and labels are drawn as
/// plotters-canvas draws them, but each sets only the settings that differ from the last ones (each is a
/// call into JavaScript with a string made and decoded: plotters-canvas sets the colour and width of every
/// grid line, bar and curve, and five settings per label).
pub struct CanvasState {
    /// The canvas's 2-D context.
    context: CanvasRenderingContext2d,
    /// The CSS font set last ("" before the first label).
    font: String,
    /// The text alignment set last.
    align: &'static str,
    /// The text baseline set last.
    baseline: &'static str,
    /// The fill colour set last, `None` when not known (nothing set yet, or set by plotters-canvas).
    fill: Option<ColorKey>,
    /// The stroke colour set last, `None` when not known.
    stroke: Option<ColorKey>,
    /// The line width set last, `None` when not known.
    width: Option<u32>,
}

impl CanvasState {
    /// The state of `canvas`'s context, nothing set yet.
    pub fn of(canvas: &HtmlCanvasElement) -> Result<Self, JsValue> {
        Ok(CanvasState {
            context: context_of(canvas)?,
            font: String::new(),
            align: "",
            baseline: "",
            fill: None,
            stroke: None,
            width: None,
        })
    }

    /// Forgets the fill and stroke settings (something else has drawn on the context).
    fn forget_styles(&mut self) {
        (self.fill, self.stroke, self.width) = (None, None, None);
    }

    /// Sets the fill colour unless it is set already.
    fn fill_with(&mut self, color: BackendColor) {
        if self.fill != Some(color_key(color)) {
            self.context.set_fill_style_str(&css_color(color));
            self.fill = Some(color_key(color));
        }
    }

    /// Sets the stroke colour and line width of `style` unless they are set already.
    fn stroke_with<S: BackendStyle>(&mut self, style: &S) {
        let color = style.color();
        if self.stroke != Some(color_key(color)) {
            self.context.set_stroke_style_str(&css_color(color));
            self.stroke = Some(color_key(color));
        }
        let width = style.stroke_width();
        if self.width != Some(width) {
            self.context.set_line_width(f64::from(width));
            self.width = Some(width);
        }
    }

    /// Sets the fill colour of `style` (with `fill`) or its stroke colour and width; false, setting
    /// nothing, when `style` is transparent and there is nothing to draw.
    fn take_style<S: BackendStyle>(&mut self, style: &S, fill: bool) -> bool {
        if style.color().alpha == 0.0 {
            return false;
        }
        if fill {
            self.fill_with(style.color());
        } else {
            self.stroke_with(style);
        }
        true
    }

    /// Fills (with `fill`) or strokes the path just made.
    fn finish(&self, fill: bool) {
        if fill {
            self.context.fill();
        } else {
            self.context.stroke();
        }
    }

    /// A line (plotters-canvas's `draw_line`: a horizontal or vertical one moved half a pixel, to be sharp).
    fn line<S: BackendStyle>(
        &mut self,
        from: BackendCoord,
        to: BackendCoord,
        style: &S,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        if !self.take_style(style, false) {
            return Ok(());
        }
        let (mut a, mut b) = (
            (f64::from(from.0), f64::from(from.1)),
            (f64::from(to.0), f64::from(to.1)),
        );
        if a.0 == b.0 {
            (a.0, b.0) = (a.0 - 0.5, b.0 - 0.5);
        }
        if a.1 == b.1 {
            (a.1, b.1) = (a.1 - 0.5, b.1 - 0.5);
        }
        let c = &self.context;
        c.begin_path();
        c.move_to(a.0, a.1);
        c.line_to(b.0, b.1);
        c.stroke();
        Ok(())
    }

    /// A rectangle, filled or outlined (plotters-canvas's `draw_rect`).
    fn rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        if !self.take_style(style, fill) {
            return Ok(());
        }
        let (x, y) = (f64::from(upper_left.0), f64::from(upper_left.1));
        let (w, h) = (
            f64::from(bottom_right.0 - upper_left.0),
            f64::from(bottom_right.1 - upper_left.1),
        );
        if fill {
            self.context.fill_rect(x, y, w, h);
        } else {
            self.context.stroke_rect(x, y, w, h);
        }
        Ok(())
    }

    /// A polyline, or with `fill` a closed and filled polygon (plotters-canvas's `draw_path` and
    /// `fill_polygon`).
    fn path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(
        &mut self,
        points: I,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        if !self.take_style(style, fill) {
            return Ok(());
        }
        let mut points = points.into_iter();
        let c = &self.context;
        c.begin_path();
        if let Some(start) = points.next() {
            c.move_to(f64::from(start.0), f64::from(start.1));
            for next in points {
                c.line_to(f64::from(next.0), f64::from(next.1));
            }
            if fill {
                c.close_path();
            }
        }
        self.finish(fill);
        Ok(())
    }

    /// A circle, filled or outlined (plotters-canvas's `draw_circle`).
    fn circle<S: BackendStyle>(
        &mut self,
        center: BackendCoord,
        radius: u32,
        style: &S,
        fill: bool,
    ) -> Result<(), DrawingErrorKind<BackendError>> {
        if !self.take_style(style, fill) {
            return Ok(());
        }
        let c = &self.context;
        c.begin_path();
        let (x, y) = (f64::from(center.0), f64::from(center.1));
        c.arc(x, y, f64::from(radius), 0.0, std::f64::consts::TAU)
            .map_err(js_error)?;
        self.finish(fill);
        Ok(())
    }

    /// Draws `text` at `pos` (what `CanvasBackend::draw_text` draws). A rotated label sets what it changes
    /// inside save/restore, which puts the remembered settings back.
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
        let fill = color_key(color);
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
        // Inside save/restore too, the context has the remembered settings: only the others are set.
        if self.baseline != baseline {
            c.set_text_baseline(baseline);
        }
        if self.align != align {
            c.set_text_align(align);
        }
        if self.fill != Some(fill) {
            c.set_fill_style_str(&css_color(color));
        }
        if self.font != font {
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
    /// The height of a line (the second number), by font and the sample of its characters that sets it
    /// ([`line_sample`]), measured once on the page as plotters measures it.
    static LINE_HEIGHTS: std::cell::RefCell<Sizes> = const { std::cell::RefCell::new(Sizes(Vec::new())) };
    /// The language text is measured in: the `lang` of the canvas last drawn on (see [`measure_in_language_of`]).
    static TEXT_LANG: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Measures text from now on in the language of `canvas` (its nearest `lang`), forgetting what was measured in
/// another: the generic sans-serif is another font in a Chinese page than in a canvas of no language, and the
/// measuring canvas, in no document, measured Chinese labels up to 12 % narrower than they were drawn (the
/// slice's "KL 小于 10⁻¹²·|ℓ|，记为 0" ran over its axis on a coin lesson at 1280×720).
pub fn measure_in_language_of(canvas: &HtmlCanvasElement) {
    let lang = canvas
        .closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"))
        .unwrap_or_default();
    let changed = TEXT_LANG.with_borrow_mut(|now| {
        let changed = *now != lang;
        if changed {
            *now = lang;
        }
        changed
    });
    if changed {
        TEXT_SIZES.with_borrow_mut(|sizes| sizes.0.clear());
        LINE_HEIGHTS.with_borrow_mut(|heights| heights.0.clear());
        MEASURE.with_borrow_mut(|slot| *slot = None);
    }
}

/// The size of `text` in CSS font `font` (the numbers of ticks and readouts, new after every half-step, and
/// every title and label) without laying the page out for each: its width from a canvas's `measureText`,
/// on one line as the canvas draws it, its height the line height that plotters' own `<span>` measures,
/// once per font and [`line_sample`] (each such measure is a layout of the whole page). plotters measured
/// each whole text with its `<span>`, which wraps at the window's width: a Chinese title wider than the
/// window measured as narrow as the window and two lines tall, so it was neither shrunk nor given the
/// right band (cut off at both ends in presentation mode at 1024×768).
/// `None` where the page cannot be measured (plotters then measures it).
fn text_size<S: BackendTextStyle>(text: &str, font: &str, style: &S) -> Option<(u32, u32)> {
    if text.is_empty() {
        return None;
    }
    let sample = line_sample(text);
    let key = format!("{font}\u{0}{sample}");
    let height = match LINE_HEIGHTS.with_borrow(|h| h.get(&key)) {
        Some((_, height)) => height,
        None => {
            let (_, height) =
                plotters::style::FontDesc::new(style.family(), style.size(), style.style())
                    .box_size(&sample)
                    .ok()?;
            LINE_HEIGHTS.with_borrow_mut(|h| h.insert(key, (0, height)));
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
            let context = context_of(&canvas).ok()?;
            // Its language, as a canvas in the page has it (`lang` of the 2-D context: "inherit" has nothing
            // to inherit from here).
            TEXT_LANG.with_borrow(|lang| {
                if !lang.is_empty() {
                    let _ = js_sys::Reflect::set(&context, &"lang".into(), &lang.as_str().into());
                }
            });
            *slot = Some(context);
        }
        let context = slot.as_ref()?;
        context.set_font(font);
        Some(context.measure_text(text).ok()?.width())
    })?;
    Some((width.round() as u32, height))
}

/// The characters of `text` that may set its line's height: "0" for the text font, then its first few
/// distinct characters outside ASCII (a fallback font for Chinese, ℓ or θ may make the line taller), short
/// enough never to wrap. Chinese characters and full-width punctuation come from one font and stand as
/// "中"; the signs the number formatters print beside ASCII (minus, times, dot, ellipsis, en dash, degree,
/// plus-minus) are in every text font and left out. So most labels share a few samples.
fn line_sample(text: &str) -> String {
    const MOST: usize = 8;
    let mut sample = String::from("0");
    for c in text.chars() {
        if sample.chars().count() > MOST {
            break;
        }
        let c = match c {
            '\u{2E80}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}' | '\u{FF00}'..='\u{FFEF}' => '中',
            c => c,
        };
        if !(c.is_ascii() || "−×·…–°±".contains(c) || sample.contains(c)) {
            sample.push(c);
        }
    }
    sample
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
