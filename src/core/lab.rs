//! One lab = one model on one data set, whatever the model: what the page and the JS API drive.

use super::bound::BoundView;
use super::coins::{coin_preset, CoinParams, Coins, PRESETS_COINS};
use super::coins_csv::parse_coins;
use super::csv::parse_table;
use super::em::{Em, Mixture, Phase};
use super::error::{EmError, ErrorKind};
use super::gmm1d::{random_start, Gmm1d, Gmm1dParams};
use super::gmm2d::{self, CovarianceType, Gmm2d, Gmm2dParams};
use super::kmeans::{self, KMeans, KMeansParams};
use super::options::{Options, DEFAULT_REG};
use super::params::{check_k, count_distinct, count_distinct_points};
use super::presets::{preset_1d, PRESETS_1D};
use super::presets2d::{preset_2d, PRESETS_2D};
use super::sample::rng;
use rand::RngExt;

/// The EM state of whichever model the lab runs.
#[derive(Clone, Debug)]
pub enum AnyEm {
    /// A 1-D Gaussian mixture.
    Gmm1d(Em<Gmm1d>),
    /// A 2-D Gaussian mixture.
    Gmm2d(Em<Gmm2d>),
    /// k-means as hard EM on 2-D data.
    KMeans(Em<KMeans>),
    /// A mixture of coins.
    Coins(Em<Coins>),
}

/// θ of whichever model the lab runs.
#[derive(Clone, Debug, PartialEq)]
pub enum AnyParams {
    /// θ of a 1-D Gaussian mixture.
    Gmm1d(Gmm1dParams),
    /// θ of a 2-D Gaussian mixture.
    Gmm2d(Gmm2dParams),
    /// The centres of k-means.
    KMeans(KMeansParams),
    /// θ of a coin mixture.
    Coins(CoinParams),
}

/// Runs `$body` with `$em` bound to the inner `Em<_>` of any variant.
macro_rules! each_em {
    ($value:expr, $em:ident => $body:expr) => {
        match $value {
            AnyEm::Gmm1d($em) => $body,
            AnyEm::Gmm2d($em) => $body,
            AnyEm::KMeans($em) => $body,
            AnyEm::Coins($em) => $body,
        }
    };
}

/// The model names of the JS API, in menu order.
pub const MODELS: &[&str] = &["gmm1d", "gmm2d", "kmeans", "coins"];

/// The model a preset is made for ("gmm1d", "gmm2d" or "coins"), if the preset exists.
pub fn preset_model(name: &str) -> Option<&'static str> {
    if PRESETS_1D.contains(&name) {
        Some("gmm1d")
    } else if PRESETS_2D.contains(&name) {
        Some("gmm2d")
    } else if PRESETS_COINS.contains(&name) {
        Some("coins")
    } else {
        None
    }
}

/// What a lesson brings with its data set, so nothing carries over from the lesson before.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Lesson {
    /// The K the lesson is told with.
    pub k: usize,
    /// The variance floor of the lesson: 0 for the collapse lesson, else the default.
    pub reg: f64,
}

/// The K and variance floor of a preset's lesson, if the preset exists.
pub fn preset_lesson(name: &str) -> Option<Lesson> {
    let k = match preset_model(name)? {
        "gmm1d" => preset_1d(name).ok()?.suggested_k,
        "gmm2d" => preset_2d(name).ok()?.suggested_k,
        _ => coin_preset(name).ok()?.suggested_k,
    };
    // With reg = 0 the collapse preset walks a component onto its isolated point: the lesson needs it.
    let reg = if name == "collapse" { 0.0 } else { DEFAULT_REG };
    Some(Lesson { k, reg })
}

/// A model, its data and its EM state, with the preset or data source it came from.
#[derive(Clone, Debug)]
pub struct Lab {
    /// The EM state.
    pub em: AnyEm,
    /// The preset it was made from, if any.
    pub preset: Option<String>,
    /// The hidden labels of a preset's points, if the story has them.
    pub labels: Option<Vec<usize>>,
    /// For coin data: each observation's tosses as H/T letters, when they were given as a sequence.
    pub sequences: Vec<Option<String>>,
    /// The starting θs the lesson offers (the two starts of the three-coin example), if any.
    pub starts: Vec<AnyParams>,
}

impl Lab {
    /// Wraps EM state with no preset information.
    fn plain(em: AnyEm) -> Lab {
        Lab {
            em,
            preset: None,
            labels: None,
            sequences: Vec::new(),
            starts: Vec::new(),
        }
    }

