//! One lab = one model on one data set, whatever the model: what the page and the JS API drive. The
//! models come from the registry ([`super::registry`]); nothing here names one, except the pairing of
//! the 2-D mixture with k-means for "side by side".

use super::bound::BoundView;
use super::coins::Coins;
use super::compact_session::{compact, expand, CompactEm};
use super::em::{Em, Mixture, Phase};
use super::error::{EmError, ErrorKind};
use super::format::gap_value;
use super::gmm2d::{CovarianceType, Gmm2d};
use super::json::{Fields, Json, Object};
use super::kmeans::{KMeans, KMeansParams};
use super::model::{AnyModel, Model, SavedTheta, Theta};
use super::options::Options;
use super::params::check_k;
use super::registry::{self, Built, Entry};

/// The model a preset is made for, if the preset exists.
pub fn preset_model(name: &str) -> Option<&'static str> {
    registry::preset_model(name).map(|m| m.name())
}

/// What a lesson brings with its data set, so nothing carries over from the lesson before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lesson {
    /// The K the lesson is told with.
    pub k: usize,
    /// The variance floor of the lesson: 0 for the collapse lesson, else the default.
    pub reg: f64,
    /// The seed of the lesson's random start (2 for the two long clouds, else 1).
    pub seed: u64,
    /// The K at which the lesson starts from its own θ, not from the seed (the coins, the counts, the
    /// collapse lesson), if it has one.
    pub start_k: Option<usize>,
}

/// The K, variance floor, seed and own start's K of a preset's lesson, if the preset exists.
pub fn preset_lesson(name: &str) -> Option<Lesson> {
    let built = registry::preset_model(name)?.preset(name, 1, 0).ok()?;
    Some(Lesson {
        k: built.k,
        reg: built.reg,
        seed: built.seed,
        start_k: built.own_start_k,
    })
}

/// A model, its data and its EM state, with the preset or data source it came from.
#[derive(Clone, Debug)]
pub struct Lab {
    /// The EM state, of whichever registered model.
    pub em: Box<dyn AnyModel>,
    /// The preset it was made from, if any (none once the data is edited).
    pub preset: Option<String>,
    /// The hidden labels of a preset's points, if the story has them.
    pub labels: Option<Vec<usize>>,
    /// For coin data: each observation's tosses as H/T letters, when they were given as a sequence.
    pub sequences: Vec<Option<String>>,
    /// The starting θs the lesson offers (the two starts of the three-coin example), if any.
    pub starts: Vec<Theta>,
}

/// A lab as a saved session stores it: where the data came from (a preset, the data as text, or
/// neither when the caller keeps the data itself), the model's own setting, and the whole EM state with
/// its history in its compact form (`core::compact_session`). See [`Lab::save_session`].
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    /// The format's version.
    pub version: u32,
    /// The model's name.
    pub model: String,
    /// The preset, when the data is a preset's as it was built.
    pub preset: Option<String>,
    /// Otherwise the data, as text the model reads back exactly (none: given when restoring).
    pub data: Option<String>,
    /// The model's own setting (covariance type, fixed weights).
    pub variant: Option<String>,
    /// The EM state: start, options, the current state, undo and redo history, the trace.
    pub em: CompactEm,
    /// The point the figures showed.
    pub focus: Option<Focus>,
}

impl Session {
    /// The session as JSON text: its fields in the order declared, `null` for an absent text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut session = Object::new(&mut out);
        session
            .whole("version", self.version as usize)
            .text("model", &self.model)
            .optional_text("preset", self.preset.as_deref())
            .optional_text("data", self.data.as_deref())
            .optional_text("variant", self.variant.as_deref());
        self.em.write_json(session.field("em"));
        Focus::write_json(self.focus, &mut session);
        session.end();
        out
    }

    /// The session in JSON text written by [`Session::to_json`] (or by serde_json, before).
    pub fn from_json(text: &str) -> Result<Session, String> {
        let value = Json::parse(text)?;
        let f = Fields::of(&value)?;
        Ok(Session {
            version: u32::try_from(f.whole("version")?).map_err(|_| "field `version`")?,
            model: f.text("model")?,
            preset: f.optional_text("preset")?,
            data: f.optional_text("data")?,
            variant: f.optional_text("variant")?,
            em: CompactEm::from_json(f.get("em")?)?,
            focus: Focus::from_json(&f)?,
        })
    }
}

/// The most half-steps × observations a twin replays to catch up with its lab (~0.2–0.5 s in the page):
/// beyond, comparing side by side starts from a reset.
pub const TWIN_REPLAY_POINTS: usize = 20_000_000;

/// The observation the Jensen figure, the formulas and the data figure's ring show, kept by a session and a
/// link so that they open on it: its index, and whether it was chosen (else it is the page's own choice,
/// the largest share of KL, which after an E-step stays the last one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Focus {
    /// The observation's index.
    pub index: usize,
    /// True when chosen (a click, the arrow keys), false when the page's own.
    pub chosen: bool,
}

