//! The registry: every model EM Lab runs, one line each. Everything else (the lab, the JS API, the
//! page's menus and controls, the session) asks the registry; nothing else lists the models.

use super::coins::Coins;
use super::csv::Table;
use super::em::Em;
use super::error::{EmError, ErrorKind};
use super::gmm1d::Gmm1d;
use super::gmm2d::Gmm2d;
use super::kmeans::KMeans;
use super::model::{AnyModel, Capabilities, FieldSpec, Model, SavedTheta, Source, Theta};
use super::options::Options;
use super::poisson::Poisson;
use std::marker::PhantomData;

/// Every model, in menu order. Adding a model: its file (with `impl Model`), its tests, its messages
/// in `text.rs`, its data figure if it needs a new one, and one line here.
pub static MODELS: &[&dyn Entry] = &[
    &Registered::<Gmm1d>::NEW,
    &Registered::<Gmm2d>::NEW,
    &Registered::<KMeans>::NEW,
    &Registered::<Coins>::NEW,
    &Registered::<Poisson>::NEW,
];

/// A model just built: EM at its start, and what the lesson brings with it.
pub struct Built {
    /// EM on the data, at its start.
    pub em: Box<dyn AnyModel>,
    /// The hidden labels of the points, if any.
    pub labels: Vec<usize>,
    /// The starts the lesson offers, if any.
    pub starts: Vec<Theta>,
    /// Coin sequences, if the data had them.
    pub sequences: Vec<Option<String>>,
    /// The K the lesson is told with.
    pub k: usize,
    /// The lesson's variance floor.
    pub reg: f64,
    /// The seed of the random start the lesson is told with.
    pub seed: u64,
    /// The K at which the lesson starts from its own θ (its start, or its menu of starts) instead of a
    /// seeded random one, if it has one: there the seed changes nothing.
    pub own_start_k: Option<usize>,
}

/// One registered model, object-safe: how to build it from a preset, a text or a saved session.
pub trait Entry: Sync {
    /// The model's name in the JS API.
    fn name(&self) -> &'static str;
    /// What the page offers and shows for it.
    fn capabilities(&self) -> &'static Capabilities;
    /// The fields of its θ.
    fn fields(&self) -> &'static [FieldSpec];
    /// The built-in data sets it runs on.
    fn presets(&self) -> &'static [&'static str];
    /// EM on preset `name` with K components from a seeded start (the lesson's start when K fits).
    fn preset(&self, name: &str, k: usize, seed: u64) -> Result<Built, EmError>;
    /// EM on pasted text with K components from a seeded start.
    fn read_text(
        &self,
        text: &str,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Built, EmError>;
    /// EM on a table already read, with K components from a seeded start (models that read tables).
    fn read_table(
        &self,
        table: &Table,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Built, EmError>;
    /// EM on the data of `like` (EM of this model), with the model's setting `variant`, in a saved state.
    fn load(
        &self,
        like: &dyn AnyModel,
        variant: Option<&str>,
        saved: SavedTheta,
    ) -> Result<Box<dyn AnyModel>, EmError>;
}

/// The registry entry of model `M`.
pub struct Registered<M>(PhantomData<fn() -> M>);

impl<M> Registered<M> {
    /// The entry.
    pub const NEW: Self = Registered(PhantomData);
}

impl<M: Model> Registered<M> {
    /// EM from a source with K components: the lesson's start when it has K components, else seeded.
    fn build(source: Source<M>, k: usize, seed: u64, options: Options) -> Result<Built, EmError> {
        source.model.check(k)?;
        let fits = |p: &M::Params| M::components(p) == k;
        let own_start_k = source
            .start
            .as_ref()
            .or(source.starts.first())
            .map(M::components);
        let starts: Vec<M::Params> = source.starts.into_iter().filter(fits).collect();
        let start = source
            .start
            .filter(fits)
            .or_else(|| starts.first().cloned())
            .unwrap_or_else(|| source.model.random_start(k, seed));
        Ok(Built {
            em: Box::new(Em::new(source.model, start, options)?),
            labels: source.labels,
            starts: starts.iter().map(M::theta).collect(),
            sequences: source.sequences,
            k: source.k,
            reg: source.reg,
            seed: source.seed,
            own_start_k,
        })
    }
}

impl<M: Model> Entry for Registered<M> {
    fn name(&self) -> &'static str {
        M::NAME
    }
    fn capabilities(&self) -> &'static Capabilities {
        &M::CAPABILITIES
    }
    fn fields(&self) -> &'static [FieldSpec] {
        M::FIELDS
    }
    fn presets(&self) -> &'static [&'static str] {
        M::PRESETS
    }
    fn preset(&self, name: &str, k: usize, seed: u64) -> Result<Built, EmError> {
        // The lesson's floor (0 for the collapse lesson): `Lab.preset('collapse', …)` ran at 1e-6 and
        // never collapsed, while the page set the lesson's 0 itself.
        let source = M::preset(name)?;
        let options = Options {
            reg: source.reg,
            ..Options::default()
        };
        Self::build(source, k, seed, options)
    }
    fn read_text(
        &self,
        text: &str,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Built, EmError> {
        Self::build(M::read(text, columns)?, k, seed, options)
    }
    fn read_table(
        &self,
        table: &Table,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Built, EmError> {
        Self::build(M::from_table(table, columns)?, k, seed, options)
    }
    fn load(
        &self,
        like: &dyn AnyModel,
        variant: Option<&str>,
        saved: SavedTheta,
    ) -> Result<Box<dyn AnyModel>, EmError> {
        let em: &Em<M> = like.as_any().downcast_ref().ok_or_else(|| {
            EmError::new(ErrorKind::NotForModel {
                action: "load this state",
                model: like.name(),
            })
        })?;
        let mut model = em.model().clone();
        if let Some(v) = variant {
            model = model.with_variant(v)?;
        }
        let saved = saved.map(|t| M::from_theta(&t))?;
        Ok(Box::new(Em::load(model, saved)?))
    }
}

/// The model called `name`.
pub fn model(name: &str) -> Result<&'static dyn Entry, EmError> {
    MODELS
        .iter()
        .copied()
        .find(|m| m.name() == name)
        .ok_or_else(|| {
            EmError::new(ErrorKind::UnknownModel {
                name: name.to_string(),
            })
        })
}

/// The model a preset is made for (the first that lists it), if the preset exists.
pub fn preset_model(name: &str) -> Option<&'static dyn Entry> {
    MODELS.iter().copied().find(|m| m.presets().contains(&name))
}

/// Every preset name once, in menu order, with the model it is made for.
pub fn presets() -> Vec<(&'static str, &'static dyn Entry)> {
    let mut out: Vec<(&'static str, &'static dyn Entry)> = Vec::new();
    for m in MODELS {
        for &p in m.presets() {
            if !out.iter().any(|(q, _)| *q == p) {
                out.push((p, *m));
            }
        }
    }
    out
}
