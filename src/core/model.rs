//! What the registry needs of a model, once: [`Model`] (implemented in each model's own file) and
//! [`AnyModel`], the object-safe face of every `Em<M>` that the lab, the figures and the page drive.
//! θ crosses this seam as [`Theta`]: named fields of numbers that the JS API, the parameter table and
//! the saved session all read the same way.

use super::bound::BoundView;
use super::csv::Table;
use super::em::{Collapse, Em, SavedEm};
use super::error::{EmError, ErrorKind};
use super::formulas::{Formulas, ShowFormulas};
use super::json::{self, Fields, Json, Object};
use super::options::Options;
use std::any::Any;

/// How one entry of a θ field is laid out: a number, an (x, y) pair or a 2×2 matrix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One number per component.
    Number,
    /// An (x, y) pair per component.
    Pair,
    /// A 2×2 matrix per component, row by row.
    Matrix,
}

impl Shape {
    /// Numbers per component.
    pub fn width(self) -> usize {
        match self {
            Shape::Number => 1,
            Shape::Pair => 2,
            Shape::Matrix => 4,
        }
    }

    /// The name a saved session writes: "Number", "Pair" or "Matrix".
    pub fn saved_name(self) -> &'static str {
        match self {
            Shape::Number => "Number",
            Shape::Pair => "Pair",
            Shape::Matrix => "Matrix",
        }
    }

    /// The name the page uses: "number", "pair" or "matrix".
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Number => "number",
            Shape::Pair => "pair",
            Shape::Matrix => "matrix",
        }
    }
}

/// One field of θ as a model describes it: its name in the JS API, its shape, and its column of the
/// parameter table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name in `params()`, `setParams` and the session ("weights", "means", …).
    pub name: &'static str,
    /// Its shape per component.
    pub shape: Shape,
    /// The message id of its column in the parameter table ("" when it has none).
    pub column: &'static str,
    /// Decimals shown in the table.
    pub digits: u8,
    /// False for a field written for convenience but never read back (k-means' equal weights).
    pub read: bool,
    /// The short name of its columns in the trace CSV ("pi", "mu", "var", …).
    pub csv: &'static str,
    /// True for a place in the data's own units (a mean, a centre): within float noise of the data's
    /// scale of 0, the parameter table shows it as 0, as the formulas do.
    pub location: bool,
}

impl FieldSpec {
    /// A field of one number per component, read back and shown with `digits` decimals.
    pub const fn number(name: &'static str, column: &'static str, digits: u8) -> Self {
        FieldSpec {
            name,
            shape: Shape::Number,
            column,
            digits,
            read: true,
            csv: name,
            location: false,
        }
    }

    /// The same field with `csv` as the short name of its CSV columns.
    pub const fn csv(self, csv: &'static str) -> Self {
        FieldSpec { csv, ..self }
    }

    /// The same field with another shape.
    pub const fn shaped(self, shape: Shape) -> Self {
        FieldSpec { shape, ..self }
    }

    /// The same field as a place in the data's units (see [`FieldSpec::location`]).
    pub const fn location(self) -> Self {
        FieldSpec {
            location: true,
            ..self
        }
    }

    /// The same field, written but not read back.
    pub const fn write_only(self) -> Self {
        FieldSpec {
            read: false,
            ..self
        }
    }
}

/// One field of a θ: K × the shape's width numbers.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// The field's name.
    pub name: String,
    /// Its shape per component.
    pub shape: Shape,
    /// The numbers, component by component.
    pub values: Vec<f64>,
}

/// θ of any model as named fields of numbers: what the JS API, the table and the session exchange.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Theta {
    /// The fields, in the model's order.
    pub fields: Vec<Field>,
}

impl Theta {
    /// Writes θ as JSON: `{"fields":[{"name":…,"shape":"Number","values":[…]},…]}`.
    pub fn write_json(&self, out: &mut String) {
        let mut theta = Object::new(out);
        let list = theta.field("fields");
        list.push('[');
        for (i, f) in self.fields.iter().enumerate() {
            if i > 0 {
                list.push(',');
            }
            let mut field = Object::new(list);
            field
                .text("name", &f.name)
                .text("shape", f.shape.saved_name());
            let values = field.field("values");
            values.push('[');
            for (j, &v) in f.values.iter().enumerate() {
                if j > 0 {
                    values.push(',');
                }
                json::write_number(values, v);
            }
            values.push(']');
            field.end();
        }
        list.push(']');
        theta.end();
    }

