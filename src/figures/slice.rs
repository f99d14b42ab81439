//! "Lower bound along a line in θ" (Bishop PRML Fig. 9.14, live): ℓ(θ) and L(q, θ) for the current q
//! along the EM direction or one coordinate, with θ_old, θ_new and the KL gap marked.

use super::format::{axis_number, tick_number, NOISE};
use super::legend::{legend_band, LegendEntry, Swatch};
use super::style::{
    axes, fitted_lines, fitting_desc_font, fitting_range_labels, fitting_y_labels, panel, titled,
    PlotTransform, Style, BOUND, CHART_MARGIN, GAP, INK,
};
use super::FigureError;
use crate::core::bound::{BoundView, Slice, SliceAlong, SlicePlan, SliceSource};
use crate::text::fill;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// CSS px between the line's description and the figure's bottom edge.
const BOTTOM_MARGIN: f64 = 4.0;

/// CSS pixels of the figure's width per position on the line: the curves are drawn through every position,
/// computed or read off the cubic between computed samples.
pub const PX_PER_SAMPLE: f64 = 5.0;
/// The fewest and the most samples on the line (both a power of two plus one).
pub const SAMPLE_RANGE: (usize, usize) = (33, 257);
/// Samples on the first, even pass over the line (every [`SliceSampler`] starts with these).
pub const COARSE_SAMPLES: usize = 5;
/// The figure size (CSS pixels) the samples are chosen for, whatever the canvas: the slice a page computes
/// and the one an export computes by itself are then the same (a slice figure on the page is 450–800 px
/// wide).
pub const SAMPLED_FOR: (f64, f64) = (800.0, 500.0);
/// How far, in CSS pixels, a curve may stray from the cubic drawn between two samples before the sampler
/// computes the sample between them.
pub const TOLERANCE_PX: f64 = 0.3;
/// Observations per part of a sample's pass on large data: a sample at a million points is computed in
/// parts of this many (the parts of every pass, [`crate::core::em::PASS_PART`]), so the page's frame
/// budget holds (a part is about a millisecond).
pub const SAMPLE_CHUNK: usize = crate::core::em::PASS_PART;

/// The top of a panel from `lo` to at least `hi` on which plotters writes two tick labels (asked for
/// two): `hi` itself where it gets them, else the first of 5 × 10ᵏ and 10ᵏ⁺¹ above it that does.
fn two_label_top(lo: f64, hi: f64) -> f64 {
    use plotters::coord::ranged1d::Ranged;
    use plotters::coord::types::RangedCoordf64;
    let labels = |top: f64| RangedCoordf64::from(lo..top).key_points(2usize).len();
    // Only a range every figure can draw is searched for ticks (on an infinite one the search never ends).
    if super::style::drawable_range(lo..hi) != (lo..hi, false)
        || hi.partial_cmp(&lo) != Some(std::cmp::Ordering::Greater)
        || labels(hi) >= 2
    {
        return hi;
    }
    let unit = 10f64.powf((hi - lo).log10().floor());
    [5.0, 10.0]
        .into_iter()
        .map(|m| lo + m * unit)
        .find(|&top| top >= hi && labels(top) >= 2)
        .unwrap_or(hi)
}

/// Samples on the line for a figure `width` CSS pixels wide: one per [`PX_PER_SAMPLE`], rounded to a
/// power of two plus one in [`SAMPLE_RANGE`] (so every coarser level is every other sample, and t = 0 and
/// t = 1 lie on the coarsest). Few of them are computed ([`SliceSampler`]); the others are read off a cubic.
pub fn samples_for_width(width: f64) -> usize {
    let wanted = (width.max(1.0) / PX_PER_SAMPLE).log2().round();
    let wanted = if wanted.is_finite() { wanted } else { 0.0 };
    let (lo, hi) = SAMPLE_RANGE;
    (2usize.pow(wanted.clamp(0.0, 30.0) as u32) + 1).clamp(lo, hi)
}

/// A slice computed coarse to fine, a sample (one pass over the data) at a time: first
/// [`COARSE_SAMPLES`] evenly spaced and the samples at θ_old and θ_new, then, round after round, the
/// sample halfway between two computed ones wherever the cubic drawn between them ([`smooth_at`]) may be
/// more than [`TOLERANCE_PX`] from a curve (ℓ, L or the gap) at the figure's scale. A smooth stretch costs
/// nothing more; the slice is complete when no stretch needs another sample. The page spreads this over
/// frames; an export runs it to the end.
#[derive(Clone, Debug)]
pub struct SliceSampler {
    plan: SlicePlan,
    /// ℓ and L of each sample of the plan, where computed.
    values: Vec<Option<(f64, f64)>>,
    /// Samples to compute next (the current round), last first.
    queue: Vec<usize>,
    /// The heights of the curves panel and of the gap panel, in CSS pixels (about).
    panels_px: (f64, f64),
    complete: bool,
    /// A sample computed in parts (large data): its index, the next observation, and ℓ's terms so far.
    partial: Option<(usize, usize, f64)>,
    /// The run ([`SliceSource::run_id`]) the samples' ℓ was computed on.
    run_id: u64,
}

impl SliceSampler {
    /// A sampler for the slice of `view` along `along`, for a figure of [`SAMPLED_FOR`] CSS pixels.
    pub fn new(view: &dyn SliceSource, along: SliceAlong) -> Self {
        let (width, height) = SAMPLED_FOR;
        let plan = view.slice_plan(along, samples_for_width(width));
        let n = plan.at.len();
        let nearest = |v: f64| crate::core::nearest::nearest_1d(&plan.at, v);
        let stride = ((n - 1) / (COARSE_SAMPLES - 1)).max(1);
        let mut first: Vec<usize> = vec![nearest(plan.at_old), nearest(plan.at_new)];
        first.extend((0..n).step_by(stride));
        first.push(n - 1);
        let mut seen = vec![false; n];
        first.retain(|&i| !std::mem::replace(&mut seen[i], true));
        first.reverse();
        SliceSampler {
            values: vec![None; n],
            queue: first,
            plan,
            panels_px: (0.45 * height, 0.3 * height),
            complete: false,
            partial: None,
            run_id: view.run_id(),
        }
    }

    /// Takes over the ℓ of every sample `earlier` computed at the same θ on the same data (an E-step's slice
    /// and its M-step's follow one line, θ_old → θ_new, and ℓ(θ) does not depend on q), with L(q, θ) for the
    /// current q from the statistics (no pass); returns how many. Hard EM takes none over (its samples' ℓ
    /// and L come from one pass over the current labels).
    pub fn reuse(&mut self, earlier: &SliceSampler, view: &dyn SliceSource) -> usize {
        if view.is_hard()
            || earlier.run_id != self.run_id
            || self.run_id != view.run_id()
            || !self.plan.same_samples(&earlier.plan)
        {
            return 0;
        }
        let mut taken = 0;
        for (i, value) in earlier.values.iter().enumerate() {
            if let (Some((loglik, _)), None) = (value, self.values[i]) {
                self.values[i] = Some((*loglik, view.slice_sample_bound(&self.plan, i)));
                taken += 1;
            }
        }
        let values = &self.values;
        self.queue.retain(|&i| values[i].is_none());
        taken
    }

