//! The lower-bound view every likelihood model shares: ℓ, L, KL, the slice through θ and Jensen's chord.
//!
//! Figures draw from [`BoundView`] only, so one figure serves the 1-D, 2-D and coin models alike.

use super::em::{
    bound_term, log_sum_exp, Em, Mixture, NextEStep, Phase, SliceCoordinate, TracePoint,
};

/// Jensen's inequality for one observation xᵢ: the points rₖ = p(xᵢ, k | θ) / qᵢₖ on y = ln r.
#[derive(Clone, Debug, PartialEq)]
pub struct JensenPoint {
    /// The observation's index.
    pub index: usize,
    /// qᵢₖ for each component.
    pub q: Vec<f64>,
    /// ln p(xᵢ, z = k | θ) for each component.
    pub log_joint: Vec<f64>,
    /// rₖ = p(xᵢ, z = k | θ) / qᵢₖ (NaN where qᵢₖ = 0: that component has no marker).
    pub r: Vec<f64>,
    /// ln rₖ.
    pub ln_r: Vec<f64>,
    /// The chord point (Σₖ qₖ rₖ, Σₖ qₖ ln rₖ): its height is this point's share of L.
    pub chord: (f64, f64),
    /// The curve point (p(xᵢ | θ), ln p(xᵢ | θ)): its height is this point's share of ℓ.
    pub curve: (f64, f64),
    /// ln p(xᵢ | θ) − Σₖ qₖ ln rₖ = KL(qᵢ ‖ p(z | xᵢ, θ)) ≥ 0.
    pub gap: f64,
}

/// Which line through parameter space the slice follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SliceAlong {
    /// θ(t) = θ_old + t (θ_new − θ_old) in free coordinates, θ_new the next M-step's result.
    EmDirection,
    /// One free coordinate varied around its current value, the others held.
    Coordinate(usize),
}

/// ℓ(θ(t)) and L(q, θ(t)) sampled along a line through θ. The line runs from θ_old (before the M-step
/// for the current q) to θ_new (after it): before an M-step θ_old is the current θ and θ_new the next
/// M-step's result; after an M-step θ_old is the θ it started from and θ_new the current θ.
#[derive(Clone, Debug, PartialEq)]
pub struct Slice {
    /// The positions t (EM direction) or coordinate values (single coordinate) of the samples.
    pub at: Vec<f64>,
    /// ℓ at each sample.
    pub loglik: Vec<f64>,
    /// L(q, ·) at each sample, for the current q.
    pub bound: Vec<f64>,
    /// Where the current θ lies on the line.
    pub at_old: f64,
    /// Where θ_new lies on the line.
    pub at_new: f64,
    /// Where the current θ lies on the line (θ_old, or θ_new after an M-step).
    pub at_current: f64,
    /// The name of the axis: "t" or the coordinate's name.
    pub axis: String,
    /// The first and last position of the line (the x range of the figure), even while only some
    /// samples have been computed.
    pub range: (f64, f64),
    /// The least depth, in nats, of the figure's value window: along one coordinate, how far L falls from
    /// θ_new to the line's ends (÷ 2.5); 0 along the EM direction.
    pub depth: f64,
}

/// A slice to compute: where its samples lie on the line, and the line itself in free coordinates.
/// Computing it sample by sample ([`SliceSource::slice_sample`]) lets a page spread a slice over a large
/// data set across frames instead of freezing for seconds.
#[derive(Clone, Debug, PartialEq)]
pub struct SlicePlan {
    /// The positions of all samples, in order.
    pub at: Vec<f64>,
    /// Where θ_old lies on the line.
    pub at_old: f64,
    /// Where θ_new lies on the line.
    pub at_new: f64,
    /// Where the current θ lies on the line.
    pub at_current: f64,
    /// The name of the axis: "t" or the coordinate's name.
    pub axis: String,
    /// The least depth of the value window ([`Slice::depth`]).
    pub depth: f64,
    along: SliceAlong,
    /// Along one coordinate, the free coordinates it moves (the first is the axis); else empty.
    moves: Vec<usize>,
    old: Vec<f64>,
    new: Vec<f64>,
    current_is_new: bool,
}

