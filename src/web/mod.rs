//! The thin wasm-bindgen glue: the `Lab` class that JS drives, and canvas lookup. No math here.

mod backend;
mod canvas;
mod convert;
mod data;
mod draw;
mod export;
mod formulas;
mod limits;
mod params;
mod session;

use crate::core::error::{EmError, ErrorKind};
use crate::core::gmm2d::CovarianceType;
use crate::core::lab::{preset_lesson, Focus, Lab, Lesson};
use crate::core::model::{Capabilities, FieldSpec};
use crate::core::options::{Options, DEFAULT_REG};
use crate::core::registry;
use crate::figures::format::gap_value;
use crate::figures::PlotTransform;
use crate::text::{self, Lang};
use convert::{
    field, known_keys, lang_arg, optional_number, plain_copy, text_arg, whole_index, ObjectBuilder,
};
use js_sys::Array;
use params::{read_params, write_params};
use wasm_bindgen::prelude::*;

/// All messages of the page in `lang` ("en" or "zh"), as `{id: text}`.
#[wasm_bindgen]
pub fn messages(lang: Option<JsValue>) -> Result<JsValue, JsError> {
    let lang = lang_arg(&lang).in_lang(Lang::En)?;
    Ok(text::messages()
        .iter()
        .fold(ObjectBuilder::new(), |o, (id, _, _)| {
            o.set(id, text::get(lang, id))
        })
        .build())
}

/// The component colours of the figures as `#RRGGBB` strings, in component order (the page's swatches).
#[wasm_bindgen]
pub fn palette() -> Vec<String> {
    crate::figures::style::palette_hex()
}

/// The names of the built-in 1-D data sets, in menu order.
#[wasm_bindgen(js_name = presetNames)]
pub fn preset_names() -> Vec<String> {
    registry::model("gmm1d")
        .map(|m| m.presets().iter().map(|s| s.to_string()).collect())
        .unwrap_or_default()
}

/// Every built-in data set with the model it is for and its lesson's K, variance floor and seed, and the K
/// at which it starts from its own θ (null when it has none): `[{name, model, k, reg, seed, startK}, …]`, in
/// menu order.
#[wasm_bindgen(js_name = presetCatalog)]
pub fn preset_catalog() -> Array {
    registry::presets()
        .into_iter()
        .map(|(name, model)| {
            let lesson = preset_lesson(name).unwrap_or(Lesson {
                k: 2,
                reg: DEFAULT_REG,
                seed: 1,
                start_k: None,
            });
            ObjectBuilder::new()
                .set("name", name)
                .set("model", model.name())
                .set("k", lesson.k as u32)
                .set("reg", lesson.reg)
                .set("seed", lesson.seed as f64)
                .set(
                    "startK",
                    lesson
                        .start_k
                        .map_or(JsValue::NULL, |k| JsValue::from(k as u32)),
                )
                .build()
        })
        .collect()
}

/// Every model of the registry, in menu order: `[{name, presets, can, fields}, …]` — what the page
/// builds its menus, controls and parameter table from (see [`capabilities`] and [`fields`]).
#[wasm_bindgen]
pub fn models() -> Array {
    registry::MODELS
        .iter()
        .map(|m| {
            let presets: Array = m.presets().iter().map(|p| JsValue::from(*p)).collect();
            ObjectBuilder::new()
                .set("name", m.name())
                .set("presets", presets)
                .set("can", capabilities(m.capabilities()))
                .set("fields", fields(m.fields()))
                .build()
        })
        .collect()
}

/// A model's capabilities as `{dataFigure, bound, path, bins, covariance, hardColouring, compare,
/// fixWeights, reg, collapse, clickEdit, columns, wideData, dataWords}`.
fn capabilities(c: &Capabilities) -> JsValue {
    ObjectBuilder::new()
        .set("dataFigure", c.data_figure)
        .set("bound", c.bound)
        .set("path", c.path)
        .set("bins", c.bins)
        .set("covariance", c.covariance)
        .set("hardColouring", c.hard_colouring)
        .set("compare", c.compare)
        .set("fixWeights", c.fix_weights)
        .set("reg", c.reg)
        .set("collapse", c.collapse)
        .set("clickEdit", c.click_edit)
        .set("columns", c.columns)
        .set("wideData", c.wide_data)
        .set("dataWords", c.data_words)
        .build()
}

