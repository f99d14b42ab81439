//! The limits the core enforces on the page's whole-number fields, so the page's fields match them.

use super::convert::ObjectBuilder;
use wasm_bindgen::prelude::*;

/// `{kMin, kMax, seedMin, seedMax}`: K from 1 to `MAX_K` (`core::params::check_k`), the seed a `u32`.
#[wasm_bindgen]
pub fn limits() -> JsValue {
    ObjectBuilder::new()
        .set("kMin", 1.0)
        .set("kMax", crate::core::params::MAX_K as f64)
        .set("seedMin", 0.0)
        .set("seedMax", f64::from(u32::MAX))
        .build()
}
