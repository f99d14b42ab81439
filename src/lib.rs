//! EM Lab: the Expectation–Maximization algorithm, one half-step at a time.
//!
//! Layers, importing downward only: [`web`] (wasm-bindgen glue) → [`figures`] (plotters drawing,
//! generic over the backend) → [`core`] (the math) and [`text`] (the message table).

#![warn(missing_docs)]

pub mod core;
pub mod figures;
pub mod text;
pub mod web;
