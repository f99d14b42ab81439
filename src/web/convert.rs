//! Converting between JS values and the core's parameter types, with clear errors for wrong shapes.

use crate::core::error::{EmError, ErrorKind};
use js_sys::{Array, Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// `structuredClone`: a copy of plain data (objects, arrays, numbers, strings), with no getter or
    /// Proxy left in it; what a getter or a Proxy throws while it is copied is returned as the error.
    #[wasm_bindgen(catch, js_name = structuredClone)]
    fn structured_clone(value: &JsValue) -> Result<JsValue, JsValue>;
}

/// A plain copy of an object given to the API, made before anything reads it, so that a getter or a Proxy
/// that throws does so here, as an error with its message: an exception through a method left the lab
/// borrowed, and every later call on it failed ("recursive use of an object detected").
pub fn plain_copy(value: &JsValue) -> Result<JsValue, EmError> {
    structured_clone(value).map_err(|e| {
        let error = e.dyn_ref::<js_sys::Error>();
        if error.is_some_and(|e| e.name() == "DataCloneError") {
            return EmError::shape("shape-plain", &[]);
        }
        let why = error
            .map(|e| String::from(e.message()))
            .or_else(|| e.as_string());
        EmError::shape("shape-threw", &[("why", &why.unwrap_or_default())])
    })
}