impl SlicePlan {
    /// The sample indices in the order to compute them: θ_old's and θ_new's nearest samples and the two
    /// ends first, then halving the gaps, so a partly computed slice already shows the whole line.
    pub fn order(&self) -> Vec<usize> {
        let n = self.at.len();
        let nearest = |v: f64| super::nearest::nearest_1d(&self.at, v);
        let mut seen = vec![false; n];
        let mut order = Vec::with_capacity(n);
        let mut take = |i: usize, order: &mut Vec<usize>| {
            if !seen[i] {
                seen[i] = true;
                order.push(i);
            }
        };
        for i in [0, n - 1, nearest(self.at_old), nearest(self.at_new)] {
            take(i, &mut order);
        }
        let mut step = (n - 1).next_power_of_two();
        while step > 0 {
            for i in (0..n).step_by(step) {
                take(i, &mut order);
            }
            step /= 2;
        }
        order
    }

    /// True when sample `i` of both plans is the same θ: the same line, the same positions on it, and (along
    /// one coordinate, where the other coordinates are the current θ's) the same current end.
    pub fn same_samples(&self, other: &SlicePlan) -> bool {
        self.at == other.at
            && self.old == other.old
            && self.new == other.new
            && self.along == other.along
            && self.moves == other.moves
            && (self.along == SliceAlong::EmDirection
                || self.current_is_new == other.current_is_new)
    }

    /// The slice made of the samples computed so far: `(index, ℓ, L)` in any order.
    pub fn slice_of(&self, computed: &[(usize, f64, f64)]) -> Slice {
        let mut done: Vec<&(usize, f64, f64)> = computed.iter().collect();
        super::small_sort::sort_small_by(&mut done, |a, b| a.0 < b.0);
        Slice {
            at: done.iter().map(|c| self.at[c.0]).collect(),
            loglik: done.iter().map(|c| c.1).collect(),
            bound: done.iter().map(|c| c.2).collect(),
            at_old: self.at_old,
            at_new: self.at_new,
            at_current: self.at_current,
            axis: self.axis.clone(),
            range: (self.at[0], self.at[self.at.len() - 1]),
            depth: self.depth,
        }
    }
}

/// The range of t the EM-direction slice covers.
pub const SLICE_T: (f64, f64) = (-0.5, 1.5);

/// What a slice needs of a state: its line through θ, ℓ and L at the samples on it, and ℓ and L at the
/// state itself. A state on show ([`BoundView`]) is one; the state the next E-step will give
/// ([`AfterEStep`]) is another, so a page can compute that E-step's slice before the click.
pub trait SliceSource {
    /// Number of observations N.
    fn observations(&self) -> usize;
    /// Which data and model ℓ(θ) is computed on ([`Em::run_id`]).
    fn run_id(&self) -> u64;
    /// ℓ(θ).
    fn loglik(&self) -> f64;
    /// L(q, θ).
    fn lower_bound(&self) -> f64;
    /// True for hard EM (k-means): ℓ is then minus the objective J and there is no bound to draw.
    fn is_hard(&self) -> bool;
    /// The line through θ for a slice of `samples` evenly spaced points (at least 2).
    fn slice_plan(&self, along: SliceAlong, samples: usize) -> SlicePlan;
    /// ℓ and L at sample `index` of `plan` (one pass over the data).
    fn slice_sample(&self, plan: &SlicePlan, index: usize) -> (f64, f64);
    /// ℓ's terms at sample `index` of `plan` for the observations in `range` only (a part of a pass, so a
    /// sample at a million points can be spread over frames), or `None` where a sample is computed whole
    /// (hard EM, whose ℓ and L come from one pass over the labels).
    fn slice_sample_part(
        &self,
        plan: &SlicePlan,
        index: usize,
        range: std::ops::Range<usize>,
    ) -> Option<f64>;
    /// L at sample `index` of `plan` for a sample computed in parts (O(K), from the statistics).
    fn slice_sample_bound(&self, plan: &SlicePlan, index: usize) -> f64;
}