    /// A lab on a built-in data set with K components and a seeded random start, in the preset's model.
    pub fn preset(name: &str, k: usize, seed: u64) -> Result<Lab, EmError> {
        Self::preset_as(name, k, seed, None)
    }

    /// A lab on a built-in data set; `model` may choose "kmeans" instead of "gmm2d" for 2-D presets.
    pub fn preset_as(name: &str, k: usize, seed: u64, model: Option<&str>) -> Result<Lab, EmError> {
        check_k(k)?;
        let natural = preset_model(name).ok_or_else(|| {
            EmError::new(ErrorKind::UnknownPreset {
                name: name.to_string(),
            })
        })?;
        let model = model.unwrap_or(natural);
        let mismatch = || {
            EmError::new(ErrorKind::NotForModel {
                action: "load this preset",
                model: MODELS.iter().copied().find(|m| *m == model).unwrap_or("?"),
            })
        };
        let mut lab = match (natural, model) {
            ("gmm1d", "gmm1d") => {
                let p = preset_1d(name)?;
                let start = p.start.filter(|s| s.weights.len() == k);
                let mut lab = Self::gmm1d(p.data, k, seed, Options::default())?;
                if let (Some(start), AnyEm::Gmm1d(em)) = (start, &mut lab.em) {
                    em.restart(start);
                }
                lab.labels = Some(p.labels);
                lab
            }
            ("gmm2d", "gmm2d" | "kmeans") => {
                let p = preset_2d(name)?;
                let mut lab = Self::points(model, p.data, k, seed, CovarianceType::Full)?;
                lab.labels = (!p.labels.is_empty()).then_some(p.labels);
                lab
            }
            ("coins", "coins") => {
                let p = coin_preset(name)?;
                let model = Coins::from_data(&p.data, p.fix_weights);
                let starts: Vec<CoinParams> = p
                    .starts
                    .into_iter()
                    .filter(|s| s.weights.len() == k)
                    .collect();
                let start = match starts.first() {
                    Some(s) => s.clone(),
                    None => coin_start(k, seed),
                };
                let mut lab = Self::plain(AnyEm::Coins(Em::new(model, start, Options::default())?));
                lab.sequences = p.data.sequences;
                lab.starts = starts.into_iter().map(AnyParams::Coins).collect();
                lab.labels = (!p.labels.is_empty()).then_some(p.labels);
                lab
            }
            _ => return Err(mismatch()),
        };
        lab.preset = Some(name.to_string());
        Ok(lab)
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
        check_k(k)?;
        options.validate()?;
        let mut lab = match model {
            "gmm1d" => {
                let data = parse_table(text)?.column(columns[0])?;
                return Self::gmm1d(data, k, seed, options);
            }
            "gmm2d" | "kmeans" => {
                let table = parse_table(text)?;
                let (xs, ys) = (table.column(columns[0])?, table.column(columns[1])?);
                let data = xs.iter().zip(&ys).flat_map(|(&x, &y)| [x, y]).collect();
                Self::points(model, data, k, seed, CovarianceType::Full)?
            }
            "coins" => {
                let data = parse_coins(text)?;
                if data.counts.len() < k {
                    return Err(EmError::new(ErrorKind::TooFewDistinct {
                        distinct: data.counts.len(),
                        k,
                    }));
                }
                let model = Coins::from_data(&data, false);
                let mut lab = Self::plain(AnyEm::Coins(Em::new(
                    model,
                    coin_start(k, seed),
                    Options::default(),
                )?));
                lab.sequences = data.sequences;
                lab
            }
            _ => {
                return Err(EmError::new(ErrorKind::UnknownModel {
                    name: model.to_string(),
                }))
            }
        };
        lab.set_options(options)?;
        Ok(lab)
    }

    /// A 1-D mixture lab on checked data.
    pub fn gmm1d(data: Vec<f64>, k: usize, seed: u64, options: Options) -> Result<Lab, EmError> {
        check_data(&data, k)?;
        let model = Gmm1d::new(data);
        let start = random_start(&model, k, &mut rng(seed));
        Ok(Self::plain(AnyEm::Gmm1d(Em::new(model, start, options)?)))
    }

    /// A 2-D lab ("gmm2d" or "kmeans") on flat x, y pairs, with a seeded start at K distinct data points.
    pub fn points(
        model: &str,
        data: Vec<f64>,
        k: usize,
        seed: u64,
        covariance: CovarianceType,
    ) -> Result<Lab, EmError> {
        check_points(&data, k)?;
        let options = Options::default();
        let em = match model {
            "kmeans" => {
                let m = KMeans::new(data);
                let start = kmeans::random_start(&m, k, &mut rng(seed));
                AnyEm::KMeans(Em::new(m, start, options)?)
            }
            _ => {
                let m = Gmm2d::new(data, covariance);
                let start = gmm2d::random_start(&m, k, &mut rng(seed));
                AnyEm::Gmm2d(Em::new(m, start, options)?)
            }
        };
        Ok(Self::plain(em))
    }

