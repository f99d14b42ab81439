//! One lab = one model on one data set, whatever the model: what the page and the JS API drive.

use super::bound::BoundView;
use super::csv::parse_table;
use super::em::{Em, Phase};
use super::error::{EmError, ErrorKind};
use super::gmm1d::{random_start, Gmm1d};
use super::options::Options;
use super::params::{check_k, count_distinct};
use super::presets::preset_1d;
use super::sample::rng;

/// The EM state of whichever model the lab runs.
#[derive(Clone, Debug)]
pub enum AnyEm {
    /// A 1-D Gaussian mixture.
    Gmm1d(Em<Gmm1d>),
}

/// Runs `$body` with `$em` bound to the inner `Em<_>` of any variant.
macro_rules! each_em {
    ($value:expr, $em:ident => $body:expr) => {
        match $value {
            AnyEm::Gmm1d($em) => $body,
        }
    };
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
}

impl Lab {
    /// A lab on a built-in data set with K components and a seeded random start.
    pub fn preset(name: &str, k: usize, seed: u64) -> Result<Lab, EmError> {
        check_k(k)?;
        let p = preset_1d(name)?;
        let start = p.start.filter(|s| s.weights.len() == k);
        let mut lab = Self::gmm1d(p.data, k, seed, Options::default())?;
        if let (Some(start), AnyEm::Gmm1d(em)) = (start, &mut lab.em) {
            em.restart(start);
        }
        lab.preset = Some(name.to_string());
        lab.labels = Some(p.labels);
        Ok(lab)
    }

    /// A lab on pasted CSV text for `model` ("gmm1d"), using column `column` (0-based).
    pub fn from_csv(
        model: &str,
        text: &str,
        k: usize,
        seed: u64,
        column: usize,
    ) -> Result<Lab, EmError> {
        check_k(k)?;
        match model {
            "gmm1d" => {
                let data = parse_table(text)?.column(column)?;
                Self::gmm1d(data, k, seed, Options::default())
            }
            _ => Err(EmError::new(ErrorKind::UnknownModel {
                name: model.to_string(),
            })),
        }
    }

    /// A 1-D mixture lab on checked data.
    pub fn gmm1d(data: Vec<f64>, k: usize, seed: u64, options: Options) -> Result<Lab, EmError> {
        check_data(&data, k)?;
        let model = Gmm1d::new(data);
        let start = random_start(&model, k, &mut rng(seed));
        Ok(Lab {
            em: AnyEm::Gmm1d(Em::new(model, start, options)?),
            preset: None,
            labels: None,
        })
    }

    /// The model's name in the JS API.
    pub fn model_name(&self) -> &'static str {
        match self.em {
            AnyEm::Gmm1d(_) => "gmm1d",
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
    Ok(())
}