/// What the bound figures need of a model, whatever its data.
pub trait BoundView: SliceSource {
    /// Number of components K.
    fn components(&self) -> usize;
    /// The half-step that produced the current state.
    fn phase(&self) -> Phase;
    /// Completed iterations.
    fn iteration(&self) -> usize;
    /// ℓ and L after every half-step.
    fn trace(&self) -> &[TracePoint];
    /// Jensen's chord for observation `i` (which must be < N).
    fn jensen(&self, i: usize) -> JensenPoint;
    /// ℓ and L along a line through θ, at `samples` evenly spaced points.
    fn slice(&self, along: SliceAlong, samples: usize) -> Slice {
        let plan = self.slice_plan(along, samples);
        let computed: Vec<(usize, f64, f64)> = (0..plan.at.len())
            .map(|i| {
                let (l, b) = self.slice_sample(&plan, i);
                (i, l, b)
            })
            .collect();
        plan.slice_of(&computed)
    }
    /// Names of the free coordinates of θ (for choosing a single-coordinate slice).
    fn free_names(&self) -> Vec<String>;
    /// The observation whose posterior under θ is most evenly split: a point in the overlap.
    fn overlap_point(&self) -> usize;
    /// The observation with the largest share of the gap KL (its own ln p(xᵢ | θ) − Σₖ qᵢₖ ln rᵢₖ), or
    /// `None` when every share is rounding noise (after an E-step q is the posterior and all are 0).
    fn largest_gap_point(&self) -> Option<usize>;
    /// After an E-step, the largest-share point of the state before it
    /// ([`Em::largest_gap_point_before_e_step`]); `None` otherwise.
    fn largest_gap_point_before_e_step(&self) -> Option<usize>;
    /// A short description of observation `i` in `lang`'s words, e.g. "x = 172.3" ([`Mixture::describe`]).
    fn describe(&self, i: usize, lang: crate::text::Lang) -> String;
    /// The state the next E-step will give, for its slice (see [`AfterEStep`]); `None` where that E-step
    /// is not computed ahead (hard EM, before the first pass, above [`crate::core::em::MAX_LOOK_AHEAD`]).
    fn after_e_step(&self) -> Option<Box<dyn SliceSource + '_>>;
}

impl<M: Mixture> SliceSource for Em<M> {
    fn observations(&self) -> usize {
        self.model().len()
    }
    fn run_id(&self) -> u64 {
        Em::run_id(self)
    }
    fn loglik(&self) -> f64 {
        Em::loglik(self)
    }
    fn lower_bound(&self) -> f64 {
        Em::lower_bound(self)
    }
    fn is_hard(&self) -> bool {
        M::HARD
    }
    fn slice_plan(&self, along: SliceAlong, samples: usize) -> SlicePlan {
        let model = self.model();
        let (old, new, current_is_new) = match self.params_before_m_step() {
            Some(before) => (model.to_free(before), model.to_free(self.params()), true),
            None => (
                model.to_free(self.params()),
                model.to_free(&self.peek_m_step()),
                false,
            ),
        };
        let gap = (self.loglik() - Em::lower_bound(self)).max(0.0);
        let bound = |p: &M::Params| self.bound_at(p);
        plan_through(
            self,
            (old, new, current_is_new),
            &bound,
            gap,
            along,
            samples,
        )
    }

    fn slice_sample(&self, plan: &SlicePlan, index: usize) -> (f64, f64) {
        let params = sample_params(self, plan, index);
        self.evaluate_with_entropy(&params, self.entropy())
    }

    fn slice_sample_part(
        &self,
        plan: &SlicePlan,
        index: usize,
        range: std::ops::Range<usize>,
    ) -> Option<f64> {
        (!M::HARD).then(|| self.loglik_part_at(&sample_params(self, plan, index), range))
    }

    fn slice_sample_bound(&self, plan: &SlicePlan, index: usize) -> f64 {
        self.bound_at(&sample_params(self, plan, index))
    }
}

impl<M: Mixture> BoundView for Em<M> {
    fn components(&self) -> usize {
        self.k()
    }
    fn phase(&self) -> Phase {
        Em::phase(self)
    }
    fn iteration(&self) -> usize {
        Em::iteration(self)
    }
    fn trace(&self) -> &[TracePoint] {
        Em::trace(self)
    }

    fn jensen(&self, i: usize) -> JensenPoint {
        let log_joint = self.log_joint_row(i);
        let q = self.q_row(i).to_vec();
        let ln_r: Vec<f64> = log_joint
            .iter()
            .zip(&q)
            .map(|(&lj, &qk)| if qk > 0.0 { lj - qk.ln() } else { f64::NAN })
            .collect();
        let r: Vec<f64> = ln_r.iter().map(|v| v.exp()).collect();
        let weighted = |v: &[f64]| -> f64 {
            v.iter()
                .zip(&q)
                .filter(|(_, &qk)| qk > 0.0)
                .map(|(x, qk)| qk * x)
                .sum()
        };
        let ln_p = log_sum_exp(&log_joint);
        let chord_y = bound_term(&log_joint, &q);
        JensenPoint {
            index: i,
            chord: (weighted(&r), chord_y),
            curve: (ln_p.exp(), ln_p),
            gap: ln_p - chord_y,
            q,
            r,
            ln_r,
            log_joint,
        }
    }

