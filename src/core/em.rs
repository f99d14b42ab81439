//! The EM runner: one generic state machine that steps any [`Mixture`] one half-step at a time.
//!
//! It owns θ, the responsibilities q (a flat N×K array; for hard EM the label of every point, with the
//! one-hot q built only when asked for), the sufficient statistics of q, the history used by undo, and
//! the trace of ℓ(θ) and L(q, θ) after every half-step. Nothing here allocates per observation per step.
//!
//! Cost of a step: the E-step is one fused pass of the model's kernel ([`Mixture::e_pass`]: q, ℓ, H(q)
//! and the statistics together); the M-step is O(K) from the statistics, then one pass for ℓ(θ_new)
//! ([`Mixture::loglik`]); L(q, θ) for any θ is O(K) from the statistics ([`Mixture::expected_log_joint`]).

use super::error::{EmError, ErrorKind};
use super::fastmath::{exp_gap_lanes, exp_lanes, ln, ln_1p_unit_lanes, ln_lanes, Lanes};
use super::options::Options;
use super::params::MAX_K;
use std::cell::OnceCell;

/// Runs `$body` for every component `$j` from `$start` to K, in a kernel for `$K` components (a const
/// generic; 0: any K, known only at run time as `$k`): for K = 2 and 3 the body is written out once per
/// component with `$j` a constant, so its arrays indexed by `$j` stay in registers (the wasm is built at
/// opt-level "z", where LLVM does not unroll loops); other K loop.
macro_rules! each_k {
    ($K:ident, $k:expr, $start:literal, $j:ident => $body:block) => {
        if $K == 2 || $K == 3 {
            {
                let $j: usize = 0;
                if $j + 1 > $start && $j < $K $body
            }
            {
                let $j: usize = 1;
                if $j + 1 > $start && $j < $K $body
            }
            {
                let $j: usize = 2;
                if $j + 1 > $start && $j < $K $body
            }
        } else {
            #[allow(clippy::needless_range_loop)]
            for $j in $start..$k $body
        }
    };
}
pub(crate) use each_k;

pub use super::collapse::Collapse;

/// `v`, or 0 where a [`Mixture::DISCRETE`] model's ℓ or L came out above 0 by rounding (2.2e-16 for
/// sets of tosses that are all heads, at θ = 1). NaN stays NaN.
fn at_most_zero<M: Mixture>(v: f64) -> f64 {
    if M::DISCRETE && v > 0.0 {
        0.0
    } else {
        v
    }
}

/// A latent-variable model that EM can step: data, parameters θ and the two closed-form halves.
pub trait Mixture {
    /// The parameters θ.
    type Params: Clone + PartialEq + std::fmt::Debug;
    /// Per-θ constants computed once before a pass over the data (log-weights, inverse variances, …).
    type Prepared;
    /// The sufficient statistics of q (per component: Nₖ and the moments the M-step and L need).
    type Stats: Clone + PartialEq + std::fmt::Debug + Default + Send;
    /// True for hard EM (k-means): the E-step assigns each point wholly to its best component.
    const HARD: bool = false;
    /// True where each observation's probability p(x | θ) is at most 1 (tosses, counts): ℓ and L are then
    /// at most 0, and what rounding puts above 0 is shown as 0 ([`Em::loglik`], [`Em::lower_bound`]).
    const DISCRETE: bool = false;
    /// The field of θ whose length is K, named where θ of another K is given ("weights"; k-means, which
    /// reads only its centres: "means").
    const K_FIELD: &'static str = "weights";
    /// The model's name in the JS API ("gmm1d", "gmm2d", "kmeans", "coins"), also for model-specific wording.
    const NAME: &'static str;

    /// Number of observations N.
    fn len(&self) -> usize;
    /// True when there are no observations.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// Number of components K of θ.
    fn components(params: &Self::Params) -> usize;
    /// Computes the per-θ constants for [`Mixture::log_joint_row`].
    fn prepare(&self, params: &Self::Params) -> Self::Prepared;
    /// Writes ln p(xᵢ, z = k | θ) for every k into `out` (length K).
    fn log_joint_row(&self, prepared: &Self::Prepared, i: usize, out: &mut [f64]);
    /// What an E-step pass adds up over its points besides ℓ and H(q): the raw sums its statistics come
    /// from, per component (see [`Mixture::e_pass_end`]).
    type Sums: AddSums;
    /// The fused E-step kernel over the observations in `range` only: writes q = p(z | x, θ) for them into
    /// `q` (their K-wide rows; hard EM writes their nearest components into `labels` instead and leaves
    /// `q` alone) and returns ℓ, H(q) and the sums of those observations. A pass is made in parts of
    /// [`PASS_PART`] observations, so that a pass at a million points can be spread over frames.
    fn e_pass_part(
        &self,
        params: &Self::Params,
        range: std::ops::Range<usize>,
        q: &mut [f64],
        labels: &mut [u32],
    ) -> PassPart<Self::Sums>;
    /// The end of an E-step pass: ℓ(θ), L(q, θ), H(q) and the sufficient statistics from the parts' sums
    /// added in order (and, rarely, from the whole `q` / `labels` the parts wrote).
    fn e_pass_end(
        &self,
        params: &Self::Params,
        sums: PassPart<Self::Sums>,
        q: &[f64],
        labels: &[u32],
    ) -> (Pass, Self::Stats);
    /// The fused E-step pass over all the data: [`Mixture::e_pass_part`] for every part in order, then
    /// [`Mixture::e_pass_end`]. A pass spread over frames ([`Em::prepare_step`]) gives the same numbers.
    fn e_pass(
        &self,
        params: &Self::Params,
        q: &mut [f64],
        labels: &mut [u32],
    ) -> (Pass, Self::Stats) {
        let k = Self::components(params);
        let mut total: Option<PassPart<Self::Sums>> = None;
        for range in parts(self.len()) {
            let part = self.e_pass_part(
                params,
                range.clone(),
                rows_of(q, range.clone(), k),
                rows_of(labels, range, 1),
            );
            add_part(&mut total, part);
        }
        let total = total.expect("an E-step pass over no data");
        self.e_pass_end(params, total, q, labels)
    }
    /// ℓ(θ) (hard EM: Σᵢ maxₖ ln p(xᵢ, k | θ)) in one pass that writes nothing, summed part by part as
    /// [`Mixture::e_pass`] sums it (so both give the same ℓ).
    fn loglik(&self, params: &Self::Params) -> f64 {
        let mut loglik = None;
        for range in parts(self.len()) {
            add_sum(&mut loglik, self.loglik_part(params, range));
        }
        loglik.unwrap_or(0.0)
    }
    /// ℓ(θ)'s terms for the observations in `range` only, with the model's own kernel (a pass over part
    /// of the data, so that a pass at a million points can be spread over frames; the sum over parts is ℓ
    /// up to rounding).
    fn loglik_part(&self, params: &Self::Params, range: std::ops::Range<usize>) -> f64;
    /// The sufficient statistics of any responsibilities `q` (N×K), with K = `k` (a pass over q; for the
    /// uniform q of a start and for callers that build a q of their own).
    fn stats_of(&self, q: &[f64], k: usize) -> Self::Stats;
    /// Σᵢₖ qᵢₖ ln p(xᵢ, z = k | θ) for the q the statistics came from and any θ, in O(K) (0 · ln 0 = 0).
    fn expected_log_joint(&self, stats: &Self::Stats, params: &Self::Params) -> f64;
    /// ℓ(θ) and Σᵢₖ qᵢₖ ln p(xᵢ, k | θ) for the q of `stats` (and, for hard EM after an E-step, of
    /// `labels`): what the runner records after an M-step. By default one [`Mixture::loglik`] pass and
    /// the closed form; hard EM overrides it with one pass over the labels, so that L ≤ ℓ holds bit for
    /// bit (each point's labelled term is at most its best one, summed in the same order).
    fn evaluate(
        &self,
        params: &Self::Params,
        stats: &Self::Stats,
        _labels: Option<&[u32]>,
    ) -> (f64, f64) {
        (self.loglik(params), self.expected_log_joint(stats, params))
    }
    /// [`Mixture::evaluate`] and, in the same pass where the model allows, the next E-step: the pass for
    /// θ = `params` written into `next_q` / `next_labels`, its ℓ being ℓ(θ). Soft models by default make
    /// one [`Mixture::e_pass`] and use the closed form for L (what [`Em::prepare_step`] does part by part
    /// for soft models, so a soft model keeps this default); hard EM keeps its own `evaluate` pass (L ≤ ℓ
    /// bit for bit) beside the E-step's unless it overrides this.
    fn evaluate_ahead(
        &self,
        params: &Self::Params,
        stats: &Self::Stats,
        labels: Option<&[u32]>,
        next_q: &mut [f64],
        next_labels: &mut [u32],
    ) -> ((f64, f64), (Pass, Self::Stats)) {
        let ahead = self.e_pass(params, next_q, next_labels);
        let recorded = if Self::HARD {
            self.evaluate(params, stats, labels)
        } else {
            (ahead.0.loglik, self.expected_log_joint(stats, params))
        };
        (recorded, ahead)
    }
    /// Hard EM: the first observation with the largest share of ℓ(θ) − L(q, θ) for the one-hot q of
    /// `labels` (its best log-joint less its labelled one; exactly 0 where the label is its best), and that
    /// share: the point the next E-step moves with the largest gain. By default from the log-joints.
    fn largest_hard_share(&self, params: &Self::Params, labels: &[u32]) -> (usize, f64) {
        let prepared = self.prepare(params);
        let mut row = vec![0.0; Self::components(params)];
        let mut top = (0, 0.0);
        for (i, &label) in labels.iter().enumerate() {
            self.log_joint_row(&prepared, i, &mut row);
            let best = row.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let share = best - row[(label as usize).min(row.len() - 1)];
            if share > top.1 {
                top = (i, share);
            }
        }
        top
    }
    /// The closed-form M-step from the statistics: θ maximising L(q, θ) (plus the variance floor `reg`).
    fn m_step_from(
        &self,
        stats: &Self::Stats,
        old: &Self::Params,
        options: &Options,
    ) -> MStep<Self::Params>;
    /// The M-step for any responsibilities `q` (N×K): [`Mixture::m_step_from`] their statistics.
    fn m_step(&self, q: &[f64], old: &Self::Params, options: &Options) -> MStep<Self::Params> {
        self.m_step_from(&self.stats_of(q, Self::components(old)), old, options)
    }
    /// θ in unconstrained coordinates (log-weights, log-variances, …) so straight lines stay valid.
    fn to_free(&self, params: &Self::Params) -> Vec<f64>;
    /// The inverse of [`Mixture::to_free`] (a method because the shape of θ comes from the model).
    #[allow(clippy::wrong_self_convention)]
    fn from_free(&self, free: &[f64], like: &Self::Params) -> Self::Params;
    /// Checks that θ is usable with this data (lengths, positivity, weights summing to 1).
    fn validate(&self, params: &Self::Params) -> Result<(), EmError>;
    /// Finds a component that has collapsed onto a single point (variance → 0), if any.
    fn collapse(&self, params: &Self::Params) -> Option<Collapse>;
    /// Names of the free coordinates of [`Mixture::to_free`], for labelling a slice axis.
    fn free_names(&self, params: &Self::Params) -> Vec<String> {
        (1..=self.to_free(params).len())
            .map(|j| format!("θ{j}"))
            .collect()
    }
    /// The coordinates a single-coordinate slice may move along: the ones the M-step moves under the model's
    /// options, so θ stays in the model along the slice (by default every free coordinate on its own).
    fn slice_coordinates(&self, params: &Self::Params) -> Vec<SliceCoordinate> {
        each_coordinate(self.free_names(params), 0)
    }
    /// A natural step size for each free coordinate, used to size a single-coordinate slice.
    fn free_scales(&self, params: &Self::Params) -> Vec<f64> {
        vec![1.0; self.to_free(params).len()]
    }
    /// A short description of observation `i` for figure labels and the formulas' caption, e.g.
    /// "x = 172.3", in `lang`'s words where it has any (a coin set's faces).
    fn describe(&self, i: usize, _lang: crate::text::Lang) -> String {
        format!("#{}", i + 1)
    }
}