impl Focus {
    /// Writes the focus, if any, as `chosenPoint` or `shownPoint`.
    fn write_json(focus: Option<Focus>, object: &mut Object) {
        if let Some(f) = focus {
            object.whole(
                if f.chosen {
                    "chosenPoint"
                } else {
                    "shownPoint"
                },
                f.index,
            );
        }
    }

    /// The focus in fields `chosenPoint` or `shownPoint` (absent in sessions and links written before).
    fn from_json(f: &Fields) -> Result<Option<Focus>, String> {
        Ok(
            match (
                f.optional_whole("chosenPoint")?,
                f.optional_whole("shownPoint")?,
            ) {
                (Some(index), _) => Some(Focus {
                    index,
                    chosen: true,
                }),
                (None, Some(index)) => Some(Focus {
                    index,
                    chosen: false,
                }),
                (None, None) => None,
            },
        )
    }

    /// The focus if it names an observation of `lab`.
    fn within(focus: Option<Focus>, lab: &Lab) -> Result<Option<Focus>, String> {
        match focus {
            Some(f) if f.index >= lab.len() => {
                Err(format!("its point {} of {}", f.index, lab.len()))
            }
            _ => Ok(focus),
        }
    }
}

/// The version of [`Session`] this build writes and reads (2: the EM state in its compact form).
pub const SESSION_VERSION: u32 = 2;

impl Lab {
    /// A lab of what the registry built.
    fn of(built: Built, preset: Option<&str>) -> Lab {
        Lab {
            em: built.em,
            preset: preset.map(str::to_string),
            labels: (!built.labels.is_empty()).then_some(built.labels),
            sequences: built.sequences,
            starts: built.starts,
        }
    }

    /// A lab on a built-in data set with K components and a seeded random start, in the preset's model.
    pub fn preset(name: &str, k: usize, seed: u64) -> Result<Lab, EmError> {
        Self::preset_as(name, k, seed, None)
    }

