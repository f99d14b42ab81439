//! θ of every model to and from plain JS objects: `{weights, means, variances}` (1-D),
//! `{weights, means: [[x, y], …], covariances: [[[a, b], [b, c]], …]}` (2-D), `{means}` (k-means centres),
//! `{weights, heads}` (coins).

use super::convert::{field, numbers, shape_error, ObjectBuilder};
use crate::core::coins::CoinParams;
use crate::core::error::EmError;
use crate::core::gmm1d::Gmm1dParams;
use crate::core::gmm2d::Gmm2dParams;
use crate::core::kmeans::KMeansParams;
use crate::core::lab::AnyParams;
use js_sys::Array;
use wasm_bindgen::JsValue;

/// The elements of `obj[name]`, which must be an array.
fn array(obj: &JsValue, name: &str) -> Result<Array, EmError> {
    let value = field(obj, name);
    if Array::is_array(&value) {
        Ok(Array::from(&value))
    } else {
        Err(shape_error(format!("“{name}” must be an array")))
    }
}

/// A JS array of exactly `N` numbers.
fn fixed<const N: usize>(value: &JsValue, name: &str) -> Result<[f64; N], EmError> {
    let wrong = || {
        shape_error(format!(
            "each entry of “{name}” must be an array of {N} numbers"
        ))
    };
    if !Array::is_array(value) {
        return Err(wrong());
    }
    let items = Array::from(value);
    if items.length() as usize != N {
        return Err(wrong());
    }
    let mut out = [0.0; N];
    for (slot, item) in out.iter_mut().zip(items.iter()) {
        *slot = item.as_f64().ok_or_else(wrong)?;
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
                return Err(shape_error(format!(
                    "each entry of “{name}” must be a 2×2 array"
                )));
            }
            Ok([
                fixed::<2>(&rows.get(0), name)?,
                fixed::<2>(&rows.get(1), name)?,
            ])
        })
        .collect()
}

/// Reads θ of `model` from a plain object.
pub fn read_params(model: &str, value: &JsValue) -> Result<AnyParams, EmError> {
    Ok(match model {
        "gmm1d" => AnyParams::Gmm1d(read_gmm1d(value)?),
        "gmm2d" => AnyParams::Gmm2d(Gmm2dParams {
            weights: numbers(value, "weights")?,
            means: points(value, "means")?,
            covariances: matrices(value, "covariances")?,
        }),
        "kmeans" => AnyParams::KMeans(KMeansParams {
            centres: points(value, "means")?,
        }),
        _ => AnyParams::Coins(CoinParams {
            weights: numbers(value, "weights")?,
            heads: numbers(value, "heads")?,
        }),
    })
}

/// Reads `{weights, means, variances}`.
pub fn read_gmm1d(value: &JsValue) -> Result<Gmm1dParams, EmError> {
    Ok(Gmm1dParams {
        weights: numbers(value, "weights")?,
        means: numbers(value, "means")?,
        variances: numbers(value, "variances")?,
    })
}

/// A JS array of arrays of numbers.
fn nested<const N: usize>(rows: &[[f64; N]]) -> Array {
    rows.iter()
        .map(|r| r.iter().map(|&v| JsValue::from_f64(v)).collect::<Array>())
        .collect()
}

/// Adds the fields of θ to an object under construction.
pub fn write_params(o: ObjectBuilder, params: &AnyParams) -> ObjectBuilder {
    match params {
        AnyParams::Gmm1d(p) => o
            .numbers("weights", &p.weights)
            .numbers("means", &p.means)
            .numbers("variances", &p.variances),
        AnyParams::Gmm2d(p) => o
            .numbers("weights", &p.weights)
            .set("means", nested(&p.means))
            .set(
                "covariances",
                p.covariances.iter().map(|m| nested(m)).collect::<Array>(),
            ),
        AnyParams::KMeans(p) => {
            let k = p.centres.len();
            o.numbers("weights", &vec![1.0 / k as f64; k])
                .set("means", nested(&p.centres))
        }
        AnyParams::Coins(p) => o.numbers("weights", &p.weights).numbers("heads", &p.heads),
    }
}