/// A line a single-coordinate slice follows: its name and the free coordinates it moves, together.
#[derive(Clone, Debug, PartialEq)]
pub struct SliceCoordinate {
    /// The name on the menu and the slice's axis, e.g. "μ2".
    pub name: String,
    /// Indices into [`Mixture::to_free`]: the first is the axis, the others move by as much (a spherical
    /// covariance's two log-sds).
    pub moves: Vec<usize>,
}

/// Every free coordinate named in `names` as a slice coordinate of its own, but the first `fixed` (the
/// log-weights of a model whose weights do not move: one component, or weights held fixed).
pub fn each_coordinate(names: Vec<String>, fixed: usize) -> Vec<SliceCoordinate> {
    names
        .into_iter()
        .enumerate()
        .skip(fixed)
        .map(|(i, name)| SliceCoordinate {
            name,
            moves: vec![i],
        })
        .collect()
}

/// What one E-step pass gives for the q it wrote: ℓ(θ), L(q, θ) and the entropy H(q).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Pass {
    /// ℓ(θ) (hard EM: the negated objective).
    pub loglik: f64,
    /// L(q, θ) = Σᵢₖ qᵢₖ ln p(xᵢ, k | θ) + H(q).
    pub bound: f64,
    /// H(q) = −Σᵢₖ qᵢₖ ln qᵢₖ.
    pub entropy: f64,
}

impl Pass {
    /// The pass of an E-step, whose q is the posterior of θ: L(q, θ) = ℓ(θ).
    pub fn of_posterior(loglik: f64, entropy: f64) -> Self {
        Pass {
            loglik,
            bound: loglik,
            entropy,
        }
    }
}

/// The observations in a part of a pass over the data (the last part may be shorter): about 1.5 ms of the
/// 1-D kernel and 5 ms of the 2-D one in Chromium, so a pass can be spread over frames.
pub const PASS_PART: usize = 1 << 16;

/// The parts of a pass over `n` observations, in order.
pub fn parts(n: usize) -> impl Iterator<Item = std::ops::Range<usize>> {
    (0..n)
        .step_by(PASS_PART)
        .map(move |start| part_from(start, n))
}

/// The part of a pass over `n` observations that starts at observation `start`.
fn part_from(start: usize, n: usize) -> std::ops::Range<usize> {
    start..(start + PASS_PART).min(n)
}

/// Adds a part's sum into the running `total` (the first part is the total, as in [`add_part`]).
pub fn add_sum(total: &mut Option<f64>, part: f64) {
    *total = Some(total.map_or(part, |t| t + part));
}

/// The rows of `range` in `rows` (`width` entries per observation), or `rows` itself when it is empty (the
/// q of hard EM, the labels of soft EM).
fn rows_of<T>(rows: &mut [T], range: std::ops::Range<usize>, width: usize) -> &mut [T] {
    if rows.is_empty() {
        rows
    } else {
        &mut rows[range.start * width..range.end * width]
    }
}

/// Adds a part's sums into the running `total` (the first part is the total, so a pass in one part gives
/// exactly its sums).
pub fn add_part<S: AddSums>(total: &mut Option<PassPart<S>>, part: PassPart<S>) {
    match total {
        None => *total = Some(part),
        Some(t) => {
            t.loglik += part.loglik;
            t.entropy += part.entropy;
            t.sums.add(&part.sums);
        }
    }
}

/// What an E-step pass adds up over part of the data: ℓ, H(q) and the model's raw sums.
#[derive(Clone, Copy, Debug, Default)]
pub struct PassPart<S> {
    /// The part's share of ℓ(θ) (hard EM: of −J).
    pub loglik: f64,
    /// The part's share of H(q).
    pub entropy: f64,
    /// The model's raw sums over the part.
    pub sums: S,
}

impl<S> From<(f64, f64, S)> for PassPart<S> {
    /// A part from a kernel's (ℓ, H(q), sums).
    fn from((loglik, entropy, sums): (f64, f64, S)) -> Self {
        PassPart {
            loglik,
            entropy,
            sums,
        }
    }
}

impl<S> PassPart<S> {
    /// The pass of an E-step whose sums these are (its q is the posterior: L = ℓ).
    pub fn pass(&self) -> Pass {
        Pass::of_posterior(self.loglik, self.entropy)
    }
}

/// Sums that parts of a pass add into one another, entry by entry.
pub trait AddSums: Copy + std::fmt::Debug + Send {
    /// Adds `other` into `self`.
    fn add(&mut self, other: &Self);
}

impl<const W: usize> AddSums for [[f64; W]; MAX_K] {
    fn add(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            for (x, y) in a.iter_mut().zip(b) {
                *x += y;
            }
        }
    }
}

/// What an M-step produced: the new θ and the components that received no responsibility.
#[derive(Clone, Debug)]
pub struct MStep<P> {
    /// The new parameters.
    pub params: P,
    /// Components whose total responsibility Nₖ was (numerically) zero; their old values were kept.
    pub empty: Vec<usize>,
}

/// Which half-step produced the current state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Nothing has been done yet: q is uniform.
    Init,
    /// The last half-step was an E-step.
    E,
    /// The last half-step was an M-step.
    M,
}

impl Phase {
    /// The short name used by the JS API: "init", "e" or "m".
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Init => "init",
            Phase::E => "e",
            Phase::M => "m",
        }
    }
}

/// ℓ and L recorded after one half-step, for the trace figure.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TracePoint {
    /// Completed iterations (M-steps) at this point.
    pub iteration: usize,
    /// The half-step that produced it.
    pub phase: Phase,
    /// ℓ(θ), or for hard EM the negated objective.
    pub loglik: f64,
    /// L(q, θ).
    pub bound: f64,
    /// True when convergence was declared at this point.
    pub converged: bool,
    /// reg and tol the half-step was made under (at the start: those in force there): a link replays
    /// each half-step under its own, so a floor changed mid-run comes back.
    pub options: Options,
}

impl TracePoint {
    /// Hard EM's objective J at this point: of its assignment and centres (−L), which both half-steps
    /// lower, as k-means is taught; at the start, before any point is assigned, of each point's nearest
    /// centre (−ℓ, what the first E-step gives). (−ℓ alone stood still at every E-step.)
    pub fn hard_objective(&self) -> f64 {
        if self.phase == Phase::Init {
            -self.loglik
        } else {
            -self.bound
        }
    }
}

/// Everything needed to return to an earlier state; q is recomputed from `q_from`.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot<P> {
    /// θ.
    pub params: P,
    /// The θ whose posterior q is (none: uniform q).
    pub q_from: Option<P>,
    /// The half-step that produced the state.
    pub phase: Phase,
    /// Completed iterations.
    pub iteration: usize,
    /// True when convergence was declared.
    pub converged: bool,
    /// How many trace points the state had.
    pub trace_len: usize,
    /// The collapse that stopped EM, if any.
    pub collapse: Option<Collapse>,
    /// Components left empty by the last M-step.
    pub empty: Vec<usize>,
}

impl<P> Snapshot<P> {
    /// The same snapshot with θ converted by `f` (θ to and from its serialisable form).
    pub fn map<Q, E>(self, mut f: impl FnMut(P) -> Result<Q, E>) -> Result<Snapshot<Q>, E> {
        Ok(Snapshot {
            params: f(self.params)?,
            q_from: self.q_from.map(&mut f).transpose()?,
            phase: self.phase,
            iteration: self.iteration,
            converged: self.converged,
            trace_len: self.trace_len,
            collapse: self.collapse,
            empty: self.empty,
        })
    }
}

/// The whole state of an [`Em`] apart from its model and data: what a saved session stores.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedEm<P> {
    /// The θ that reset returns to.
    pub start: P,
    /// reg and tol.
    pub options: Options,
    /// The current state.
    pub current: Snapshot<P>,
    /// The states undo returns to, oldest first.
    pub history: Vec<Snapshot<P>>,
    /// The undone states redo returns to, the next one last, with their trace tails.
    pub future: Vec<(Snapshot<P>, Vec<TracePoint>)>,
    /// ℓ and L after every half-step since the start: the runs before each new θ ([`Em::set_params`]) first,
    /// each from its start point, then the current run.
    pub trace: Vec<TracePoint>,
}

/// The current run of a whole trace: from its last start point on. A [`Em::set_params`] keeps the run before
/// it, so that undo back over it shows that run's trace again (it was cleared, and the states before it
/// showed the new run's start beside their own θ); a link replays the current run only.
pub fn current_run(trace: &[TracePoint]) -> &[TracePoint] {
    let start = trace
        .iter()
        .rposition(|p| p.phase == Phase::Init)
        .unwrap_or(0);
    &trace[start..]
}

impl<P> SavedEm<P> {
    /// The current run's trace ([`current_run`]).
    pub fn run_trace(&self) -> &[TracePoint] {
        current_run(&self.trace)
    }

    /// The same state with every θ converted by `f`.
    pub fn map<Q, E>(self, mut f: impl FnMut(P) -> Result<Q, E>) -> Result<SavedEm<Q>, E> {
        Ok(SavedEm {
            start: f(self.start)?,
            options: self.options,
            current: self.current.map(&mut f)?,
            history: self
                .history
                .into_iter()
                .map(|s| s.map(&mut f))
                .collect::<Result<_, _>>()?,
            future: self
                .future
                .into_iter()
                .map(|(s, tail)| Ok((s.map(&mut f)?, tail)))
                .collect::<Result<_, _>>()?,
            trace: self.trace,
        })
    }
}

/// The most undo steps kept; older ones are dropped.
pub const MAX_HISTORY: usize = 10_000;

