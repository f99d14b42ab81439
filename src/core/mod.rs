//! The math core: models, E- and M-steps, likelihood and lower bound, data. No web types here.

pub mod bound;
pub mod coins;
pub mod coins_csv;
pub mod collapse;
pub mod compact_session;
pub mod csv;
pub mod edit;
pub mod em;
pub mod error;
pub mod fastmath;
pub mod format;
pub mod formulas;
pub mod gmm1d;
pub mod gmm2d;
pub mod kmeans;
pub mod lab;
pub mod model;
pub mod nearest;
pub mod options;
pub mod params;
pub mod poisson;
pub mod presets;
pub mod presets2d;
pub mod registry;
pub mod sample;
pub mod trace_csv;