/// θ's fields as `[{name, shape, column, digits}, …]` (only those shown in the table).
fn fields(fields: &[FieldSpec]) -> Array {
    fields
        .iter()
        .filter(|f| !f.column.is_empty())
        .map(|f| {
            ObjectBuilder::new()
                .set("name", f.name)
                .set("shape", f.shape.as_str())
                .set("column", f.column)
                .set("digits", f.digits)
                .set("location", f.location)
                .build()
        })
        .collect()
}

/// One EM lab: a model, its data and its state, stepped from JS one half-step at a time.
#[wasm_bindgen(js_name = Lab)]
pub struct JsLab {
    lab: Lab,
    lang: Lang,
    selected: Option<usize>,
    /// Whether the last point added or removed restarted EM from θ's means (`restartedFromMeans`).
    edit_from_means: bool,
    /// The point the Jensen figure follows while none is chosen, and the state it was found for.
    auto_point: std::cell::Cell<(Option<(usize, u64)>, usize)>,
    histogram: Option<PlotTransform>,
    slice_cache: Option<SliceProgress>,
    /// The slice the next E-step will show, computed while the page waits for the click (`prepareSlice`),
    /// keyed by the state it follows.
    slice_ahead: Option<SliceProgress>,
    /// The view the page last drew (bins, hard colouring, the slice's line): what an export shows.
    shown: crate::figures::lab::FigureView,
    /// Each figure last drawn, on which canvas, and what it showed then (`drawn_key`), so an unchanged
    /// figure is not drawn again.
    drawn: std::cell::RefCell<
        Vec<(
            crate::figures::lab::FigureId,
            web_sys::HtmlCanvasElement,
            u64,
        )>,
    >,
}

/// A slice being computed sample by sample, kept while its key (the state and the line) is the same.
struct SliceProgress {
    key: SliceKey,
    sampler: crate::figures::slice::SliceSampler,
}

