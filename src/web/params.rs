//! θ of every model to and from plain JS objects, by the fields its model declares: numbers as arrays,
//! pairs as `[[x, y], …]`, matrices as `[[[a, b], [c, d]], …]` — e.g. `{weights, means, variances}` (1-D),
//! `{weights, means, covariances}` (2-D), `{means}` (k-means centres), `{weights, heads}` (coins).

use super::convert::{array_length, array_like, field, js_number, numbers, ObjectBuilder};
use crate::core::error::EmError;
use crate::core::model::{FieldSpec, Shape, Theta};
use crate::core::params::{check_k, check_len, MAX_K};
use js_sys::Array;
use wasm_bindgen::JsValue;

/// The elements of `obj[name]`, which must be an array.
fn array(obj: &JsValue, name: &str) -> Result<Array, EmError> {
    let value = field(obj, name);
    if Array::is_array(&value) {
        Ok(Array::from(&value))
    } else {
        Err(EmError::shape("shape-array", &[("name", name)]))
    }
}

/// A JS array of exactly `N` numbers.
fn fixed<const N: usize>(value: &JsValue, name: &str) -> Result<[f64; N], EmError> {
    let wrong = || {
        EmError::shape(
            "shape-entry-numbers",
            &[("name", name), ("n", &N.to_string())],
        )
    };
    let items = array_like(value).ok_or_else(wrong)?;
    if items.length() as usize != N {
        return Err(wrong());
    }
    let mut out = [0.0; N];
    for (slot, item) in out.iter_mut().zip(items.iter()) {
        *slot = js_number(&item).ok_or_else(wrong)?;
    }
    Ok(out)
}

/// `obj[name]` as an array of (x, y) points.
fn points(obj: &JsValue, name: &str) -> Result<Vec<[f64; 2]>, EmError> {
    array(obj, name)?
        .iter()
        .map(|v| fixed::<2>(&v, name))
        .collect()
}

/// `obj[name]` as an array of 2×2 matrices.
fn matrices(obj: &JsValue, name: &str) -> Result<Vec<[[f64; 2]; 2]>, EmError> {
    array(obj, name)?
        .iter()
        .map(|m| {
            let rows = Array::from(&m);
            if !Array::is_array(&m) || rows.length() != 2 {
                return Err(EmError::shape("shape-entry-2x2", &[("name", name)]));
            }
            Ok([
                fixed::<2>(&rows.get(0), name)?,
                fixed::<2>(&rows.get(1), name)?,
            ])
        })
        .collect()
}

/// Reads θ with the fields `fields` (those read back) from a plain object; a key that is none of the
/// fields is refused by name (`{means, foo: 1}` was taken, `foo` unread). A field written and not read
/// (k-means' weights, 1/K each) may be there as written, so `setParams(params())` works; other values are
/// refused.
pub fn read_params(fields: &[FieldSpec], value: &JsValue) -> Result<Theta, EmError> {
    let all = || fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ");
    // null, 5, "x" or [] said "“weights” must be an array of numbers", as if θ were an object.
    if !value.is_object() || Array::is_array(value) {
        return Err(EmError::shape("shape-params", &[("fields", &all())]));
    }
    {
        for key in js_sys::Object::keys(&js_sys::Object::from(value.clone())).iter() {
            let name = key.as_string().unwrap_or_default();
            if !fields.iter().any(|f| f.name == name) {
                return Err(EmError::shape(
                    "shape-unknown-field",
                    &[("name", &name), ("fields", &all())],
                ));
            }
        }
    }
    // The lengths first, as the model's checks would judge them: arrays of a million entries were read
    // whole (~500 ms) before "K = 1000000 is out of range".
    let mut k = None;
    for f in fields.iter().filter(|f| f.read) {
        let Some(len) = array_length(&field(value, f.name)) else {
            continue;
        };
        match k {
            None if len > MAX_K => check_k(len)?,
            None => k = Some(len),
            Some(k) if len > MAX_K => check_len(f.name, k, len)?,
            Some(_) => {}
        }
    }
    let mut theta = Theta::default();
    for f in fields.iter().filter(|f| f.read) {
        theta = match f.shape {
            Shape::Number => theta.with(f.name, Shape::Number, numbers(value, f.name)?),
            Shape::Pair => theta.with_pairs(f.name, &points(value, f.name)?),
            Shape::Matrix => theta.with_matrices(f.name, &matrices(value, f.name)?),
        };
    }
    // A field written and not read (k-means' weights) may come back as written, 1/K each; other numbers
    // there were taken and silently unused.
    let k = theta
        .fields
        .first()
        .map(|f| f.values.len() / f.shape.width());
    for f in fields.iter().filter(|f| !f.read) {
        let (Some(k), false) = (k, field(value, f.name).is_undefined()) else {
            continue;
        };
        let fixed = 1.0 / k as f64;
        let given = numbers(value, f.name)?;
        if given.len() != k || given.iter().any(|&w| (w - fixed).abs() > 1e-9 * fixed) {
            return Err(EmError::shape(
                "shape-fixed-field",
                &[
                    ("name", f.name),
                    ("value", &crate::core::format::short(fixed)),
                ],
            ));
        }
    }
    Ok(theta)
}

/// A JS array of arrays of numbers.
fn nested(values: &[f64], width: usize) -> Array {
    values
        .chunks(width.max(1))
        .map(|r| r.iter().map(|&v| JsValue::from_f64(v)).collect::<Array>())
        .collect()
}

/// Adds the fields of θ to an object under construction: numbers as an array, pairs as `[x, y]`,
/// matrices as `[[a, b], [c, d]]`.
pub fn write_params(o: ObjectBuilder, theta: &Theta) -> ObjectBuilder {
    theta.fields.iter().fold(o, |o, f| match f.shape {
        Shape::Number => o.numbers(&f.name, &f.values),
        Shape::Pair => o.set(&f.name, nested(&f.values, 2)),
        Shape::Matrix => o.set(
            &f.name,
            f.values.chunks(4).map(|m| nested(m, 2)).collect::<Array>(),
        ),
    })
}
