//! The figure-drawing methods of `Lab`: each looks up nothing, draws one figure on the canvas it is given.

use super::canvas::{area, draw_error};
use super::convert::ObjectBuilder;
use super::{JsLab, SliceKey};
use crate::core::bound::SliceAlong;
use crate::core::lab::AnyEm;
use crate::figures::coins::{draw_coin_path, draw_coin_sets};
use crate::figures::histogram::{draw_histogram, HistogramView};
use crate::figures::jensen::draw_jensen;
use crate::figures::scatter::{draw_scatter, ScatterView};
use crate::figures::slice::{draw_slice, SLICE_SAMPLES};
use crate::figures::split::draw_split;
use crate::figures::trace::draw_trace;
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
        let (root, style) = area(canvas, self.lang)?;
        let transform = match &self.lab.em {
            AnyEm::Gmm1d(em) => {
                let view = HistogramView {
                    bins: bins.clamp(1, 500),
                    selected: self.selected,
                };
                Some(draw_histogram(&root, em, &view, &style))
            }
            AnyEm::Gmm2d(em) => {
                let p = em.params();
                let hard = hard.unwrap_or(false);
                let title = if hard {
                    "fig-scatter-hard"
                } else {
                    "fig-scatter"
                };
                let view = ScatterView::new(hard, title, &style);
                let data = em.model().data();
                Some(draw_scatter(
                    &root,
                    data,
                    em.q(),
                    &p.means,
                    Some(&p.covariances),
                    &view,
                    &style,
                ))
            }
            AnyEm::KMeans(em) => {
                let view = ScatterView::new(true, "fig-kmeans", &style);
                let data = em.model().data();
                Some(draw_scatter(
                    &root,
                    data,
                    em.q(),
                    &em.params().centres,
                    None,
                    &view,
                    &style,
                ))
            }
            AnyEm::Coins(em) => {
                draw_coin_sets(&root, em, &self.lab.sequences, &style).map_err(draw_error)?;
                None
            }
        };
        self.histogram = transform.transpose().map_err(draw_error)?;
        root.present().map_err(draw_error)
    }

    /// Draws θ's path over the iterations (coin models: θ₁ against θ₂, with the three-coin
    /// non-identifiability line); does nothing for other models.
    #[wasm_bindgen(js_name = drawPath)]
    pub fn draw_path(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let AnyEm::Coins(em) = &self.lab.em else {
            return Ok(());
        };
        let (root, style) = area(canvas, self.lang)?;
        let path: Vec<(f64, f64)> = em
            .params_path()
            .iter()
            .map(|p| (p.heads[0], p.heads.get(1).copied().unwrap_or(p.heads[0])))
            .collect();
        draw_coin_path(&root, em, &path, &style).map_err(draw_error)?;
        root.present().map_err(draw_error)
    }

    /// Draws ℓ and L along the EM direction (`coordinate` < 0) or along free coordinate `coordinate`.
    #[wasm_bindgen(js_name = drawSlice)]
    pub fn draw_slice(
        &mut self,
        canvas: &HtmlCanvasElement,
        coordinate: i32,
    ) -> Result<(), JsError> {
        let (root, style) = area(canvas, self.lang)?;
        let along =
            usize::try_from(coordinate).map_or(SliceAlong::EmDirection, SliceAlong::Coordinate);
        // The slice costs a pass over the data per sample; keep it while neither the state nor the line
        // changes (choosing a point, resizing or switching language redraws without a new step).
        let view = self.lab.bound();
        let key = SliceKey {
            reg: self.lab.options().reg.to_bits(),
            loglik: view.loglik().to_bits(),
            bound: view.lower_bound().to_bits(),
            trace: view.trace().len(),
            coordinate,
        };
        let slice = match self.slice_cache.take() {
            Some((k, s)) if k == key => s,
            _ => view.slice(along, SLICE_SAMPLES),
        };
        draw_slice(&root, view, along, &slice, &style).map_err(draw_error)?;
        self.slice_cache = Some((key, slice));
        root.present().map_err(draw_error)
    }

    /// Draws Jensen's chord for the selected point.
    #[wasm_bindgen(js_name = drawJensen)]
    pub fn draw_jensen(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let (root, style) = area(canvas, self.lang)?;
        let i = self.selected_point();
        draw_jensen(&root, self.lab.bound(), i, &style).map_err(draw_error)?;
        root.present().map_err(draw_error)
    }

    /// Draws the ℓ = L + KL bar.
    #[wasm_bindgen(js_name = drawSplit)]
    pub fn draw_split(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let (root, style) = area(canvas, self.lang)?;
        draw_split(&root, self.lab.bound(), &style).map_err(draw_error)?;
        root.present().map_err(draw_error)
    }

    /// Draws the trace of ℓ and L over the half-steps.
    #[wasm_bindgen(js_name = drawTrace)]
    pub fn draw_trace(&self, canvas: &HtmlCanvasElement) -> Result<(), JsError> {
        let (root, style) = area(canvas, self.lang)?;
        draw_trace(&root, self.lab.bound(), &style).map_err(draw_error)?;
        root.present().map_err(draw_error)
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

    /// Names of θ's free coordinates, for the slice menu (e.g. "μ2").
    #[wasm_bindgen(js_name = freeNames)]
    pub fn free_names(&self) -> Vec<String> {
        self.lab.bound().free_names()
    }
}
