//! A collapse: what `ErrorKind::Collapsed` reports and the EM runner detects. In its own module so
//! `error` needs nothing from `em` (no cycle: em → options → error).

/// A component whose variance shrank onto one data point, so ℓ(θ) grows without bound.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Collapse {
    /// The component that collapsed.
    pub component: usize,
    /// The data point it collapsed onto.
    pub point: usize,
    /// Its variance (or covariance determinant) at the moment of detection.
    pub variance: f64,
}

impl Collapse {
    /// Whether a collapse under variance floor `reg` is held up by it (ℓ bounded, the floor too small for
    /// the data's scale) rather than unbounded (reg = 0): the one rule the message and the page follow.
    pub fn held_by(reg: f64) -> bool {
        reg > 0.0
    }
}