/// The EM state machine for one model and one data set.
#[derive(Clone, Debug)]
pub struct Em<M: Mixture> {
    model: M,
    options: Options,
    start: M::Params,
    params: M::Params,
    q_from: Option<M::Params>,
    /// Soft EM: the responsibilities, N×K. Hard EM: empty (see `labels`).
    q: Vec<f64>,
    /// Hard EM: the component of every point under `q_from` (empty for soft EM).
    labels: Vec<u32>,
    /// Hard EM: the dense q (one-hot rows, or uniform before the first E-step), built on first request.
    hard_q: OnceCell<Vec<f64>>,
    /// The sufficient statistics of q.
    stats: M::Stats,
    k: usize,
    phase: Phase,
    iteration: usize,
    converged: bool,
    loglik: f64,
    bound: f64,
    entropy: f64,
    trace: Vec<TracePoint>,
    history: Vec<Snapshot<M::Params>>,
    /// Undone states, the next one last, with the trace points they had beyond the state undone to.
    future: Vec<(Snapshot<M::Params>, Vec<TracePoint>)>,
    collapse: Option<Collapse>,
    empty: Vec<usize>,
    /// The next E-step, made by the pass that gave ℓ(θ) after an M-step (see [`Ahead`]).
    ahead: Option<Ahead<M>>,
    /// A q buffer (and labels) kept for the next look-ahead pass, so that no step allocates N×K.
    spare: (Vec<f64>, Vec<u32>),
    /// The next half-step's pass, made a few parts at a time ahead of it (see [`Em::prepare_step`]).
    next_pass: NotCloned<PassUnderWay<M>>,
    /// Soft EM: the θ whose posterior `q` holds (with `stats`), and that E-step pass's ℓ, L and H(q), so
    /// that undo and jumps along the timeline make no pass for a q they already have.
    held: Option<(M::Params, Pass)>,
    /// Which data and model this run is on (see [`Em::run_id`]).
    run_id: u64,
}

/// The next [`Em::run_id`] to give.
static NEXT_RUN_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A value a clone of its owner starts without (a pass under way is not copied with a lab: it would be
/// N×K numbers copied for a pass the copy may never need).
#[derive(Debug)]
struct NotCloned<T>(Option<T>);

impl<T> Clone for NotCloned<T> {
    fn clone(&self) -> Self {
        NotCloned(None)
    }
}

/// The pass over the data that the next M-step needs (ℓ(θ_new) and the E-step after it), under way a few
/// parts at a time. Its parts are the parts of [`Mixture::e_pass`], so when it is done it is bit for bit
/// the pass the M-step would make.
#[derive(Clone, Debug)]
struct PassUnderWay<M: Mixture> {
    params: M::Params,
    /// The θ whose posterior is the q the pass is made beside (the E-step's).
    beside: Option<M::Params>,
    q: Vec<f64>,
    labels: Vec<u32>,
    total: Option<PassPart<M::Sums>>,
    /// The parts' rows with the largest share of KL(q ‖ the pass's q) so far, and that share.
    largest_share: (usize, f64),
    done: usize,
}

/// The E-step for θ = `params`, computed ahead: the pass that gives ℓ(θ) after an M-step also writes q, H(q)
/// and the statistics, so the E-step that follows is a swap of buffers and a whole iteration is one pass
/// over the data. Bit for bit what the E-step's own pass would give (the same kernel on the same θ).
#[derive(Clone, Debug)]
struct Ahead<M: Mixture> {
    params: M::Params,
    /// The θ whose posterior is the q beside which `largest_share` was found.
    beside: Option<M::Params>,
    q: Vec<f64>,
    labels: Vec<u32>,
    pass: Pass,
    stats: M::Stats,
    /// Where the pass was prepared in parts: the row with the largest share of KL(q ‖ this q) for the q of
    /// `beside`, and that share (see [`Em::largest_gap_point`]).
    largest_share: Option<(usize, f64)>,
}

/// The state the next E-step will give, from the E-step computed ahead ([`Em::next_e_step`]): θ as now, q
/// the posterior the last pass wrote. What that E-step's state will compute, bit for bit.
pub(crate) struct NextEStep<'a, M: Mixture> {
    em: &'a Em<M>,
    ahead: &'a Ahead<M>,
}

impl<M: Mixture> NextEStep<'_, M> {
    /// The M-step from that q: θ_new of the slice that state shows.
    pub(crate) fn m_step(&self) -> M::Params {
        let em = self.em;
        em.model
            .m_step_from(&self.ahead.stats, &em.params, &em.options)
            .params
    }

    /// ℓ(θ) and L(q, θ) for that q ([`Em::evaluate_with_entropy`] after the E-step; one pass).
    pub(crate) fn evaluate(&self, params: &M::Params) -> (f64, f64) {
        let a = self.ahead;
        self.em
            .evaluate_for(params, &a.stats, None, || &a.q, a.pass.entropy)
    }

    /// L(q, θ) for that q, in O(K) ([`Em::bound_at`] after the E-step).
    pub(crate) fn bound(&self, params: &M::Params) -> f64 {
        let a = self.ahead;
        self.em.bound_for(params, &a.stats, || &a.q, a.pass.entropy)
    }

    /// L at the current θ after that E-step (q its posterior: L = ℓ).
    pub(crate) fn lower_bound(&self) -> f64 {
        self.ahead.pass.bound
    }
}

/// The most N×K responsibilities for which a second q buffer is kept to compute the next E-step ahead
/// (64 MB of f64); above it an iteration takes two passes and no extra memory.
pub const MAX_LOOK_AHEAD: usize = 8_000_000;

impl<M: Mixture> Em<M> {
    /// Starts EM on `model` from θ = `start`, with uniform responsibilities.
    pub fn new(model: M, start: M::Params, options: Options) -> Result<Self, EmError> {
        if model.is_empty() {
            return Err(EmError::new(ErrorKind::EmptyData));
        }
        options.validate()?;
        model.validate(&start)?;
        check_usable(&model, &start)?;
        let k = M::components(&start);
        let n = model.len();
        let stats = M::Stats::default();
        let mut em = Em {
            q: if M::HARD {
                Vec::new()
            } else {
                vec![0.0; n * k]
            },
            labels: if M::HARD { vec![0; n] } else { Vec::new() },
            hard_q: OnceCell::new(),
            stats,
            model,
            options,
            params: start.clone(),
            start,
            q_from: None,
            k,
            phase: Phase::Init,
            iteration: 0,
            converged: false,
            loglik: 0.0,
            bound: 0.0,
            entropy: 0.0,
            trace: Vec::new(),
            history: Vec::new(),
            future: Vec::new(),
            collapse: None,
            empty: Vec::new(),
            ahead: None,
            spare: (Vec::new(), Vec::new()),
            next_pass: NotCloned(None),
            held: None,
            run_id: NEXT_RUN_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        };
        em.recompute(false);
        em.push_trace();
        Ok(em)
    }

    /// The model and its data.
    pub fn model(&self) -> &M {
        &self.model
    }
    /// The current θ.
    pub fn params(&self) -> &M::Params {
        &self.params
    }
    /// The θ that `reset` returns to.
    pub fn start(&self) -> &M::Params {
        &self.start
    }
    /// The options in force.
    pub fn options(&self) -> &Options {
        &self.options
    }
    /// Which data and model ℓ(θ) is computed on: a new number for every [`Em::new`] (new data, another
    /// covariance type), the same for every state of one run and its clones. ℓ at a θ computed in one state
    /// holds in every state with the same id (the slice's samples, reused from an E-step to its M-step).
    pub fn run_id(&self) -> u64 {
        self.run_id
    }
    /// Number of components K.
    pub fn k(&self) -> usize {
        self.k
    }
    /// True when the dense N×K q is in memory: always for soft EM; for hard EM only once [`Em::q`] was asked
    /// for since the last change (its steps, ℓ and L work from the labels).
    pub fn holds_dense_q(&self) -> bool {
        !M::HARD || self.hard_q.get().is_some()
    }
    /// All responsibilities, row-major N×K (hard EM: built from the labels on the first call after a change).
    pub fn q(&self) -> &[f64] {
        if !M::HARD {
            return &self.q;
        }
        self.hard_q.get_or_init(|| {
            let (n, k) = (self.model.len(), self.k);
            if self.q_from.is_none() {
                return vec![1.0 / k as f64; n * k];
            }
            let mut q = vec![0.0; n * k];
            for (row, &label) in q.chunks_exact_mut(k).zip(&self.labels) {
                row[label as usize] = 1.0;
            }
            q
        })
    }
    /// The responsibilities of observation `i` (length K).
    pub fn q_row(&self, i: usize) -> &[f64] {
        &self.q()[i * self.k..(i + 1) * self.k]
    }
    /// Hard EM after an E-step: the component of every point; `None` for soft EM and for the uniform q.
    pub fn labels(&self) -> Option<&[u32]> {
        (M::HARD && self.q_from.is_some()).then_some(self.labels.as_slice())
    }
    /// The sufficient statistics of the current q.
    pub fn stats(&self) -> &M::Stats {
        &self.stats
    }
    /// The half-step that produced the current state.
    pub fn phase(&self) -> Phase {
        self.phase
    }
    /// Completed iterations (M-steps).
    pub fn iteration(&self) -> usize {
        self.iteration
    }
    /// True once |Δℓ| / N < tol after an M-step.
    pub fn converged(&self) -> bool {
        self.converged
    }
    /// The observed-data log-likelihood ℓ(θ) (for hard EM: minus the objective).
    pub fn loglik(&self) -> f64 {
        at_most_zero::<M>(self.loglik)
    }
    /// The lower bound L(q, θ).
    pub fn lower_bound(&self) -> f64 {
        at_most_zero::<M>(self.bound)
    }
    /// The gap KL(q ‖ p(z | x, θ)) = ℓ − L.
    pub fn gap(&self) -> f64 {
        self.loglik() - self.lower_bound()
    }
    /// ℓ and L after every half-step of the current run (since its start or the last [`Em::set_params`]).
    pub fn trace(&self) -> &[TracePoint] {
        current_run(&self.trace)
    }
    /// Where the current run begins in the whole trace ([`current_run`]).
    fn run_start(&self) -> usize {
        self.trace.len() - current_run(&self.trace).len()
    }
    /// The collapse that stopped EM, if one did.
    pub fn collapse(&self) -> Option<Collapse> {
        self.collapse
    }
    /// The component the variance floor keeps from collapsing: the one the M-step from the current q would
    /// put on a single point with reg = 0 (after an M-step, the M-step just taken). None without a floor,
    /// at the start or after a collapse.
    pub fn floor_holds(&self) -> Option<usize> {
        // `reg` is never NaN (`Options::validate`).
        if self.options.reg <= 0.0 || self.iteration == 0 || self.collapse.is_some() {
            return None;
        }
        let bare = Options {
            reg: 0.0,
            ..self.options
        };
        let step = self.model.m_step_from(&self.stats, &self.params, &bare);
        self.model.collapse(&step.params).map(|c| c.component)
    }
    /// Components left empty by the last M-step (their old values were kept).
    pub fn empty_components(&self) -> &[usize] {
        &self.empty
    }
    /// θ at the start and after every M-step since (undone steps are not included).
    pub fn params_path(&self) -> Vec<M::Params> {
        let mut path: Vec<M::Params> = Vec::new();
        let steps = self.history.iter().map(|s| (&s.params, s.phase));
        for (params, _) in steps.chain(std::iter::once((&self.params, self.phase))) {
            if path.last() != Some(params) {
                path.push(params.clone());
            }
        }
        path
    }