    /// True when every sample the figure needs is computed.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// Samples computed so far.
    pub fn computed(&self) -> usize {
        self.values.iter().filter(|v| v.is_some()).count()
    }

    /// Computes the next sample (one pass over the data; beyond [`SAMPLE_CHUNK`] observations, the next
    /// part of one); false when the slice is already complete.
    pub fn step(&mut self, view: &dyn SliceSource) -> bool {
        if let Some((i, from, sum)) = self.partial.take() {
            self.continue_sample(view, i, from, sum);
            return true;
        }
        if self.queue.is_empty() && !self.complete {
            self.queue = self.next_round(view);
            self.complete = self.queue.is_empty();
        }
        let Some(i) = self.queue.pop() else {
            return false;
        };
        if view.observations() > SAMPLE_CHUNK {
            if let Some(part) = view.slice_sample_part(&self.plan, i, 0..SAMPLE_CHUNK) {
                self.partial = Some((i, SAMPLE_CHUNK, part));
                return true;
            }
        }
        self.values[i] = Some(view.slice_sample(&self.plan, i));
        true
    }

    /// The next part of sample `i`'s pass, from observation `from` with ℓ's terms `sum` so far; the sample
    /// is done (L from the statistics) when the part reaches the last observation.
    fn continue_sample(&mut self, view: &dyn SliceSource, i: usize, from: usize, sum: f64) {
        let n = view.observations();
        let to = (from + SAMPLE_CHUNK).min(n);
        let part = view.slice_sample_part(&self.plan, i, from..to);
        let sum = sum + part.unwrap_or(f64::NAN);
        if to < n {
            self.partial = Some((i, to, sum));
        } else {
            self.values[i] = Some((sum, view.slice_sample_bound(&self.plan, i)));
        }
    }

    /// Computes samples until the slice is complete or `more` says stop (it is asked after each sample or
    /// part of one; at least one is computed when any is left, so a caller on a budget always moves on).
    pub fn run(&mut self, view: &dyn SliceSource, mut more: impl FnMut() -> bool) {
        while self.step(view) && more() {}
        // A slice whose last sample was just computed is complete once no stretch asks for more.
        if self.queue.is_empty() && self.partial.is_none() && !self.complete {
            self.queue = self.next_round(view);
            self.complete = self.queue.is_empty();
        }
    }

    /// The slice made of the samples computed so far, on every position of the plan between the first and
    /// the last of them where ℓ and L are finite: the positions not computed read ℓ and L off the cubic
    /// through the four nearest computed samples ([`smooth_at`]), which the sampler refines until it is
    /// within [`TOLERANCE_PX`] of the curves.
    pub fn slice(&self) -> Slice {
        let done = self.done();
        let at: Vec<f64> = done.iter().map(|c| self.plan.at[c.0]).collect();
        let loglik: Vec<f64> = done.iter().map(|c| c.1).collect();
        let bound: Vec<f64> = done.iter().map(|c| c.2).collect();
        let mut filled = Vec::with_capacity(self.values.len());
        for (j, pair) in done.windows(2).enumerate() {
            filled.push(pair[0]);
            // Where ℓ or L is not finite at either end there is no curve to read between them (a value
            // there would be drawn as a gap of 0 between gaps of ∞).
            if ![pair[0].1, pair[0].2, pair[1].1, pair[1].2]
                .iter()
                .all(|v| v.is_finite())
            {
                continue;
            }
            for i in pair[0].0 + 1..pair[1].0 {
                let x = self.plan.at[i];
                filled.push((
                    i,
                    smooth_at(&at, &loglik, j, x),
                    smooth_at(&at, &bound, j, x),
                ));
            }
        }
        filled.extend(done.last());
        self.plan.slice_of(&filled)
    }

    /// The samples computed so far, and only those (each a pass over the data).
    pub fn samples(&self) -> Slice {
        self.plan.slice_of(&self.done())
    }

    /// The samples computed so far, `(index, ℓ, L)` in the plan's order.
    fn done(&self) -> Vec<(usize, f64, f64)> {
        self.values
            .iter()
            .enumerate()
            .filter_map(|(i, v)| v.map(|(l, b)| (i, l, b)))
            .collect()
    }

    /// The samples halfway between two computed neighbours where the curve drawn between them (the cubic of
    /// [`smooth_at`]) may stray from a curve (ℓ, L or the gap) by more than [`TOLERANCE_PX`]: estimated as
    /// how far that cubic is, halfway, from the one through a fifth computed sample.
    fn next_round(&self, view: &dyn SliceSource) -> Vec<usize> {
        let done = self.done();
        let origin = view.loglik();
        // After convergence nothing on the line differs from ℓ by more than rounding noise and the figure
        // draws no curve (`draw_slice`'s "flat"): more samples would only resolve that noise (a pass each,
        // every sample of the line at 100,000 points).
        let noise = NOISE * origin.abs().max(1.0);
        if done
            .iter()
            .flat_map(|c| [c.1, c.2])
            .all(|v| !v.is_finite() || (v - origin).abs() < noise)
        {
            return Vec::new();
        }
        let window = self.windows(view);
        // The three curves the figure draws, in CSS pixels, clamped to their panels: a curve off the chart
        // needs no samples, and where it crosses the panel's edge the kink asks for them.
        let on_panel = |v: f64, (lo, hi, px_per): (f64, f64, f64)| {
            if v.is_nan() {
                v
            } else {
                v.clamp(lo, hi) * px_per
            }
        };
        let curves: [Vec<f64>; 3] = [
            done.iter()
                .map(|c| on_panel(c.1 - origin, window.0))
                .collect(),
            done.iter()
                .map(|c| on_panel(c.2 - origin, window.0))
                .collect(),
            done.iter().map(|c| on_panel(c.1 - c.2, window.1)).collect(),
        ];
        let at: Vec<f64> = done.iter().map(|c| self.plan.at[c.0]).collect();
        let mut round = Vec::new();
        for j in 0..done.len().saturating_sub(1) {
            let (a, b) = (done[j].0, done[j + 1].0);
            if b - a < 2 {
                continue;
            }
            let mid = 0.5 * (at[j] + at[j + 1]);
            let needs = curves.iter().any(|c| {
                // A value off the chart (−∞, NaN) on either side: find where it starts, sample by sample.
                if !(c[j].is_finite() && c[j + 1].is_finite()) {
                    return c[j].is_finite() != c[j + 1].is_finite();
                }
                // With too few neighbours to judge the curve by (or an error that is not a number),
                // halve the stretch.
                interpolation_error(&at, c, j, mid).is_none_or(|e| e.is_nan() || e > TOLERANCE_PX)
            });
            if needs {
                round.push((a + b) / 2);
            }
        }
        round.reverse();
        round
    }