    fn free_names(&self) -> Vec<String> {
        let coordinates = self.model().slice_coordinates(self.params());
        coordinates.into_iter().map(|c| c.name).collect()
    }

    fn describe(&self, i: usize, lang: crate::text::Lang) -> String {
        self.model().describe(i, lang)
    }

    fn largest_gap_point(&self) -> Option<usize> {
        Em::largest_gap_point(self)
    }

    fn largest_gap_point_before_e_step(&self) -> Option<usize> {
        Em::largest_gap_point_before_e_step(self)
    }

    fn after_e_step(&self) -> Option<Box<dyn SliceSource + '_>> {
        let next = self.next_e_step()?;
        let new = next.m_step();
        Some(Box::new(AfterEStep {
            em: self,
            next,
            new,
        }))
    }

    fn overlap_point(&self) -> usize {
        let model = self.model();
        let prepared = model.prepare(self.params());
        let mut row = vec![0.0; self.k()];
        let mut best = (0, f64::INFINITY);
        for i in 0..model.len() {
            model.log_joint_row(&prepared, i, &mut row);
            let lse = log_sum_exp(&row);
            let top = row.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v)) - lse;
            if top < best.1 {
                best = (i, top);
            }
        }
        best.0
    }
}

/// θ at sample `index` of `plan`: along the EM direction, or one coordinate moved from the current θ with
/// the others held there.
fn sample_params<M: Mixture>(em: &Em<M>, plan: &SlicePlan, index: usize) -> M::Params {
    let a = plan.at[index.min(plan.at.len() - 1)];
    // A single coordinate moves from the current θ with the others held there.
    let mut free = if plan.current_is_new {
        plan.new.clone()
    } else {
        plan.old.clone()
    };
    match plan.along {
        SliceAlong::EmDirection => {
            for (f, (o, n)) in free.iter_mut().zip(plan.old.iter().zip(&plan.new)) {
                *f = o + a * (n - o);
            }
        }
        SliceAlong::Coordinate(_) => move_to(&mut free, &plan.moves, a),
    }
    em.model().from_free(&free, em.params())
}

/// Moves the free coordinates `moves` of `free` together, so that the first (the axis) is at `a`.
fn move_to(free: &mut [f64], moves: &[usize], a: f64) {
    let shift = a - free[moves[0]];
    for &i in moves {
        free[i] += shift;
    }
}

/// The least depth, in nats, of a single-coordinate slice's value window ([`Slice::depth`]).
pub const SLICE_DEPTH_MIN: f64 = 0.25;

/// Half the width of a single-coordinate slice: where L, a function of the axis' value with its top at
/// `top`, has fallen by `drop` nats by its curvature there; at most `scale` (L flat, or its curvature not a
/// number).
fn reach(bound: &mut dyn FnMut(f64) -> f64, top: f64, scale: f64, drop: f64) -> f64 {
    let e = 1e-2 * scale;
    let curvature = (2.0 * bound(top) - bound(top + e) - bound(top - e)) / (e * e);
    let reach = (2.0 * drop / curvature).sqrt();
    if reach.is_finite() && reach > 0.0 {
        reach.min(scale)
    } else {
        scale
    }
}

/// The plan of a slice of `em`'s state along `along` through the line `(old, new, current_is_new)` in free
/// coordinates (the current θ is `new` when `current_is_new`, else `old`), with L(q, ·) for the slice's q
/// and the gap ℓ − L at the current θ (which size a single-coordinate line).
fn plan_through<M: Mixture>(
    em: &Em<M>,
    line: (Vec<f64>, Vec<f64>, bool),
    bound: &dyn Fn(&M::Params) -> f64,
    gap: f64,
    along: SliceAlong,
    samples: usize,
) -> SlicePlan {
    let model = em.model();
    let coordinates = model.slice_coordinates(em.params());
    let scales = model.free_scales(em.params());
    let bound_free = |free: &[f64]| bound(&model.from_free(free, em.params()));
    plan_of(
        line,
        (coordinates, scales),
        &bound_free,
        gap,
        along,
        samples,
    )
}