    /// θ at each point of [`Em::trace`] (θ right after that half-step), from the undo history; `None`
    /// for a point older than the history keeps ([`MAX_HISTORY`] states back).
    pub fn trace_params(&self) -> Vec<Option<&M::Params>> {
        let start = self.run_start();
        let mut out = vec![None; self.trace.len() - start];
        // A state with `trace_len` = j + 1 is the state right after trace point j (of the whole trace); the
        // latest such state wins (a session saved before runs were kept had cleared the trace at a
        // `set_params`, so states of the run before it can name the same points).
        let states = self.history.iter().map(|s| (s.trace_len, &s.params));
        for (len, params) in states.chain(std::iter::once((self.trace.len(), &self.params))) {
            let point = len.checked_sub(1).and_then(|j| j.checked_sub(start));
            if let Some(slot) = point.and_then(|j| out.get_mut(j)) {
                *slot = Some(params);
            }
        }
        out
    }

    /// θ before the last M-step, when the last half-step was an M-step.
    pub fn params_before_m_step(&self) -> Option<&M::Params> {
        match (self.phase, self.history.last()) {
            (Phase::M, Some(snap)) => Some(&snap.params),
            _ => None,
        }
    }

    /// True when there is a state to go back to.
    pub fn can_undo(&self) -> bool {
        !self.history.is_empty()
    }

    /// The E-step: q ← p(z | x, θ) (for hard EM: the one-hot nearest component). An E-step right after an
    /// E-step is refused: θ has not changed, so q would be the same.
    pub fn e_step(&mut self) -> Result<(), EmError> {
        self.check_not_collapsed()?;
        if self.phase == Phase::E {
            return Err(EmError::new(ErrorKind::EStepAgain { hard: M::HARD }));
        }
        self.save();
        self.q_from = Some(self.params.clone());
        // One pass: q, and with it ℓ (θ is unchanged), L (the bound for the new q), H(q) and the statistics.
        self.posterior_of_params();
        self.phase = Phase::E;
        self.push_trace();
        Ok(())
    }

    /// Makes up to `parts` parts (of [`PASS_PART`] observations) of the pass over the data that the next
    /// half-step needs; true when it has none left to make. Before an M-step: the pass for θ_new (ℓ(θ_new)
    /// and the E-step after it), which [`Em::m_step`] then takes; before an E-step without a pass made
    /// ahead (the first, or after an undo): the E-step's own. So a page can spread a half-step at a million
    /// points over frames: the pass is the whole of its cost, and it gives the same numbers bit for bit.
    /// Beside the pass, part by part, the Jensen figure's point for the state the half-step leads to (or
    /// this one). Where there is nothing to prepare (hard EM, whose pass is a few ms; beyond
    /// [`MAX_LOOK_AHEAD`]; a collapse) it returns true at once. Nothing the page shows changes.
    pub fn prepare_step(&mut self, parts: usize) -> bool {
        let n = self.model.len();
        if M::HARD || self.collapse.is_some() || n * self.k > MAX_LOOK_AHEAD {
            return true;
        }
        let params = if self.phase == Phase::E {
            let step = self
                .model
                .m_step_from(&self.stats, &self.params, &self.options);
            if self.model.collapse(&step.params).is_some() {
                return true;
            }
            step.params
        } else if self.ahead.as_ref().is_some_and(|a| a.params == self.params) {
            return true;
        } else {
            self.params.clone()
        };
        let mut pass = match self.next_pass.0.take() {
            Some(pass) if pass.params == params && pass.beside == self.q_from => pass,
            other => {
                let (mut q, labels) = other
                    .map(|p| (p.q, p.labels))
                    .unwrap_or_else(|| std::mem::take(&mut self.spare));
                q.resize(n * self.k, 0.0);
                PassUnderWay {
                    params,
                    beside: self.q_from.clone(),
                    q,
                    labels,
                    total: None,
                    largest_share: (0, f64::NEG_INFINITY),
                    done: 0,
                }
            }
        };
        for _ in 0..parts {
            if pass.done == n {
                break;
            }
            let range = part_from(pass.done, n);
            let rows = range.start * self.k..range.end * self.k;
            let q = &mut pass.q[rows.clone()];
            let part = self
                .model
                .e_pass_part(&pass.params, range.clone(), q, &mut []);
            add_part(&mut pass.total, part);
            // The Jensen figure's point (the largest share of KL(q ‖ the pass's q)), part by part beside
            // the pass: at a million points the search is ~10 ms more in the task that draws.
            let (old, new) = (&self.q[rows.clone()], &pass.q[rows]);
            search_shares(old, new, self.k, range.start, &mut pass.largest_share);
            pass.done = range.end;
        }
        if pass.done < n {
            self.next_pass.0 = Some(pass);
            return false;
        }
        if self.phase == Phase::E {
            self.next_pass.0 = Some(pass); // for the M-step
        } else {
            self.ahead = Some(self.ahead_of(pass));
        }
        true
    }

    /// ℓ and L for the current θ and q from a soft model's pass for this θ made already, which is kept as
    /// the pass made ahead: what `evaluate_ahead` gives a soft model (ℓ from the pass, L in closed form).
    fn refresh_from(&mut self, ahead: Ahead<M>) {
        let energy = self.model.expected_log_joint(&self.stats, &self.params);
        self.loglik = ahead.pass.loglik;
        self.bound = self.finite_energy(energy, &self.params, || self.q()) + self.entropy;
        self.ahead = Some(ahead);
    }

    /// The pass made by [`Em::prepare_step`], whole, as a pass made ahead.
    fn ahead_of(&self, pass: PassUnderWay<M>) -> Ahead<M> {
        let total = pass.total.expect("a pass over no data");
        let (ahead, stats) = self
            .model
            .e_pass_end(&pass.params, total, &pass.q, &pass.labels);
        Ahead {
            params: pass.params,
            beside: pass.beside,
            q: pass.q,
            labels: pass.labels,
            pass: ahead,
            stats,
            largest_share: Some(pass.largest_share),
        }
    }

    /// The M-step: θ ← argmax_θ L(q, θ). Stops with a typed error when a component collapses. An M-step
    /// right after an M-step is refused: q has not changed, so θ could not move, and calling that
    /// "converged" would be false. Hard EM (k-means) refuses an M-step before its first E-step: no point
    /// is assigned yet (an M-step from the uniform q would put every centre on the data's mean and raise J).
    pub fn m_step(&mut self) -> Result<(), EmError> {
        self.check_not_collapsed()?;
        if self.phase == Phase::M {
            return Err(EmError::new(ErrorKind::MStepAgain { hard: M::HARD }));
        }
        if M::HARD && self.phase == Phase::Init {
            return Err(EmError::new(ErrorKind::MStepUnassigned));
        }
        let after_e = self.phase == Phase::E;
        let step = self
            .model
            .m_step_from(&self.stats, &self.params, &self.options);
        if let Some(collapse) = self.model.collapse(&step.params) {
            self.save();
            self.collapse = Some(collapse);
            self.push_trace();
            return Err(self.collapsed(collapse));
        }
        self.save();
        let before = self.loglik;
        self.params = step.params;
        self.empty = step.empty;
        self.iteration += 1;
        self.phase = Phase::M;
        self.refresh(false);
        // After an E-step an exact M-step raises ℓ. L = −∞ with ℓ lower than before means rounding lost a
        // point q gives to a component (data near 1e154, where squares overflow). (L = −∞ with ℓ higher is
        // EM reaching a boundary, coins at θ = 0 or 1, and stays.)
        let lost = after_e && self.bound == f64::NEG_INFINITY && self.loglik < before;
        if !self.loglik.is_finite() || self.bound.is_nan() || self.bound == f64::INFINITY || lost {
            // Never show a non-finite ℓ: go back to the state before this M-step and say why.
            self.undo();
            self.future.clear();
            return Err(EmError::new(ErrorKind::Numerical));
        }
        // Convergence is a statement about a whole iteration: an E-step, then this M-step.
        let change = (self.loglik - before).abs() / self.model.len() as f64;
        self.converged = after_e && self.iteration > 1 && change < self.options.tol;
        self.push_trace();
        Ok(())
    }

    /// One full iteration: E-step then M-step; right after an E-step, the M-step that completes its
    /// iteration (a second E-step from the same θ gave the same q, a half-step the timeline showed twice).
    pub fn step(&mut self) -> Result<(), EmError> {
        if self.phase != Phase::E {
            self.e_step()?;
        }
        self.m_step()
    }

    /// Runs whole iterations until convergence, a collapse or `max` iterations; returns how many ran.
    pub fn run(&mut self, max: usize) -> Result<usize, EmError> {
        let mut done = 0;
        while done < max && !self.converged {
            self.step()?;
            done += 1;
        }
        Ok(done)
    }

    /// Goes back one half-step (or one parameter change); returns false when there is nothing to undo.
    /// The state left is kept for [`Em::redo`] until something new is done.
    pub fn undo(&mut self) -> bool {
        let undone = self.step_back();
        if undone {
            self.recompute(true);
        }
        undone
    }

    /// Goes forward again to the state the last undo left; returns false when there is none.
    pub fn redo(&mut self) -> bool {
        let redone = self.step_forward();
        if redone {
            self.recompute(true);
        }
        redone
    }

    /// [`Em::undo`] but for q and what comes from it (left to one [`Em::recompute`] at the end of a move).
    fn step_back(&mut self) -> bool {
        let Some(snap) = self.history.pop() else {
            return false;
        };
        let tail = self.trace[snap.trace_len.min(self.trace.len())..].to_vec();
        let current = self.snapshot();
        self.future.push((current, tail));
        self.restore_fields(snap);
        true
    }

    /// [`Em::redo`] but for q and what comes from it (left to one [`Em::recompute`] at the end of a move).
    fn step_forward(&mut self) -> bool {
        let Some((snap, tail)) = self.future.pop() else {
            return false;
        };
        let current = self.snapshot();
        self.history.push(current);
        let trace_len = self.trace.len();
        self.restore_fields(snap);
        self.trace.truncate(trace_len);
        self.trace.extend(tail);
        true
    }

    /// Where the state is on the timeline of half-steps (and parameter changes): 0 is the start.
    pub fn position(&self) -> usize {
        self.history.len()
    }

    /// How long the timeline is: the states behind and the undone states ahead.
    pub fn timeline_len(&self) -> usize {
        self.history.len() + self.future.len()
    }

    /// Moves along the timeline to position `to` (clamped to it) by undo and redo, so every state is
    /// exactly the state it was.
    /// The states passed on the way are not computed: q and ℓ are recomputed once, for the state reached
    /// (at a million points a jump across the timeline is one or two passes, not two per half-step).
    pub fn go_to(&mut self, to: usize) {
        let to = to.min(self.timeline_len());
        let from = self.position();
        while self.position() > to && self.step_back() {}
        while self.position() < to && self.step_forward() {}
        if self.position() != from {
            self.recompute(true);
        }
    }

    /// Everything but the model: what a saved session stores (see [`Em::load`]).
    pub fn save_state(&self) -> SavedEm<M::Params> {
        SavedEm {
            start: self.start.clone(),
            options: self.options,
            current: self.snapshot(),
            history: self.history.clone(),
            future: self.future.clone(),
            trace: self.trace.clone(),
        }
    }