    /// The value window and CSS pixels per nat of the curves panel (values relative to ℓ at the current θ)
    /// and of the gap panel, from the samples computed so far (as [`draw_slice`] draws them, about).
    fn windows(&self, view: &dyn SliceSource) -> ((f64, f64, f64), (f64, f64, f64)) {
        let slice = self.slice();
        let origin = view.loglik();
        let rel = relative(&slice, origin);
        let gap_now = (origin - view.lower_bound()).max(0.0);
        let (lo, hi) = y_range(&rel, (0.0, -gap_now));
        let kl_max = slice
            .loglik
            .iter()
            .zip(&slice.bound)
            .map(|(l, b)| l - b)
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let kl_top = kl_top(kl_max, gap_now);
        // A span of rounding noise is no curve to follow (the figure draws a gap of noise as 0): a gap of
        // 1e-15 nats at its panel's scale asked for every sample of the three-coin lesson's symmetric start.
        let noise = NOISE * origin.abs().max(1.0);
        let per = |px: f64, span: f64| if span > noise { px / span } else { 0.0 };
        (
            (lo, hi, per(self.panels_px.0, 1.12 * (hi - lo))),
            (0.0, 1.15 * kl_top, per(self.panels_px.1, 1.15 * kl_top)),
        )
    }
}

/// The computed samples `at`/`v` (`at` increasing) that the curve between samples `j` and `j + 1` is read
/// off: up to `count` of them around that stretch, nearest first on the left, all with finite values.
fn nodes_around(v: &[f64], j: usize, count: usize) -> std::ops::Range<usize> {
    // No further than `count` samples each way: the nodes lie within them.
    let mut lo = j;
    while lo > 0 && lo + count > j + 1 && v[lo - 1].is_finite() {
        lo -= 1;
    }
    let mut hi = j + 1;
    while hi + 1 < v.len() && hi < j + count && v[hi + 1].is_finite() {
        hi += 1;
    }
    let count = count.min(hi - lo + 1);
    // Centred on the stretch (j − 1 … j + 2 for four), moved inside the finite run where it ends.
    let start = (j + 1)
        .saturating_sub(count / 2)
        .max(lo)
        .min(hi + 1 - count);
    start..start + count
}

/// The polynomial through the points `at[nodes]`, `v[nodes]`, at `x` (Lagrange's form: at most five nodes).
fn through(at: &[f64], v: &[f64], nodes: std::ops::Range<usize>, x: f64) -> f64 {
    nodes
        .clone()
        .map(|i| {
            let weight: f64 = nodes
                .clone()
                .filter(|&m| m != i)
                .map(|m| (x - at[m]) / (at[i] - at[m]))
                .product();
            weight * v[i]
        })
        .sum()
}

/// A curve between its computed samples `j` and `j + 1` (positions `at`, values `v`), at `x`: the cubic
/// through the four computed samples around that stretch (fewer where the curve's finite run has fewer;
/// NaN where either end is not finite). ℓ and L are smooth in θ: a cubic is within a fraction of a pixel of
/// them with far fewer samples, each a pass over the data, than a straight line between them needs.
pub fn smooth_at(at: &[f64], v: &[f64], j: usize, x: f64) -> f64 {
    if !(v[j].is_finite() && v[j + 1].is_finite()) {
        return f64::NAN;
    }
    through(at, v, nodes_around(v, j, 4), x)
}

/// How far [`smooth_at`]'s cubic between samples `j` and `j + 1` is at `x` from the polynomial through one
/// more computed sample (its error, about); `None` where the finite run has fewer than five samples.
fn interpolation_error(at: &[f64], v: &[f64], j: usize, x: f64) -> Option<f64> {
    let five = nodes_around(v, j, 5);
    if five.len() < 5 {
        return None;
    }
    Some((through(at, v, five, x) - smooth_at(at, v, j, x)).abs())
}

/// The largest finite KL on the line, or 0 where all of it is rounding noise (below `noise`): a KL that is
/// noise everywhere gets no scale of its own (no ticks at 5e-10).
fn kl_max_of(kl: &[f64], noise: f64) -> f64 {
    let max = kl
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    if max < noise {
        0.0
    } else {
        max
    }
}

/// The least height of the slice's panels, in rounding-noise bands (`NOISE`·max(1, |ℓ|)).
pub const NOISE_SPANS: f64 = 40.0;

/// `slice`'s ℓ and L relative to `origin` (ℓ at the current θ), as the figure draws them. Rounding noise
/// (below `NOISE`·|origin|) is 0 where the whole line is noise (then the figure says ℓ and the bound agree);
/// where some of it is not, every value stays as it is: values zeroed one by one drew a flat top with kinks
/// where the curves left the noise band (heights converged at reg = 1000, 1e−5 nats deep).
pub fn relative(slice: &Slice, origin: f64) -> Slice {
    let noise = NOISE * origin.abs().max(1.0);
    let mut rel = slice.clone();
    for v in rel.loglik.iter_mut().chain(rel.bound.iter_mut()) {
        *v -= origin;
    }
    let all_noise = rel
        .loglik
        .iter()
        .chain(&rel.bound)
        .all(|v| !v.is_finite() || v.abs() < noise);
    if all_noise {
        for v in rel.loglik.iter_mut().chain(rel.bound.iter_mut()) {
            if v.abs() < noise {
                *v = 0.0;
            }
        }
    }
    rel
}

/// The top of the gap panel, for KL up to `kl_max` on the line and `gap_now` at the current θ: at most
/// 3 × the gap, so the gap is always at least a third of the panel tall.
fn kl_top(kl_max: f64, gap_now: f64) -> f64 {
    if gap_now > 0.0 {
        kl_max.min(3.0 * gap_now).max(gap_now)
    } else {
        kl_max
    }
}

/// The y range that keeps θ_old, θ_new and the gap in view: far-away low values are cut off.
pub fn y_range(slice: &Slice, current: (f64, f64)) -> (f64, f64) {
    let all = slice
        .loglik
        .iter()
        .chain(&slice.bound)
        .copied()
        .filter(|v| v.is_finite());
    let (lo, hi) = all.fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), v| {
        (a.min(v), b.max(v))
    });
    let nearest = |at: f64| {
        let s = crate::core::nearest::nearest_1d(&slice.at, at);
        slice.loglik[s].min(slice.bound[s])
    };
    // Only finite values place the window (L is −∞ where q gives weight to an impossible component).
    let anchor = [
        current.0,
        current.1,
        nearest(slice.at_old),
        nearest(slice.at_new),
    ]
    .into_iter()
    .filter(|v| v.is_finite())
    .fold(hi, f64::min);
    if !(lo.is_finite() && hi.is_finite()) {
        return (-1.0, 1.0);
    }
    // Where θ_old, θ_new and the current values all sit at the top (the bound touches ℓ there and θ did
    // not move: three coins from their symmetric start, along θ1), there is no gap to zoom in on: the
    // window is the curves' own (a window of 1e-12 nats cut L off into a vertical bar).
    let span = if hi - anchor > 0.0 || hi <= lo {
        (hi - anchor)
            .max(1e-9 * hi.abs())
            .max(1e-12)
            .max(slice.depth)
    } else {
        (hi - lo) / 2.5
    };
    let lo = lo.max(hi - 2.5 * span);
    let pad = 0.08 * (hi - lo).max(span);
    (lo - pad, hi + pad)
}