    /// A lab on a built-in data set; `model` may choose another model that runs on it (k-means on the
    /// 2-D presets).
    pub fn preset_as(name: &str, k: usize, seed: u64, model: Option<&str>) -> Result<Lab, EmError> {
        check_k(k)?;
        let natural = registry::preset_model(name).ok_or_else(|| {
            EmError::new(ErrorKind::UnknownPreset {
                name: name.to_string(),
            })
        })?;
        let entry = match model {
            Some(m) => registry::model(m)?,
            None => natural,
        };
        if !entry.presets().contains(&name) {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "load this preset",
                model: entry.name(),
            }));
        }
        Ok(Self::of(entry.preset(name, k, seed)?, Some(name)))
    }

    /// A lab on pasted text for `model`: "gmm1d" uses column `columns[0]`, "gmm2d" and "kmeans" use
    /// `columns[0]` and `columns[1]` (default 0 and 1), "coins" reads H/T sequences or `heads,tosses`.
    pub fn from_csv(
        model: &str,
        text: &str,
        k: usize,
        seed: u64,
        column: usize,
    ) -> Result<Lab, EmError> {
        Self::from_csv_columns(model, text, k, seed, [column, column + 1])
    }

    /// [`Lab::from_csv`] with both columns chosen (the second is used by the 2-D models only).
    pub fn from_csv_columns(
        model: &str,
        text: &str,
        k: usize,
        seed: u64,
        columns: [usize; 2],
    ) -> Result<Lab, EmError> {
        Self::from_csv_with(model, text, k, seed, columns, Options::default())
    }

    /// [`Lab::from_csv_columns`] with the options (the variance floor `reg`, the tolerance) checked and set.
    pub fn from_csv_with(
        model: &str,
        text: &str,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Lab, EmError> {
        Self::from_csv_read(model, text, false, k, seed, columns, options)
    }

    /// [`Lab::from_csv_with`], reading `1,5` as 1.5 when `decimal_comma` (for models that read tables;
    /// the others read their own format).
    pub fn from_csv_read(
        model: &str,
        text: &str,
        decimal_comma: bool,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Lab, EmError> {
        let entry = registry::model(model)?;
        check_k(k)?;
        options.validate()?;
        if decimal_comma && entry.capabilities().columns > 0 {
            let table = super::csv::parse_table_with(text, true)?;
            return Self::from_table(model, &table, k, seed, columns, options);
        }
        Ok(Self::of(
            entry.read_text(text, k, seed, columns, options)?,
            None,
        ))
    }

    /// A lab of `model` on a table already read (a file read in pieces), with the options checked.
    pub fn from_table(
        model: &str,
        table: &super::csv::Table,
        k: usize,
        seed: u64,
        columns: [usize; 2],
        options: Options,
    ) -> Result<Lab, EmError> {
        let entry = registry::model(model)?;
        check_k(k)?;
        options.validate()?;
        Ok(Self::of(
            entry.read_table(table, k, seed, columns, options)?,
            None,
        ))
    }

    /// A lab of model `M` on `model`'s data from θ = `start`.
    pub fn of_model<M: Model>(
        model: M,
        start: M::Params,
        options: Options,
    ) -> Result<Lab, EmError> {
        Ok(Self::of(
            Built {
                em: Box::new(Em::new(model, start, options)?),
                labels: Vec::new(),
                starts: Vec::new(),
                sequences: Vec::new(),
                k: 2,
                reg: options.reg,
                seed: 1,
                own_start_k: None,
            },
            None,
        ))
    }

    /// A 1-D mixture lab on checked data.
    pub fn gmm1d(data: Vec<f64>, k: usize, seed: u64, options: Options) -> Result<Lab, EmError> {
        let model = super::gmm1d::Gmm1d::new(data);
        model.check(k)?;
        let start = model.random_start(k, seed);
        Self::of_model(model, start, options)
    }

    /// A 2-D lab ("gmm2d" or "kmeans") on flat x, y pairs, with a seeded start at K distinct data points.
    pub fn points(
        model: &str,
        data: Vec<f64>,
        k: usize,
        seed: u64,
        covariance: CovarianceType,
    ) -> Result<Lab, EmError> {
        super::params::check_points(&data, k)?;
        let options = Options::default();
        if model == KMeans::NAME {
            let m = KMeans::new(data);
            let start = m.random_start(k, seed);
            Self::of_model(m, start, options)
        } else {
            let m = Gmm2d::new(data, covariance);
            let start = m.random_start(k, seed);
            Self::of_model(m, start, options)
        }
    }

    /// The EM of model `M`, if this lab runs it.
    pub fn em_of<M: Model>(&self) -> Option<&Em<M>> {
        self.em.as_any().downcast_ref()
    }

    /// The EM of model `M`, mutable, if this lab runs it.
    pub fn em_of_mut<M: Model>(&mut self) -> Option<&mut Em<M>> {
        self.em.as_any_mut().downcast_mut()
    }

    /// θ of model `M`, if this lab runs it.
    pub fn params_of<M: Model>(&self) -> Option<M::Params> {
        self.em_of::<M>().map(|em| em.params().clone())
    }

    /// [`Lab::set_params`] with θ of model `M`.
    pub fn set_params_of<M: Model>(&mut self, params: &M::Params) -> Result<(), EmError> {
        self.set_params(&M::theta(params))
    }

    /// [`Lab::restart_with`] with θ of model `M`.
    pub fn restart_with_of<M: Model>(&mut self, params: &M::Params) -> Result<(), EmError> {
        self.restart_with(&M::theta(params))
    }

    /// The registry entry of the lab's model.
    pub fn entry(&self) -> &'static dyn Entry {
        registry::model(self.model_name()).expect("every lab's model is registered")
    }

    /// The other 2-D model on the same data from the same start: k-means for a mixture (its start means
    /// as centres) and a full-covariance mixture for k-means (its start centres as means). It takes the
    /// half-steps this lab took since that start, and has those this lab can redo to redo, so that side by
    /// side (each click steps both) the two stay in step: made at the start, after a reload or with the
    /// comparison ticked mid-lesson it was that many half-steps behind.
    pub fn twin(&self) -> Result<Lab, EmError> {
        let saved = self.em.saved();
        // A run whose start is gone cannot be replayed: reset, then compare.
        let (start, steps) = run_of(&saved).map_err(|_| {
            EmError::new(ErrorKind::StartGone {
                max: super::em::MAX_HISTORY,
                twin: true,
            })
        })?;
        // Each half-step under the options it was taken under, as a link replays them (the twin of a run
        // whose floor changed part-way was a run at the last floor throughout).
        let options: Vec<Options> = saved.run_trace().iter().map(|t| t.options).collect();
        let at_start = options.first().copied().unwrap_or(saved.options);
        let mut twin = if let Some(em) = self.em_of::<Gmm2d>() {
            let m = KMeans::new(em.model().data().to_vec());
            let start = KMeansParams::from(&Gmm2d::from_theta(&start)?);
            Self::of_model(m, start, at_start)?
        } else if let Some(em) = self.em_of::<KMeans>() {
            let m = Gmm2d::new(em.model().data().to_vec(), CovarianceType::Full);
            let start = m.start_from_means(KMeans::from_theta(&start)?.centres);
            Self::of_model(m, start, at_start)?
        } else {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "compare with k-means",
                model: self.model_name(),
            }));
        };
        let redo: Vec<Phase> = saved.future.iter().rev().map(|(s, _)| s.phase).collect();
        let replay = steps.len() + redo.len();
        if replay.saturating_mul(self.len()) > TWIN_REPLAY_POINTS {
            return Err(EmError::new(ErrorKind::TwinTooFar {
                steps: replay,
                n: self.len(),
            }));
        }
        twin.preset = self.preset.clone();
        twin.labels = self.labels.clone();
        let mut redone = 0;
        for (i, &phase) in steps.iter().chain(&redo).enumerate() {
            // The redone steps under the options in force now.
            twin.set_options(options.get(i + 1).copied().unwrap_or(saved.options))?;
            // A step the twin refuses (its mixture collapses) ends it there, as clicking would have.
            if twin.take(phase).is_err() {
                break;
            }
            redone = (i + 1).saturating_sub(steps.len());
        }
        for _ in 0..redone {
            twin.undo();
        }
        // The options in force now (a new floor would take back a collapse the twin stopped at).
        if twin.collapse().is_none() {
            twin.set_options(saved.options)?;
        }
        Ok(twin)
    }

    /// The model's name in the JS API.
    pub fn model_name(&self) -> &'static str {
        self.em.name()
    }

    /// The current θ.
    pub fn params(&self) -> Theta {
        self.em.theta()
    }

    /// θ after every M-step so far, starting from the θ EM started from (for the path figures).
    pub fn params_path(&self) -> Vec<Theta> {
        self.em.theta_path()
    }

    /// Replaces θ (validated, undoable).
    pub fn set_params(&mut self, params: &Theta) -> Result<(), EmError> {
        self.em.set_theta(params)
    }

    /// Makes start number `index` of the lesson's starts the start, and restarts from it.
    pub fn use_start(&mut self, index: usize) -> Result<(), EmError> {
        let start = self.starts.get(index).cloned().ok_or_else(|| {
            EmError::new(ErrorKind::NoSuchStart {
                index,
                count: self.starts.len(),
            })
        })?;
        self.restart_with(&start)
    }

    /// Makes `params` the start and restarts from it (validated; no undo).
    pub fn restart_with(&mut self, params: &Theta) -> Result<(), EmError> {
        self.em.restart_theta(params)
    }

    /// Switches a 2-D mixture between full, diagonal and spherical covariances and restarts from the
    /// current θ with its covariances projected onto the new type; the type it has changes nothing.
    pub fn set_covariance_type(&mut self, covariance: CovarianceType) -> Result<(), EmError> {
        let model = self.model_name();
        let Some(em) = self.em_of_mut::<Gmm2d>() else {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "choose a covariance type",
                model,
            }));
        };
        if em.model().covariance_type() == covariance {
            return Ok(());
        }
        let fresh = Gmm2d::new(em.model().data().to_vec(), covariance);
        let start = fresh.project(em.params());
        *em = Em::new(fresh, start, *em.options())?;
        Ok(())
    }

    /// Fixes (or frees) the coin weights and restarts from the current θ; the rule it has changes nothing.
    pub fn set_fix_weights(&mut self, fix: bool) -> Result<(), EmError> {
        let model = self.model_name();
        let Some(em) = self.em_of_mut::<Coins>() else {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "fix the weights",
                model,
            }));
        };
        if em.model().fix_weights() == fix {
            return Ok(());
        }
        let fresh = Coins::new(em.model().counts().to_vec(), fix);
        *em = Em::new(fresh, em.params().clone(), *em.options())?;
        Ok(())
    }

    /// What EM optimises: ℓ(θ) for the mixtures, the within-cluster sum of squares J for k-means.
    pub fn objective(&self) -> f64 {
        self.em.objective()
    }

    /// The lower-bound view the figures draw from.
    pub fn bound(&self) -> &dyn BoundView {
        self.em.as_bound()
    }

    /// The half-step `phase` names (an E-step for `Phase::E`, else an M-step): how a link and a twin
    /// replay the half-steps they were given. An E-step right after an E-step, which a link made before
    /// EM refused it may hold, is passed over: it gave the same state.
    fn take(&mut self, phase: Phase) -> Result<(), EmError> {
        match phase {
            Phase::E if self.phase() == Phase::E && self.collapse().is_none() => Ok(()),
            Phase::E => self.e_step(),
            _ => self.m_step(),
        }
    }

    /// The E-step.
    pub fn e_step(&mut self) -> Result<(), EmError> {
        self.em.e_step()
    }

    /// The M-step.
    pub fn m_step(&mut self) -> Result<(), EmError> {
        self.em.m_step()
    }

    /// Up to `parts` parts of the pass over the data the next half-step needs; true when it has none left
    /// to make (see `Em::prepare_step`).
    pub fn prepare_step(&mut self, parts: usize) -> bool {
        self.em.prepare_step(parts)
    }

    /// An E-step then an M-step.
    pub fn step(&mut self) -> Result<(), EmError> {
        self.em.step()
    }

    /// Goes back one half-step; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.em.undo()
    }

    /// Goes forward again to the state the last undo left; false when there is none.
    pub fn redo(&mut self) -> bool {
        self.em.redo()
    }

    /// Moves to position `to` on the timeline of half-steps (0 = the start), by undo and redo.
    pub fn go_to(&mut self, to: usize) {
        self.em.go_to(to)
    }

    /// The position on the timeline of half-steps.
    pub fn position(&self) -> usize {
        self.em.position()
    }

    /// The length of the timeline: half-steps taken, including those undone and not yet redone.
    pub fn timeline_len(&self) -> usize {
        self.em.timeline_len()
    }

    /// Back to the start.
    pub fn reset(&mut self) {
        self.em.reset()
    }

    /// Sets `reg` and `tol`.
    pub fn set_options(&mut self, options: Options) -> Result<(), EmError> {
        self.em.set_options(options)
    }

    /// The options in force.
    pub fn options(&self) -> Options {
        self.em.options()
    }

    /// The half-step that produced the current state.
    pub fn phase(&self) -> Phase {
        self.bound().phase()
    }

    /// True once converged.
    pub fn converged(&self) -> bool {
        self.em.converged()
    }

    /// Runs whole iterations (E then M) until convergence, a collapse or `max` iterations; returns how
    /// many ran.
    pub fn run_to_convergence(&mut self, max: usize) -> Result<usize, EmError> {
        self.em.run(max)
    }

    /// True when every component is the same, so EM can never tell them apart (see [`Em::symmetric`]).
    pub fn symmetric(&self) -> bool {
        self.em.symmetric()
    }

    /// True when the start itself puts every component in the same place (Li Hang's first start).
    pub fn start_symmetric(&self) -> bool {
        self.em.start_symmetric()
    }

    /// Number of observations.
    pub fn len(&self) -> usize {
        self.bound().observations()
    }

    /// True when the lab has no observations (never, once built).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The responsibilities of observation `i`.
    pub fn responsibilities(&self, i: usize) -> Result<Vec<f64>, EmError> {
        let len = self.len();
        if i >= len {
            return Err(EmError::new(ErrorKind::NoSuchPoint { index: i, len }));
        }
        Ok(self.em.q_row(i).to_vec())
    }

    /// The formulas of the current state for observation `i` (the formulas panel), whatever the model.
    pub fn formulas(&self, i: usize) -> Result<super::formulas::Formulas, EmError> {
        let len = self.len();
        if i >= len {
            return Err(EmError::new(ErrorKind::NoSuchPoint { index: i, len }));
        }
        Ok(self.em.formulas(i))
    }

    /// A point in the overlap of two components of the fitted model (EM run ahead on a copy), so the
    /// Jensen figure starts on a point whose responsibilities are split; large data uses θ as it is.
    pub fn teaching_point(&self) -> usize {
        const LOOKAHEAD_POINTS: usize = 50_000;
        const LOOKAHEAD_ITERATIONS: usize = 100;
        let mut ahead = self.em.clone();
        if ahead.observations() <= LOOKAHEAD_POINTS {
            for _ in 0..LOOKAHEAD_ITERATIONS {
                if ahead.step().is_err() || ahead.converged() {
                    break;
                }
            }
        }
        ahead.overlap_point()
    }

    /// The observation next to `i` in the order of the data (by x for 1-D data; by index otherwise).
    pub fn neighbour(&self, i: usize, up: bool) -> usize {
        self.em.neighbour(i, up)
    }

    /// The collapse that stopped EM, if any.
    pub fn collapse(&self) -> Option<super::em::Collapse> {
        self.em.collapse()
    }

    /// The component the variance floor keeps from collapsing, if any ([`super::em::Em::floor_holds`]).
    pub fn floor_holds(&self) -> Option<usize> {
        self.em.floor_holds()
    }

    /// True when the variance floor in force is not the one the current state was made under: set since
    /// the last half-step, it is used from the next M-step on (the page says so, not the last step's outcome).
    pub fn floor_changed(&self) -> bool {
        let reg = self.options().reg;
        self.bound()
            .trace()
            .last()
            .is_some_and(|t| t.options.reg != reg)
    }

    /// Components left empty by the last M-step.
    pub fn empty_components(&self) -> Vec<usize> {
        self.em.empty_components()
    }

    /// The whole lab as a session: the data (by preset name while it is the preset's; your own data as
    /// text when `with_data`, else left to the caller), the model's setting and the EM state with its
    /// undo and redo history. [`Lab::from_session`] reads it back to the same state, bit for bit.
    pub fn session(&self, with_data: bool) -> Session {
        Session {
            version: SESSION_VERSION,
            model: self.model_name().to_string(),
            preset: self.preset.clone(),
            data: match self.preset {
                None if with_data => Some(self.em.data_text(&self.sequences)),
                _ => None,
            },
            variant: self.em.variant(),
            em: compact(&self.em.saved()),
            focus: None,
        }
    }

    /// [`Lab::session`] with its data, as JSON text.
    pub fn save_session(&self) -> String {
        self.session(true).to_json()
    }

    /// [`Lab::session`] as JSON text of at most `max_chars` characters: when the whole state is longer,
    /// the oldest undo steps (then the farthest redo steps) are left out until it fits; the current state
    /// and its trace are always whole. Errors when even that does not fit.
    pub fn save_session_within(
        &self,
        with_data: bool,
        max_chars: usize,
    ) -> Result<String, EmError> {
        self.save_session_focused(with_data, max_chars, None)
    }

    /// [`Lab::save_session_within`] with the point the figures show.
    pub fn save_session_focused(
        &self,
        with_data: bool,
        max_chars: usize,
        focus: Option<Focus>,
    ) -> Result<String, EmError> {
        let mut session = self.session(with_data);
        session.focus = focus;
        let mut saved = self.em.saved();
        loop {
            let text = session.to_json();
            let length = text.chars().count();
            if length <= max_chars {
                return Ok(text);
            }
            let steps = saved.history.len() + saved.future.len();
            if steps == 0 {
                return Err(EmError::new(ErrorKind::SessionTooLong {
                    max: max_chars,
                    needed: length,
                }));
            }
            // Drop the share of the steps that is over the limit, and a tenth more, at least one.
            let over = (steps as f64 * (1.0 - max_chars as f64 / length as f64) * 1.1).ceil();
            let mut drop = (over as usize).clamp(1, steps);
            let from_history = drop.min(saved.history.len());
            saved.history.drain(..from_history);
            drop -= from_history;
            saved.future.drain(..drop.min(saved.future.len()));
            session.em = compact(&saved);
        }
    }

    /// The lab a session describes; every part is checked, and a session of another version, a model
    /// that does not exist, or data or θ that do not fit are refused with what is wrong. `data` is the
    /// data as text for a session saved without it (and is not used otherwise).
    pub fn from_session(session: Session, data: Option<&str>) -> Result<Lab, EmError> {
        let bad = EmError::session_unreadable;
        if session.version != SESSION_VERSION {
            return Err(bad("another version"));
        }
        let entry = registry::model(&session.model)?;
        let k = session
            .em
            .start
            .fields
            .first()
            .map_or(0, |f| f.values.len() / f.shape.width());
        check_k(k)?;
        let variant = session.variant.as_deref();
        let saved = expand(&session.em)?;
        let mut lab = match (&session.preset, session.data.as_deref().or(data)) {
            (Some(name), _) => {
                if !entry.presets().contains(&name.as_str()) {
                    return Err(EmError::new(ErrorKind::UnknownPreset {
                        name: name.clone(),
                    }));
                }
                Self::of(entry.preset(name, k, 0)?, Some(name))
            }
            (None, Some(text)) => Self::of(
                entry.read_text(text, k, 0, [0, 1], Options::default())?,
                None,
            ),
            (None, None) => return Err(bad("no data")),
        };
        lab.em = entry.load(&*lab.em, variant, saved)?;
        // The data must be the data the session was saved on: its ℓ (k-means: −J) at the saved θ is the
        // one the trace recorded there. Other data of a fitting size was taken, and the page said
        // "converged" beside a trace of the old data; so was a session whose preset name was edited (a
        // session of 8 points opened on the 1,000 heights, ℓ −9.9e6 beside a trace of −16).
        {
            let b = lab.bound();
            if let Some(last) = b.trace().last() {
                let (saved, now) = (last.loglik, b.loglik());
                if gap_value((saved - now).abs(), saved) != 0.0 {
                    return Err(EmError::new(ErrorKind::SessionOtherData));
                }
            }
        }
        lab.starts.retain(|s| {
            s.fields
                .first()
                .is_some_and(|f| f.values.len() / f.shape.width() == k)
        });
        Ok(lab)
    }

    /// The lab saved by [`Lab::save_session`] (or [`Lab::save_session_within`], with `data` when it
    /// was saved without its data).
    pub fn restore_session(text: &str, data: Option<&str>) -> Result<Lab, EmError> {
        Self::restore_session_focused(text, data).map(|(lab, _)| lab)
    }

    /// [`Lab::restore_session`] and the point the figures showed, when the session keeps it.
    pub fn restore_session_focused(
        text: &str,
        data: Option<&str>,
    ) -> Result<(Lab, Option<Focus>), EmError> {
        let session =
            Session::from_json(text).map_err(|e| EmError::session_unreadable(e.to_string()))?;
        let focus = session.focus;
        let lab = Self::from_session(session, data)?;
        let focus = Focus::within(focus, &lab).map_err(EmError::session_unreadable)?;
        Ok((lab, focus))
    }

    /// What a link stores: the data (by preset name when it is a preset's), the model's setting, the θ
    /// the current run started from, the options, and the half-steps taken since — replayed on opening,
    /// so the figures and readouts are the same (the undo history and earlier runs are not in a link).
    pub fn link(&self) -> Result<Link, EmError> {
        let saved = self.em.saved();
        let (start, phases) = run_of(&saved)?;
        let data = match self.preset {
            Some(_) => None,
            None => Some(self.em.data_text(&self.sequences)),
        };
        if let Some(text) = &data {
            if text.len() > MAX_LINK_DATA {
                return Err(EmError::new(ErrorKind::LinkTooLong {
                    got: text.len(),
                    max: MAX_LINK_DATA,
                }));
            }
        }
        Ok(Link {
            model: self.model_name().to_string(),
            preset: self.preset.clone(),
            data,
            variant: self.em.variant(),
            start,
            options: saved.options,
            steps: encode_steps(phases.into_iter()),
            options_at: options_at(&saved),
            focus: None,
            seed: None,
        })
    }

    /// [`Lab::from_link`] and the point the figures showed, when the link keeps it.
    pub fn from_link_focused(link: &Link) -> Result<(Lab, Option<Focus>), EmError> {
        let lab = Self::from_link(link)?;
        let focus = Focus::within(link.focus, &lab).map_err(EmError::link_unreadable)?;
        Ok((lab, focus))
    }

    /// The lab a link describes, its half-steps replayed.
    pub fn from_link(link: &Link) -> Result<Lab, EmError> {
        let mut lab = Self::link_start(link)?;
        let steps = decode_steps(&link.steps)?;
        let mut changes = link.options_at.iter().peekable();
        // The start's options were set by `link_start`.
        changes.next_if(|&&(from, _)| from == 0);
        for (n, &phase) in steps.iter().enumerate() {
            while let Some((_, options)) = changes.next_if(|&&(from, _)| from == n + 1) {
                lab.set_options(*options)?;
            }
            match lab.take(phase) {
                // The last half-step of a link made at a collapse collapses again: that is its state.
                Err(e) if n + 1 == steps.len() && lab.collapse().is_some() => drop(e),
                taken => taken?,
            }
        }
        if changes.next().is_some() {
            return Err(EmError::link_unreadable("its options"));
        }
        lab.set_options(link.options)?;
        Ok(lab)
    }

    /// The lab a link describes at the start of its run, every part checked, its half-steps not replayed:
    /// what the page's controls need before [`Lab::from_link`] opens it (a replay is a pass over the data
    /// per half-step; the page made it twice).
    pub fn link_start(link: &Link) -> Result<Lab, EmError> {
        let entry = registry::model(&link.model)?;
        let k = link
            .start
            .fields
            .first()
            .map_or(0, |f| f.values.len() / f.shape.width().max(1));
        check_k(k)?;
        link.options.validate()?;
        for (_, options) in &link.options_at {
            options.validate()?;
        }
        // A link is read under the rule it is written under: no more data than `link()` puts in one.
        if let Some(text) = link.data.as_ref().filter(|t| t.len() > MAX_LINK_DATA) {
            return Err(EmError::new(ErrorKind::LinkTooLong {
                got: text.len(),
                max: MAX_LINK_DATA,
            }));
        }
        let mut lab = match (&link.preset, &link.data) {
            (Some(name), None) => Self::preset_as(name, k, 0, Some(entry.name()))?,
            (None, Some(text)) => {
                Self::of(entry.read_text(text, k, 0, [0, 1], link.options)?, None)
            }
            _ => return Err(EmError::link_unreadable("it names no data")),
        };
        if let Some(v) = &link.variant {
            // From the link's start, so that the model's own setting takes a θ of its kind (a diagonal
            // model refuses the preset's full random start).
            lab.restart_with(&link.start)?;
            let saved = lab.em.saved();
            lab.em = entry.load(&*lab.em, Some(v), saved)?;
        }
        // The start under the options it was made under (the first of `options_at` when the run changed
        // them); `from_link` sets the others as it replays, and `options` at the end.
        let at_start = match link.options_at.first() {
            Some(&(0, options)) => options,
            _ => link.options,
        };
        lab.set_options(at_start)?;
        lab.restart_with(&link.start)?;
        Ok(lab)
    }

    /// The half-steps a link replays, in order.
    pub fn link_steps(link: &Link) -> Result<Vec<Phase>, EmError> {
        decode_steps(&link.steps)
    }
}