    /// EM on `model` in a saved state, every part checked against the model (θ valid and of one K,
    /// indices in range, trace lengths consistent), q recomputed as undo would: the state it was.
    pub fn load(model: M, saved: SavedEm<M::Params>) -> Result<Self, EmError> {
        let mut em = Em::new(model, saved.start.clone(), saved.options)?;
        let (n, k) = (em.model.len(), em.k);
        let bad = |what: &str| Err(EmError::session_unreadable(what));
        let mut snaps: Vec<&Snapshot<M::Params>> = vec![&saved.current];
        snaps.extend(&saved.history);
        snaps.extend(saved.future.iter().map(|(s, _)| s));
        if saved.history.len() > MAX_HISTORY || saved.future.len() > MAX_HISTORY {
            return bad("too long a history");
        }
        for snap in snaps {
            for p in std::iter::once(&snap.params).chain(snap.q_from.as_ref()) {
                em.model.validate(p)?;
                if M::components(p) != k {
                    return bad("θ of another K");
                }
            }
            // A run can outgrow the undo history (its trace is never cut), so only 0 is impossible.
            if snap.trace_len == 0 {
                return bad("trace length");
            }
            if snap.empty.iter().any(|&j| j >= k)
                || snap
                    .collapse
                    .is_some_and(|c| c.component >= k || c.point >= n)
            {
                return bad("an index out of range");
            }
        }
        if saved.current.trace_len != saved.trace.len() || saved.trace.is_empty() {
            return bad("trace length");
        }
        em.history = saved.history;
        em.future = saved.future;
        em.restore(saved.current);
        em.trace = saved.trace;
        // ℓ and L as the page would show them: a saved θ that passes `validate` can still make one of them
        // infinite (a variance of 1e-307 gave L = −∞, "KL = ∞" in the slice and "gap +∞" on the page).
        if !em.loglik.is_finite() || !em.bound.is_finite() {
            return Err(EmError::new(ErrorKind::Numerical));
        }
        Ok(em)
    }

    /// The current state as a snapshot.
    fn snapshot(&self) -> Snapshot<M::Params> {
        Snapshot {
            params: self.params.clone(),
            q_from: self.q_from.clone(),
            phase: self.phase,
            iteration: self.iteration,
            converged: self.converged,
            trace_len: self.trace.len(),
            collapse: self.collapse,
            empty: self.empty.clone(),
        }
    }

    /// Makes `snap` the current state (q recomputed from its `q_from`; the trace cut to its length).
    fn restore(&mut self, snap: Snapshot<M::Params>) {
        self.restore_fields(snap);
        self.recompute(true);
    }

    /// Makes `snap`'s θ, phase, counters and trace length current, leaving q and what comes from it to
    /// [`Em::recompute`].
    fn restore_fields(&mut self, snap: Snapshot<M::Params>) {
        self.params = snap.params;
        self.q_from = snap.q_from;
        self.phase = snap.phase;
        self.iteration = snap.iteration;
        self.converged = snap.converged;
        self.collapse = snap.collapse;
        self.empty = snap.empty;
        self.trace.truncate(snap.trace_len);
    }

    /// Returns to the starting θ with uniform q: along the timeline to its first state when that is the
    /// start, so the run stays there for redo (and the timeline) until a new half-step is taken — `R` in a
    /// lecture wiped a whole run with no way back; else (the start is older than the history keeps) afresh.
    pub fn reset(&mut self) {
        let first = self
            .history
            .first()
            .cloned()
            .unwrap_or_else(|| self.snapshot());
        let at_start = first.phase == Phase::Init
            && first.iteration == 0
            && first.q_from.is_none()
            && first.params == self.start;
        if at_start {
            self.go_to(0);
            return;
        }
        let start = self.start.clone();
        self.restart(start);
    }

    /// Replaces θ (validated as a start, see [`check_start`]) and starts again from it with uniform q;
    /// undo returns to the old state.
    pub fn set_params(&mut self, params: M::Params) -> Result<(), EmError> {
        self.check_new_start(&params)?;
        self.save();
        self.begin_at(params);
        Ok(())
    }

    /// Checks θ given to start this run again from: valid for the model, of this run's K (a wrong count
    /// is named by [`Mixture::K_FIELD`]), and usable as a start ([`check_start`]).
    pub fn check_new_start(&self, params: &M::Params) -> Result<(), EmError> {
        self.model.validate(params)?;
        if M::components(params) != self.k {
            return Err(EmError::new(ErrorKind::WrongLength {
                what: M::K_FIELD,
                expected: self.k,
                got: M::components(params),
            }));
        }
        check_start(&self.model, params)
    }

    /// Makes `params` the new starting point and resets to it (no undo).
    pub fn restart(&mut self, params: M::Params) {
        self.start = params.clone();
        self.history.clear();
        self.future.clear();
        self.trace.clear();
        self.begin_at(params);
    }

    /// θ = `params` with uniform q, at iteration 0, its trace a new run's start point after the runs
    /// before it (history and start untouched).
    fn begin_at(&mut self, params: M::Params) {
        self.params = params;
        self.q_from = None;
        self.phase = Phase::Init;
        self.iteration = 0;
        self.converged = false;
        self.collapse = None;
        self.empty.clear();
        self.recompute(false);
        self.push_trace();
    }

    /// Changes `reg` and `tol`; takes effect from the next M-step. A convergence reached under other
    /// options no longer holds ("Converged: yes" stayed on while a new variance floor moved θ), and a
    /// collapse is taken back by a new floor.
    pub fn set_options(&mut self, options: Options) -> Result<(), EmError> {
        options.validate()?;
        if options != self.options {
            self.converged = false;
        }
        // A new floor takes back a collapse (the refused M-step's state), as the collapse note advises:
        // the next M-step is made under it. Before, EM stayed stopped whatever the floor.
        if self.collapse.is_some() && options.reg != self.options.reg {
            self.undo();
            self.future.clear();
        }
        self.options = options;
        Ok(())
    }

    /// What the next M-step would produce from the current q, without applying it.
    pub fn peek_m_step(&self) -> M::Params {
        self.model
            .m_step_from(&self.stats, &self.params, &self.options)
            .params
    }

    /// True when K > 1 and every component is the same (the M-step from the uniform start makes them so):
    /// every E-step then gives the uniform q again and every M-step the same θ, so EM can never break
    /// the symmetry. Checked on three observations (identical components agree on every one). Never for
    /// hard EM: its E-step gives every point to the first of equal centres and leaves the others empty
    /// (the page says so), never the same q to each.
    pub fn symmetric(&self) -> bool {
        self.symmetric_at(&self.params)
    }

    /// [`Em::symmetric`] for θ = `params` (the start, to tell a symmetric start from a symmetry made
    /// by an M-step from the uniform q).
    pub fn symmetric_at(&self, params: &M::Params) -> bool {
        if self.k < 2 || M::HARD {
            return false;
        }
        let n = self.model.len();
        let prepared = self.model.prepare(params);
        let mut row = vec![0.0; self.k];
        [0, n / 2, n - 1].into_iter().all(|i| {
            self.model.log_joint_row(&prepared, i, &mut row);
            row.iter().all(|&v| v == row[0])
        })
    }

    /// The entropy H(q) = −Σᵢₖ qᵢₖ ln qᵢₖ of the current q (the part of L that does not depend on θ),
    /// kept from the pass that made q.
    pub fn entropy(&self) -> f64 {
        self.entropy
    }

    /// ℓ(θ) and L(q, θ) = Σᵢₖ qᵢₖ ln p(xᵢ, k | θ) + `entropy`, for any θ with the current q: ℓ in one pass
    /// of the model's kernel, L in O(K) from the statistics (hard EM: both from one pass, see
    /// [`Mixture::evaluate`]); the runner after an M-step, and the slice figure at every sample.
    pub fn evaluate_with_entropy(&self, params: &M::Params, entropy: f64) -> (f64, f64) {
        self.evaluate_for(params, &self.stats, self.labels(), || self.q(), entropy)
    }

