//! The limits the core enforces on the page's whole-number fields, so the page's fields match them.

use super::convert::ObjectBuilder;
use wasm_bindgen::prelude::*;

/// `{kMin, kMax, seedMin, seedMax, binsMin, binsMax, reg, regMax, tol, maxHistory, passPart, noise}`: K from 1 to `MAX_K`
/// (`core::params::check_k`), the seed a `u32`, the histogram's bins, the default and largest variance floor, the default tolerance, the undo
/// history's length, and the observations in a part of a pass over the data (`core::em::PASS_PART`: data
/// with more than one part has its passes spread over tasks while EM runs, `prepareStep`), and the fraction
/// of a scale at or below which a number is float noise, shown as 0 (`core::formulas::NOISE`).
#[wasm_bindgen]
pub fn limits() -> JsValue {
    ObjectBuilder::new()
        .set("kMin", 1.0)
        .set("kMax", crate::core::params::MAX_K as f64)
        .set("seedMin", 0.0)
        .set("seedMax", f64::from(u32::MAX))
        .set("binsMin", crate::figures::histogram::BINS_MIN as f64)
        .set("binsMax", crate::figures::histogram::BINS_MAX as f64)
        .set("reg", crate::core::options::DEFAULT_REG)
        .set("regMax", crate::core::options::MAX_REG)
        .set("tol", crate::core::options::DEFAULT_TOL)
        .set("maxHistory", crate::core::em::MAX_HISTORY as f64)
        .set("passPart", crate::core::em::PASS_PART as f64)
        .set("noise", crate::core::formulas::NOISE)
        .set("frameMax", crate::figures::style::FRAME_LIMIT)
        .build()
}
