//! Changing a lab's data and components in place: your own numbers, a clicked point added or removed
//! (a 1-D value or a 2-D point), a collapsed component re-initialised; the data as exact text. Every
//! change is validated first; a rejected one leaves the lab exactly as it was.

use super::csv::MAX_POINTS;
use super::em::{check_start, restart_checked, Em, Mixture};
use super::error::{EmError, ErrorKind};
use super::gmm1d::Gmm1d;
use super::gmm2d::Gmm2d;
use super::kmeans::KMeans;
use super::lab::Lab;
use super::nearest::{nearest_1d, nearest_2d};
use super::options::Options;
use super::params::{check_data, check_points};
use super::sample::rng;
use rand::RngExt;

/// The 1-D EM of a lab, or the error saying that `action` needs a 1-D mixture.
fn gmm1d_mut<'a>(lab: &'a mut Lab, action: &'static str) -> Result<&'a mut Em<Gmm1d>, EmError> {
    let model = lab.model_name();
    lab.em_of_mut::<Gmm1d>()
        .ok_or(EmError::new(ErrorKind::NotForModel { action, model }))
}

/// The 1-D EM of a lab, read-only, if the lab runs a 1-D mixture.
fn gmm1d_ref(lab: &Lab) -> Option<&Em<Gmm1d>> {
    lab.em_of::<Gmm1d>()
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
        Lab::from_csv_with("gmm1d", text, k, seed, [column, column + 1], options)
    }

    /// The 1-D observations (empty for other models).
    pub fn data(&self) -> &[f64] {
        gmm1d_ref(self).map_or(&[], |em| em.model().data())
    }

    /// The observations as text that reads back as the same data set in the same model, exactly (each
    /// number in its shortest exact form): one number per line (1-D); `x,y` per line (2-D and k-means);
    /// for coins, the tosses as `H`/`T` letters when they were given as a sequence, else `heads,tosses`
    /// (a single toss as `H` or `T`, because `1,1` would read back as the sequence HH).
    pub fn data_text(&self) -> String {
        self.em.data_text(&self.sequences)
    }

    /// Number of distinct observations (values for 1-D data, points for 2-D data, (heads, tosses) for coins).
    pub fn distinct(&self) -> usize {
        self.em.distinct()
    }

    /// Adds the observation `x`; EM restarts from the current θ (the old history no longer applies), or,
    /// where θ is no start for the new data, from its means (see [`Restart`]).
    pub fn add_point(&mut self, x: f64) -> Result<Restart, EmError> {
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

    /// Removes the observation nearest to `x` and returns its value; EM restarts from the current θ, or,
    /// where θ is no start for the data left (a component an M-step emptied), from its means.
    pub fn remove_nearest(&mut self, x: f64) -> Result<(f64, Restart), EmError> {
        if !x.is_finite() {
            return Err(EmError::new(ErrorKind::BadPoint { value: x }));
        }
        let em = gmm1d_mut(self, "remove a point")?;
        let mut data = em.model().data().to_vec();
        let removed = data.remove(nearest_1d(&data, x));
        Ok((removed, self.replace_data(data)?))
    }

    /// Swaps in new data (checked), keeping K, the options and the current θ as the new start (or its means,
    /// see [`Restart`]).
    fn replace_data(&mut self, data: Vec<f64>) -> Result<Restart, EmError> {
        let em = gmm1d_mut(self, "change the data")?;
        check_data(&data, em.k())?;
        let model = Gmm1d::new(data);
        let (start, restart) = start_for(&model, em.params(), |m, p| {
            m.start_from_means(p.means.clone())
        })?;
        *em = Em::new(model, start, *em.options())?;
        // The data is no longer the preset's, and its hidden labels no longer line up.
        self.preset = None;
        self.labels = None;
        Ok(restart)
    }

    /// The observations of a 2-D lab (mixture or k-means) as flat x, y pairs (empty for other models).
    pub fn points_2d(&self) -> &[f64] {
        if let Some(em) = self.em_of::<Gmm2d>() {
            em.model().data()
        } else if let Some(em) = self.em_of::<KMeans>() {
            em.model().data()
        } else {
            &[]
        }
    }

    /// Adds the point `p` to 2-D data (mixture or k-means); EM restarts from the current θ, or, where θ
    /// is no start for the new data, from its means (see [`Restart`]).
    pub fn add_point_2d(&mut self, p: [f64; 2]) -> Result<Restart, EmError> {
        check_point(p)?;
        let mut data = points_of(self, "add a point")?.to_vec();
        if data.len() / 2 >= MAX_POINTS {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: data.len() / 2 + 1,
                max: MAX_POINTS,
            }));
        }
        data.extend_from_slice(&p);
        self.replace_points(data)
    }

    /// Removes the 2-D point nearest to `at` and returns it; EM restarts from the current θ or its means
    /// (as [`Lab::remove_nearest`]). Distances
    /// are measured after multiplying each axis by `scale` (pixels per data unit, so that "nearest" is
    /// nearest on the screen); a scale that is not a positive finite number counts as 1.
    pub fn remove_nearest_2d(
        &mut self,
        at: [f64; 2],
        scale: [f64; 2],
    ) -> Result<([f64; 2], Restart), EmError> {
        check_point(at)?;
        let mut data = points_of(self, "remove a point")?.to_vec();
        let scale = scale.map(|s| if s.is_finite() && s > 0.0 { s } else { 1.0 });
        let i = nearest_2d(&data, at, scale);
        let removed = [data[2 * i], data[2 * i + 1]];
        data.drain(2 * i..2 * i + 2);
        Ok((removed, self.replace_points(data)?))
    }

    /// Swaps in new 2-D data (checked), keeping the model, K, the options and the current θ as the start
    /// (or its means, see [`Restart`]).
    fn replace_points(&mut self, data: Vec<f64>) -> Result<Restart, EmError> {
        let model = self.model_name();
        let not_2d = || {
            EmError::new(ErrorKind::NotForModel {
                action: "change the data",
                model,
            })
        };
        let restart = if let Some(em) = self.em_of_mut::<Gmm2d>() {
            check_points(&data, em.k())?;
            let model = Gmm2d::new(data, em.model().covariance_type());
            let (start, restart) = start_for(&model, em.params(), |m, p| {
                m.start_from_means(p.means.clone())
            })?;
            *em = Em::new(model, start, *em.options())?;
            restart
        } else if let Some(em) = self.em_of_mut::<KMeans>() {
            check_points(&data, em.k())?;
            *em = Em::new(KMeans::new(data), em.params().clone(), *em.options())?;
            Restart::FromTheta
        } else {
            return Err(not_2d());
        };
        self.preset = None;
        self.labels = None;
        Ok(restart)
    }

    /// Observation `i` as numbers: [x] (1-D), [x, y] (2-D), [heads, tosses] (coins); empty past the end.
    pub fn point(&self, i: usize) -> Vec<f64> {
        self.em.observation(i)
    }

    /// Gives component `component` a fresh start — its mean a random data point (another one than the
    /// point it collapsed onto, and than the other means, when there is one), the data's variance (2-D:
    /// covariance), weight 1/K — and restarts EM. Returns the new mean ([x], or [x, y] for 2-D data).
    pub fn reinit_component(&mut self, component: usize, seed: u64) -> Result<Vec<f64>, EmError> {
        let collapse = self.collapse();
        let model = self.model_name();
        let k = self.bound().components();
        if component >= k {
            return Err(EmError::new(ErrorKind::NoSuchComponent { component, k }));
        }
        let collapsed_point = collapse
            .filter(|c| c.component == component)
            .map(|c| c.point);
        if let Some(em) = self.em_of_mut::<Gmm1d>() {
            {
                let data = em.model().data();
                let params = em.params();
                let taken = |x: f64| {
                    collapsed_point.is_some_and(|p| data[p] == x)
                        || (0..k).any(|j| j != component && params.means[j] == x)
                };
                let mean = data[pick(data.len(), |i| !taken(data[i]), seed)];
                let mut fresh = params.clone();
                fresh.weights = with_share(&params.weights, component);
                fresh.means[component] = mean;
                fresh.variances[component] = em.model().start_from_means(vec![mean]).variances[0];
                restart_checked(em, fresh)?;
                Ok(vec![mean])
            }
        } else if let Some(em) = self.em_of_mut::<Gmm2d>() {
            {
                let m = em.model();
                let params = em.params();
                let taken = |p: [f64; 2]| {
                    collapsed_point.is_some_and(|c| m.point(c) == p)
                        || (0..k).any(|j| j != component && params.means[j] == p)
                };
                let mean = m.point(pick(m.len(), |i| !taken(m.point(i)), seed));
                let mut fresh = params.clone();
                fresh.weights = with_share(&params.weights, component);
                fresh.means[component] = mean;
                fresh.covariances[component] = m.start_from_means(vec![mean]).covariances[0];
                restart_checked(em, fresh)?;
                Ok(mean.to_vec())
            }
        } else {
            Err(EmError::new(ErrorKind::NotForModel {
                action: "re-initialise a component",
                model,
            }))
        }
    }
}

