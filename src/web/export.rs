//! Exports for slides and spreadsheets: a figure as SVG text, the trace as CSV text.

use super::backend::AnyBackend;
use super::convert::{text_arg, whole};
use super::{InLang, JsLab};
use crate::core::bound::SliceAlong;
use crate::figures::lab::{has_figure, FigureId, FigureView};
use crate::figures::svg::{
    draw_export, SvgError, SvgFigureBackend, DEFAULT_SIZE, SIZE_MAX, SIZE_MIN,
};
use crate::text::{self, Lang};
use plotters::prelude::SVGBackend;
use wasm_bindgen::prelude::*;

/// The page's name of each figure (`FigureId::parse` reads them back).
fn figure_name(figure: FigureId) -> &'static str {
    match figure {
        FigureId::Data => "histogram",
        FigureId::Path => "path",
        FigureId::Slice => "slice",
        FigureId::Jensen => "jensen",
        FigureId::Split => "split",
        FigureId::Trace => "trace",
    }
}

/// Figure names as a list in a message: "histogram, slice, jensen".
fn name_list(figures: impl Iterator<Item = FigureId>) -> String {
    figures.map(figure_name).collect::<Vec<_>>().join(", ")
}

/// An export error: message `id` with the figure asked for (shortened) and the figures offered.
fn refusal(lang: Lang, id: &str, asked: &str, model: &str, offered: String) -> JsError {
    let asked: String = if asked.chars().count() > 40 {
        asked.chars().take(39).chain(['…']).collect()
    } else {
        asked.to_string()
    };
    let args = [
        ("figure", asked),
        ("model", model.to_string()),
        ("figures", offered),
    ];
    super::error_with_id(&text::fill(text::get(lang, id), &args), id)
}

impl JsLab {
    /// The error for figure `figure`, which this lab's model does not draw (k-means has no bound figures),
    /// naming those it does: what `exportSvg` throws, and the draw methods with it.
    pub(super) fn figure_refused(&self, figure: FigureId) -> JsError {
        refusal(
            self.lang,
            "err-figure-not-for-model",
            figure_name(figure),
            self.lab.model_name(),
            self.figures_offered(),
        )
    }

    /// The figures this lab's model draws, as a message lists them ("histogram, trace").
    fn figures_offered(&self) -> String {
        name_list(
            FigureId::ALL
                .into_iter()
                .filter(|&f| has_figure(&self.lab, f)),
        )
    }
}

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// The figures this lab's model draws, by the names `exportSvg` takes, in page order
    /// (e.g. `["histogram", "slice", "jensen", "split", "trace"]`).
    #[wasm_bindgen(js_name = figureIds)]
    pub fn figure_ids(&self) -> Vec<String> {
        FigureId::ALL
            .into_iter()
            .filter(|&f| has_figure(&self.lab, f))
            .map(|f| figure_name(f).to_string())
            .collect()
    }

    /// Figure `figureId` (`histogram`, `path`, `slice`, `jensen`, `split`, `trace`; `data` is the
    /// histogram's other name) as SVG text, `width` × `height` pixels (default 800 × 500; whole numbers up to
    /// 8000, the width from 160 and the height from 140), drawn by the same code as the canvas, in the lab's language, with what the
    /// page shows: the chosen point, the bins and hard colouring last drawn, the slice's line. Throws an
    /// `Error` for an unknown name or a figure the model does not draw.
    #[wasm_bindgen(js_name = exportSvg)]
    pub fn export_svg(
        &self,
        figure_id: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] width: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] height: Option<JsValue>,
    ) -> Result<String, JsError> {
        let lang = self.lang;
        let figure_id = &text_arg(figure_id, "figureId").in_lang(lang)?;
        let model = self.lab.model_name();
        let Some(figure) = FigureId::parse(figure_id) else {
            return Err(refusal(
                lang,
                "err-unknown-figure",
                figure_id,
                model,
                self.figures_offered(),
            ));
        };
        let size = |v: Option<JsValue>, name: &'static str, default: u32, lo: u32| {
            match super::convert::optional_number_arg(&v, name)? {
                Some(v) => whole(v, name, u64::from(lo), u64::from(SIZE_MAX)).map(|v| v as u32),
                None => Ok(default),
            }
        };
        let width = size(width, "width", DEFAULT_SIZE.0, SIZE_MIN.0).in_lang(lang)?;
        let height = size(height, "height", DEFAULT_SIZE.1, SIZE_MIN.1).in_lang(lang)?;
        let view = FigureView {
            selected: Some(self.selected_point()),
            ..self.shown
        };
        // The slice the page has computed for this state and line, when it is whole (else computed here).
        let coordinate = match view.along {
            SliceAlong::EmDirection => -1,
            SliceAlong::Coordinate(i) => i32::try_from(i).unwrap_or(i32::MAX),
        };
        let key = self.slice_key(coordinate);
        let slice = self
            .slice_cache
            .as_ref()
            .filter(|p| p.key == key && p.sampler.is_complete())
            .map(|p| p.sampler.slice());
        // Drawn through the canvas's backend type, so the wasm file holds the figure code once.
        let mut svg = String::new();
        let backend = AnyBackend::Svg(SvgFigureBackend(SVGBackend::with_string(
            &mut svg,
            (width, height),
        )));
        let drawn = draw_export(backend, &self.lab, figure, &view, slice.as_ref(), lang);
        drawn.map_err(|e| match e {
            SvgError::NotForModel => self.figure_refused(figure),
            SvgError::Drawing(message) => super::canvas::draw_error(message),
        })?;
        Ok(svg)
    }

    /// The trace as CSV text: a header, then one line per half-step (the start first) with the iteration,
    /// the half-step, the phase, ℓ, L, KL (k-means: J) and θ, one column per number; numbers read back
    /// exactly (see `core::trace_csv`).
    #[wasm_bindgen(js_name = traceCsv)]
    pub fn trace_csv(&self) -> String {
        crate::core::trace_csv::trace_csv(&self.lab)
    }
}