/// [`plan_through`] once for every model: `coordinates` and `scales` the model's slice coordinates and
/// natural steps, `bound` L(q, ·) of free coordinates.
fn plan_of(
    (old, new, current_is_new): (Vec<f64>, Vec<f64>, bool),
    (mut coordinates, scales): (Vec<SliceCoordinate>, Vec<f64>),
    bound: &dyn Fn(&[f64]) -> f64,
    gap: f64,
    along: SliceAlong,
    samples: usize,
) -> SlicePlan {
    let samples = samples.max(2);
    // Past the last coordinate, the last; with none (nothing moves), the EM direction.
    let along = match along {
        SliceAlong::Coordinate(i) if !coordinates.is_empty() => {
            SliceAlong::Coordinate(i.min(coordinates.len() - 1))
        }
        _ => SliceAlong::EmDirection,
    };
    type Line = (Vec<f64>, String, f64, f64, Vec<usize>, f64);
    let (at, axis, at_old, at_new, moves, depth): Line = match along {
        SliceAlong::EmDirection => {
            let (a, b) = SLICE_T;
            let at = (0..samples)
                .map(|s| a + (b - a) * s as f64 / (samples - 1) as f64)
                .collect();
            (at, "t".to_string(), 0.0, 1.0, Vec::new(), 0.0)
        }
        SliceAlong::Coordinate(i) => {
            let SliceCoordinate { name, moves } = coordinates.swap_remove(i);
            let index = moves[0];
            let centre = 0.5 * (old[index] + new[index]);
            // The figure's value window is about 2.5 times as deep as the gap and the rise of L from θ_old
            // to θ_new, at least SLICE_DEPTH_MIN (`figures::slice::y_range`): the line is as wide as L
            // takes to fall that far, so a curve does not stand in it as a spike (a fixed step, a σ of the
            // data for μ or e for σ, made one at a hundred points or more, the window taken by the plunge
            // at one end). Near convergence, with no gap to show, the curves still bend visibly.
            let mut free = if current_is_new {
                new.clone()
            } else {
                old.clone()
            };
            let mut along_line = |a: f64| {
                move_to(&mut free, &moves, a);
                bound(&free)
            };
            let rise = (along_line(new[index]) - along_line(old[index])).abs();
            let depth = (gap + rise).max(SLICE_DEPTH_MIN);
            let reach = reach(&mut along_line, new[index], scales[index], 2.5 * depth);
            let half_width = (1.5 * (new[index] - old[index]).abs()).max(reach);
            let at = (0..samples)
                .map(|s| centre - half_width + 2.0 * half_width * s as f64 / (samples - 1) as f64)
                .collect();
            (at, name, old[index], new[index], moves, depth)
        }
    };
    SlicePlan {
        at_current: if current_is_new { at_new } else { at_old },
        at,
        at_old,
        at_new,
        axis,
        depth,
        along,
        moves,
        old,
        new,
        current_is_new,
    }
}

/// The state the next E-step will give, as far as its slice needs it: θ as now, and for q the posterior the
/// last pass computed ahead (which that E-step takes as it is). Its slice's samples are bit for bit the ones
/// the E-step's state will compute, so a page can compute them while it waits for the click.
struct AfterEStep<'a, M: Mixture> {
    em: &'a Em<M>,
    next: NextEStep<'a, M>,
    /// The M-step from that q: the slice's θ_new.
    new: M::Params,
}

impl<M: Mixture> SliceSource for AfterEStep<'_, M> {
    fn observations(&self) -> usize {
        self.em.model().len()
    }
    fn run_id(&self) -> u64 {
        self.em.run_id()
    }
    fn loglik(&self) -> f64 {
        self.em.loglik()
    }
    fn lower_bound(&self) -> f64 {
        self.next.lower_bound()
    }
    fn is_hard(&self) -> bool {
        M::HARD
    }
    fn slice_plan(&self, along: SliceAlong, samples: usize) -> SlicePlan {
        let model = self.em.model();
        let line = (
            model.to_free(self.em.params()),
            model.to_free(&self.new),
            false,
        );
        // After the E-step q is the posterior: no gap at θ.
        plan_through(
            self.em,
            line,
            &|p: &M::Params| self.next.bound(p),
            0.0,
            along,
            samples,
        )
    }
    fn slice_sample(&self, plan: &SlicePlan, index: usize) -> (f64, f64) {
        self.next.evaluate(&sample_params(self.em, plan, index))
    }
    fn slice_sample_part(
        &self,
        plan: &SlicePlan,
        index: usize,
        range: std::ops::Range<usize>,
    ) -> Option<f64> {
        SliceSource::slice_sample_part(self.em, plan, index, range)
    }
    fn slice_sample_bound(&self, plan: &SlicePlan, index: usize) -> f64 {
        self.next.bound(&sample_params(self.em, plan, index))
    }
}