/// Splits a curve into runs of points inside [lo, hi], so values off the chart leave a gap, not a flat line.
/// Where the curve leaves or enters the chart between two finite values, its run ends or starts where the
/// straight line between them crosses the chart's edge: a narrow peak (a variance collapsing onto one
/// point, whose ℓ rises at θ_new alone, between samples far below the chart) is drawn up to its top
/// instead of leaving a lone dot, and a narrow dip of KL down to its marker shows.
fn visible_runs(at: &[f64], values: &[f64], lo: f64, hi: f64) -> Vec<Vec<(f64, f64)>> {
    let inside = |v: f64| v.is_finite() && v >= lo && v <= hi;
    // Where the line from (a0, v0) to (a1, v1) crosses the level `edge`.
    let crossing = |(a0, v0): (f64, f64), (a1, v1): (f64, f64), edge: f64| {
        (a0 + (a1 - a0) * (edge - v0) / (v1 - v0), edge)
    };
    let edge_of = |v: f64| if v < lo { lo } else { hi };
    let mut runs = vec![Vec::new()];
    let mut last: Option<(f64, f64)> = None;
    for (&a, &v) in at.iter().zip(values) {
        let here = (a, v);
        if let Some(prev) = last.filter(|p| p.1.is_finite() && v.is_finite()) {
            let run = runs.last_mut().expect("runs starts non-empty");
            match (inside(prev.1), inside(v)) {
                (true, false) => run.push(crossing(prev, here, edge_of(v))),
                (false, true) => run.push(crossing(prev, here, edge_of(prev.1))),
                // Below the chart to above it (or back) within one step: the line across it.
                (false, false) if (prev.1 < lo) != (v < lo) => {
                    let across = vec![
                        crossing(prev, here, edge_of(prev.1)),
                        crossing(prev, here, edge_of(v)),
                    ];
                    if run.is_empty() {
                        *run = across;
                    } else {
                        runs.push(across);
                    }
                    runs.push(Vec::new());
                }
                _ => {}
            }
        }
        if inside(v) {
            runs.last_mut().expect("runs starts non-empty").push(here);
        } else if !runs.last().is_some_and(Vec::is_empty) {
            runs.push(Vec::new());
        }
        last = Some(here);
    }
    runs.retain(|r| r.len() > 1);
    runs
}

#[cfg(test)]
mod tests {
    use super::visible_runs;

    #[test]
    fn a_curve_off_the_chart_is_cut_where_it_crosses_the_edge() {
        // A lone peak between samples far below the chart: drawn up from the edge, not dropped.
        let at = [0.0, 1.0, 2.0, 3.0];
        let runs = visible_runs(&at, &[-100.0, -90.0, -10.0, -90.0], -30.0, 0.0);
        assert_eq!(runs, vec![vec![(1.75, -30.0), (2.0, -10.0), (2.25, -30.0)]]);
        // Inside throughout: one run of the points themselves.
        let runs = visible_runs(&at, &[-1.0, -2.0, -3.0, -4.0], -30.0, 0.0);
        assert_eq!(
            runs,
            vec![vec![(0.0, -1.0), (1.0, -2.0), (2.0, -3.0), (3.0, -4.0)]]
        );
        // Across the whole chart in one step, and an infinite value: a gap, not a line to it.
        let runs = visible_runs(&at, &[-60.0, 30.0, f64::NEG_INFINITY, -5.0], -30.0, 0.0);
        assert_eq!(runs, vec![vec![(1.0 / 3.0, -30.0), (2.0 / 3.0, 0.0)]]);
    }
}

/// Where the slice figure put its two panels, for tests and clicks: the curves above, and below them
/// the gap KL = ℓ − L on its own scale (None when there is no gap panel to draw).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SliceDrawn {
    /// The panel with ℓ and L.
    pub curves: PlotTransform,
    /// The panel with KL along the line.
    pub gap: Option<PlotTransform>,
    /// KL at the current θ as drawn (0 when it is below rounding noise).
    pub gap_at_current: f64,
}

