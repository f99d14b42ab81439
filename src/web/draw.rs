//! The figure-drawing methods of `Lab`: each looks up nothing, draws one figure on the canvas it is given.

use super::canvas::{area, draw_error};
use super::convert::ObjectBuilder;
use super::{JsLab, SliceKey, SliceProgress};
use crate::core::bound::SliceAlong;
use crate::figures::lab::{draw_figure, FigureId, FigureView};
use crate::figures::slice::{draw_slice, SliceSampler};
use crate::figures::PlotTransform;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// Draws the data figure of the model on `canvas`: the histogram with component curves, mixture and
    /// responsibility strip (1-D, with `bins` bins); the scatter with ellipses (2-D) or hard clusters
    /// (k-means); the coin sets with their posteriors and credited counts (coins). With `hard`, the 2-D
    /// mixture colours each point by its most responsible component instead of the blend.
    #[wasm_bindgen(js_name = drawData)]
    pub fn draw_data(
        &mut self,
        canvas: &HtmlCanvasElement,
        bins: usize,
        hard: Option<bool>,
    ) -> Result<(), JsError> {
        let view = FigureView {
            bins,
            selected: Some(self.selected_point()),
            hard: hard.unwrap_or(false),
            ..FigureView::default()
        };
        (self.shown.bins, self.shown.hard) = (view.bins, view.hard);
        self.histogram = self.draw(canvas, FigureId::Data, &view)?;
        Ok(())
    }

    /// Draws θ's path over the iterations (coin models: θ₁ against θ₂, with the three-coin
    /// non-identifiability line); does nothing for other models.
    #[wasm_bindgen(js_name = drawPath)]
    pub fn draw_path(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.draw(canvas, FigureId::Path, &FigureView::default())
            .map(|_| ())
    }

    /// Draws ℓ and L along the EM direction (`coordinate` < 0) or along free coordinate `coordinate`.
    /// Each sample of the slice is a pass over the data: with `budgetMs` the samples are computed for
    /// about that long and the figure drawn with those done so far (the whole line, coarsely, first);
    /// returns true when the slice is complete, false when the page should call again on a later frame.
    #[wasm_bindgen(js_name = drawSlice)]
    pub fn draw_slice(
        &mut self,
        canvas: &HtmlCanvasElement,
        coordinate: i32,
        budget_ms: Option<f64>,
    ) -> Result<bool, JsError> {
        let (root, style) = area(canvas, self.lang)?;
        let along =
            usize::try_from(coordinate).map_or(SliceAlong::EmDirection, SliceAlong::Coordinate);
        self.shown.along = along;
        // Keep the slice while neither the state nor the line changes (choosing a point, resizing or
        // switching language redraws without a new step).
        let view = self.lab.bound();
        let key = self.slice_key(coordinate);
        let mut progress = match self.slice_cache.take() {
            Some(p) if p.key == key => p,
            _ => {
                let height = f64::from(canvas.client_height().max(1));
                SliceProgress {
                    key,
                    sampler: SliceSampler::new(view, along, style.width, height),
                }
            }
        };
        let started = js_sys::Date::now();
        progress.sampler.run(view, || {
            budget_ms.is_none_or(|b| js_sys::Date::now() - started < b)
        });
        let complete = progress.sampler.is_complete();
        let slice = progress.sampler.slice();
        draw_slice(&root, view, along, &slice, &style).map_err(draw_error)?;
        self.slice_cache = Some(progress);
        root.present().map_err(draw_error)?;
        Ok(complete)
    }

    /// What identifies the slice along `coordinate` in the current state.
    pub(super) fn slice_key(&self, coordinate: i32) -> SliceKey {
        let view = self.lab.bound();
        SliceKey {
            reg: self.lab.options().reg.to_bits(),
            loglik: view.loglik().to_bits(),
            bound: view.lower_bound().to_bits(),
            trace: view.trace().len(),
            coordinate,
        }
    }

    /// Draws Jensen's chord for the selected point.
    #[wasm_bindgen(js_name = drawJensen)]
    pub fn draw_jensen(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let view = FigureView {
            selected: Some(self.selected_point()),
            ..FigureView::default()
        };
        self.draw(canvas, FigureId::Jensen, &view).map(|_| ())
    }

    /// Draws the ℓ = L + KL bar.
    #[wasm_bindgen(js_name = drawSplit)]
    pub fn draw_split(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.draw(canvas, FigureId::Split, &FigureView::default())
            .map(|_| ())
    }

    /// Draws the trace of ℓ and L over the half-steps.
    #[wasm_bindgen(js_name = drawTrace)]
    pub fn draw_trace(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        self.draw(canvas, FigureId::Trace, &FigureView::default())
            .map(|_| ())
    }

    /// Jensen's numbers for the selected point: `{index, description, q, logJoint, r, lnR, chord, curve, gap}`.
    pub fn jensen(&self) -> JsValue {
        let b = self.lab.bound();
        let i = self.selected_point();
        let j = b.jensen(i);
        ObjectBuilder::new()
            .set("index", i as u32)
            .set("description", b.describe(i))
            .numbers("q", &j.q)
            .numbers("r", &j.r)
            .numbers("lnR", &j.ln_r)
            .numbers("logJoint", &j.log_joint)
            .numbers("chord", &[j.chord.0, j.chord.1])
            .numbers("curve", &[j.curve.0, j.curve.1])
            .set("gap", j.gap)
            .build()
    }

    /// Draws one figure on `canvas` and presents it; returns the data figure's pixel transform.
    fn draw(
        &self,
        canvas: &HtmlCanvasElement,
        figure: FigureId,
        view: &FigureView,
    ) -> Result<Option<PlotTransform>, JsError> {
        let (root, style) = area(canvas, self.lang)?;
        let transform =
            draw_figure(&root, &self.lab, figure, view, None, &style).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
        Ok(transform)
    }

    /// Names of θ's free coordinates, for the slice menu (e.g. "μ2").
    #[wasm_bindgen(js_name = freeNames)]
    pub fn free_names(&self) -> Vec<String> {
        self.lab.bound().free_names()
    }
}
