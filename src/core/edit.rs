//! Changing a lab's data and components in place: your own numbers, a clicked point added or removed,
//! a collapsed component re-initialised. Every change is validated first; a rejected one leaves the lab
//! exactly as it was.

use super::csv::{parse_table, MAX_POINTS};
use super::em::{Em, Mixture};
use super::error::{EmError, ErrorKind};
use super::gmm1d::{mean_variance, nearest, Gmm1d};
use super::lab::{check_data, AnyEm, Lab};
use super::options::Options;
use super::params::check_k;
use super::sample::rng;
use rand::RngExt;

/// The 1-D EM of a lab, or the error saying that `action` needs a 1-D mixture.
fn gmm1d_mut<'a>(lab: &'a mut Lab, action: &'static str) -> Result<&'a mut Em<Gmm1d>, EmError> {
    let model = lab.model_name();
    #[allow(unreachable_patterns)]
    match &mut lab.em {
        AnyEm::Gmm1d(em) => Ok(em),
        _ => Err(EmError::new(ErrorKind::NotForModel { action, model })),
    }
}

/// The 1-D EM of a lab, read-only, if the lab runs a 1-D mixture.
fn gmm1d_ref(lab: &Lab) -> Option<&Em<Gmm1d>> {
    #[allow(unreachable_patterns)]
    match &lab.em {
        AnyEm::Gmm1d(em) => Some(em),
        _ => None,
    }
}

impl Lab {
    /// The 1-D mixture EM, if this lab runs one.
    pub fn gmm1d_em(&self) -> Option<&Em<Gmm1d>> {
        gmm1d_ref(self)
    }

    /// The 1-D mixture EM, mutable, if this lab runs one.
    pub fn gmm1d_em_mut(&mut self) -> Option<&mut Em<Gmm1d>> {
        gmm1d_mut(self, "").ok()
    }

    /// A 1-D lab on text of one number per line (or a table and a 0-based column), with its options.
    pub fn from_text(
        text: &str,
        k: usize,
        seed: u64,
        column: usize,
        options: Options,
    ) -> Result<Lab, EmError> {
        check_k(k)?;
        options.validate()?;
        let data = parse_table(text)?.column(column)?;
        Lab::gmm1d(data, k, seed, options)
    }

    /// The 1-D observations (empty for other models).
    pub fn data(&self) -> &[f64] {
        gmm1d_ref(self).map_or(&[], |em| em.model().data())
    }

    /// The observations as text, one per line, each printed so that it reads back as the same f64.
    pub fn data_text(&self) -> String {
        let data = self.data();
        let mut out = String::with_capacity(data.len() * 8);
        for x in data {
            out.push_str(&x.to_string());
            out.push('\n');
        }
        out
    }

    /// Number of distinct observations.
    pub fn distinct(&self) -> usize {
        super::params::count_distinct(self.data())
    }

    /// Adds the observation `x`; EM restarts from the current θ (the old history no longer applies).
    pub fn add_point(&mut self, x: f64) -> Result<(), EmError> {
        if !x.is_finite() {
            return Err(EmError::new(ErrorKind::BadPoint { value: x }));
        }
        let em = gmm1d_mut(self, "add a point")?;
        let mut data = em.model().data().to_vec();
        if data.len() >= MAX_POINTS {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: data.len() + 1,
                max: MAX_POINTS,
            }));
        }
        data.push(x);
        self.replace_data(data)
    }

    /// Removes the observation nearest to `x` and returns its value; EM restarts from the current θ.
    pub fn remove_nearest(&mut self, x: f64) -> Result<f64, EmError> {
        if x.is_nan() {
            return Err(EmError::new(ErrorKind::BadPoint { value: x }));
        }
        let em = gmm1d_mut(self, "remove a point")?;
        let mut data = em.model().data().to_vec();
        let removed = data.remove(nearest(&data, x));
        self.replace_data(data)?;
        Ok(removed)
    }

    /// Swaps in new data (checked), keeping K, the options and the current θ as the new start.
    fn replace_data(&mut self, data: Vec<f64>) -> Result<(), EmError> {
        let em = gmm1d_mut(self, "change the data")?;
        check_data(&data, em.k())?;
        let start = em.params().clone();
        let options = *em.options();
        let fresh = Em::new(Gmm1d::new(data), start, options)?;
        *em = fresh;
        // The data is no longer the preset's, and its hidden labels no longer line up.
        self.preset = None;
        self.labels = None;
        Ok(())
    }

    /// Gives component `component` a fresh start — its mean a random data point (another one than the
    /// point it collapsed onto, when there is one), the data's variance, weight 1/K — and restarts EM.
    /// Returns the new mean.
    pub fn reinit_component(&mut self, component: usize, seed: u64) -> Result<f64, EmError> {
        let collapse = self.collapse();
        let em = gmm1d_mut(self, "re-initialise a component")?;
        let k = em.k();
        if component >= k {
            return Err(EmError::new(ErrorKind::NoSuchComponent { component, k }));
        }
        let data = em.model().data();
        let params = em.params();
        let avoid: Vec<f64> = collapse
            .filter(|c| c.component == component)
            .map(|c| data[c.point])
            .into_iter()
            .chain(
                params
                    .means
                    .iter()
                    .enumerate()
                    .filter(|&(j, _)| j != component)
                    .map(|(_, &m)| m),
            )
            .collect();
        let candidates: Vec<f64> = data
            .iter()
            .copied()
            .filter(|x| !avoid.contains(x))
            .collect();
        let pool = if candidates.is_empty() {
            data
        } else {
            &candidates
        };
        let mean = pool[rng(seed).random_range(0..pool.len())];
        let (_, var) = mean_variance(data);
        let variance = if var > 0.0 && var.is_finite() {
            var
        } else {
            1.0
        };
        let share = 1.0 / k as f64;
        let others: f64 = (0..k)
            .filter(|&j| j != component)
            .map(|j| params.weights[j])
            .sum();
        let mut weights: Vec<f64> = (0..k)
            .map(|j| {
                if j == component {
                    share
                } else if others > 0.0 {
                    params.weights[j] * (1.0 - share) / others
                } else {
                    share
                }
            })
            .collect();
        let total: f64 = weights.iter().sum();
        weights.iter_mut().for_each(|w| *w /= total);
        let mut fresh = params.clone();
        fresh.weights = weights;
        fresh.means[component] = mean;
        fresh.variances[component] = variance;
        em.model().validate(&fresh)?;
        super::em::check_usable(em.model(), &fresh)?;
        em.restart(fresh);
        Ok(mean)
    }
}
