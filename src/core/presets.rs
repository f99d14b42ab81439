//! The 1-D presets, by their old path: they live in [`super::gmm1d`] beside the model they are drawn
//! for (as the coin and count presets live in `coins.rs` and `poisson.rs`), so `gmm1d` and `presets` do
//! not import each other.

pub use super::gmm1d::{preset_1d, Preset1d, PRESETS_1D};