/// The most bytes of data text a link carries (a URL of about 100 kB opens in every browser).
pub const MAX_LINK_DATA: usize = 60_000;

/// A link to a lab's state: see [`Lab::link`].
#[derive(Clone, Debug, PartialEq)]
pub struct Link {
    /// The model's name.
    pub model: String,
    /// The preset, when the data is a preset's.
    pub preset: Option<String>,
    /// Otherwise the data as text.
    pub data: Option<String>,
    /// The model's own setting.
    pub variant: Option<String>,
    /// θ the current run started from.
    pub start: Theta,
    /// reg and tol.
    pub options: Options,
    /// The half-steps taken since: `e` and `m`, a number n standing for n whole iterations `em`.
    pub steps: String,
    /// Where the run changed its options: from trace point n on (0 the start, n the n-th half-step), these;
    /// empty when the whole run was under `options` (links written before have none).
    pub options_at: Vec<(usize, Options)>,
    /// The point the figures showed.
    pub focus: Option<Focus>,
    /// The seed of the page's random starts (a new K starts from it), when the page gave it.
    pub seed: Option<u64>,
}

impl Link {
    /// The link as JSON text: its fields in the order declared, `null` for an absent text.
    pub fn to_json(&self) -> String {
        let mut out = String::new();
        let mut link = Object::new(&mut out);
        link.text("model", &self.model)
            .optional_text("preset", self.preset.as_deref())
            .optional_text("data", self.data.as_deref())
            .optional_text("variant", self.variant.as_deref());
        self.start.write_json(link.field("start"));
        self.options.write_json(link.field("options"));
        link.text("steps", &self.steps);
        if !self.options_at.is_empty() {
            let list = link.field("optionsAt");
            list.push('[');
            for (i, (from, options)) in self.options_at.iter().enumerate() {
                if i > 0 {
                    list.push(',');
                }
                Object::new(list)
                    .whole("from", *from)
                    .number("reg", options.reg)
                    .number("tol", options.tol)
                    .end();
            }
            list.push(']');
        }
        Focus::write_json(self.focus, &mut link);
        if let Some(seed) = self.seed {
            link.whole("seed", seed as usize);
        }
        link.end();
        out
    }

