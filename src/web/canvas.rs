//! Turning a `<canvas>` into a plotters drawing area scaled to its device pixels.

use super::backend::{AnyBackend, CanvasState};
use crate::core::decimal::parse_f64;
use crate::figures::Style;
use crate::text::Lang;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters_canvas::CanvasBackend;
use wasm_bindgen::{JsCast, JsError, JsValue};
use web_sys::HtmlCanvasElement;

/// The drawing area of `canvas` and the style for it: scale = device pixels per CSS pixel, times the
/// canvas's `data-scale` when it has one.
pub fn area(
    canvas: &HtmlCanvasElement,
    lang: Lang,
) -> Result<(DrawingArea<AnyBackend<'static>, Shift>, Style), JsError> {
    let css_width = f64::from(canvas.client_width());
    // `data-scale` (www/present.js: a large figure, presentation mode) enlarges the text and lines by that
    // factor; the buffer stays one pixel per device pixel, so they stay sharp.
    let zoom = canvas
        .get_attribute("data-scale")
        .and_then(|z| parse_f64(&z))
        .filter(|z| (0.5..=4.0).contains(z))
        .unwrap_or(1.0);
    let scale = zoom
        * if css_width > 0.0 {
            f64::from(canvas.width()) / css_width
        } else {
            1.0
        };
    let backend = CanvasBackend::with_canvas_object(canvas.clone())
        .ok_or_else(|| JsError::new("This canvas has no 2-D drawing context."))?;
    let width = if css_width > 0.0 {
        css_width
    } else {
        f64::from(canvas.width())
    };
    super::backend::measure_in_language_of(canvas);
    let state = CanvasState::of(canvas)
        .map_err(|_| JsError::new("This canvas has no 2-D drawing context."))?;
    let area = AnyBackend::Canvas(backend, canvas.clone(), state).into_drawing_area();
    Ok((area, Style { scale, lang, width }))
}

/// `value` as a `<canvas>` element, or an error saying it is not one. Checked before anything reads the
/// canvas: `drawData(null, 40)` threw a TypeError from inside a method, which left the lab borrowed, and every
/// later call on it failed ("recursive use of an object detected").
pub fn canvas_arg(value: &JsValue, lang: Lang) -> Result<HtmlCanvasElement, JsError> {
    value
        .dyn_ref::<HtmlCanvasElement>()
        .cloned()
        .ok_or_else(|| {
            super::error_with_id(crate::text::get(lang, "err-not-canvas"), "err-not-canvas")
        })
}

/// A drawing failure as a JS `Error`.
pub fn draw_error(e: impl std::fmt::Display) -> JsError {
    JsError::new(&format!("Drawing failed: {e}"))
}