    /// θ of a JSON object written by [`Theta::write_json`].
    pub fn from_json(value: &Json) -> Result<Theta, String> {
        let fields = Fields::of(value)?.list("fields")?;
        let field = |value: &Json| {
            let f = Fields::of(value)?;
            let shape = f.text("shape")?;
            let shape = [Shape::Number, Shape::Pair, Shape::Matrix]
                .into_iter()
                .find(|s| s.saved_name() == shape)
                .ok_or_else(|| format!("unknown shape `{shape}`"))?;
            let values = f.list("values")?.iter().map(json::number);
            Ok(Field {
                name: f.text("name")?,
                shape,
                values: values.collect::<Result<_, String>>()?,
            })
        };
        Ok(Theta {
            fields: fields.iter().map(field).collect::<Result<_, String>>()?,
        })
    }

    /// θ with one more field.
    pub fn with(mut self, name: &str, shape: Shape, values: Vec<f64>) -> Self {
        self.fields.push(Field {
            name: name.to_string(),
            shape,
            values,
        });
        self
    }

    /// θ with one more field of (x, y) pairs.
    pub fn with_pairs(self, name: &str, pairs: &[[f64; 2]]) -> Self {
        self.with(name, Shape::Pair, pairs.iter().flatten().copied().collect())
    }

    /// θ with one more field of 2×2 matrices.
    pub fn with_matrices(self, name: &str, matrices: &[[[f64; 2]; 2]]) -> Self {
        let values = matrices.iter().flatten().flatten().copied().collect();
        self.with(name, Shape::Matrix, values)
    }

    /// The field called `name`, or the error naming what is missing.
    pub fn field(&self, name: &str, shape: Shape) -> Result<&[f64], EmError> {
        let field = self
            .fields
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| EmError::shape("shape-missing", &[("name", name)]))?;
        if field.shape != shape || field.values.len() % shape.width() != 0 {
            return Err(EmError::shape("shape-wrong", &[("name", name)]));
        }
        Ok(&field.values)
    }

    /// The field `name` as numbers.
    pub fn numbers(&self, name: &str) -> Result<Vec<f64>, EmError> {
        Ok(self.field(name, Shape::Number)?.to_vec())
    }

    /// The field `name` as (x, y) pairs.
    pub fn pairs(&self, name: &str) -> Result<Vec<[f64; 2]>, EmError> {
        let values = self.field(name, Shape::Pair)?;
        Ok(values.chunks_exact(2).map(|c| [c[0], c[1]]).collect())
    }

    /// The field `name` as 2×2 matrices.
    pub fn matrices(&self, name: &str) -> Result<Vec<[[f64; 2]; 2]>, EmError> {
        let values = self.field(name, Shape::Matrix)?;
        Ok(values
            .chunks_exact(4)
            .map(|c| [[c[0], c[1]], [c[2], c[3]]])
            .collect())
    }
}

/// What the page offers and shows for a model: decided here, so the page keeps no model lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Capabilities {
    /// The canvas the data figure is drawn in ("histogram", "scatter", "kmeans", "coins").
    pub data_figure: &'static str,
    /// Soft EM with a lower bound: L, KL and the bound figures (false for hard EM).
    pub bound: bool,
    /// A figure of θ's path over the iterations.
    pub path: bool,
    /// The histogram's bins control.
    pub bins: bool,
    /// A choice of covariance type.
    pub covariance: bool,
    /// Colouring points by their most responsible component.
    pub hard_colouring: bool,
    /// Side by side with the other 2-D model (k-means beside the mixture).
    pub compare: bool,
    /// Fixing the mixing weights.
    pub fix_weights: bool,
    /// A variance floor (reg) that applies to this model.
    pub reg: bool,
    /// A component can collapse onto a point (the collapse lesson and its re-initialisation).
    pub collapse: bool,
    /// What a click on the data figure edits: "1d" (a value), "2d" (a point) or "" (nothing).
    pub click_edit: &'static str,
    /// Columns of a table the model reads its data from (1 for values, 2 for points, 0 for its own format).
    pub columns: u8,
    /// The data figure needs the whole width (a table of the coin sets).
    pub wide_data: bool,
    /// The suffix of the model's own data words ("" for numbers, "-2d", "-coins", "-counts").
    pub data_words: &'static str,
}

impl Capabilities {
    /// Soft EM on values with nothing extra: each model states only what differs from this.
    pub const BASE: Capabilities = Capabilities {
        data_figure: "histogram",
        bound: true,
        path: false,
        bins: false,
        covariance: false,
        hard_colouring: false,
        compare: false,
        fix_weights: false,
        reg: false,
        collapse: false,
        click_edit: "",
        columns: 0,
        wide_data: false,
        data_words: "",
    };
}