/// Reads `obj[name]` (undefined when absent or when `obj` is not an object).
pub fn field(obj: &JsValue, name: &str) -> JsValue {
    if !obj.is_object() {
        return JsValue::UNDEFINED;
    }
    Reflect::get(obj, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `value` as a number, with −0 read as 0 (a −0 given for reg or a mean was kept, and written as "-0" in
/// the trace CSV, the link and `state()`); `None` when it is not a number.
pub fn js_number(value: &JsValue) -> Option<f64> {
    value.as_f64().map(|v| v + 0.0)
}

/// True when `value` is an array or a typed array (`Float64Array`, `Int32Array`, …: what numeric code hands
/// over; `setParams` refused them); a `DataView` is neither.
fn is_array_like(value: &JsValue) -> bool {
    let typed = js_sys::ArrayBuffer::is_view(value) && !value.is_instance_of::<js_sys::DataView>();
    Array::is_array(value) || typed
}

/// The elements of `value` when it [`is_array_like`], else `None`.
pub fn array_like(value: &JsValue) -> Option<Array> {
    is_array_like(value).then(|| Array::from(value))
}

/// The length of `value` when it [`is_array_like`], read without copying its entries; else `None`.
pub fn array_length(value: &JsValue) -> Option<usize> {
    is_array_like(value)
        .then(|| Reflect::get(value, &JsValue::from_str("length")).ok())
        .flatten()
        .and_then(|n| n.as_f64())
        .map(|n| n as usize)
}

/// Reads `obj[name]` as an array (or typed array) of numbers.
pub fn numbers(obj: &JsValue, name: &str) -> Result<Vec<f64>, EmError> {
    let value = field(obj, name);
    let Some(items) = array_like(&value) else {
        return Err(EmError::shape("shape-numbers", &[("name", name)]));
    };
    items
        .iter()
        .map(|v| {
            js_number(&v).ok_or_else(|| EmError::shape("shape-only-numbers", &[("name", name)]))
        })
        .collect()
}

/// Reads `obj[name]` as an optional number: `None` when absent, an error when not a number.
pub fn optional_number(obj: &JsValue, name: &str) -> Result<Option<f64>, EmError> {
    let value = field(obj, name);
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    js_number(&value)
        .map(Some)
        .ok_or_else(|| EmError::shape("shape-number", &[("name", name)]))
}

/// What kind of JS value `value` is, as a message names it: `null`, else its `typeof`.
fn kind_of(value: &JsValue) -> String {
    if value.is_null() {
        "null".to_string()
    } else {
        value.js_typeof().as_string().unwrap_or_default()
    }
}

/// A text argument from JS (a name, CSV text, a language code): a number, an object or `undefined` is
/// refused by name. wasm-bindgen's own `&str` conversion trapped on them ("memory access out of bounds").
pub fn text_arg(value: &JsValue, name: &'static str) -> Result<String, EmError> {
    value.as_string().ok_or_else(|| {
        EmError::new(ErrorKind::NotText {
            name,
            got: kind_of(value),
        })
    })
}

/// A number argument from JS: `null`, `true`, `[]` or `"3"` is refused by name; JS would have made them
/// 0, 1, 0 and 3 (`goTo(null)` went to the start, `addPoint(null)` added the value 0).
pub fn number_arg(value: &JsValue, name: &'static str) -> Result<f64, EmError> {
    js_number(value).ok_or_else(|| {
        EmError::new(ErrorKind::NotNumber {
            name,
            got: kind_of(value),
        })
    })
}

/// An optional argument's value: `None` when left out, `undefined` or `null`.
fn given(value: &Option<JsValue>) -> Option<&JsValue> {
    value.as_ref().filter(|v| !v.is_undefined() && !v.is_null())
}

/// An optional text argument: `None` when `undefined` or `null`, else as `text_arg`.
pub fn optional_text_arg(
    value: &Option<JsValue>,
    name: &'static str,
) -> Result<Option<String>, EmError> {
    given(value).map(|v| text_arg(v, name)).transpose()
}

/// The language named by a `lang` argument (English when absent); an argument that is not text, or a code
/// that is not English or Chinese ("fr" was English, silently), is an error, reported in English.
pub fn lang_arg(value: &Option<JsValue>) -> Result<crate::text::Lang, EmError> {
    match optional_text_arg(value, "lang")? {
        None => Ok(crate::text::Lang::En),
        Some(code) => known_lang(&code),
    }
}

/// The language of `code` ([`crate::text::Lang::known`]), or an error naming it.
pub fn known_lang(code: &str) -> Result<crate::text::Lang, EmError> {
    crate::text::Lang::known(code).ok_or_else(|| {
        EmError::new(ErrorKind::UnknownLanguage {
            code: code.to_string(),
        })
    })
}

/// A JS number that must be a whole number from `min` to `max` (K, a seed, a column, an index): 2.5, -1
/// or 1e20 is refused with a message naming `name` and quoting the value, never truncated or wrapped.
pub fn whole(value: f64, name: &'static str, min: u64, max: u64) -> Result<u64, EmError> {
    let (lo, hi) = (min as f64, max as f64);
    if value.fract() == 0.0 && (lo..=hi).contains(&value) {
        Ok(value as u64)
    } else {
        Err(EmError::new(ErrorKind::NotAnInteger {
            name,
            value,
            min,
            max,
        }))
    }
}

/// A JS argument that must be a number ([`number_arg`]) and whole from `min` to `max` ([`whole`]).
pub fn whole_arg(value: &JsValue, name: &'static str, min: u64, max: u64) -> Result<u64, EmError> {
    whole(number_arg(value, name)?, name, min, max)
}

/// A time budget in milliseconds: a number ≥ 0, +∞ for no limit (NaN or −1 were taken as "no time").
pub fn budget_arg(value: &JsValue, name: &'static str) -> Result<f64, EmError> {
    let v = number_arg(value, name)?;
    match v >= 0.0 {
        true => Ok(v),
        false => Err(EmError::new(ErrorKind::NotFiniteArg {
            name,
            value: v,
            budget: true,
        })),
    }
}

/// A finite JS number argument (a pixel: NaN answered "outside the figure").
pub fn finite_arg(value: &JsValue, name: &'static str) -> Result<f64, EmError> {
    let v = number_arg(value, name)?;
    match v.is_finite() {
        true => Ok(v),
        false => Err(EmError::new(ErrorKind::NotFiniteArg {
            name,
            value: v,
            budget: false,
        })),
    }
}

/// An optional JS number argument: `None` when `undefined` or `null`, else as [`number_arg`].
pub fn optional_number_arg(
    value: &Option<JsValue>,
    name: &'static str,
) -> Result<Option<f64>, EmError> {
    given(value).map(|v| number_arg(v, name)).transpose()
}

/// An optional true/false argument: `None` when left out, `undefined` or `null`; `"no"`, 0 or 1 is
/// refused by name (wasm-bindgen's own `bool` made `"no"` true and 0 false without a word).
pub fn optional_bool_arg(
    value: &Option<JsValue>,
    name: &'static str,
) -> Result<Option<bool>, EmError> {
    given(value)
        .map(|v| {
            v.as_bool().ok_or_else(|| {
                EmError::new(ErrorKind::NotBool {
                    name,
                    got: kind_of(v),
                })
            })
        })
        .transpose()
}

/// K as the API takes it: a whole number from 1 to the core's limit.
pub fn whole_k(value: &JsValue) -> Result<usize, EmError> {
    whole_arg(value, "K", 1, crate::core::params::MAX_K as u64).map(|k| k as usize)
}

/// A seed as the API takes it: a whole number from 0 to 2³² − 1.
pub fn whole_seed(value: &JsValue) -> Result<u64, EmError> {
    whole_arg(value, "seed", 0, u64::from(u32::MAX))
}

/// A 0-based index (column, point, component, start) below `len`, its range quoted as 0 to `len` − 1
/// (−1 on a K = 2 lab quoted "component 0 to 4294967295"); an index at or past `len`, or any where `len`
/// is 0, is left to the caller's own message ("there is no point 13: …"), so only below 2³² here.
pub fn whole_index(value: &JsValue, name: &'static str, len: usize) -> Result<usize, EmError> {
    let v = number_arg(value, name)?;
    let last = match len {
        0 => u64::from(u32::MAX),
        _ if v.fract() == 0.0 && v >= len as f64 && v <= f64::from(u32::MAX) => {
            return Ok(v as usize)
        }
        _ => len as u64 - 1,
    };
    whole(v, name, 0, last).map(|i| i as usize)
}

/// Refuses an options object with a key outside `known`, naming it.
pub fn known_keys(obj: &JsValue, known: &[&str]) -> Result<(), EmError> {
    if !obj.is_object() {
        return Err(EmError::shape("shape-options", &[]));
    }
    for key in Object::keys(&Object::from(obj.clone())).iter() {
        let name = key.as_string().unwrap_or_default();
        if !known.contains(&name.as_str()) {
            return Err(EmError::new(ErrorKind::UnknownOption { name }));
        }
    }
    Ok(())
}

/// A plain JS object built field by field.
pub struct ObjectBuilder(Object);

impl ObjectBuilder {
    /// An empty object.
    pub fn new() -> Self {
        ObjectBuilder(Object::new())
    }

    /// Sets `name` to `value`.
    pub fn set(self, name: &str, value: impl Into<JsValue>) -> Self {
        // Setting a property on a fresh plain object cannot fail.
        let _ = Reflect::set(&self.0, &JsValue::from_str(name), &value.into());
        self
    }

    /// Sets `name` to an array of numbers.
    pub fn numbers(self, name: &str, values: &[f64]) -> Self {
        let array: Array = values.iter().map(|&v| JsValue::from_f64(v)).collect();
        self.set(name, array)
    }

    /// Sets `name` to an array of numbers, `null` where a value is NaN (a number that does not exist).
    pub fn numbers_or_null(self, name: &str, values: &[f64]) -> Self {
        let array: Array = values
            .iter()
            .map(|&v| {
                if v.is_nan() {
                    JsValue::NULL
                } else {
                    JsValue::from_f64(v)
                }
            })
            .collect();
        self.set(name, array)
    }

    /// The finished object.
    pub fn build(self) -> JsValue {
        self.0.into()
    }
}

impl Default for ObjectBuilder {
    fn default() -> Self {
        Self::new()
    }
}