    /// [`Em::evaluate_with_entropy`] for the q whose statistics are `stats` (labels `labels`, H(q) =
    /// `entropy`); `q` gives that q where L's closed form is not finite ([`Em::finite_energy`]).
    fn evaluate_for<'q>(
        &self,
        params: &M::Params,
        stats: &M::Stats,
        labels: Option<&[u32]>,
        q: impl FnOnce() -> &'q [f64],
        entropy: f64,
    ) -> (f64, f64) {
        let (loglik, energy) = self.model.evaluate(params, stats, labels);
        (loglik, self.finite_energy(energy, params, q) + entropy)
    }

    /// [`Em::bound_at`] for the q whose statistics are `stats` (H(q) = `entropy`, `q` as for
    /// [`Em::evaluate_for`]).
    fn bound_for<'q>(
        &self,
        params: &M::Params,
        stats: &M::Stats,
        q: impl FnOnce() -> &'q [f64],
        entropy: f64,
    ) -> f64 {
        let energy = self.model.expected_log_joint(stats, params);
        self.finite_energy(energy, params, q) + entropy
    }

    /// `energy` = Σᵢₖ qᵢₖ ln p(xᵢ, k | θ) from the statistics, or, where that closed form is not finite,
    /// the sum point by point over the q that `q` gives: with data near 1e154 the sums of squares overflow
    /// although no point's own term does (the fuzzer found L = −∞ there; a point with qᵢₖ = 0 adds
    /// nothing, as in L's definition). Only then is q asked for (hard EM builds its one-hot q when asked:
    /// N×K numbers).
    fn finite_energy<'q>(
        &self,
        energy: f64,
        params: &M::Params,
        q: impl FnOnce() -> &'q [f64],
    ) -> f64 {
        if energy.is_finite() {
            return energy;
        }
        let prepared = self.model.prepare(params);
        let mut row = vec![0.0; self.k];
        let mut sum = 0.0;
        for (i, qi) in q().chunks_exact(self.k).enumerate() {
            self.model.log_joint_row(&prepared, i, &mut row);
            sum += qi
                .iter()
                .zip(&row)
                .filter(|(&q, _)| q > 0.0)
                .map(|(q, lj)| q * lj)
                .sum::<f64>();
        }
        sum
    }

    /// The E-step computed ahead for the current θ (soft EM, by the pass that gave ℓ(θ)), which the next
    /// E-step will take as it is; `None` where there is none (hard EM, before the first pass, above
    /// [`MAX_LOOK_AHEAD`]).
    pub(crate) fn next_e_step(&self) -> Option<NextEStep<'_, M>> {
        let ahead = self
            .ahead
            .as_ref()
            .filter(|a| !M::HARD && a.params == self.params)?;
        Some(NextEStep { em: self, ahead })
    }

    /// ℓ(θ) for any θ, in one pass over the data that writes nothing.
    pub fn loglik_at(&self, params: &M::Params) -> f64 {
        self.model.loglik(params)
    }

    /// ℓ(θ)'s terms for the observations in `range` (see [`Mixture::loglik_part`]).
    pub fn loglik_part_at(&self, params: &M::Params, range: std::ops::Range<usize>) -> f64 {
        self.model.loglik_part(params, range)
    }

    /// L(q, θ) for the current q and any θ, in O(K) from the statistics and H(q) (no pass over the data).
    pub fn bound_at(&self, params: &M::Params) -> f64 {
        self.bound_for(params, &self.stats, || self.q(), self.entropy)
    }

    /// The observation with the largest share of the gap KL(q ‖ p(z | x, θ)) (its own
    /// Σₖ qᵢₖ ln(qᵢₖ / rᵢₖ), r the posterior under θ; the first of equal ones), or `None` when every share
    /// is rounding noise (after an E-step q is the posterior and all are 0). Hard EM: the point with the
    /// largest ℓ − L ([`Mixture::largest_hard_share`]).
    pub fn largest_gap_point(&self) -> Option<usize> {
        if M::HARD {
            // ℓ − L for hard EM: each point's best log-joint less its labelled one (0 where the label is
            // the best: then exactly 0). Before the first E-step there are no labels.
            let labels = self.labels()?;
            let (i, share) = self.model.largest_hard_share(&self.params, labels);
            return (share > 0.0).then_some(i);
        }
        // A point's share Σₖ qₖ ln(qₖ / rₖ), r the posterior under θ: after an M-step r is the next
        // E-step's q, already computed ([`Ahead`]), and the point was found beside it where that pass was
        // made in parts; otherwise (a start, a state reached by undo) r is computed here by the model's own
        // kernel. Only rows whose bound reaches the largest share so far are taken to their logarithms.
        let mut top = (0, f64::NEG_INFINITY);
        match &self.ahead {
            Some(ahead) if ahead.params == self.params => {
                if let Some(found) = ahead.largest_share.filter(|_| ahead.beside == self.q_from) {
                    top = found;
                } else {
                    search_shares(&self.q, &ahead.q, self.k, 0, &mut top);
                }
            }
            _ => {
                let mut r = vec![0.0; self.q.len()];
                self.model.e_pass(&self.params, &mut r, &mut []);
                search_shares(&self.q, &r, self.k, 0, &mut top);
            }
        }
        let (point, share) = top;
        (share.is_finite() && share > SHARE_FLOOR).then_some(point)
    }

    /// After an E-step: [`Em::largest_gap_point`] of the state before it (the gap that E-step closed),
    /// recomputed from the history, so the answer is the same however the states were reached or read;
    /// `None` in any other state, when that state's q was already the posterior, or when its every share
    /// was rounding noise. At a collapse (the refused M-step's state, θ and q those of the E-step before it)
    /// the same point as that E-step's state: it showed another one (the collapse lesson's x = 1.415, then
    /// −0.087 for the same θ and q).
    pub fn largest_gap_point_before_e_step(&self) -> Option<usize> {
        let back = usize::from(self.collapse.is_some());
        let before = self.history.iter().rev().nth(back)?;
        if self.phase != Phase::E || before.params != self.params {
            return None;
        }
        // θ is the same on both sides of an E-step, so the posterior under it is the current q (labels).
        let q_from = before.q_from.as_ref().filter(|&t| *t != self.params);
        let (point, share) = if M::HARD {
            let labels = self.labels()?;
            let mut before_labels = vec![0u32; labels.len()];
            self.model.e_pass(q_from?, &mut [], &mut before_labels);
            // The share of the state before: its labels' log-joint gap under θ, i.e. under the labels now.
            self.model.largest_hard_share(&self.params, &before_labels)
        } else {
            let mut before_q = vec![1.0 / self.k as f64; self.q.len()];
            match q_from {
                Some(theta) => {
                    self.model.e_pass(theta, &mut before_q, &mut []);
                }
                None if before.q_from.is_some() => return None,
                None => {}
            }
            let mut top = (0, f64::NEG_INFINITY);
            search_shares(&before_q, &self.q, self.k, 0, &mut top);
            top
        };
        (share.is_finite() && share > SHARE_FLOOR).then_some(point)
    }

    /// ln p(xᵢ, z = k | θ) for every k, under the current θ.
    pub fn log_joint_row(&self, i: usize) -> Vec<f64> {
        let prepared = self.model.prepare(&self.params);
        let mut row = vec![0.0; self.k];
        self.model.log_joint_row(&prepared, i, &mut row);
        row
    }

    fn check_not_collapsed(&self) -> Result<(), EmError> {
        match self.collapse {
            Some(c) => Err(self.collapsed(c)),
            None => Ok(()),
        }
    }

    /// The error of a collapse: with reg = 0 ℓ grows without bound; with a floor above 0 (too small for the
    /// data's scale, or the collapse would not be detected) it does not, and the message must not say so.
    fn collapsed(&self, collapse: Collapse) -> EmError {
        match Collapse::held_by(self.options.reg) {
            false => EmError::new(ErrorKind::Collapsed(collapse)),
            true => EmError::new(ErrorKind::CollapsedAtFloor {
                collapse,
                reg: self.options.reg,
            }),
        }
    }

    /// Keeps the current state for undo before something new is done (which forgets what was undone).
    fn save(&mut self) {
        self.future.clear();
        if self.history.len() == MAX_HISTORY {
            self.history.remove(0);
        }
        let snap = self.snapshot();
        self.history.push(snap);
    }

    fn push_trace(&mut self) {
        self.trace.push(TracePoint {
            iteration: self.iteration,
            phase: self.phase,
            loglik: self.loglik(),
            bound: self.lower_bound(),
            converged: self.converged,
            options: self.options,
        });
    }

    /// Recomputes q and its statistics from `q_from` (uniform when there is none), then ℓ and L; when q is
    /// the posterior of the current θ (the state after an E-step) all of them come from the E-step's own
    /// pass, so a state reached by undo is bit for bit the state it was. With `ahead_at_start` a start's
    /// uniform q gets its pass made ahead too (see [`Em::refresh`]).
    fn recompute(&mut self, ahead_at_start: bool) {
        self.hard_q = OnceCell::new();
        match self.q_from.clone() {
            None => {
                let uniform = 1.0 / self.k as f64;
                self.stats = if M::HARD {
                    let q = vec![uniform; self.model.len() * self.k];
                    self.model.stats_of(&q, self.k)
                } else {
                    self.q.fill(uniform);
                    self.model.stats_of(&self.q, self.k)
                };
                self.entropy = self.model.len() as f64 * (self.k as f64).ln();
                self.held = None;
                self.refresh(ahead_at_start);
            }
            Some(theta) if theta == self.params && self.phase == Phase::E => {
                self.posterior_of_params();
            }
            Some(theta) => {
                // The posterior of θ (an undo from an E-step to the M-step before it): the pass made
                // ahead, so that only this state's own q is computed.
                if self.holds(&self.params) && self.model.len() * self.k <= MAX_LOOK_AHEAD {
                    self.hold_as_ahead();
                }
                match self.held.as_ref().filter(|_| self.holds(&theta)) {
                    Some((_, pass)) => self.entropy = pass.entropy,
                    None => {
                        let (pass, stats) =
                            self.model.e_pass(&theta, &mut self.q, &mut self.labels);
                        self.entropy = pass.entropy;
                        self.stats = stats;
                        self.held = (!M::HARD).then_some((theta, pass));
                    }
                }
                self.refresh(true);
            }
        }
    }

    /// True when soft EM's q is the posterior of `theta` (with its statistics): no pass needed for it.
    fn holds(&self, theta: &M::Params) -> bool {
        !M::HARD && self.held.as_ref().is_some_and(|(p, _)| p == theta)
    }

    /// Makes the q held (the posterior of its θ, with its statistics and pass) the pass made ahead for
    /// that θ, and a spare buffer the q to be computed.
    fn hold_as_ahead(&mut self) {
        let Some((params, pass)) = self.held.take() else {
            return;
        };
        let (mut q, labels) = std::mem::take(&mut self.spare);
        q.resize(self.q.len(), 0.0);
        let q = std::mem::replace(&mut self.q, q);
        let labels = std::mem::replace(&mut self.labels, labels);
        self.ahead = Some(Ahead {
            params,
            beside: None,
            q,
            labels,
            pass,
            stats: self.stats.clone(),
            largest_share: None,
        });
    }

    /// q ← p(z | x, θ) for the current θ, with ℓ, L, H(q) and the statistics from the same pass (the pass
    /// made ahead by the last M-step when it was for this θ).
    fn posterior_of_params(&mut self) {
        self.hard_q = OnceCell::new();
        if let Some((_, pass)) = self.held.as_ref().filter(|_| self.holds(&self.params)) {
            // q is already this θ's posterior (an undo from an M-step to the E-step before it).
            (self.loglik, self.bound, self.entropy) = (pass.loglik, pass.bound, pass.entropy);
            return;
        }
        let (pass, stats) = match self.ahead.take() {
            Some(ahead) if ahead.params == self.params => {
                let old_q = std::mem::replace(&mut self.q, ahead.q);
                let old_labels = std::mem::replace(&mut self.labels, ahead.labels);
                self.spare = (old_q, old_labels);
                (ahead.pass, ahead.stats)
            }
            _ => self
                .model
                .e_pass(&self.params, &mut self.q, &mut self.labels),
        };
        (self.loglik, self.bound, self.entropy) = (pass.loglik, pass.bound, pass.entropy);
        self.stats = stats;
        self.held = (!M::HARD).then(|| (self.params.clone(), pass));
    }

    /// Recomputes ℓ and L (from the statistics and the kept H(q)) for the current θ and q. After an
    /// E-step's q, where the second buffer fits ([`MAX_LOOK_AHEAD`]), the pass that gives ℓ is the next
    /// E-step's (see [`Ahead`]), so ℓ here is bit for bit the ℓ that E-step records.
    /// For the uniform q of a start only `ahead_at_start` (a start reached by undo or a jump, where the
    /// page's first drawing needs that pass for the Jensen point anyway): for a new lab, a reset or a new θ,
    /// opening a million points would do the first E-step's pass and allocate its buffer inside the task
    /// that opens the file. The ℓ is the same either way, bit for bit.
    fn refresh(&mut self, ahead_at_start: bool) {
        if self.model.len() * self.k > MAX_LOOK_AHEAD || (self.q_from.is_none() && !ahead_at_start)
        {
            self.ahead = None;
            (self.loglik, self.bound) = self.evaluate_with_entropy(&self.params, self.entropy);
            return;
        }
        let n = self.model.len();
        let (mut q, mut labels) = match (self.ahead.take(), self.next_pass.0.take()) {
            // The pass made ahead by `prepare_step` for this θ, whole: what `evaluate_ahead` gives a
            // soft model (hard EM never prepares one).
            (_, Some(pass))
                if pass.params == self.params && pass.beside == self.q_from && pass.done == n =>
            {
                let ahead = self.ahead_of(pass);
                return self.refresh_from(ahead);
            }
            // A pass made ahead for this θ already (its E-step's q kept by an undo).
            (Some(ahead), _) if !M::HARD && ahead.params == self.params => {
                return self.refresh_from(ahead);
            }
            (Some(ahead), _) => (ahead.q, ahead.labels),
            (None, Some(pass)) => (pass.q, pass.labels),
            (None, None) => std::mem::take(&mut self.spare),
        };
        q.resize(
            if M::HARD {
                0
            } else {
                self.model.len() * self.k
            },
            0.0,
        );
        labels.resize(if M::HARD { self.model.len() } else { 0 }, 0);
        let ((loglik, energy), (pass, stats)) = self.model.evaluate_ahead(
            &self.params,
            &self.stats,
            self.labels(),
            &mut q,
            &mut labels,
        );
        self.loglik = loglik;
        self.bound = self.finite_energy(energy, &self.params, || self.q()) + self.entropy;
        self.ahead = Some(Ahead {
            params: self.params.clone(),
            beside: self.q_from.clone(),
            q,
            labels,
            pass,
            stats,
            largest_share: None,
        });
    }
}