/// What a preset or a text gives a model: the model on its data, and what the lesson brings with it.
#[derive(Clone, Debug)]
pub struct Source<M: Model> {
    /// The model on its data.
    pub model: M,
    /// The hidden labels of the points, when the story has them.
    pub labels: Vec<usize>,
    /// The lesson's own start, used when its K is the K asked for.
    pub start: Option<M::Params>,
    /// Starts the lesson offers in a menu (the two starts of the three-coin example).
    pub starts: Vec<M::Params>,
    /// Coin data: each observation's tosses as letters, when given as a sequence.
    pub sequences: Vec<Option<String>>,
    /// The K the lesson is told with.
    pub k: usize,
    /// The lesson's variance floor.
    pub reg: f64,
    /// The seed of the random start the lesson is told with.
    pub seed: u64,
}

impl<M: Model> Source<M> {
    /// A source with no lesson: data alone, K = 2, the default floor and seed 1.
    pub fn plain(model: M) -> Self {
        Source {
            model,
            labels: Vec::new(),
            start: None,
            starts: Vec::new(),
            sequences: Vec::new(),
            k: 2,
            reg: super::options::DEFAULT_REG,
            seed: 1,
        }
    }
}

/// A model as the registry knows it: the EM math of [`super::em::Mixture`] and the formulas, plus
/// everything the page, the session and the lesson need. Implemented once, in the model's own file.
pub trait Model: ShowFormulas<Params: Send> + Clone + Send + std::fmt::Debug + 'static {
    /// What the page offers and shows for this model.
    const CAPABILITIES: Capabilities;
    /// The fields of θ, in order.
    const FIELDS: &'static [FieldSpec];
    /// The built-in data sets this model runs on, in menu order.
    const PRESETS: &'static [&'static str];

    /// θ as named fields.
    fn theta(params: &Self::Params) -> Theta;
    /// θ from named fields (checked by [`super::em::Mixture::validate`] afterwards).
    fn from_theta(theta: &Theta) -> Result<Self::Params, EmError>;
    /// The built-in data set `name`.
    fn preset(name: &str) -> Result<Source<Self>, EmError>;
    /// The model on pasted text; `columns` picks the columns of a table where the model reads any.
    fn read(text: &str, columns: [usize; 2]) -> Result<Source<Self>, EmError>;
    /// The model on a table already read (a file read in pieces, [`super::csv::TableReader`]); a model
    /// that reads a text format of its own (`columns` 0 in its capabilities) refuses.
    fn from_table(_table: &Table, _columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Err(EmError::new(ErrorKind::NotForModel {
            action: "read a table",
            model: Self::NAME,
        }))
    }
    /// Rejects data that cannot give K components (too few distinct observations, too spread out).
    fn check(&self, k: usize) -> Result<(), EmError>;
    /// A seeded random start with K components.
    fn random_start(&self, k: usize, seed: u64) -> Self::Params;
    /// The observations as text that [`Model::read`] reads back exactly.
    fn data_text(&self, sequences: &[Option<String>]) -> String;
    /// Observation `i` as numbers ([x], [x, y], [heads, tosses], [count]).
    fn observation(&self, i: usize) -> Vec<f64>;
    /// How many distinct observations there are.
    fn distinct(&self) -> usize;

    /// What EM optimises as the page shows it: ℓ(θ) (k-means: the within-cluster sum of squares J).
    fn objective(em: &Em<Self>) -> f64 {
        em.loglik()
    }
    /// The observation next to `i` (by value where the data has an order; by index otherwise).
    fn neighbour(&self, i: usize, up: bool) -> usize {
        if up {
            (i + 1).min(self.len().saturating_sub(1))
        } else {
            i.saturating_sub(1)
        }
    }
    /// The observation a click at value `x` on the data figure's axis chooses, where the figure has one
    /// value axis (1-D data, counts); None elsewhere.
    fn nearest_value(&self, _x: f64) -> Option<usize> {
        None
    }
    /// The observation a click on row `row` (0 at the first row's top edge) of a table-like data figure
    /// chooses (the coin sets); None where the data figure is not a table.
    fn nearest_row(&self, _row: f64) -> Option<usize> {
        None
    }
    /// The model's own setting that is not θ (the covariance type, fixed weights), as text.
    fn variant(&self) -> Option<String> {
        None
    }
    /// The same model with its setting from [`Model::variant`]'s text.
    fn with_variant(self, _variant: &str) -> Result<Self, EmError> {
        Ok(self)
    }
}

