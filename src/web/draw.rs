//! The figure-drawing methods of `Lab`: each looks up nothing, draws one figure on the canvas it is given.

use super::canvas::{area, canvas_arg, draw_error};
use super::convert::{budget_arg, number_arg, whole, whole_arg, ObjectBuilder};
use super::{InLang, JsLab, SliceKey, SliceProgress};
use crate::core::bound::SliceAlong;
use crate::core::error::{EmError, ErrorKind};
use crate::figures::lab::{draw_figure, FigureId, FigureView};
use crate::figures::slice::{draw_slice, SliceSampler};
use crate::figures::PlotTransform;
use wasm_bindgen::prelude::*;
use web_sys::HtmlCanvasElement;

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// Draws the data figure of the model on `canvas`: the histogram with component curves, mixture and
    /// responsibility strip (1-D, with `bins` bins, a whole number from 5 to 200); the scatter with ellipses (2-D) or hard clusters
    /// (k-means); the coin sets with their posteriors and credited counts (coins). With `hard`, the 2-D
    /// mixture colours each point by its most responsible component instead of the blend.
    #[wasm_bindgen(js_name = drawData)]
    pub fn draw_data(
        &mut self,
        canvas: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] bins: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] hard: Option<JsValue>,
    ) -> Result<(), JsError> {
        use crate::figures::histogram::{BINS_MAX, BINS_MIN};
        let canvas = &canvas_arg(canvas, self.lang)?;
        let hard = super::convert::optional_bool_arg(&hard, "hard").in_lang(self.lang)?;
        let bins =
            whole_arg(bins, "bins", BINS_MIN as u64, BINS_MAX as u64).in_lang(self.lang)? as usize;
        let view = FigureView {
            bins,
            selected: Some(self.selected_point()),
            hard: hard.unwrap_or(false),
            frame: self.shown.frame,
            ..FigureView::default()
        };
        (self.shown.bins, self.shown.hard) = (view.bins, view.hard);
        if let Some(transform) = self.draw(canvas, FigureId::Data, &view)? {
            self.histogram = transform;
        }
        Ok(())
    }

    /// Draws the data figure with no data in it, for a data set built by clicks after Clear (this lab is
    /// the one before Clear): the axes over this lab's data and its frame, and "Click here to add a point";
    /// `xAt` / `xyAt` then map a click to where it lands on them. Throws for a model whose data a click
    /// does not edit.
    #[wasm_bindgen(js_name = drawEmptyData)]
    pub fn draw_empty_data(&mut self, canvas: &JsValue) -> Result<(), JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        let (root, style) = area(canvas, self.lang)?;
        let drawn =
            crate::figures::lab::draw_empty_data(&root, &self.lab, self.shown.frame, &style)
                .map_err(draw_error)?;
        let Some(transform) = drawn else {
            let model = self.lab.model_name();
            let action = "add a point";
            return Err(EmError::new(ErrorKind::NotForModel { action, model })).in_lang(self.lang);
        };
        root.present().map_err(draw_error)?;
        self.histogram = Some(transform);
        // The canvas no longer shows the data figure drawn before: a later drawData draws it again.
        self.drawn
            .borrow_mut()
            .retain(|(figure, _, _)| *figure != FigureId::Data);
        Ok(())
    }

    /// Draws θ's path over the iterations (coin models: θ₁ against θ₂, with the three-coin
    /// non-identifiability line); throws for other models, as `exportSvg('path')` does.
    #[wasm_bindgen(js_name = drawPath)]
    pub fn draw_path(&self, canvas: &JsValue) -> Result<(), JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        // As exportSvg('path') does: a model without a path says so (it drew nothing, silently).
        if !self.lab.em.capabilities().path {
            let model = self.lab.model_name();
            let action = "draw the path of θ";
            return Err(EmError::new(ErrorKind::NotForModel { action, model })).in_lang(self.lang);
        }
        self.draw(canvas, FigureId::Path, &FigureView::default())
            .map(drop)
    }

    /// Draws ℓ and L along the EM direction (`coordinate` < 0) or along free coordinate `coordinate`.
    /// Each sample of the slice is a pass over the data: with `budgetMs` the samples are computed for
    /// about that long and the figure drawn with those done so far (the whole line, coarsely, first);
    /// returns true when the slice is complete, false when the page should call again on a later frame.
    #[wasm_bindgen(js_name = drawSlice)]
    pub fn draw_slice(
        &mut self,
        canvas: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] coordinate: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] budget_ms: Option<JsValue>,
    ) -> Result<bool, JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        let budget_ms = budget_ms
            .as_ref()
            .filter(|v| !v.is_undefined() && !v.is_null())
            .map(|v| budget_arg(v, "budgetMs"))
            .transpose()
            .in_lang(self.lang)?;
        let (along, coordinate) = slice_along(coordinate).in_lang(self.lang)?;
        if !crate::figures::lab::has_figure(&self.lab, FigureId::Slice) {
            return Err(self.figure_refused(FigureId::Slice));
        }
        let (root, style) = area(canvas, self.lang)?;
        self.shown.along = along;
        // Keep the slice while neither the state nor the line changes (choosing a point, resizing or
        // switching language redraws without a new step).
        let view = self.lab.bound();
        let key = self.slice_key(coordinate);
        let mut progress = match self.slice_cache.take() {
            Some(p) if p.key == key => p,
            earlier => {
                let mut sampler = SliceSampler::new(view, along);
                // After an M-step (or its undo) the line is the one the E-step's slice sampled; after an
                // E-step it is the one `prepareSlice` may have sampled before the click.
                for earlier in [earlier.as_ref(), self.slice_ahead.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    sampler.reuse(&earlier.sampler, view);
                }
                SliceProgress { key, sampler }
            }
        };
        let drawn_view = FigureView {
            along,
            ..FigureView::default()
        };
        let drawn_key = self.drawn_key(canvas, FigureId::Slice, &drawn_view);
        if progress.sampler.is_complete() && self.already_drawn(canvas, FigureId::Slice, drawn_key)
        {
            self.slice_cache = Some(progress);
            return Ok(true);
        }
        let started = js_sys::Date::now();
        progress.sampler.run(view, || {
            budget_ms.is_none_or(|b| js_sys::Date::now() - started < b)
        });
        let complete = progress.sampler.is_complete();
        let slice = progress.sampler.slice();
        draw_slice(&root, view, along, &slice, &style).map_err(draw_error)?;
        self.slice_cache = Some(progress);
        root.present().map_err(draw_error)?;
        if complete {
            self.remember_drawn(canvas, FigureId::Slice, drawn_key);
        }
        Ok(complete)
    }

    /// Computes, for about `budgetMs`, the slice the next E-step will show along `coordinate` (as for
    /// `drawSlice`; each sample is a pass over the data), so that the E-step's click draws it without
    /// passes. Returns true when nothing is left to compute: the slice is complete, or the next E-step is
    /// not computed ahead (after an E-step, hard EM, data too large to keep a second q). A page calls it
    /// while it is idle.
    #[wasm_bindgen(js_name = prepareSlice)]
    pub fn prepare_slice(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] coordinate: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] budget_ms: &JsValue,
    ) -> Result<bool, JsError> {
        let budget_ms = budget_arg(budget_ms, "budgetMs").in_lang(self.lang)?;
        let (along, coordinate) = slice_along(coordinate).in_lang(self.lang)?;
        let key = self.slice_key(coordinate);
        let Some(next) = self.lab.bound().after_e_step() else {
            return Ok(true);
        };
        let mut progress = match self.slice_ahead.take() {
            Some(p) if p.key == key => p,
            _ => SliceProgress {
                key,
                sampler: SliceSampler::new(&*next, along),
            },
        };
        let started = js_sys::Date::now();
        progress
            .sampler
            .run(&*next, || js_sys::Date::now() - started < budget_ms);
        let complete = progress.sampler.is_complete();
        self.slice_ahead = Some(progress);
        Ok(complete)
    }

    /// What identifies the slice along `coordinate` (as `slice_along` returns it) in the current state.
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
    pub fn draw_jensen(&self, canvas: &JsValue) -> Result<(), JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        let view = FigureView {
            selected: Some(self.selected_point()),
            ..FigureView::default()
        };
        self.draw(canvas, FigureId::Jensen, &view).map(drop)
    }

    /// Draws the ℓ = L + KL bar.
    #[wasm_bindgen(js_name = drawSplit)]
    pub fn draw_split(&self, canvas: &JsValue) -> Result<(), JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        self.draw(canvas, FigureId::Split, &FigureView::default())
            .map(drop)
    }

    /// Draws the trace of ℓ and L over the half-steps.
    #[wasm_bindgen(js_name = drawTrace)]
    pub fn draw_trace(&self, canvas: &JsValue) -> Result<(), JsError> {
        let canvas = &canvas_arg(canvas, self.lang)?;
        self.draw(canvas, FigureId::Trace, &FigureView::default())
            .map(drop)
    }

    /// Jensen's numbers for the selected point: `{index, description, q, logJoint, r, lnR, chord, curve, gap}`;
    /// `r` and `lnR` are `null` for a component with qₖ = 0 (rₖ = p(x, k | θ) / qₖ does not exist; it was NaN).
    pub fn jensen(&self) -> JsValue {
        let b = self.lab.bound();
        let i = self.selected_point();
        let j = b.jensen(i);
        ObjectBuilder::new()
            .set("index", i as u32)
            .set("description", b.describe(i, self.lang))
            .numbers("q", &j.q)
            .numbers_or_null("r", &j.r)
            .numbers_or_null("lnR", &j.ln_r)
            .numbers("logJoint", &j.log_joint)
            .numbers("chord", &[j.chord.0, j.chord.1])
            .numbers("curve", &[j.curve.0, j.curve.1])
            .set("gap", j.gap)
            .build()
    }

    /// Draws one figure on `canvas` and presents it, unless it already shows exactly this; returns
    /// `Some` of the data figure's pixel transform when it drew.
    fn draw(
        &self,
        canvas: &HtmlCanvasElement,
        figure: FigureId,
        view: &FigureView,
    ) -> Result<Option<Option<PlotTransform>>, JsError> {
        // As exportSvg does: k-means' drawJensen drew nothing and its drawSlice answered "whole".
        if !crate::figures::lab::has_figure(&self.lab, figure) {
            return Err(self.figure_refused(figure));
        }
        let key = self.drawn_key(canvas, figure, view);
        if self.already_drawn(canvas, figure, key) {
            return Ok(None);
        }
        let (root, style) = area(canvas, self.lang)?;
        let transform =
            draw_figure(&root, &self.lab, figure, view, None, &style).map_err(draw_error)?;
        root.present().map_err(draw_error)?;
        self.remember_drawn(canvas, figure, key);
        Ok(Some(transform))
    }

    /// What figure `figure` shows on `canvas`, as one number: the state (where on the timeline, ℓ, L, θ,
    /// N and the options), what `view` asks for (only what this figure shows of it), the language and the
    /// canvas's size. The same number means the same picture.
    pub(super) fn drawn_key(
        &self,
        canvas: &HtmlCanvasElement,
        figure: FigureId,
        view: &FigureView,
    ) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut h = std::hash::DefaultHasher::new();
        let b = self.lab.bound();
        (
            self.lab.position(),
            self.lab.timeline_len(),
            b.trace().len(),
        )
            .hash(&mut h);
        (
            b.loglik().to_bits(),
            b.lower_bound().to_bits(),
            self.lab.len(),
        )
            .hash(&mut h);
        let options = self.lab.options();
        (options.reg.to_bits(), options.tol.to_bits()).hash(&mut h);
        for field in self.lab.params().fields {
            field.name.hash(&mut h);
            field.values.iter().for_each(|v| v.to_bits().hash(&mut h));
        }
        (self.lang, canvas.width(), canvas.height()).hash(&mut h);
        (canvas.client_width(), canvas.get_attribute("data-scale")).hash(&mut h);
        // Only what this figure shows of the view: a new bin count redraws the histogram alone.
        match figure {
            FigureId::Data => {
                (view.bins, view.selected, view.hard).hash(&mut h);
                let frame = view
                    .frame
                    .map(|f| f.map(|(lo, hi)| (lo.to_bits(), hi.to_bits())));
                frame.hash(&mut h);
            }
            FigureId::Jensen => view.selected.hash(&mut h),
            FigureId::Slice => view.along.hash(&mut h),
            FigureId::Path | FigureId::Split | FigureId::Trace => {}
        }
        h.finish()
    }

    /// True when `canvas` shows `figure` as drawn with `key`.
    pub(super) fn already_drawn(
        &self,
        canvas: &HtmlCanvasElement,
        figure: FigureId,
        key: u64,
    ) -> bool {
        self.drawn.borrow().iter().any(|(f, c, k)| {
            *f == figure
                && *k == key
                && AsRef::<JsValue>::as_ref(c) == AsRef::<JsValue>::as_ref(canvas)
        })
    }

    /// Remembers that `canvas` now shows `figure` as drawn with `key`.
    pub(super) fn remember_drawn(&self, canvas: &HtmlCanvasElement, figure: FigureId, key: u64) {
        let mut drawn = self.drawn.borrow_mut();
        // Another figure drawn on this canvas (an export's scratch canvas) replaces what it showed.
        let same_canvas =
            |c: &HtmlCanvasElement| AsRef::<JsValue>::as_ref(c) == AsRef::<JsValue>::as_ref(canvas);
        drawn.retain(|(f, c, _)| *f != figure && !same_canvas(c));
        drawn.push((figure, canvas.clone(), key));
    }

    /// Names of θ's free coordinates, for the slice menu (e.g. "μ2").
    #[wasm_bindgen(js_name = freeNames)]
    pub fn free_names(&self) -> Vec<String> {
        self.lab.bound().free_names()
    }
}

/// The slice's line from a JS `coordinate`, and its key: −1 the EM direction, else θ's free coordinate of
/// that index (beyond the last, the last). 2.5, −2 or 2³² are refused by name; they were truncated or
/// wrapped (2³² drew coordinate 0).
fn slice_along(coordinate: &JsValue) -> Result<(SliceAlong, i32), EmError> {
    let coordinate = number_arg(coordinate, "coordinate")?;
    if coordinate == -1.0 {
        return Ok((SliceAlong::EmDirection, -1));
    }
    // The name says −1 too: "must be a whole number from 0" alone read as if −1 were refused.
    let index = whole(
        coordinate,
        "coordinate (or −1, the EM direction)",
        0,
        i32::MAX as u64,
    )?;
    Ok((SliceAlong::Coordinate(index as usize), index as i32))
}