    /// The other 2-D model on the same data from the same start: k-means for a mixture (its start means
    /// as centres) and a full-covariance mixture for k-means (its start centres as means).
    pub fn twin(&self) -> Result<Lab, EmError> {
        let em = match &self.em {
            AnyEm::Gmm2d(em) => {
                let m = KMeans::new(em.model().data().to_vec());
                AnyEm::KMeans(Em::new(m, KMeansParams::from(em.start()), *em.options())?)
            }
            AnyEm::KMeans(em) => {
                let m = Gmm2d::new(em.model().data().to_vec(), CovarianceType::Full);
                let start = m.start_from_means(em.start().centres.clone());
                AnyEm::Gmm2d(Em::new(m, start, *em.options())?)
            }
            _ => {
                return Err(EmError::new(ErrorKind::NotForModel {
                    action: "compare with k-means",
                    model: self.model_name(),
                }))
            }
        };
        let mut twin = Self::plain(em);
        twin.preset = self.preset.clone();
        twin.labels = self.labels.clone();
        Ok(twin)
    }

    /// The model's name in the JS API.
    pub fn model_name(&self) -> &'static str {
        match self.em {
            AnyEm::Gmm1d(_) => "gmm1d",
            AnyEm::Gmm2d(_) => "gmm2d",
            AnyEm::KMeans(_) => "kmeans",
            AnyEm::Coins(_) => "coins",
        }
    }

    /// The current θ.
    pub fn params(&self) -> AnyParams {
        match &self.em {
            AnyEm::Gmm1d(em) => AnyParams::Gmm1d(em.params().clone()),
            AnyEm::Gmm2d(em) => AnyParams::Gmm2d(em.params().clone()),
            AnyEm::KMeans(em) => AnyParams::KMeans(em.params().clone()),
            AnyEm::Coins(em) => AnyParams::Coins(em.params().clone()),
        }
    }

    /// θ after every M-step so far, starting from the θ EM started from (for the path figures).
    pub fn params_path(&self) -> Vec<AnyParams> {
        match &self.em {
            AnyEm::Gmm1d(em) => em.params_path().into_iter().map(AnyParams::Gmm1d).collect(),
            AnyEm::Gmm2d(em) => em.params_path().into_iter().map(AnyParams::Gmm2d).collect(),
            AnyEm::KMeans(em) => em
                .params_path()
                .into_iter()
                .map(AnyParams::KMeans)
                .collect(),
            AnyEm::Coins(em) => em.params_path().into_iter().map(AnyParams::Coins).collect(),
        }
    }

    /// Replaces θ (validated, undoable); θ of another model is refused.
    pub fn set_params(&mut self, params: AnyParams) -> Result<(), EmError> {
        match (&mut self.em, params) {
            (AnyEm::Gmm1d(em), AnyParams::Gmm1d(p)) => em.set_params(p),
            (AnyEm::Gmm2d(em), AnyParams::Gmm2d(p)) => em.set_params(p),
            (AnyEm::KMeans(em), AnyParams::KMeans(p)) => em.set_params(p),
            (AnyEm::Coins(em), AnyParams::Coins(p)) => em.set_params(p),
            _ => Err(EmError::new(ErrorKind::BadShape {
                what: format!("θ of another model than {}", self.model_name()),
            })),
        }
    }

    /// Makes start number `index` of the lesson's starts the start, and restarts from it.
    pub fn use_start(&mut self, index: usize) -> Result<(), EmError> {
        let start = self.starts.get(index).cloned().ok_or_else(|| {
            EmError::new(ErrorKind::NoSuchStart {
                index,
                count: self.starts.len(),
            })
        })?;
        self.restart_with(start)
    }

    /// Makes `params` the start and restarts from it (validated; no undo).
    pub fn restart_with(&mut self, params: AnyParams) -> Result<(), EmError> {
        fn go<M: Mixture>(em: &mut Em<M>, p: M::Params) -> Result<(), EmError> {
            em.model().validate(&p)?;
            if M::components(&p) != em.k() {
                return Err(EmError::new(ErrorKind::WrongLength {
                    what: "weights",
                    expected: em.k(),
                    got: M::components(&p),
                }));
            }
            super::em::check_start(em.model(), &p)?;
            super::edit::restart_checked(em, p)
        }
        match (&mut self.em, params) {
            (AnyEm::Gmm1d(em), AnyParams::Gmm1d(p)) => go(em, p),
            (AnyEm::Gmm2d(em), AnyParams::Gmm2d(p)) => go(em, p),
            (AnyEm::KMeans(em), AnyParams::KMeans(p)) => go(em, p),
            (AnyEm::Coins(em), AnyParams::Coins(p)) => go(em, p),
            _ => Err(EmError::new(ErrorKind::BadShape {
                what: format!("θ of another model than {}", self.model_name()),
            })),
        }
    }

    /// Switches a 2-D mixture between full, diagonal and spherical covariances and restarts from the
    /// current θ with its covariances projected onto the new type.
    pub fn set_covariance_type(&mut self, covariance: CovarianceType) -> Result<(), EmError> {
        let AnyEm::Gmm2d(em) = &mut self.em else {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "choose a covariance type",
                model: self.model_name(),
            }));
        };
        let model = Gmm2d::new(em.model().data().to_vec(), covariance);
        let start = model.project(em.params());
        *em = Em::new(model, start, *em.options())?;
        Ok(())
    }

    /// Fixes (or frees) the coin weights and restarts from the current θ.
    pub fn set_fix_weights(&mut self, fix: bool) -> Result<(), EmError> {
        let AnyEm::Coins(em) = &mut self.em else {
            return Err(EmError::new(ErrorKind::NotForModel {
                action: "fix the weights",
                model: self.model_name(),
            }));
        };
        let model = Coins::new(em.model().counts().to_vec(), fix);
        *em = Em::new(model, em.params().clone(), *em.options())?;
        Ok(())
    }

    /// What EM optimises: ℓ(θ) for the mixtures, the within-cluster sum of squares J for k-means.
    pub fn objective(&self) -> f64 {
        match &self.em {
            AnyEm::KMeans(em) => kmeans::objective(em),
            _ => self.bound().loglik(),
        }
    }

    /// The lower-bound view the figures draw from.
    pub fn bound(&self) -> &dyn BoundView {
        each_em!(&self.em, em => em)
    }

    /// The E-step.
    pub fn e_step(&mut self) -> Result<(), EmError> {
        each_em!(&mut self.em, em => em.e_step())
    }

    /// The M-step.
    pub fn m_step(&mut self) -> Result<(), EmError> {
        each_em!(&mut self.em, em => em.m_step())
    }

    /// An E-step then an M-step.
    pub fn step(&mut self) -> Result<(), EmError> {
        each_em!(&mut self.em, em => em.step())
    }

    /// Goes back one half-step; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        each_em!(&mut self.em, em => em.undo())
    }

    /// Goes forward again to the state the last undo left; false when there is none.
    pub fn redo(&mut self) -> bool {
        each_em!(&mut self.em, em => em.redo())
    }

    /// Moves to position `to` on the timeline of half-steps (0 = the start), by undo and redo.
    pub fn go_to(&mut self, to: usize) {
        each_em!(&mut self.em, em => em.go_to(to))
    }

    /// The position on the timeline of half-steps.
    pub fn position(&self) -> usize {
        each_em!(&self.em, em => em.position())
    }

    /// The length of the timeline: half-steps taken, including those undone and not yet redone.
    pub fn timeline_len(&self) -> usize {
        each_em!(&self.em, em => em.timeline_len())
    }

    /// Back to the start.
    pub fn reset(&mut self) {
        each_em!(&mut self.em, em => em.reset())
    }

    /// Sets `reg` and `tol`.
    pub fn set_options(&mut self, options: Options) -> Result<(), EmError> {
        each_em!(&mut self.em, em => em.set_options(options))
    }

    /// The options in force.
    pub fn options(&self) -> Options {
        *each_em!(&self.em, em => em.options())
    }

    /// The half-step that produced the current state.
    pub fn phase(&self) -> Phase {
        self.bound().phase()
    }

    /// True once converged.
    pub fn converged(&self) -> bool {
        each_em!(&self.em, em => em.converged())
    }

    /// Runs whole iterations (E then M) until convergence, a collapse or `max` iterations; returns how
    /// many ran.
    pub fn run_to_convergence(&mut self, max: usize) -> Result<usize, EmError> {
        each_em!(&mut self.em, em => em.run(max))
    }

    /// True when every component is the same, so EM can never tell them apart (see [`Em::symmetric`]).
    pub fn symmetric(&self) -> bool {
        each_em!(&self.em, em => em.symmetric())
    }

    /// True when the start itself puts every component in the same place (Li Hang's first start).
    pub fn start_symmetric(&self) -> bool {
        each_em!(&self.em, em => em.symmetric_at(em.start()))
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
        Ok(each_em!(&self.em, em => em.q_row(i).to_vec()))
    }

    /// A point in the overlap of two components of the fitted model (EM run ahead on a copy), so the
    /// Jensen figure starts on a point whose responsibilities are split; large data uses θ as it is.
    pub fn teaching_point(&self) -> usize {
        const LOOKAHEAD_POINTS: usize = 50_000;
        const LOOKAHEAD_ITERATIONS: usize = 100;
        let mut ahead = self.clone();
        if ahead.len() <= LOOKAHEAD_POINTS {
            for _ in 0..LOOKAHEAD_ITERATIONS {
                if ahead.step().is_err() || ahead.converged() {
                    break;
                }
            }
        }
        ahead.bound().overlap_point()
    }

    /// The observation next to `i` in the order of the data (by x for 1-D data; by index otherwise).
    pub fn neighbour(&self, i: usize, up: bool) -> usize {
        match &self.em {
            AnyEm::Gmm1d(em) => {
                let data = em.model().data();
                let key = |j: usize| (data[j], j);
                let here = key(i);
                let candidates = (0..data.len()).filter(|&j| {
                    let other = key(j);
                    if up {
                        other > here
                    } else {
                        other < here
                    }
                });
                let pick = if up {
                    candidates.min_by(|&a, &b| {
                        key(a)
                            .partial_cmp(&key(b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                } else {
                    candidates.max_by(|&a, &b| {
                        key(a)
                            .partial_cmp(&key(b))
                            .unwrap_or(std::cmp::Ordering::Equal)
                    })
                };
                pick.unwrap_or(i)
            }
            _ if up => (i + 1).min(self.len() - 1),
            _ => i.saturating_sub(1),
        }
    }

    /// The collapse that stopped EM, if any.
    pub fn collapse(&self) -> Option<super::em::Collapse> {
        each_em!(&self.em, em => em.collapse())
    }

    /// Components left empty by the last M-step.
    pub fn empty_components(&self) -> Vec<usize> {
        each_em!(&self.em, em => em.empty_components().to_vec())
    }
}

/// A start for K coins: equal weights and heads probabilities spread over (0.2, 0.8) at random.
fn coin_start(k: usize, seed: u64) -> CoinParams {
    let mut r = rng(seed);
    let mut heads: Vec<f64> = (0..k).map(|_| r.random_range(0.2..0.8)).collect();
    heads.sort_by(f64::total_cmp);
    CoinParams {
        weights: vec![1.0 / k as f64; k],
        heads,
    }
}

/// Rejects empty 2-D data, too much data, and fewer distinct points than K.
pub fn check_points(data: &[f64], k: usize) -> Result<(), EmError> {
    if data.len() < 2 {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    let n = data.len() / 2;
    if n > super::csv::MAX_POINTS {
        return Err(EmError::new(ErrorKind::TooManyPoints {
            got: n,
            max: super::csv::MAX_POINTS,
        }));
    }
    let distinct = count_distinct_points(data);
    if distinct < k {
        return Err(EmError::new(ErrorKind::TooFewDistinct { distinct, k }));
    }
    let xs: Vec<f64> = data.iter().step_by(2).copied().collect();
    let ys: Vec<f64> = data.iter().skip(1).step_by(2).copied().collect();
    check_spread(&xs)?;
    check_spread(&ys)
}

/// Rejects empty data, too much data, and fewer distinct values than K.
pub fn check_data(data: &[f64], k: usize) -> Result<(), EmError> {
    if data.is_empty() {
        return Err(EmError::new(ErrorKind::EmptyData));
    }
    if data.len() > super::csv::MAX_POINTS {
        return Err(EmError::new(ErrorKind::TooManyPoints {
            got: data.len(),
            max: super::csv::MAX_POINTS,
        }));
    }
    let distinct = count_distinct(data);
    if distinct < k {
        return Err(EmError::new(ErrorKind::TooFewDistinct { distinct, k }));
    }
    check_spread(data)
}

/// Rejects values so spread out that squaring their deviations overflows (a variance of +∞).
fn check_spread(values: &[f64]) -> Result<(), EmError> {
    let n = values.len() as f64;
    let mean = values.iter().map(|v| v / n).sum::<f64>();
    let variance = values
        .iter()
        .map(|v| (v - mean) * (v - mean) / n)
        .sum::<f64>();
    if mean.is_finite() && variance.is_finite() {
        Ok(())
    } else {
        let largest = values.iter().fold(0.0, |m: f64, v| m.max(v.abs()));
        Err(EmError::new(ErrorKind::DataTooSpread { largest }))
    }
}