/// What identifies a computed slice: the state (ℓ, L, the trace length, reg) and the line through θ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct SliceKey {
    reg: u64,
    loglik: u64,
    bound: u64,
    trace: usize,
    coordinate: i32,
}

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// A lab on a built-in data set (`heights`, `old-faithful`, `three-coins`, …) with K components and
    /// a seeded start; `model` may be "kmeans" for a 2-D data set (default: the data set's own model).
    pub fn preset(
        name: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] k: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
        model: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        Self::preset_in(name, k, seed, None, model)
    }

    /// A lab on pasted CSV text; `model` is "gmm1d", "gmm2d", "kmeans" or "coins"; `column` (0-based)
    /// picks the column (default 0), `column2` the second one for 2-D data (default `column` + 1).
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        model: &JsValue,
        text: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] k: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] seed: &JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] column: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] column2: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "boolean")] decimal_comma: Option<JsValue>,
    ) -> Result<JsLab, JsError> {
        let column = convert::optional_number_arg(&column, "column").in_lang(Lang::En)?;
        let column2 = convert::optional_number_arg(&column2, "column2").in_lang(Lang::En)?;
        let column = column.unwrap_or(0.0);
        let column2 = column2.unwrap_or(column + 1.0);
        let reg = Options::default().reg;
        Self::from_csv_in(
            model,
            text,
            k,
            seed,
            &JsValue::from(column),
            &JsValue::from(column2),
            &JsValue::from(reg),
            None,
            decimal_comma,
        )
    }

    /// The other 2-D model on the same data from the same start (k-means ↔ mixture), for side by side, on
    /// the same frame (`setFrame`): the two data figures showed clicked-in points on different axes.
    pub fn twin(&self) -> Result<JsLab, JsError> {
        let mut twin = self.lab.twin().map(Self::wrap).in_lang(self.lang)?;
        twin.lang = self.lang;
        twin.shown.frame = self.shown.frame;
        Ok(twin)
    }

    /// θ as a plain object, in the shape `setParams` takes.
    pub fn params(&self) -> JsValue {
        write_params(ObjectBuilder::new(), &self.lab.params()).build()
    }

    /// θ at the start and after every M-step so far: an array of `params()`-shaped objects.
    #[wasm_bindgen(js_name = paramsPath)]
    pub fn params_path(&self) -> Array {
        self.lab
            .params_path()
            .iter()
            .map(|p| write_params(ObjectBuilder::new(), p).build())
            .collect()
    }

    /// The starting θs the lesson offers (the three-coin example has two), as `params()`-shaped objects.
    pub fn starts(&self) -> Array {
        self.lab
            .starts
            .iter()
            .map(|p| write_params(ObjectBuilder::new(), p).build())
            .collect()
    }

    /// Restarts from the lesson's start number `index` (the three-coin example has two).
    #[wasm_bindgen(js_name = useStart)]
    pub fn use_start(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] index: &JsValue,
    ) -> Result<(), JsError> {
        let lang = self.lang;
        whole_index(index, "start", self.lab.starts.len())
            .and_then(|i| self.lab.use_start(i))
            .in_lang(lang)
    }

    /// What EM optimises: ℓ(θ) for the mixtures, the within-cluster sum of squares J for k-means.
    pub fn objective(&self) -> f64 {
        self.lab.objective()
    }

    fn wrap(lab: Lab) -> JsLab {
        JsLab {
            lab,
            lang: Lang::En,
            selected: None,
            edit_from_means: false,
            auto_point: std::cell::Cell::new((None, 0)),
            histogram: None,
            slice_cache: None,
            slice_ahead: None,
            shown: Default::default(),
            drawn: Default::default(),
        }
    }

    /// Sets the language ("en" or "zh", with a region too) of error messages and figure text; another code
    /// throws and changes nothing.
    #[wasm_bindgen(js_name = setLanguage)]
    pub fn set_language(&mut self, lang: &JsValue) -> Result<(), JsError> {
        let code = text_arg(lang, "lang").in_lang(self.lang)?;
        self.lang = convert::known_lang(&code).in_lang(self.lang)?;
        Ok(())
    }

    /// Replaces θ (the shape `params()` returns); throws and changes nothing if it is not valid.
    #[wasm_bindgen(js_name = setParams)]
    pub fn set_params(&mut self, params: JsValue) -> Result<(), JsError> {
        let lang = self.lang;
        plain_copy(&params)
            .and_then(|params| read_params(self.lab.em.fields(), &params))
            .and_then(|p| self.lab.set_params(&p))
            .in_lang(lang)
    }

    /// Sets `{reg, tol, covariance: "full"|"diag"|"spherical", fixWeights}` (any may be left out); throws
    /// and changes nothing if a value is not allowed. A new covariance type or weight rule restarts EM.
    #[wasm_bindgen(js_name = setOptions)]
    pub fn set_options(&mut self, options: JsValue) -> Result<(), JsError> {
        let lang = self.lang;
        let options = plain_copy(&options).in_lang(lang)?;
        let current = self.lab.options();
        let apply = |lab: &mut Lab| -> Result<(), EmError> {
            known_keys(&options, &["reg", "tol", "covariance", "fixWeights"])?;
            for name in ["reg", "tol"] {
                // `{reg: null}` was taken as "leave reg as it is" without a word.
                if field(&options, name).is_null() {
                    return Err(EmError::shape("shape-number", &[("name", name)]));
                }
            }
            if !field(&options, "reg").is_undefined() && !lab.em.capabilities().reg {
                return Err(EmError::new(ErrorKind::NoFloor));
            }
            lab.set_options(Options {
                reg: optional_number(&options, "reg")?.unwrap_or(current.reg),
                tol: optional_number(&options, "tol")?.unwrap_or(current.tol),
            })?;
            let covariance = field(&options, "covariance");
            if let Some(name) = covariance.as_string() {
                let kind = CovarianceType::parse(&name)
                    .ok_or_else(|| EmError::shape("shape-covariance", &[]))?;
                lab.set_covariance_type(kind)?;
            } else if !covariance.is_undefined() {
                return Err(EmError::shape("shape-covariance", &[]));
            }
            let fix = field(&options, "fixWeights");
            if let Some(fix) = fix.as_bool() {
                lab.set_fix_weights(fix)?;
            } else if !fix.is_undefined() {
                return Err(EmError::shape("shape-fix-weights", &[]));
            }
            Ok(())
        };
        // Only reg and tol: checked before anything changes, so the lab is changed in place (a copy of the
        // lab, data and history, was most of the start-up's `setOptions`). The covariance type or fixed
        // weights may refuse after the numbers are set: those change a copy, kept only when all is well.
        let in_place = field(&options, "covariance").is_undefined()
            && field(&options, "fixWeights").is_undefined();
        if in_place {
            return apply(&mut self.lab).in_lang(lang);
        }
        let mut next = self.lab.clone();
        apply(&mut next).in_lang(lang)?;
        self.lab = next;
        Ok(())
    }

    /// The E-step: q ← p(z | x, θ).
    #[wasm_bindgen(js_name = eStep)]
    pub fn e_step(&mut self) -> Result<(), JsError> {
        let lang = self.lang;
        self.lab.e_step().in_lang(lang)
    }

    /// The M-step: θ ← argmax L(q, θ). Throws when a component collapses (see `state().collapse`).
    #[wasm_bindgen(js_name = mStep)]
    pub fn m_step(&mut self) -> Result<(), JsError> {
        let lang = self.lang;
        self.lab.m_step().in_lang(lang)
    }

    /// Works on the pass over the data that the next half-step needs (`eStep()` or `mStep()`) for about
    /// `budgetMs` milliseconds (at least one part of 65,536 points); returns true when it has none left to
    /// make. A page running EM on a million points calls it between frames, so that no task holds the
    /// page for a whole pass; the half-step that follows gives the same numbers as without it. Changes
    /// nothing the page shows.
    #[wasm_bindgen(js_name = prepareStep)]
    pub fn prepare_step(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] budget_ms: &JsValue,
    ) -> Result<bool, JsError> {
        let budget_ms = convert::budget_arg(budget_ms, "budgetMs").in_lang(self.lang)?;
        let started = js_sys::Date::now();
        loop {
            if self.lab.prepare_step(1) {
                return Ok(true);
            }
            if js_sys::Date::now() - started >= budget_ms.max(0.0) {
                return Ok(false);
            }
        }
    }

    /// One iteration: E-step then M-step.
    pub fn step(&mut self) -> Result<(), JsError> {
        let lang = self.lang;
        self.lab.step().in_lang(lang)
    }

    /// Runs whole iterations (E then M) until convergence, a collapse (which throws) or `maxIterations`
    /// (a whole number from 1 to 1,000,000); returns how many ran.
    #[wasm_bindgen(js_name = runToConvergence)]
    pub fn run_to_convergence(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] max_iterations: &JsValue,
    ) -> Result<u32, JsError> {
        let lang = self.lang;
        convert::whole_arg(max_iterations, "maxIterations", 1, 1_000_000)
            .and_then(|max| self.lab.run_to_convergence(max as usize))
            .map(|n| n as u32)
            .in_lang(lang)
    }

    /// Goes back one half-step; returns false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.lab.undo()
    }

    /// Goes forward again to the state the last undo left; returns false when there is none.
    pub fn redo(&mut self) -> bool {
        self.lab.redo()
    }

    /// Jumps to half-step `halfStep` of the timeline (0 = the start; at most `halfSteps()`): every figure
    /// is then exactly as it was there. Throws unless it is a whole number in that range.
    #[wasm_bindgen(js_name = goTo)]
    pub fn go_to(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] half_step: &JsValue,
    ) -> Result<(), JsError> {
        let lang = self.lang;
        let max = self.lab.timeline_len() as u64;
        let to = convert::whole_arg(half_step, "halfStep", 0, max).in_lang(lang)?;
        self.lab.go_to(to as usize);
        Ok(())
    }

    /// How many half-steps the timeline holds (taken, including those undone and not redone).
    #[wasm_bindgen(js_name = halfSteps)]
    pub fn half_steps(&self) -> u32 {
        self.lab.timeline_len() as u32
    }

    /// Back to the starting θ with uniform q.
    pub fn reset(&mut self) {
        self.lab.reset();
    }

    /// The observed-data log-likelihood ℓ(θ).
    #[wasm_bindgen(js_name = logLikelihood)]
    pub fn log_likelihood(&self) -> f64 {
        self.lab.bound().loglik()
    }

    /// The lower bound L(q, θ).
    #[wasm_bindgen(js_name = lowerBound)]
    pub fn lower_bound(&self) -> f64 {
        self.lab.bound().lower_bound()
    }

    /// The responsibilities q of observation `i` (one per component).
    pub fn responsibilities(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: &JsValue,
    ) -> Result<Vec<f64>, JsError> {
        whole_index(i, "point", self.lab.bound().observations())
            .and_then(|i| self.lab.responsibilities(i))
            .in_lang(self.lang)
    }

    /// A plain object: `{model, phase, iteration, converged, weights, means, variances, …}`.
    pub fn state(&self) -> JsValue {
        let b = self.lab.bound();
        let collapse = match self.lab.collapse() {
            Some(c) => ObjectBuilder::new()
                .set("component", c.component as u32)
                .set("point", c.point as u32)
                .set("variance", c.variance)
                .set(
                    "floorHeld",
                    crate::core::collapse::Collapse::held_by(self.lab.options().reg),
                )
                .build(),
            None => JsValue::NULL,
        };
        let empty: Vec<f64> = self
            .lab
            .empty_components()
            .iter()
            .map(|&k| k as f64)
            .collect();
        let o = ObjectBuilder::new()
            .set("model", self.lab.model_name())
            .set(
                "preset",
                self.lab.preset.clone().map_or(JsValue::NULL, JsValue::from),
            )
            .set("phase", self.lab.phase().as_str())
            .set("iteration", b.iteration() as u32)
            .set("converged", self.lab.converged())
            .set("symmetric", self.lab.symmetric())
            .set("halfStep", self.lab.position() as u32)
            .set("halfSteps", self.lab.timeline_len() as u32)
            .set("startSymmetric", self.lab.start_symmetric())
            .set("n", b.observations() as u32)
            .set("k", b.components() as u32)
            .set("logLikelihood", b.loglik())
            .set("lowerBound", b.lower_bound())
            .set("gap", gap_value(b.loglik() - b.lower_bound(), b.loglik()))
            .set("loglikFell", loglik_fell(b))
            .set("reg", self.lab.options().reg)
            .set("tol", self.lab.options().tol)
            .set("selected", self.selected_point() as u32)
            .set("collapse", collapse)
            .set("floorChanged", self.lab.floor_changed())
            .set(
                "floorHolds",
                self.lab
                    .floor_holds()
                    .map_or(JsValue::NULL, |k| JsValue::from(k as u32)),
            )
            .numbers("emptyComponents", &empty)
            .set("objective", self.lab.objective())
            .set("starts", self.lab.starts.len() as u32);
        let can = self.lab.em.capabilities();
        let variant = self.lab.em.variant().unwrap_or_default();
        let o = o
            .set("can", capabilities(can))
            .set("fields", fields(self.lab.em.fields()));
        let o = if can.covariance {
            o.set("covariance", variant)
        } else if can.fix_weights {
            o.set("fixWeights", variant == "fixed")
        } else {
            o
        };
        write_params(o, &self.lab.params()).build()
    }

    /// Chooses observation `i` for the Jensen figure.
    pub fn select(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] i: &JsValue,
    ) -> Result<(), JsError> {
        // As `responsibilities` and `point` read an index: a whole number past the end is "no such point"
        // (select(12000) said err-not-integer where they said err-no-such-point), anything else is quoted
        // with the data's own range (select(-1) quoted 0 to 4294967295).
        let i = whole_index(i, "point", self.lab.len()).in_lang(self.lang)?;
        if i >= self.lab.len() {
            let e = crate::core::error::ErrorKind::NoSuchPoint {
                index: i,
                len: self.lab.len(),
            };
            return Err(EmError::new(e)).in_lang(self.lang);
        }
        self.selected = Some(i);
        Ok(())
    }

    /// The point for the Jensen figure: the one chosen, else the one with the largest share of KL in this
    /// state; after an E-step (every share 0) the one of the state before it, so its gap is seen closing;
    /// where every share is rounding noise, the point whose responsibilities are most evenly split. A
    /// function of the state alone: the same however it was reached (steps, the timeline) or read.
    fn selected_point(&self) -> usize {
        if let Some(i) = self.selected.filter(|&i| i < self.lab.len()) {
            return i;
        }
        let b = self.lab.bound();
        let key = (b.trace().len(), b.loglik().to_bits());
        let (cached_key, cached) = self.auto_point.get();
        if cached_key == Some(key) && cached < self.lab.len() {
            return cached;
        }
        let trace = b.trace();
        let after_e_step = b.phase() == crate::core::em::Phase::E;
        // After an E-step that followed an M-step (or the start), the answer is the point the state before
        // showed, which the page has usually just drawn: its key is this state's trace less one point and
        // the same ℓ (θ did not move). Only a pass over the data otherwise (4 ms at 100,000 2-D points).
        let before_was_not_e = trace
            .len()
            .checked_sub(2)
            .is_some_and(|i| trace[i].phase != crate::core::em::Phase::E);
        let key_before = (trace.len().saturating_sub(1), b.loglik().to_bits());
        if after_e_step
            && before_was_not_e
            && cached_key == Some(key_before)
            && cached < self.lab.len()
        {
            self.auto_point.set((Some(key), cached));
            return cached;
        }
        let largest = if after_e_step {
            b.largest_gap_point_before_e_step()
        } else {
            b.largest_gap_point()
        };
        let point = largest.unwrap_or_else(|| b.overlap_point());
        self.auto_point.set((Some(key), point));
        point
    }

    /// The point shown now, and whether it was chosen: what a session and a link keep of it.
    fn focus(&self) -> Focus {
        Focus {
            index: self.selected_point(),
            chosen: self.selected.is_some_and(|i| i < self.lab.len()),
        }
    }

    /// This lab showing `focus` (a restored session's or an opened link's point): chosen, or as the point
    /// this state's own choice found, which after an E-step stays (see `selected_point`).
    fn focused(mut self, focus: Option<Focus>) -> Self {
        match focus {
            Some(Focus {
                index,
                chosen: true,
            }) => self.selected = Some(index),
            Some(Focus { index, .. }) => {
                let b = self.lab.bound();
                let key = (b.trace().len(), b.loglik().to_bits());
                self.auto_point.set((Some(key), index));
            }
            None => {}
        }
        self
    }

    /// The point the Jensen figure, the formulas and the data figure's ring show: the one chosen, else this
    /// state's own (see `select`).
    #[wasm_bindgen(js_name = chosenPoint)]
    pub fn chosen_point(&self) -> u32 {
        self.selected_point() as u32
    }

    /// Moves the chosen point to the next (`direction` 1) or previous (−1) observation in the order the data
    /// figure shows them; any other direction throws. Returns its index.
    #[wasm_bindgen(js_name = selectNeighbour)]
    pub fn select_neighbour(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "number")] direction: &JsValue,
    ) -> Result<u32, JsError> {
        let direction = convert::number_arg(direction, "direction").in_lang(self.lang)?;
        if direction != 1.0 && direction != -1.0 {
            return Err(EmError::new(ErrorKind::NotDirection { value: direction }))
                .in_lang(self.lang);
        }
        let i = self.selected_point();
        let next = self.lab.neighbour(i, direction > 0.0);
        self.selected = Some(next);
        Ok(next as u32)
    }

    /// The observation nearest to a click at device pixel (px, py) on the data figure, or -1 outside it.
    #[wasm_bindgen(js_name = pickPoint)]
    pub fn pick_point(
        &self,
        #[wasm_bindgen(unchecked_param_type = "number")] px: &JsValue,
        #[wasm_bindgen(unchecked_param_type = "number")] py: &JsValue,
    ) -> Result<i32, JsError> {
        let (px, py) = pixel_args(px, py).in_lang(self.lang)?;
        let Some(t) = self.histogram.filter(|t| t.contains(px, py, 4.0)) else {
            return Ok(-1);
        };
        let (x, y) = t.to_data(px, py);
        let nearest = match self.lab.em.capabilities().click_edit {
            "2d" => Some(t.nearest_point(self.lab.points_2d(), (x, y))),
            _ => self
                .lab
                .em
                .nearest_value(x)
                .or_else(|| self.lab.em.nearest_row(y)),
        };
        Ok(nearest.map_or(-1, |i| i as i32))
    }
}