    /// The link in JSON text written by [`Link::to_json`] (or by serde_json, before).
    pub fn from_json(text: &str) -> Result<Link, String> {
        let value = Json::parse(text)?;
        let f = Fields::of(&value)?;
        Ok(Link {
            model: f.text("model")?,
            preset: f.optional_text("preset")?,
            data: f.optional_text("data")?,
            variant: f.optional_text("variant")?,
            start: Theta::from_json(f.get("start")?)?,
            options: Options::from_json(f.get("options")?)?,
            steps: f.text("steps")?,
            options_at: match f.has("optionsAt") {
                false => Vec::new(),
                true => f
                    .list("optionsAt")?
                    .iter()
                    .map(|item| Ok((Fields::of(item)?.whole("from")?, Options::from_json(item)?)))
                    .collect::<Result<_, String>>()?,
            },
            focus: Focus::from_json(&f)?,
            seed: match f.optional_whole("seed")? {
                Some(seed) if seed > u32::MAX as usize => return Err("its seed".to_string()),
                seed => seed.map(|s| s as u64),
            },
        })
    }
}

/// Half-steps as text: runs of whole iterations as their count, other half-steps as `e` or `m`.
fn encode_steps(phases: impl Iterator<Item = Phase>) -> String {
    let letters: Vec<char> = phases
        .map(|p| if p == Phase::E { 'e' } else { 'm' })
        .collect();
    let mut out = String::new();
    let mut i = 0;
    while i < letters.len() {
        let mut pairs = 0;
        while i + 2 * pairs + 1 < letters.len()
            && letters[i + 2 * pairs] == 'e'
            && letters[i + 2 * pairs + 1] == 'm'
        {
            pairs += 1;
        }
        if pairs > 0 {
            out.push_str(&pairs.to_string());
            i += 2 * pairs;
        } else {
            out.push(letters[i]);
            i += 1;
        }
    }
    out
}