/// A saved EM state with θ as [`Theta`]: the serialisable form of [`SavedEm`].
pub type SavedTheta = SavedEm<Theta>;

/// EM on any model, object-safe: what the lab (`Lab`) holds and every caller drives.
pub trait AnyModel: BoundView + Send {
    /// The model's name in the JS API.
    fn name(&self) -> &'static str;
    /// What the page offers and shows.
    fn capabilities(&self) -> &'static Capabilities;
    /// The fields of θ.
    fn fields(&self) -> &'static [FieldSpec];
    /// A boxed copy.
    fn boxed_clone(&self) -> Box<dyn AnyModel>;
    /// For the figures of one model: the concrete `Em<M>`.
    fn as_any(&self) -> &dyn Any;
    /// For edits of one model: the concrete `Em<M>`, mutable.
    fn as_any_mut(&mut self) -> &mut dyn Any;
    /// The bound view the figures draw from.
    fn as_bound(&self) -> &dyn BoundView;
    /// The E-step.
    fn e_step(&mut self) -> Result<(), EmError>;
    /// The M-step.
    fn m_step(&mut self) -> Result<(), EmError>;
    /// Up to `parts` parts of the next half-step's pass; true when none is left ([`Em::prepare_step`]).
    fn prepare_step(&mut self, parts: usize) -> bool;
    /// An E-step then an M-step.
    fn step(&mut self) -> Result<(), EmError>;
    /// Whole iterations until convergence, a collapse or `max`; how many ran.
    fn run(&mut self, max: usize) -> Result<usize, EmError>;
    /// Back one half-step.
    fn undo(&mut self) -> bool;
    /// Forward again.
    fn redo(&mut self) -> bool;
    /// To position `to` on the timeline.
    fn go_to(&mut self, to: usize);
    /// The position on the timeline.
    fn position(&self) -> usize;
    /// The timeline's length.
    fn timeline_len(&self) -> usize;
    /// Back to the start.
    fn reset(&mut self);
    /// Sets reg and tol.
    fn set_options(&mut self, options: Options) -> Result<(), EmError>;
    /// reg and tol.
    fn options(&self) -> Options;
    /// True once converged.
    fn converged(&self) -> bool;
    /// True when every component is the same.
    fn symmetric(&self) -> bool;
    /// True when the start puts every component in the same place.
    fn start_symmetric(&self) -> bool;
    /// The collapse that stopped EM.
    fn collapse(&self) -> Option<Collapse>;
    /// The component the variance floor keeps from collapsing ([`Em::floor_holds`]).
    fn floor_holds(&self) -> Option<usize>;
    /// Components left empty by the last M-step.
    fn empty_components(&self) -> Vec<usize>;
    /// The responsibilities of observation `i` (i < N).
    fn q_row(&self, i: usize) -> &[f64];
    /// The current θ.
    fn theta(&self) -> Theta;
    /// θ after every M-step, from the start.
    fn theta_path(&self) -> Vec<Theta>;
    /// Replaces θ (validated, undoable).
    fn set_theta(&mut self, theta: &Theta) -> Result<(), EmError>;
    /// Makes θ the start and restarts (validated; no undo).
    fn restart_theta(&mut self, theta: &Theta) -> Result<(), EmError>;
    /// What EM optimises, as the page shows it.
    fn objective(&self) -> f64;
    /// The data as text that reads back exactly.
    fn data_text(&self, sequences: &[Option<String>]) -> String;
    /// Observation `i` as numbers.
    fn observation(&self, i: usize) -> Vec<f64>;
    /// Distinct observations.
    fn distinct(&self) -> usize;
    /// The observation next to `i`.
    fn neighbour(&self, i: usize, up: bool) -> usize;
    /// The observation a click at value `x` chooses ([`Model::nearest_value`]).
    fn nearest_value(&self, x: f64) -> Option<usize>;
    /// The observation a click on row `row` of a table chooses ([`Model::nearest_row`]).
    fn nearest_row(&self, row: f64) -> Option<usize>;
    /// The model's own setting, as text.
    fn variant(&self) -> Option<String>;
    /// The formulas for observation `i`.
    fn formulas(&self, i: usize) -> Formulas;
    /// The EM state, θ as fields: what the session stores.
    fn saved(&self) -> SavedTheta;
    /// θ at every point of the trace, where the history still has it (see [`Em::trace_params`]).
    fn trace_thetas(&self) -> Vec<Option<Theta>>;
}