/// How EM started again after a point was added or removed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Restart {
    /// From the current θ.
    FromTheta,
    /// From the current means with equal weights and the data's variance (2-D: covariance): the current θ
    /// is no start for the new data — their ℓ not finite or too large to draw (a point far from components
    /// that had shrunk onto the points before it), or a component of weight 0 (emptied by an M-step), whose
    /// bound from the uniform q would be −∞.
    FromMeans,
}

/// The start for new data: the current θ where it is a start for them ([`check_start`]: it explains them,
/// and no component has weight 0 or reaches no point), else `from_means` of it; the current θ's error where
/// neither is.
fn start_for<M: Mixture>(
    model: &M,
    theta: &M::Params,
    from_means: impl FnOnce(&M, &M::Params) -> M::Params,
) -> Result<(M::Params, Restart), EmError> {
    match check_start(model, theta) {
        Ok(()) => Ok((theta.clone(), Restart::FromTheta)),
        Err(error) => {
            let fresh = from_means(model, theta);
            check_start(model, &fresh).map_err(|_| error)?;
            Ok((fresh, Restart::FromMeans))
        }
    }
}

/// A random index below `n` among those `allowed`; any index when none is.
fn pick(n: usize, allowed: impl Fn(usize) -> bool, seed: u64) -> usize {
    let pool: Vec<usize> = (0..n).filter(|&i| allowed(i)).collect();
    let mut r = rng(seed);
    if pool.is_empty() {
        r.random_range(0..n)
    } else {
        pool[r.random_range(0..pool.len())]
    }
}