/// The θ the current run started from (where its trace begins) and the half-steps taken since.
fn run_of(saved: &SavedTheta) -> Result<(Theta, Vec<Phase>), EmError> {
    // The current run only: a link starts from the θ it started from (the runs before a new θ are kept for
    // undo; a link counted their half-steps too and opened another state).
    let trace = saved.run_trace();
    let run = trace.len().saturating_sub(1);
    // Past the history's length the run's start is no longer kept (the oldest state kept is not where
    // it began): a replay from there ended elsewhere (death-notices, 5,100 iterations at tol 0).
    if run > saved.history.len() {
        return Err(EmError::new(ErrorKind::StartGone {
            max: super::em::MAX_HISTORY,
            twin: false,
        }));
    }
    let begin = saved.history.len() - run;
    let start = match saved.history.get(begin) {
        Some(s) if run > 0 => s.params.clone(),
        _ => saved.current.params.clone(),
    };
    let mut phases: Vec<Phase> = trace.iter().skip(1).map(|t| t.phase).collect();
    // A collapse is the M-step that was refused (its trace point keeps the phase before it): replayed as
    // an M-step it collapses again (a link replayed it as a second E-step and lost the collapse).
    if saved.current.collapse.is_some() {
        if let Some(last) = phases.last_mut() {
            *last = Phase::M;
        }
    }
    Ok((start, phases))
}