/// Draws the slice figure for the current state of `view`: ℓ(θ) and L(q, θ) along the line, and under
/// them the gap KL(q ‖ p(z | x, θ)) = ℓ − L on its own scale, so the touching after an E-step and the
/// gap after an M-step read at any magnitude (KL = 0.018 on an axis 1,000 nats tall).
///
/// `slice` is `view.slice_plan(..)` computed so far, by the caller, so that it can be kept while the state
/// does not change (it is the costly part: ℓ and L over the data at every sample).
pub fn draw_slice<DB: DrawingBackend>(
    root: &DrawingArea<DB, Shift>,
    view: &dyn BoundView,
    along: SliceAlong,
    slice: &Slice,
    style: &Style,
) -> Result<SliceDrawn, FigureError<DB>> {
    root.fill(&WHITE)?;
    if super::style::too_small(root, style) {
        return Ok(SliceDrawn {
            curves: PlotTransform::default(),
            gap: None,
            gap_at_current: 0.0,
        });
    }
    let origin = view.loglik();
    let noise = NOISE * origin.abs().max(1.0);
    let clean = |v: f64| if v.abs() < noise { 0.0 } else { v };
    // Everything is drawn relative to ℓ at the current θ: the differences are what the lesson is about,
    // and they stay readable when ℓ itself is −43,301.033 and a step changes it in the fourth decimal.
    let rel = relative(slice, origin);
    let kl: Vec<f64> = slice
        .loglik
        .iter()
        .zip(&slice.bound)
        // A gap with no value (∞ − ∞ where θ leaves the model, a collapse) is no gap of 0: `NaN.max(0)` is
        // 0, and the panel drew KL = 0 along the whole line past a collapsing θ_new.
        .map(|(l, b)| {
            if (l - b).is_nan() {
                f64::NAN
            } else {
                (l - b).max(0.0)
            }
        })
        .collect();
    let gap_now = clean(origin - view.lower_bound()).max(0.0);
    let current = (0.0, -gap_now);
    // A degenerate θ_new (the next M-step would collapse a component): ℓ has no finite value there, and
    // the line through it has none either, so the figure says so instead of drawing curves.
    // Along one coordinate θ_new's value itself has none (ln σ² = −∞): the line has no finite end, and
    // every sample was NaN, which read as "ℓ and the bound agree along this line".
    let degenerate =
        !(rel.at_new.is_finite() && rel.range.0.is_finite() && rel.range.1.is_finite())
            || rel
                .at
                .iter()
                .position(|&a| (a - rel.at_new).abs() < 1e-12)
                .is_some_and(|i| !rel.loglik[i].is_finite());
    // After convergence the line is a point: nothing differs from ℓ by more than rounding noise.
    let flat = !degenerate
        && rel
            .loglik
            .iter()
            .chain(&rel.bound)
            .all(|v| !v.is_finite() || *v == 0.0);
    // With no curves (a degenerate θ_new) or flat ones, θ_old's mark and the curves at 0 are drawn in the
    // panel's top quarter, and the note saying why goes under them.
    let (lo, hi) = if degenerate || flat {
        (-3.0, 1.0)
    } else {
        // The top is raised further below, once the panel's height says how much room the θ names need.
        // Never narrower than NOISE_SPANS noise bands: a gap the readouts call 0 (below the band) then stays
        // within a pixel or two of the ℓ it is drawn at; on a window of 1e−9 nats a 1.1e−9 gap stood out
        // beside "KL = 0: the bound touches ℓ here".
        let (lo, hi) = y_range(&rel, current);
        let least = NOISE_SPANS * noise;
        if hi - lo < least {
            let mid = 0.5 * (lo + hi);
            (mid - 0.5 * least, mid + 0.5 * least)
        } else {
            (lo, hi)
        }
    };
    let (a0, a1) = rel.range;
    let x_desc = match along {
        SliceAlong::EmDirection => style.text("axis-slice-t").to_string(),
        SliceAlong::Coordinate(_) => rel.axis.clone(),
    };
    let y_desc = if view.phase() == crate::core::em::Phase::M {
        style.text("axis-relative-new")
    } else {
        style.text("axis-relative")
    };

    let under_title = titled(root, style.text("fig-slice"), style)?;
    // The legend on its own line under the title, where it hides no curve and no θ name.
    let entries = [
        LegendEntry::new(Swatch::Line(BOUND, 5.0, None), style.text("legend-bound")),
        LegendEntry::new(Swatch::Line(INK, 2.5, None), style.text("legend-loglik")),
    ];
    let body = legend_band(&under_title, &entries, style)?;
    let legend_w = super::legend::legend_band_width(&under_title, &entries, style);
    // 55 % of the height for ℓ and L; but where the figure is short (1024×768) the KL panel, which loses
    // its tick labels' and description's band, would be left a sliver: it keeps at least 35 % of the two
    // plots' height, as drawn (each axis line is a pixel shorter than its plot). Fixed per panel: a 6 px
    // margin, and 8 px (top) or `Style::x_label_area` (bottom) of x labels, and the bottom margin.
    let top_height = {
        let h = f64::from(body.dim_in_pixel().1);
        let plots = h - f64::from(style.px(2.0 * 6.0 + 8.0 + style.x_label_area() + BOTTOM_MARGIN));
        let top_plot = (0.65 * (plots - 2.0)).floor() + 1.0;
        (0.55 * h)
            .min(f64::from(style.px(14.0)) + top_plot)
            .max(0.0) as u32
    };
    let (top, bottom) = body.split_vertically(top_height);
    // The line's description hangs from the figure's bottom edge: 4 px under it keep the low underscores of
    // Chinese type ("θ_old" in Noto Sans CJK) inside the figure; they were cut off.
    let bottom = bottom.margin(0, style.px(BOTTOM_MARGIN), 0, 0);
    // Room for the widest y tick labels of both panels beside their turned descriptions (one room, so their
    // x axes stay aligned): at convergence "−5.00e−8" ran under "value − ℓ(θ_new)", "1.00e−7" under "KL".
    let y_room = {
        let kl_guess = (kl_top(kl_max_of(&kl, noise), gap_now) * 1.9).max(1e-300);
        super::style::y_label_room(lo..hi, style)
            .max(super::style::y_label_room(0.0..kl_guess, style))
            .clamp(100.0, (0.3 * style.width / style.scale).max(100.0))
    };
    let mut chart = panel(&top, y_room, 8.0, a0..a1, lo..hi, style)?;
    // The names of θ_old and θ_new hang from the panel's top edge, on two lines where the two θ are a few
    // pixels apart: the top is raised until the curves pass under their band, measured in pixels (a fixed
    // 12 % of the range was less than a name's height on a short panel: at 1024×768 a curve ran through
    // "θ_new"). Clamped first: a θ far off the plotted stretch of the line would overflow plotters' pixel
    // mapping (a marker outside is not drawn anyway).
    // Two θ a few pixels apart have their names on one line, each on its outer side (the left one's
    // name ending at its line), where the left one's name fits inside the plot: on two lines the band
    // took half a short panel (1024×768 in Chinese), the top was not raised, and the dot at θ_new sat on
    // "θ_old". Else on two lines, both to the right.
    let (close, outer) = {
        // The chart's own ranges (`drawable_range` may have cut them).
        let (x, y) = (chart.x_range(), chart.y_range());
        let px_of = |at: f64| {
            let at = if at.is_nan() {
                x.start
            } else {
                at.clamp(x.start, x.end)
            };
            chart.backend_coord(&(at, y.start)).0
        };
        let (old, new) = (px_of(rel.at_old), px_of(rel.at_new));
        let close = (old - new).abs() < style.px(70.0);
        let (left_at, left_name) = if old <= new {
            (old, style.text("mark-old"))
        } else {
            (new, style.text("mark-new"))
        };
        let name_w = top
            .estimate_text_size(left_name, &TextStyle::from(style.tick_font()))
            .map_or(i32::MAX, |(w, _)| w as i32);
        let plot_left = chart.plotting_area().get_pixel_range().0.start;
        let outer = close && left_at - plot_left >= name_w + style.px(6.0);
        (close, outer.then_some(old <= new))
    };
    let names_px = {
        let second_line = if close && outer.is_none() {
            style.px(24.0 * style.fit())
        } else {
            0
        };
        // A line of text is at most its font size high; the dots on the curves at θ_old and θ_new reach
        // 6 px above them (the dot at θ_new covered the underscore of "θ_new").
        style.tick_font().get_size() + f64::from(second_line + style.px(2.0) + style.px(7.0))
    };
    let curves_top = rel
        .loglik
        .iter()
        .chain(&rel.bound)
        .copied()
        .filter(|v| v.is_finite() && *v <= hi)
        .fold(f64::NEG_INFINITY, f64::max);
    let panel_px = {
        let ys = chart.plotting_area().get_pixel_range().1;
        f64::from(ys.end - ys.start)
    };
    let band = names_px / panel_px.max(1.0);
    if !degenerate && curves_top.is_finite() && band < 0.5 && hi - curves_top < band * (hi - lo) {
        let raised = (curves_top - band * lo) / (1.0 - band);
        chart = panel(&top, y_room, 8.0, a0..a1, lo..raised, style)?;
    }
    // From here on the ranges the chart really has (`drawable_range` may have cut them): anything drawn
    // beyond them would overflow plotters' pixel mapping.
    let (a0, a1, lo, hi) = {
        let (x, y) = (chart.x_range(), chart.y_range());
        (x.start, x.end, y.start, y.end)
    };
    // The y description is centred on the top panel and may run past its ends, but not so far down that
    // it meets the KL panel's "KL" (at 1024×768 the two read as one label): there it shrinks.
    let label = TextStyle::from(style.label_font());
    let measure = |text: &str| {
        top.estimate_text_size(text, &label)
            .map_or(0.0, |(w, _)| f64::from(w))
    };
    let desc_w = measure(y_desc);
    let room = {
        let ys = chart.plotting_area().get_pixel_range().1;
        let top_centre = 0.5 * f64::from(ys.start + ys.end);
        let (_, bottom_y) = bottom.get_base_pixel();
        let bottom_h = f64::from(bottom.dim_in_pixel().1);
        let (margin, x_area) = (
            f64::from(style.px(6.0)),
            f64::from(style.px(style.x_label_area())),
        );
        let bottom_centre = f64::from(bottom_y) + margin + 0.5 * (bottom_h - margin - x_area);
        let gap = f64::from(style.px(10.0));
        let down = bottom_centre - top_centre - 0.5 * measure(style.text("axis-kl")) - gap;
        // Nor longer than the panel is tall where the legend above reaches over its column: plotters
        // centres it on the panel's label area, and on a coin lesson's slice at 1280×720 "数值 − ℓ(θ_new)"
        // ran up into "L(q, θ) 下界". A legend centred clear of it leaves it its size (presentation).
        let free = 0.5 * f64::from(under_title.dim_in_pixel().0 as i32 - legend_w);
        let column = f64::from(style.px(super::style::CHART_MARGIN) + style.px(30.0));
        if free < column {
            (2.0 * down).min(f64::from(top.dim_in_pixel().1) - f64::from(style.px(4.0)))
        } else {
            2.0 * down
        }
    };
    let desc_font = if desc_w > room && desc_w > 0.0 {
        style.font(22.0 * style.fit() * (room / desc_w).max(0.6))
    } else {
        style.label_font()
    };
    // As many y labels as the panel has room for: five in a 60-px panel (1024×768) touched each other.
    let y_labels = fitting_y_labels(&chart, 5, style);
    axes(&mut chart, style)
        .axis_desc_style(desc_font)
        .x_labels(6)
        .y_labels(y_labels)
        .x_label_formatter(&|_| String::new())
        .y_label_formatter(&|v| {
            if flat {
                if *v == 0.0 {
                    "0".into()
                } else {
                    String::new()
                }
            } else {
                tick_number(*v, hi - lo)
            }
        })
        .y_desc(y_desc)
        .draw()?;

    // L first and wider, ℓ on top, so both stay visible where they touch.
    let series = [(&rel.bound, BOUND, 5.0), (&rel.loglik, INK, 2.5)];
    for (values, color, width) in series.into_iter().filter(|_| !degenerate) {
        let stroke = color.stroke_width(style.upx(width));
        for run in visible_runs(&rel.at, values, lo, hi) {
            chart.draw_series(LineSeries::new(run, stroke))?;
        }
    }

    // θ_old and θ_new as dashed verticals with their names on top (when `close`, on their outer sides or
    // on two lines). On one pixel (at convergence) one line named "θ_old = θ_new": the two names stood back
    // to back across it and read "θ_new θ_old" as one word.
    let line_px = |at: f64| chart.backend_coord(&(at.clamp(a0, a1), lo)).0;
    let same = (line_px(rel.at_old) - line_px(rel.at_new)).abs() <= 1;
    let both = format!("{} = {}", style.text("mark-old"), style.text("mark-new"));
    let both_leftward = {
        let w = top
            .estimate_text_size(&both, &TextStyle::from(style.tick_font()))
            .map_or(0, |(w, _)| w as i32);
        let right = chart.plotting_area().get_pixel_range().0.end;
        line_px(rel.at_new) + style.px(4.0) + w > right
    };
    let marks = match same {
        true => vec![(rel.at_new, both.as_str(), 0, both_leftward)],
        false => vec![
            (rel.at_old, style.text("mark-old"), 0, outer == Some(true)),
            (
                rel.at_new,
                style.text("mark-new"),
                i32::from(close && outer.is_none()),
                outer == Some(false),
            ),
        ],
    };
    for &(at, name, line, leftward) in &marks {
        if !(a0..=a1).contains(&at) {
            continue;
        }
        let dash = DashedPathElement::new(
            vec![(at, lo), (at, hi)],
            style.px(8.0),
            style.px(6.0),
            INK.mix(0.6).stroke_width(style.upx(1.5)),
        );
        chart.draw_series(std::iter::once(dash))?;
        let offset = line * style.px(24.0 * style.fit());
        let (dx, h_pos) = if leftward {
            (-style.px(4.0), HPos::Right)
        } else {
            (style.px(4.0), HPos::Left)
        };
        chart.draw_series(std::iter::once(
            EmptyElement::at((at, hi))
                + Text::new(
                    name.to_string(),
                    (dx, offset),
                    style
                        .tick_font()
                        .color(&INK)
                        .pos(Pos::new(h_pos, VPos::Top)),
                ),
        ))?;
    }

    let note = if degenerate {
        Some(("slice-unbounded", "slice-unbounded"))
    } else if flat {
        Some(("slice-flat", "slice-flat-short"))
    } else {
        None
    };
    if let Some((id, short)) = note {
        // Under the (flat) curves, on a white ground the dashed θ lines pass behind; on two lines where one
        // would run past the plot (1024-px screens), split after its colon or at its middle word; in its
        // short words where the whole would be drawn below 85 % of the label type (a coin lesson's 290-px
        // slice at 1280×720: 9 px).
        let room = chart.plotting_area().dim_in_pixel().0 as i32 - style.px(8.0);
        let fit = |id| fitted_lines(&top, style.text(id), style.label_font(), room, 1.0);
        let whole = fit(id);
        let (lines, fitted, widest) =
            if whole.1.get_size() < 0.85 * style.label_font().get_size() && short != id {
                fit(short)
            } else {
                whole
            };
        let line_h = (f64::from(style.px(24.0 * style.fit())) * fitted.get_size()
            / style.label_font().get_size())
        .round() as i32;
        let font = fitted
            .color(if degenerate { &GAP } else { &INK })
            .pos(Pos::new(HPos::Center, VPos::Top));
        let half_w = widest / 2 + style.px(4.0);
        let ground = Rectangle::new(
            [
                (-half_w, 0),
                (half_w, lines.len() as i32 * line_h + style.px(2.0)),
            ],
            WHITE.mix(0.9).filled(),
        );
        // Clear of the curves (or θ_old's mark) at the panel's middle by 14 px: under them where it fits
        // above the x axis, else over them (8 % of a 1024×768 panel's height put its ground on the flat
        // curves and the mark on its first line); where neither fits, raised off the x axis (its white
        // ground wiped the axis line out under the Chinese two-line note at 1024×768).
        let plot_h = f64::from(chart.plotting_area().dim_in_pixel().1.max(1));
        let per_px = (hi - lo) / plot_h;
        let block = f64::from(lines.len() as i32 * line_h + style.px(6.0)) * per_px;
        let (mid, clear) = (0.5 * (lo + hi), f64::from(style.px(14.0)) * per_px);
        let y = if mid - clear - block >= lo {
            mid - clear
        } else if mid + clear + block <= hi {
            mid + clear + block
        } else {
            (mid - clear).max(lo + block).min(hi)
        };
        let at = (0.5 * (a0 + a1), y);
        chart.draw_series(std::iter::once(EmptyElement::at(at) + ground))?;
        for (i, line) in lines.iter().enumerate() {
            let down = i as i32 * line_h + style.px(2.0);
            chart.draw_series(std::iter::once(
                EmptyElement::at(at) + Text::new(line.to_string(), (0, down), font.clone()),
            ))?;
        }
    }

    // The gap at the current θ between the curves, where it is tall enough to see; its number is printed
    // once, in the gap panel below.
    let at = rel.at_current;
    if gap_now > 0.0 && (a0..=a1).contains(&at) && !flat {
        let bottom = current.1.max(lo);
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(at, bottom), (at, current.0)],
            GAP.stroke_width(style.upx(5.0)),
        )))?;
    }
    let dot =
        |at: f64, v: f64, color: RGBColor| Circle::new((at, v), style.px(6.0), color.filled());
    if !flat {
        chart.draw_series([dot(at, current.0, INK), dot(at, current.1.max(lo), BOUND)])?;
    }
    let curves = transform_of(&chart);

    // The gap panel: KL along the line on its own scale.
    let kl_max = kl_max_of(&kl, noise);
    let kl_top = match kl_top(kl_max, gap_now) {
        top if top > 0.0 => top.max(NOISE_SPANS * noise),
        top => top,
    };
    // Where KL = 0 at the current θ (after an E-step) its long label needs the top of the panel to
    // itself: KL along the line then fills only the lower part, so the label never sits on the curve.
    let headroom = if gap_now > 0.0 { 1.15 } else { 1.9 };
    let (g_lo, g_hi) = if kl_top > 0.0 {
        (0.0, headroom * kl_top)
    } else {
        (0.0, 1.0)
    };
    let mut lower = panel(
        &bottom,
        y_room,
        style.x_label_area(),
        a0..a1,
        g_lo..g_hi,
        style,
    )?;
    // Three tick labels where plotters' three fall at least 1.6 lines of tick text apart; a shorter panel
    // gets two (0 and the top). "0.00 0.05 0.10" a line and a half apart crowded a 38-px panel.
    let lower_h = {
        let ys = lower.plotting_area().get_pixel_range().1;
        f64::from(ys.end - ys.start)
    };
    let kl_ticks = {
        use plotters::coord::ranged1d::Ranged;
        // The panel's own range (drawable: plotters' tick search never ends on an infinite one).
        let range = lower.y_range();
        let px_per = lower_h / (range.end - range.start);
        let keys = plotters::coord::types::RangedCoordf64::from(range).key_points(3usize);
        let closest = keys
            .windows(2)
            .map(|w| (w[1] - w[0]).abs() * px_per)
            .fold(f64::INFINITY, f64::min);
        if keys.len() >= 3 && closest >= 1.6 * style.tick_font().get_size() {
            3
        } else {
            2
        }
    };
    // Two labels come from steps of 1, 2 or 5 × 10ᵏ, and a top between 4 and 5 × 10ᵏ gets only "0" (the
    // panel then has no scale): such a top is raised to the next one that gets a second label.
    let raised = if kl_ticks == 2 && kl_top > 0.0 {
        two_label_top(g_lo, g_hi)
    } else {
        g_hi
    };
    if raised != g_hi {
        lower = panel(
            &bottom,
            y_room,
            style.x_label_area(),
            a0..a1,
            g_lo..raised,
            style,
        )?;
    }
    let g_hi = raised;
    let desc_font = fitting_desc_font(root, &lower, &x_desc, style);
    // As many x labels as fit side by side: six of "10.00005" ran together on a tablet (collapse, μ2).
    let x_labels = fitting_range_labels(&lower, (a0, a1), 6, style);
    axes(&mut lower, style)
        .axis_desc_style(desc_font)
        .x_labels(x_labels)
        .y_labels(kl_ticks)
        .x_label_formatter(&|v| tick_number(*v, a1 - a0))
        .y_label_formatter(&|v| {
            if kl_top > 0.0 {
                tick_number(*v, g_hi - g_lo)
            } else if *v == 0.0 {
                "0".into()
            } else {
                String::new()
            }
        })
        .x_desc(x_desc)
        .draw()?;
    // "KL" across, not along the axis: upright under the top panel's rotated description, the two read as
    // one label ("KL value − ℓ(θ_new)") where the panels are short (1024×768).
    {
        let ys = lower.plotting_area().get_pixel_range().1;
        let centre = (ys.start + ys.end) / 2 - bottom.get_base_pixel().1;
        let across = TextStyle::from(style.label_font())
            .color(&BLACK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        bottom.draw_text(
            style.text("axis-kl"),
            &across,
            (style.px(CHART_MARGIN), centre),
        )?;
    }
    // KL beyond the panel's top is filled to the top in a lighter tint and has no edge there: it goes on
    // up. Under the curve where it is in the panel the tint is the gap's: in one tint, a KL that rose far
    // above 3 × the gap (heights after E and M, along μ1) filled the panel pink, its valley hard to see.
    for run in visible_runs(&rel.at, &kl, g_lo, f64::INFINITY) {
        let clipped: Vec<(f64, f64)> = run.iter().map(|&(a, v)| (a, v.min(g_hi))).collect();
        lower.draw_series(AreaSeries::new(clipped, 0.0, GAP.mix(0.1)))?;
    }
    for run in visible_runs(&rel.at, &kl, g_lo, g_hi) {
        lower.draw_series(AreaSeries::new(run, 0.0, GAP.mix(0.25)))?;
    }
    for run in visible_runs(&rel.at, &kl, g_lo, g_hi) {
        lower.draw_series(LineSeries::new(run, GAP.stroke_width(style.upx(2.5))))?;
    }
    // The KL number at the current θ, once: beside the mark, on the side with room, at the panel's top.
    // A zero KL touches ℓ after an E-step, or where it is exactly 0 (an M-step that left q the posterior: a
    // symmetric start); else after an M-step it is a gap under the rounding rule (the slice said "the bound
    // touches ℓ here" at five-sets' convergence, beside a Jensen figure that said "under 10⁻¹²·|ℓ|: shown as 0").
    let label = if gap_now > 0.0 {
        fill(style.text("mark-kl"), &[("value", axis_number(gap_now))])
    } else if view.phase() == crate::core::em::Phase::E || view.loglik() <= view.lower_bound() {
        style.text("mark-kl-zero").to_string()
    } else {
        style.text("mark-kl-rounded").to_string()
    };
    let short_label = fill(style.text("mark-kl"), &[("value", "0".to_string())]);
    // On the side with more room, unless KL reaches the label's band there and not on the other side (it
    // sat on the curve where KL rose steeply on its side: three blobs along μ1 (x₂)).
    let left = {
        let (xs, ys) = lower.plotting_area().get_pixel_range();
        let per_x = (a1 - a0) / f64::from((xs.end - xs.start).max(1));
        let per_y = (g_hi - g_lo) / f64::from((ys.end - ys.start).max(1));
        let band = g_hi - (1.3 * style.label_font().get_size() + f64::from(style.px(4.0))) * per_y;
        let w = bottom
            .estimate_text_size(&label, &style.label_font().into())
            .map_or(0.0, |(w, _)| f64::from(w))
            * per_x;
        // The curve's line passes through the band (above the panel's top it is a light tint, no line).
        let crosses = |span: std::ops::RangeInclusive<f64>| {
            rel.at
                .iter()
                .zip(&kl)
                .any(|(a, &v)| span.contains(a) && v > band && v <= g_hi)
        };
        let roomier = at > 0.5 * (a0 + a1);
        // The nearest place beside the mark, up to 30 % of the line away, where the whole label fits and
        // the line does not pass under it (past a steep rise KL is above the panel's top, a tint): the
        // roomier side first at each distance.
        let span = |left: bool, d: f64| match left {
            true => at - d * (a1 - a0) - w..=at - d * (a1 - a0),
            false => at + d * (a1 - a0)..=at + d * (a1 - a0) + w,
        };
        let fits = |s: &std::ops::RangeInclusive<f64>| *s.start() >= a0 && *s.end() <= a1;
        (1..=12)
            .map(|n| 0.025 * f64::from(n))
            .flat_map(|d| [(roomier, d), (!roomier, d)])
            .find(|&(left, d)| {
                let s = span(left, d);
                fits(&s) && !crosses(s)
            })
            .unwrap_or((roomier, 0.025))
    };
    let (left, shift) = left;
    let (dx, anchor) = if left {
        (-shift, HPos::Right)
    } else {
        (shift, HPos::Left)
    };
    let label_x = at + dx * (a1 - a0);
    // On two lines and smaller (down to 60 %) where the label would run past the plot's edge on its side:
    // on a 360 px figure "KL = 0: the bound touches ℓ here" crossed the y axis.
    let (label_lines, label_font, label_w) = {
        let (xs, _) = lower.plotting_area().get_pixel_range();
        let x_px = lower.backend_coord(&(label_x, g_hi)).0;
        let room = if left { x_px - xs.start } else { xs.end - x_px } - style.px(4.0);
        // One line up to 20 % smaller before two: the KL panel is short. "KL = 0: the bound touches ℓ
        // here" that fits only below 80 % of its size says "KL = 0" (at 7 px it could not be read).
        let full = fitted_lines(&bottom, &label, style.label_font(), room.max(1), 0.8);
        let (lines, font, widest) =
            if gap_now <= 0.0 && full.1.get_size() < 0.8 * style.label_font().get_size() {
                fitted_lines(&bottom, &short_label, style.label_font(), room.max(1), 0.8)
            } else {
                full
            };
        (
            lines,
            font.color(&INK).pos(Pos::new(anchor, VPos::Top)),
            widest,
        )
    };
    let label_line_h = bottom
        .estimate_text_size("0", &label_font)
        .map_or(0, |(_, h)| h as i32);
    let dash_top = {
        let (xs, ys) = lower.plotting_area().get_pixel_range();
        let per_x = (a1 - a0) / f64::from((xs.end - xs.start).max(1));
        let per_y = (g_hi - g_lo) / f64::from((ys.end - ys.start).max(1));
        let (w, h) = (
            f64::from(label_w),
            f64::from(label_line_h * label_lines.len() as i32),
        );
        let pad = f64::from(style.px(4.0));
        let width = (w + pad) * per_x;
        let covered = if left {
            label_x - width..=label_x
        } else {
            label_x..=label_x + width
        };
        let under = (g_hi - (h + pad) * per_y).max(g_lo);
        move |x: f64| if covered.contains(&x) { under } else { g_hi }
    };
    for (at, ..) in marks {
        if (a0..=a1).contains(&at) {
            lower.draw_series(std::iter::once(DashedPathElement::new(
                vec![(at, g_lo), (at, dash_top(at))],
                style.px(8.0),
                style.px(6.0),
                INK.mix(0.6).stroke_width(style.upx(1.5)),
            )))?;
        }
    }
    if (a0..=a1).contains(&at) && !degenerate {
        lower.draw_series(std::iter::once(PathElement::new(
            vec![(at, 0.0), (at, gap_now.min(g_hi))],
            GAP.stroke_width(style.upx(6.0)),
        )))?;
        lower.draw_series(std::iter::once(Circle::new(
            (at, gap_now.min(g_hi)),
            style.px(6.0),
            GAP.filled(),
        )))?;
        // The KL number at the current θ, once: beside the mark, on the side chosen above, at the top, on a
        // white ground where the curve still reaches up there.
        let ground_w = label_w + style.px(4.0);
        let ground_h = label_line_h * label_lines.len() as i32 + style.px(2.0);
        let (gx, gy) = lower.backend_coord(&(label_x, g_hi));
        let base = bottom.get_base_pixel();
        let gx = if left { gx - ground_w } else { gx } - base.0;
        let gy = gy - base.1;
        // Within the plot: the ground's margin reached over the panel's y axis and hid it there.
        let xs = lower.plotting_area().get_pixel_range().0;
        let (ground_left, ground_right) = (
            (gx - style.px(2.0)).max(xs.start - base.0 + 1),
            (gx + ground_w).min(xs.end - base.0 - 1),
        );
        bottom.draw(&Rectangle::new(
            [(ground_left, gy), (ground_right, gy + ground_h)],
            WHITE.mix(0.85).filled(),
        ))?;
        for (i, line) in label_lines.iter().enumerate() {
            lower.draw_series(std::iter::once(
                EmptyElement::at((label_x, g_hi))
                    + Text::new(
                        line.to_string(),
                        (0, i as i32 * label_line_h),
                        label_font.clone(),
                    ),
            ))?;
        }
    }
    Ok(SliceDrawn {
        curves,
        gap: (!degenerate).then(|| transform_of(&lower)),
        gap_at_current: gap_now,
    })
}

/// The pixel transform of a drawn chart.
fn transform_of<DB: DrawingBackend>(chart: &super::style::Plot<'_, DB>) -> PlotTransform {
    let x = chart.x_range();
    let y = chart.y_range();
    PlotTransform::new(
        (x.start, x.end),
        (y.start, y.end),
        chart.plotting_area().get_pixel_range(),
    )
}

/// `text` split in two: after its colon (`:` or `：`, kept on the first line) if it has one, else at the
/// space nearest its middle; `None` when it has neither.
pub fn middle_break(text: &str) -> Option<(&str, &str)> {
    let middle = text.chars().count() / 2;
    let colon = text.char_indices().find(|(_, c)| matches!(c, ':' | '：'));
    let space = || {
        text.char_indices()
            .enumerate()
            .filter(|(_, (_, c))| *c == ' ')
            .min_by_key(|(n, _)| n.abs_diff(middle))
            .map(|(_, at)| at)
    };
    colon.or_else(space).map(|(i, c)| {
        let cut = i + c.len_utf8();
        (text[..cut].trim_end(), text[cut..].trim_start())
    })
}