/// The weights with `component` set to 1/K and the others scaled to share the rest.
fn with_share(weights: &[f64], component: usize) -> Vec<f64> {
    let k = weights.len();
    let share = 1.0 / k as f64;
    let others: f64 = (0..k).filter(|&j| j != component).map(|j| weights[j]).sum();
    let mut out: Vec<f64> = (0..k)
        .map(|j| {
            if j == component {
                share
            } else if others > 0.0 {
                weights[j] * (1.0 - share) / others
            } else {
                share
            }
        })
        .collect();
    let total: f64 = out.iter().sum();
    out.iter_mut().for_each(|w| *w /= total);
    out
}

/// Rejects a point with a coordinate that is NaN or ±∞ (naming that coordinate).
fn check_point(p: [f64; 2]) -> Result<(), EmError> {
    match p.into_iter().find(|v| !v.is_finite()) {
        Some(value) => Err(EmError::new(ErrorKind::BadPoint { value })),
        None => Ok(()),
    }
}

/// The flat x, y pairs of a 2-D lab, or the error saying that `action` needs 2-D data.
fn points_of<'a>(lab: &'a Lab, action: &'static str) -> Result<&'a [f64], EmError> {
    if lab.em.capabilities().click_edit == "2d" {
        Ok(lab.points_2d())
    } else {
        Err(EmError::new(ErrorKind::NotForModel {
            action,
            model: lab.model_name(),
        }))
    }
}