/// Where the current run changed its options ([`Link::options_at`]): the options of each trace point
/// (the start's, then each half-step's), listed where they change when any differs from those in force
/// now.
fn options_at(saved: &SavedTheta) -> Vec<(usize, Options)> {
    let taken: Vec<Options> = saved.run_trace().iter().map(|t| t.options).collect();
    if taken.iter().all(|o| *o == saved.options) {
        return Vec::new();
    }
    let mut out: Vec<(usize, Options)> = Vec::new();
    for (n, options) in taken.into_iter().enumerate() {
        if out.last().is_none_or(|(_, last)| *last != options) {
            out.push((n, options));
        }
    }
    out
}

/// The half-steps of [`encode_steps`]' text (at most [`super::em::MAX_HISTORY`] of them).
fn decode_steps(text: &str) -> Result<Vec<Phase>, EmError> {
    let bad = || EmError::link_unreadable("its steps");
    let mut out = Vec::new();
    let mut number = String::new();
    for c in text.chars().chain(std::iter::once(';')) {
        if c.is_ascii_digit() {
            number.push(c);
            continue;
        }
        if !number.is_empty() {
            let n: usize = number.parse().map_err(|_| bad())?;
            if n > super::em::MAX_HISTORY {
                return Err(bad());
            }
            for _ in 0..n {
                out.extend([Phase::E, Phase::M]);
            }
            number.clear();
        }
        match c {
            'e' => out.push(Phase::E),
            'm' => out.push(Phase::M),
            ';' => {}
            _ => return Err(bad()),
        }
        if out.len() > 2 * super::em::MAX_HISTORY {
            return Err(bad());
        }
    }
    Ok(out)
}