/// The smallest share of KL a point may have to be the Jensen figure's point: below it a share is rounding
/// noise (after an E-step every share is 0 up to rounding).
const SHARE_FLOOR: f64 = 1e-12;

/// [`largest_share`] for K = `k` (its own code for K = 2) above [`SHARE_FLOOR`]: one copy for every model.
#[inline(never)]
fn search_shares(q: &[f64], r: &[f64], k: usize, offset: usize, found: &mut (usize, f64)) {
    if k == 2 {
        largest_share::<2>(q, r, 2, SHARE_FLOOR, offset, found);
    } else {
        largest_share::<0>(q, r, k, SHARE_FLOOR, offset, found);
    }
}

/// Scans rows of q and r (K = `k` entries each, for a fixed `K`; `K` = 0: any K; the first being row
/// `offset`) for a finite share Σⱼ qⱼ ln(qⱼ / rⱼ) larger than `top`'s, and makes `top` the first such row
/// with the largest, and its share: scanned part by part in order, the first row with the largest share
/// of all. Only a row whose [`gap_bound`] reaches both `floor` and the largest share so far (with room for
/// rounding: computed shares and bounds are within ~1e-16 of their values) is taken to its logarithms.
fn largest_share<const K: usize>(
    q: &[f64],
    r: &[f64],
    k: usize,
    floor: f64,
    offset: usize,
    found: &mut (usize, f64),
) {
    let k = fixed_k::<K>(k);
    let (mut top, mut top_gap) = *found;
    for i in 0..q.len() / k {
        let (qi, ri) = (&q[i * k..i * k + k], &r[i * k..i * k + k]);
        let bound = if K == 2 {
            gap_bound::<super::fastmath::Wide>(qi, ri)
        } else {
            let mut bound = 0.0;
            for (&qj, &rj) in qi.iter().zip(ri) {
                bound += gap_bound::<f64>(&[qj], &[rj]);
            }
            bound
        };
        if bound * (1.0 + 1e-6) + 1e-15 < top_gap.max(floor) {
            continue;
        }
        let gap = share(qi, ri);
        if gap.is_finite() && gap > top_gap {
            (top, top_gap) = (offset + i, gap);
        }
    }
    *found = (top, top_gap);
}

/// Σⱼ qⱼ ln(qⱼ / rⱼ) over one row (0 · ln 0 = 0): a point's share of KL(q ‖ r). An rⱼ that underflowed
/// to 0 counts as the smallest normal number (its term a bound, finite): on the collapse lesson after E
/// and M every row had one, every share was ∞, and the Jensen figure kept a point with no gap.
#[inline(never)]
fn share(q: &[f64], r: &[f64]) -> f64 {
    let mut gap = 0.0;
    for (&qj, &rj) in q.iter().zip(r) {
        if qj > 0.0 {
            gap += qj * ln(qj / rj.max(f64::MIN_POSITIVE));
        }
    }
    gap
}

/// An upper bound on Σⱼ qⱼ ln(qⱼ / rⱼ) over `L::LANES` entries of q and r: per entry qⱼ times the smaller
/// of dⱼ and dⱼ − dⱼ²/2 + dⱼ³/3 (both at least ln(1 + dⱼ) for dⱼ = qⱼ / rⱼ − 1 > −1), 0 where qⱼ = 0.
/// No logarithm: a division and a few products (for K = 2, one row in one pair of SIMD lanes).
#[inline(always)]
fn gap_bound<L: Lanes>(q: &[f64], r: &[f64]) -> f64 {
    let (q, r) = (L::load(q), L::load(r));
    let d = q / r - L::splat(1.0);
    let cubic = d * (L::splat(1.0) - d * (L::splat(0.5) - d * L::splat(1.0 / 3.0)));
    let per_entry = L::select(L::lt(d, L::splat(1.5)), cubic, d);
    let terms = L::select(L::lt(L::splat(0.0), q), q * per_entry, L::splat(0.0));
    let mut sum = 0.0;
    for i in 0..L::LANES {
        sum += terms.lane(i);
    }
    sum
}

/// The largest |ℓ(θ)| or |L(q, θ)| per observation a usable θ may give. Far below where a slice through
/// θ would overflow a 64-bit float, and far above anything a sensible start gives (1e12 nats is a point a
/// million standard deviations from its component).
pub const MAX_NATS_PER_POINT: f64 = 1e12;

/// Rejects θ under which ℓ(θ) is not finite on this data (a point that no component can explain, or a
/// variance so small or large that a density is NaN or +∞), or so large in magnitude that no figure could
/// show it.
pub fn check_usable<M: Mixture>(model: &M, params: &M::Params) -> Result<(), EmError> {
    usable_pass(model, params).map(|_| ())
}

/// [`check_usable`], and also what a start must satisfy: every component gives some observation a
/// non-zero probability (a weight of 0, or a component far from all the data, is refused), and L(q, θ)
/// with the uniform start q is finite, so the bound figures have a curve to draw.
pub fn check_start<M: Mixture>(model: &M, params: &M::Params) -> Result<(), EmError> {
    let pass = usable_pass(model, params)?;
    if let Some(component) = pass.unreachable {
        return Err(EmError::new(ErrorKind::ComponentExplainsNothing {
            component,
            model: M::NAME,
        }));
    }
    if let Some((component, point)) = pass.impossible {
        return Err(EmError::new(ErrorKind::PointImpossible {
            component,
            point,
            model: M::NAME,
        }));
    }
    Ok(())
}

/// Validates θ, checks that ℓ is finite under it, and restarts EM from it.
pub(crate) fn restart_checked<M: Mixture>(
    em: &mut Em<M>,
    params: M::Params,
) -> Result<(), EmError> {
    em.model().validate(&params)?;
    check_usable(em.model(), &params)?;
    em.restart(params);
    Ok(())
}

/// What one pass over the data says about θ: the first component that gives every observation
/// probability 0, and the first (component, observation) pair with probability 0.
struct UsablePass {
    unreachable: Option<usize>,
    impossible: Option<(usize, usize)>,
}

/// One pass: ℓ must be finite and within [`MAX_NATS_PER_POINT`]; also finds the zero-probability pairs
/// and checks the magnitude of L under the uniform q.
fn usable_pass<M: Mixture>(model: &M, params: &M::Params) -> Result<UsablePass, EmError> {
    let unusable = || EmError::new(ErrorKind::ParamsUnusable { model: M::NAME });
    let prepared = model.prepare(params);
    let k = M::components(params);
    let mut row = vec![0.0; k];
    let mut reaches = vec![false; k];
    let mut impossible = None;
    let (mut loglik, mut energy) = (0.0, 0.0);
    for i in 0..model.len() {
        model.log_joint_row(&prepared, i, &mut row);
        if row.iter().any(|v| v.is_nan() || *v == f64::INFINITY) {
            return Err(unusable());
        }
        loglik += log_sum_exp_row(&row);
        for (j, &v) in row.iter().enumerate() {
            if v.is_finite() {
                reaches[j] = true;
                energy += v / k as f64;
            } else if impossible.is_none() {
                impossible = Some((j, i));
            }
        }
    }
    if !loglik.is_finite() {
        return Err(unusable());
    }
    // Hard EM's "ℓ" is −J, in the data's squared units, not nats: no slice is drawn through it, and a limit
    // per point refused k-means on points in metres (UTM, ~5e6: J = 1.3e15 for four points). Its J must
    // only leave the trace's axis room.
    let limit = if M::HARD {
        super::params::MAX_HARD_OBJECTIVE
    } else {
        MAX_NATS_PER_POINT * model.len().max(1) as f64
    };
    let bound = energy + model.len() as f64 * (k as f64).ln();
    if loglik.abs() > limit || bound.abs() > limit || !bound.is_finite() {
        let value = if loglik.abs() > limit { loglik } else { bound };
        // Hard EM says it of its objective J = −ℓ.
        let value = if M::HARD { -value } else { value };
        return Err(EmError::new(ErrorKind::ParamsOverflow {
            value,
            model: M::NAME,
        }));
    }
    Ok(UsablePass {
        unreachable: reaches.iter().position(|r| !r),
        impossible,
    })
}

/// ln Σₖ exp(aₖ), stable for large and −∞ entries.
pub fn log_sum_exp(a: &[f64]) -> f64 {
    log_sum_exp_lanes(a)
}

/// [`log_sum_exp`] on every lane: as many rows at once as `L` has lanes, each with the one-lane numbers
/// (NaN entries are passed over for the maximum, as `f64::max` does, and make the sum NaN).
#[inline(always)]
pub fn log_sum_exp_lanes<L: Lanes>(a: &[L]) -> L {
    let max = max_lanes(a);
    let sum = a
        .iter()
        .fold(L::splat(0.0), |sum, &v| sum + exp_lanes(v - max));
    L::select(
        L::eq(max, L::splat(f64::NEG_INFINITY)),
        max,
        max + ln_lanes(sum),
    )
}

/// The largest entry of `a` per lane, passing over NaN (−∞ for none).
#[inline(always)]
fn max_lanes<L: Lanes>(a: &[L]) -> L {
    a.iter().fold(L::splat(f64::NEG_INFINITY), |max, &v| {
        L::select(L::lt(max, v), v, max)
    })
}

/// One row's contribution Σₖ qₖ (ln p(x, z = k) − ln qₖ) to L, with 0·ln 0 = 0.
pub fn bound_term(log_joint: &[f64], q: &[f64]) -> f64 {
    log_joint
        .iter()
        .zip(q)
        .filter(|(_, &qk)| qk > 0.0)
        .map(|(&lj, &qk)| qk * (lj - ln(qk)))
        .sum()
}

/// Turns one row of ln p(xᵢ, z = k | θ) (length K ≤ [`MAX_K`]) into the posterior qᵢ in place and returns
/// (ln Σₖ p(xᵢ, k | θ), −Σₖ qᵢₖ ln qᵢₖ): K exps, one ln and one division (qᵢₖ = e^{aₖ − max} / Σ, which sums
/// to 1 up to rounding, so no renormalisation is needed); K = 2 is [`soft_pair`]. Every E-step of every
/// model, and the formulas' numbers, come from here.
/// One copy of the code serves every caller (the wasm holds exp and ln inline only in the kernels that
/// take two points at a time, through [`soft_row_lanes`]).
#[inline(never)]
pub fn soft_row(row: &mut [f64]) -> (f64, f64) {
    soft_row_lanes(row)
}