impl<M: Model> AnyModel for Em<M> {
    fn name(&self) -> &'static str {
        M::NAME
    }
    fn capabilities(&self) -> &'static Capabilities {
        &M::CAPABILITIES
    }
    fn fields(&self) -> &'static [FieldSpec] {
        M::FIELDS
    }
    fn boxed_clone(&self) -> Box<dyn AnyModel> {
        Box::new(self.clone())
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
    fn as_bound(&self) -> &dyn BoundView {
        self
    }
    fn e_step(&mut self) -> Result<(), EmError> {
        Em::e_step(self)
    }
    fn m_step(&mut self) -> Result<(), EmError> {
        Em::m_step(self)
    }
    fn prepare_step(&mut self, parts: usize) -> bool {
        Em::prepare_step(self, parts)
    }
    fn step(&mut self) -> Result<(), EmError> {
        Em::step(self)
    }
    fn run(&mut self, max: usize) -> Result<usize, EmError> {
        Em::run(self, max)
    }
    fn undo(&mut self) -> bool {
        Em::undo(self)
    }
    fn redo(&mut self) -> bool {
        Em::redo(self)
    }
    fn go_to(&mut self, to: usize) {
        Em::go_to(self, to)
    }
    fn position(&self) -> usize {
        Em::position(self)
    }
    fn timeline_len(&self) -> usize {
        Em::timeline_len(self)
    }
    fn reset(&mut self) {
        Em::reset(self)
    }
    fn set_options(&mut self, options: Options) -> Result<(), EmError> {
        Em::set_options(self, options)
    }
    fn options(&self) -> Options {
        *Em::options(self)
    }
    fn converged(&self) -> bool {
        Em::converged(self)
    }
    fn symmetric(&self) -> bool {
        Em::symmetric(self)
    }
    fn start_symmetric(&self) -> bool {
        self.symmetric_at(self.start())
    }
    fn collapse(&self) -> Option<Collapse> {
        Em::collapse(self)
    }
    fn floor_holds(&self) -> Option<usize> {
        Em::floor_holds(self)
    }
    fn empty_components(&self) -> Vec<usize> {
        Em::empty_components(self).to_vec()
    }
    fn q_row(&self, i: usize) -> &[f64] {
        Em::q_row(self, i)
    }
    fn theta(&self) -> Theta {
        M::theta(self.params())
    }
    fn theta_path(&self) -> Vec<Theta> {
        self.params_path().iter().map(M::theta).collect()
    }
    fn set_theta(&mut self, theta: &Theta) -> Result<(), EmError> {
        let params = M::from_theta(theta)?;
        self.set_params(params)
    }
    fn restart_theta(&mut self, theta: &Theta) -> Result<(), EmError> {
        let params = M::from_theta(theta)?;
        self.check_new_start(&params)?;
        super::em::restart_checked(self, params)
    }
    fn objective(&self) -> f64 {
        M::objective(self)
    }
    fn data_text(&self, sequences: &[Option<String>]) -> String {
        self.model().data_text(sequences)
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        self.model().observation(i)
    }
    fn distinct(&self) -> usize {
        self.model().distinct()
    }
    fn neighbour(&self, i: usize, up: bool) -> usize {
        self.model().neighbour(i, up)
    }
    fn nearest_value(&self, x: f64) -> Option<usize> {
        self.model().nearest_value(x)
    }
    fn nearest_row(&self, row: f64) -> Option<usize> {
        self.model().nearest_row(row)
    }
    fn variant(&self) -> Option<String> {
        self.model().variant()
    }
    fn formulas(&self, i: usize) -> Formulas {
        M::formulas(self, i)
    }
    fn saved(&self) -> SavedTheta {
        let saved = self.save_state();
        match saved.map(|p| Ok::<_, std::convert::Infallible>(M::theta(&p))) {
            Ok(s) => s,
            Err(never) => match never {},
        }
    }
    fn trace_thetas(&self) -> Vec<Option<Theta>> {
        self.trace_params()
            .into_iter()
            .map(|p| p.map(M::theta))
            .collect()
    }
}

impl Clone for Box<dyn AnyModel> {
    fn clone(&self) -> Self {
        self.boxed_clone()
    }
}

impl std::fmt::Debug for dyn AnyModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The whole saved state (θ, q's source, the history, the trace; every number as `{:?}` writes it,
        // so to the bit), so that `{:?}` before and after a refused change shows it changed nothing.
        write!(f, "Em<{}> {:?}", self.name(), self.saved())
    }
}
