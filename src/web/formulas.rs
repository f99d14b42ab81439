//! The `formulas` method of `Lab`: the chosen point's E-step and the next M-step as MathML, for every model.

use super::convert::ObjectBuilder;
use super::{InLang, JsLab};
use crate::core::formulas::{Formulas, Line};
use js_sys::Array;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Lab)]
impl JsLab {
    /// The E-step for the chosen point and the M-step from the current q, with this step's numbers:
    /// `{index, caption, e, m}`, where `e` and `m` are arrays of MathML markup, one `<math>` element each,
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
        Ok(ObjectBuilder::new()
            .set("index", i as u32)
            .set("caption", f.caption())
            .set("e", markup(&f.e))
            .set("m", markup(&f.m))
            .build())
    }
}