/// [`soft_row`] on every lane (K = 2 by [`soft_pair_lanes`]): as many rows at once as `L` has lanes,
/// each with the one-lane numbers.
#[inline(always)]
pub fn soft_row_lanes<L: Lanes>(row: &mut [L]) -> (L, L) {
    if let [l0, l1] = *row {
        let (q0, q1, lse, entropy) = soft_pair_lanes(l0, l1);
        (row[0], row[1]) = (q0, q1);
        return (lse, entropy);
    }
    let k = row.len().min(MAX_K);
    let row = &mut row[..k];
    let max = max_lanes(row);
    let mut shifted = [L::splat(0.0); MAX_K];
    let mut sum = L::splat(0.0);
    for (a, v) in shifted.iter_mut().zip(row.iter_mut()) {
        *a = *v - max;
        *v = exp_lanes(*a);
        sum = sum + *v;
    }
    let (ln_sum, inv) = (ln_lanes(sum), L::splat(1.0) / sum);
    let mut dot = L::splat(0.0);
    for (&a, v) in shifted.iter().zip(row.iter_mut()) {
        *v = *v * inv;
        dot = L::select(L::lt(L::splat(0.0), *v), dot + *v * a, dot);
    }
    (max + ln_sum, ln_sum - dot)
}

/// The K = 2 case of [`soft_row`] from the two log-joints: (q₀, q₁, ln(p₀ + p₁), entropy), with one exp
/// and one ln_1p (the inline ones of [`super::fastmath`], as every function here).
#[inline(always)]
pub fn soft_pair(l0: f64, l1: f64) -> (f64, f64, f64, f64) {
    soft_pair_lanes(l0, l1)
}

/// [`soft_pair`] on every lane: as many points at once as `L` has lanes, each with the one-lane numbers.
#[inline(always)]
pub fn soft_pair_lanes<L: Lanes>(l0: L, l1: L) -> (L, L, L, L) {
    let first = L::ge(l0, l1);
    let (hi, lo) = (L::select(first, l0, l1), L::select(first, l1, l0));
    let gap = lo - hi;
    let e = exp_lanes(gap);
    let ln1p = ln_1p_unit_lanes(e);
    let q_hi = L::splat(1.0) / (L::splat(1.0) + e);
    let q_lo = e * q_hi;
    let entropy = L::select(L::lt(L::splat(0.0), q_lo), ln1p - q_lo * gap, ln1p);
    let (q0, q1) = (L::select(first, q_hi, q_lo), L::select(first, q_lo, q_hi));
    (q0, q1, hi + ln1p, entropy)
}

/// One point per lane of a K = 2 pass, its ln left out: ln(p₀ + p₁) = `loglik` + ln `u` and the point's
/// H(q) = `entropy` + ln `u`, with u = 1 + e^{gap} ∈ [1, 2] ([`soft_pair`]'s numbers otherwise). A pass adds
/// ln u up by [`LnProduct`], one ln per block of points: per point one exp and one division.
pub struct PairTerms<L> {
    /// q₀.
    pub q0: L,
    /// q₁.
    pub q1: L,
    /// 1 + e^{gap}, rounded.
    pub u: L,
    /// The larger log-joint plus c, the rounding of 1 + e^{gap} over u (ln(1 + e) = ln u + c, as ln_1p).
    pub loglik: L,
    /// −q_small · gap + c.
    pub entropy: L,
}

/// [`PairTerms`] from the two log-joints (both −∞: u = 1, ℓ's term −∞).
#[inline(always)]
pub fn pair_terms<L: Lanes>(l0: L, l1: L) -> PairTerms<L> {
    let first = L::ge(l0, l1);
    let (hi, lo) = (L::select(first, l0, l1), L::select(first, l1, l0));
    let gap = lo - hi;
    let e = exp_gap_lanes(gap);
    let one = L::splat(1.0);
    let u = one + e;
    let q_hi = one / u;
    let q_lo = e * q_hi;
    let c = (e - (u - one)) * q_hi;
    let entropy = L::select(L::lt(L::splat(0.0), q_lo), c - q_lo * gap, c);
    PairTerms {
        q0: L::select(first, q_hi, q_lo),
        q1: L::select(first, q_lo, q_hi),
        u,
        loglik: hi + c,
        entropy,
    }
}

/// One row per lane of a pass over `K` components (`K` = 0: any K, `k` of them), its ln left out
/// ([`PairTerms`] for any K): turns the log-joints in `row` into q ([`soft_row`]'s numbers) and returns
/// (max, u, −Σₖ qₖ aₖ), aₖ the log-joint minus max, u = Σₖ e^{aₖ} ∈ [1, K]: ln Σₖ p(x, k) = max + ln u and
/// H = ln u − Σₖ qₖ aₖ. A NaN log-joint weighs 0 here (`exp_gap_lanes`), as −∞ would (the 2-D kernel's
/// 0 · ∞ for a point ~10³⁰⁰ σ away, whose density is 0); the outlined [`soft_row`] and
/// [`log_sum_exp_row`], which `usable_pass` checks a θ with, keep NaN.
#[inline(always)]
pub fn soft_row_terms<L: Lanes, const K: usize>(row: &mut [L; MAX_K], k: usize) -> (L, L, L) {
    let k = fixed_k::<K>(k);
    let zero = L::splat(0.0);
    let mut max = L::splat(f64::NEG_INFINITY);
    each_k!(K, k, 0, j => {
        max = L::select(L::lt(max, row[j]), row[j], max);
    });
    let mut shifted = [zero; MAX_K];
    let mut sum = zero;
    each_k!(K, k, 0, j => {
        shifted[j] = row[j] - max;
        row[j] = exp_gap_lanes(shifted[j]);
        sum = sum + row[j];
    });
    let inv = L::splat(1.0) / sum;
    let mut dot = zero;
    each_k!(K, k, 0, j => {
        row[j] = row[j] * inv;
        dot = L::select(L::lt(zero, row[j]), dot + row[j] * shifted[j], dot);
    });
    (max, sum, zero - dot)
}

/// (max, u) of [`soft_row_terms`] without q: ln Σₖ e^{rowₖ} = max + ln u.
#[inline(always)]
pub fn log_sum_exp_terms<L: Lanes, const K: usize>(row: &[L; MAX_K], k: usize) -> (L, L) {
    let k = fixed_k::<K>(k);
    let mut max = L::splat(f64::NEG_INFINITY);
    each_k!(K, k, 0, j => {
        max = L::select(L::lt(max, row[j]), row[j], max);
    });
    let mut sum = L::splat(0.0);
    each_k!(K, k, 0, j => {
        sum = sum + exp_gap_lanes(row[j] - max);
    });
    (max, sum)
}

/// Points per lane whose u are multiplied before one ln ([`LnProduct`]): each u ≤ [`MAX_K`], and
/// 10²⁵⁶ is far inside f64's range.
pub const LN_BLOCK: usize = 256;

/// Σ ln uᵢ over a pass, per lane, for uᵢ ∈ [1, [`MAX_K`]] (a row's Σₖ e^{aₖ − max}): the uᵢ are multiplied
/// and the product's ln taken every [`LN_BLOCK`] points, so a pass makes one ln per block instead of one per
/// point. The product's rounding (≤ one ulp per factor) gives the same accuracy as summing the lns.
pub struct LnProduct<L> {
    /// The product of the block so far.
    product: L,
    /// Factors in `product`.
    count: usize,
    /// The lns of the blocks done.
    sum: L,
}

impl<L: Lanes> Default for LnProduct<L> {
    /// Nothing multiplied yet.
    #[inline(always)]
    fn default() -> Self {
        LnProduct {
            product: L::splat(1.0),
            count: 0,
            sum: L::splat(0.0),
        }
    }
}

impl<L: Lanes> LnProduct<L> {
    /// Multiplies in one u per lane.
    #[inline(always)]
    pub fn push(&mut self, u: L) {
        self.product = self.product * u;
        self.count += 1;
        if self.count == LN_BLOCK {
            self.sum = self.sum + ln_of_block(self.product);
            self.product = L::splat(1.0);
            self.count = 0;
        }
    }

    /// Σ ln u per lane.
    #[inline(always)]
    pub fn total(self) -> L {
        self.sum + ln_of_block(self.product)
    }
}

/// [`ln_lanes`] for [`LnProduct`]: one outlined copy per lane type, called once per block (every kernel
/// holding an inline copy of ln costs wasm size for nothing).
#[inline(never)]
fn ln_of_block<L: Lanes>(product: L) -> L {
    ln_lanes(product)
}

/// ln(e^a + e^b) on every lane, with one exp and one ln_1p (−∞ where both are).
#[inline(always)]
pub fn log_sum_exp_pair<L: Lanes>(a: L, b: L) -> L {
    let first = L::ge(a, b);
    let (hi, lo) = (L::select(first, a, b), L::select(first, b, a));
    let sum = hi + ln_1p_unit_lanes(exp_lanes(lo - hi));
    L::select(L::eq(hi, L::splat(f64::NEG_INFINITY)), hi, sum)
}

/// ln Σₖ exp(aₖ) for a row of length ≤ [`MAX_K`] (the fast kernels' ℓ; −∞ when every entry is). One copy
/// of the code serves every caller (as [`soft_row`]).
#[inline(never)]
pub fn log_sum_exp_row(row: &[f64]) -> f64 {
    log_sum_exp_row_lanes(row)
}

/// [`log_sum_exp_row`] on every lane (K = 2 by [`log_sum_exp_pair`]).
#[inline(always)]
pub fn log_sum_exp_row_lanes<L: Lanes>(row: &[L]) -> L {
    if let [a, b] = *row {
        return log_sum_exp_pair(a, b);
    }
    log_sum_exp_lanes(row)
}

/// Calls method `$f` of `$obj` instantiated for `$k` components: K = 2 and K = 3 get copies of their own
/// (loops the compiler unrolls and keeps in registers), every other K the general `::<0>` (see
/// [`fixed_k`]). The one place that decides which K get their own code: each copy costs wasm size.
macro_rules! by_k {
    ($k:expr, $obj:ident . $f:ident ( $($arg:expr),* $(,)? )) => {
        match $k {
            2 => $obj.$f::<2>($($arg),*),
            3 => $obj.$f::<3>($($arg),*),
            _ => $obj.$f::<0>($($arg),*),
        }
    };
}
pub(crate) use by_k;

/// K inside a kernel written for `K` components (`K` = 0: any K, known only at run time as `k`): a kernel
/// called as `kernel::<2>` or `kernel::<3>` has its loops over components unrolled at compile time.
#[inline(always)]
pub const fn fixed_k<const K: usize>(k: usize) -> usize {
    if K == 0 {
        if k < MAX_K {
            k
        } else {
            MAX_K
        }
    } else {
        K
    }
}

/// Index of the largest entry (the first on ties).
pub fn argmax(a: &[f64]) -> usize {
    let mut best = 0;
    for (j, &v) in a.iter().enumerate() {
        if v > a[best] {
            best = j;
        }
    }
    best
}
