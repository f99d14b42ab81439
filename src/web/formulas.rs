//! The `formulas` method of `Lab`: the chosen point's E-step and the next M-step as MathML, for every model.

use super::convert::ObjectBuilder;
use super::{InLang, JsLab};
use crate::core::em::Phase;
use crate::core::formulas::{Formulas, Line};
use crate::text;
use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// The E-step for the chosen point and the M-step from the current q, with this step's numbers:
    /// `{index, caption, eTitle, mTitle, e, m}` (the titles say which panel is the half-step just done and
    /// which the one to come), where `e` and `m` are arrays of MathML markup, one `<math>` element each,
    /// built only from fixed symbols, numbers and the message table (never from text a person typed).
    pub fn formulas(&self) -> Result<JsValue, JsError> {
        let i = self.selected_point();
        let f = self.lab.formulas(i).in_lang(self.lang)?;
        let markup = |lines: &[Line]| -> Array {
            Formulas::mathml(lines, self.lang)
                .into_iter()
                .map(JsValue::from)
                .collect()
        };
        // Which half-step each panel shows: after an E-step its formulas are the E-step just done and the
        // M-step to come; after an M-step, the E-step to come (from the new θ) and the M-step just done.
        // One title for both read as the same moment, and a student compared the next E-step's q with the
        // q the coin table showed.
        let after_e = self.lab.phase() == Phase::E;
        let after_m = self.lab.phase() == Phase::M;
        let e_title = if after_e {
            "formula-e-done"
        } else {
            "formula-e-next"
        };
        let m_title = if after_m {
            "formula-m-done"
        } else {
            "formula-m-next"
        };
        Ok(ObjectBuilder::new()
            .set("index", i as u32)
            .set("eTitle", text::get(self.lang, e_title))
            .set("mTitle", text::get(self.lang, m_title))
            .set(
                "caption",
                f.caption(&self.lab.bound().describe(i, self.lang)),
            )
            .set("e", markup(&f.e))
            .set("m", markup(&f.m))
            .build())
    }
}
