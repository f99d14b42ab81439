//! The figures: plotters drawing code, generic over the backend, so the same function draws on a
//! `<canvas>` in the browser and to SVG in native tests. Figures read the math core; they never change it.

pub mod coins;
pub mod counts;
pub mod format;
pub mod histogram;
pub mod inset;
pub mod jensen;
pub mod lab;
pub mod legend;
pub mod marks;
pub mod scatter;
pub mod slice;
pub mod split;
pub mod style;
pub mod svg;
pub mod trace;

pub use style::{PlotTransform, Style};

/// The error a figure returns: whatever its backend reports.
pub type FigureError<DB> =
    plotters::drawing::DrawingAreaErrorKind<<DB as plotters::prelude::DrawingBackend>::ErrorType>;