/// A pixel position given from JS (`pickPoint`, `xAt`, `xyAt`): two finite numbers ([`convert::finite_arg`]).
fn pixel_args(px: &JsValue, py: &JsValue) -> Result<(f64, f64), EmError> {
    Ok((
        convert::finite_arg(px, "px")?,
        convert::finite_arg(py, "py")?,
    ))
}

/// The one path from a core error to JS: `result.in_lang(lang)` turns an [`EmError`] into a JS `Error`
/// with its message in `lang` (the page's language; `Lang::En` where the call has none).
pub(crate) trait InLang<T> {
    /// This result with its error as a JS `Error` whose message is in `lang`.
    fn in_lang(self, lang: Lang) -> Result<T, JsError>;
}

impl<T> InLang<T> for Result<T, EmError> {
    fn in_lang(self, lang: Lang) -> Result<T, JsError> {
        self.map_err(|e| js_error(&e, lang))
    }
}

/// `e` as a JS `Error` in `lang` that also carries `id`, its message's id (`err-…`), the same in every
/// language: a course author (and the page) can tell one refusal from another without reading its words.
/// (Not generic, so not compiled again for every result type.)
#[inline(never)]
fn js_error(e: &EmError, lang: Lang) -> JsError {
    error_with_id(&e.message(lang), e.id())
}

/// A JS `Error` saying `message`, with `id` (the message table's) as its `id` property.
pub(crate) fn error_with_id(message: &str, id: &str) -> JsError {
    let error = JsError::new(message);
    let object = JsValue::from(error.clone());
    let _ = js_sys::Reflect::set(&object, &JsValue::from_str("id"), &JsValue::from_str(id));
    error
}

/// True when the last half-step was an M-step and ℓ fell by more than rounding noise: an exact M-step after
/// an E-step raises ℓ, but the variance floor added after it can lower ℓ (a floor of 50 on two-gaussians,
/// every iteration), and the page must not say "ℓ rose".
fn loglik_fell(b: &dyn crate::core::bound::BoundView) -> bool {
    let trace = b.trace();
    if b.phase() != crate::core::em::Phase::M || trace.len() < 2 {
        return false;
    }
    let (before, after) = (trace[trace.len() - 2].loglik, trace[trace.len() - 1].loglik);
    gap_value(before - after, before) > 0.0
}
