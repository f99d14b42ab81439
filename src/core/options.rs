//! The hyper-parameters of a run: variance regularisation and the convergence tolerance.

use super::error::{EmError, ErrorKind};
use super::json::{Fields, Json, Object};

/// Default variance floor added after every M-step (scikit-learn's `reg_covar`).
pub const DEFAULT_REG: f64 = 1e-6;
/// The largest variance floor: 1e100 keeps every ℓ finite (a 2-D covariance's determinant is reg², and
/// at 1e200 a floor far above the data's spread was reported as a component shrunk onto a point).
pub const MAX_REG: f64 = 1e100;
/// Default convergence tolerance on |Δℓ| / N.
pub const DEFAULT_TOL: f64 = 1e-10;

/// Options that change how EM steps, not what it models.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Added to every variance (covariance diagonal) after each M-step; 0 is allowed.
    pub reg: f64,
    /// Convergence is declared when |Δℓ| / N falls below this after an M-step.
    pub tol: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            reg: DEFAULT_REG,
            tol: DEFAULT_TOL,
        }
    }
}

impl Options {
    /// Writes the options as a JSON object `{"reg":…,"tol":…}`.
    pub fn write_json(&self, out: &mut String) {
        Object::new(out)
            .number("reg", self.reg)
            .number("tol", self.tol)
            .end();
    }

    /// The options of a JSON object written by [`Options::write_json`].
    pub fn from_json(value: &Json) -> Result<Options, String> {
        let fields = Fields::of(value)?;
        Ok(Options {
            reg: fields.number("reg")?,
            tol: fields.number("tol")?,
        })
    }

    /// Rejects a negative or non-finite `tol`, and a `reg` outside 0 to [`MAX_REG`].
    pub fn validate(&self) -> Result<(), EmError> {
        for (name, value, max) in [("reg", self.reg, MAX_REG), ("tol", self.tol, f64::MAX)] {
            if !value.is_finite() || value < 0.0 || value > max {
                return Err(EmError::new(ErrorKind::BadOption { name, value, max }));
            }
        }
        Ok(())
    }
}
