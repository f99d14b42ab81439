//! k-means as hard EM: θ = the centres μₖ; the E-step assigns each point to its nearest centre.
//!
//! ln p(xᵢ, z = k) is taken as −‖xᵢ − μₖ‖², so the runner's ℓ is −J, where J is the within-cluster sum of
//! squares, and its one-hot argmax E-step is the nearest-centre assignment.

use super::em::by_k;
use super::em::{
    add_part, add_sum, fixed_k, parts, Collapse, Em, MStep, Mixture, Pass, PassPart, Phase,
};
use super::error::{EmError, ErrorKind};
use super::gmm1d::MAX_SHIFT_SDS;
use super::gmm2d::{distinct_points, moments_2d, Gmm2dParams};
use super::options::Options;
use super::params::{check_k, MAX_K};

/// θ of k-means.
#[derive(Clone, Debug, PartialEq)]
pub struct KMeansParams {
    /// Centres μₖ = (x, y).
    pub centres: Vec<[f64; 2]>,
}

impl From<&Gmm2dParams> for KMeansParams {
    /// The mixture's means as centres, so k-means and the soft mixture can start from the same place.
    fn from(p: &Gmm2dParams) -> Self {
        KMeansParams {
            centres: p.means.clone(),
        }
    }
}

/// 2-D data (flat x, y pairs) clustered by k-means.
#[derive(Clone, Debug)]
pub struct KMeans {
    data: Vec<f64>,
    /// The smallest and largest x and y ([`super::gmm2d::extent_2d`]).
    extent: [(f64, f64); 2],
}

/// The centres, copied for the pass over the data.
pub struct PreparedKMeans {
    centres: Vec<[f64; 2]>,
}

impl KMeans {
    /// Wraps flat x, y pairs that have already been checked to be non-empty and finite (a trailing odd value is dropped).
    pub fn new(mut data: Vec<f64>) -> Self {
        data.truncate(data.len() - data.len() % 2);
        let extent = super::gmm2d::extent_2d(&data);
        KMeans { data, extent }
    }

    /// The smallest and the largest x and y of the observations.
    pub fn extent(&self) -> [(f64, f64); 2] {
        self.extent
    }

    /// The observations as flat x, y pairs.
    pub fn data(&self) -> &[f64] {
        &self.data
    }

    /// Observation `i` as (x, y).
    pub fn point(&self, i: usize) -> [f64; 2] {
        [self.data[2 * i], self.data[2 * i + 1]]
    }

    /// The within-cluster sum of squares J = Σᵢ minₖ ‖xᵢ − μₖ‖² (each point to its nearest centre).
    pub fn objective(&self, params: &KMeansParams) -> f64 {
        let mut j = 0.0;
        for p in self.data.chunks_exact(2) {
            let best = params
                .centres
                .iter()
                .map(|c| dist2(p, c))
                .fold(f64::INFINITY, f64::min);
            j += best;
        }
        j
    }

    /// The index of the centre nearest to observation `i` (the first on ties).
    pub fn nearest_centre(&self, params: &KMeansParams, i: usize) -> usize {
        let p = &self.data[2 * i..2 * i + 2];
        let mut best = 0;
        let mut best_d = f64::INFINITY;
        for (k, c) in params.centres.iter().enumerate() {
            let d = dist2(p, c);
            if d < best_d {
                best = k;
                best_d = d;
            }
        }
        best
    }
}

/// ‖p − c‖².
#[inline(always)]
fn dist2(p: &[f64], c: &[f64; 2]) -> f64 {
    let (u, v) = (p[0] - c[0], p[1] - c[1]);
    u * u + v * v
}

/// What point `p` adds to Σᵢ ‖xᵢ − μ_{labelᵢ}‖² beyond its nearest squared distance `d` (centre
/// `nearest`): 0 when its label is its nearest centre, else ‖p − μ_label‖² − d (never negative). The
/// labelled sum is J plus these, so L ≤ ℓ bit for bit (rounding is monotone), L = ℓ exactly when no label
/// changes, and only points whose label changes cost a second distance (late in a fit, almost none).
#[inline(always)]
fn moved(
    p: &[f64],
    table: &[[f64; 2]; MAX_K],
    label: u32,
    k: usize,
    nearest: usize,
    d: f64,
) -> f64 {
    let label = (label as usize).min(k - 1);
    if label == nearest {
        0.0
    } else {
        dist2(p, &table[label]) - d
    }
}

/// True when labels `at`..`at + 8` of `a` and `b` are equal (both hold them): two comparisons of 128 bits
/// where the build has WebAssembly SIMD, else label by label.
#[inline(always)]
fn same8(a: &[u32], b: &[u32], at: usize) -> bool {
    let (a, b) = (&a[at..at + 8], &b[at..at + 8]);
    #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
    {
        use core::arch::wasm32::*;
        // SAFETY: both slices hold eight u32s (32 bytes); `v128_load` reads unaligned.
        let [x0, x1, y0, y1] = unsafe {
            let (a, b) = (a.as_ptr().cast::<v128>(), b.as_ptr().cast::<v128>());
            [
                v128_load(a),
                v128_load(a.add(1)),
                v128_load(b),
                v128_load(b.add(1)),
            ]
        };
        i32x4_all_true(v128_and(i32x4_eq(x0, y0), i32x4_eq(x1, y1)))
    }
    #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
    {
        a == b
    }
}

/// J of the runner's current state: of its assignment and centres ([`super::em::TracePoint::hard_objective`]).
pub fn objective(em: &Em<KMeans>) -> f64 {
    match em.labels() {
        Some(_) => -em.lower_bound(),
        None => -em.loglik(),
    }
}

/// The cluster of every observation under the runner's current q (its labels; argmax of each row of the
/// uniform q before the first E-step).
pub fn assignments(em: &Em<KMeans>) -> Vec<usize> {
    match em.labels() {
        Some(labels) => labels.iter().map(|&j| j as usize).collect(),
        None => em.q().chunks_exact(em.k()).map(super::em::argmax).collect(),
    }
}

/// The sufficient statistics of one cluster: what the M-step and L(q, θ) need.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct ClusterSums {
    /// Nₖ = Σᵢ qᵢₖ.
    pub n: f64,
    /// Σᵢ qᵢₖ xᵢ (the mean times Nₖ).
    pub sum: [f64; 2],
    /// Σᵢ qᵢₖ ‖xᵢ − m‖² around the (q-weighted) mean m = sum / Nₖ (NaN when Nₖ = 0).
    pub spread: f64,
}

impl ClusterSums {
    /// The mean sum / Nₖ.
    pub fn mean(&self) -> [f64; 2] {
        [self.sum[0] / self.n, self.sum[1] / self.n]
    }

    /// The sums from a pass around `centre` (`s` = Nₖ, Σ u, Σ v, Σ (u² + v²) with (u, v) = x − centre);
    /// `None` when the mean lies more than [`MAX_SHIFT_SDS`] root-mean-square distances from the centre
    /// (the subtraction would lose digits) or a sum is not finite.
    fn from_shifted(s: &[f64; 4], centre: [f64; 2]) -> Option<Self> {
        let n = s[0];
        if n == 0.0 {
            return Some(ClusterSums {
                n,
                sum: [0.0; 2],
                spread: f64::NAN,
            });
        }
        let (u, v) = (s[1] / n, s[2] / n);
        let shift = u * s[1] + v * s[2];
        let spread = s[3] - shift;
        let near = shift <= MAX_SHIFT_SDS * MAX_SHIFT_SDS * spread;
        let finite = spread.is_finite() && u.is_finite() && v.is_finite();
        (finite && near).then_some(ClusterSums {
            n,
            sum: [n * centre[0] + s[1], n * centre[1] + s[2]],
            spread,
        })
    }
}

/// The sums of every cluster of q (N×K) over flat x, y pairs (the uniform q of a start, or any q).
fn cluster_sums(data: &[f64], q: &[f64], k: usize) -> Vec<ClusterSums> {
    moments_2d(data, q, k)
        .iter()
        .map(|m| ClusterSums {
            n: m.n,
            sum: m.sum,
            spread: m.scatter[0] + m.scatter[2],
        })
        .collect()
}

/// The centres as x and y arrays of [`MAX_K`] slots (the first `k` used), for the passes over the data.
struct Centres {
    x: [f64; MAX_K],
    y: [f64; MAX_K],
    /// The same centres as (x, y) pairs, for a look-up by label.
    table: [[f64; 2]; MAX_K],
    k: usize,
}

impl Centres {
    fn new(centres: &[[f64; 2]]) -> Self {
        let mut c = Centres {
            x: [0.0; MAX_K],
            y: [0.0; MAX_K],
            table: [[0.0; 2]; MAX_K],
            k: centres.len().clamp(1, MAX_K),
        };
        for (j, centre) in centres.iter().take(MAX_K).enumerate() {
            (c.x[j], c.y[j]) = (centre[0], centre[1]);
            c.table[j] = *centre;
        }
        c
    }

    /// ‖(x, y) − μⱼ‖².
    #[inline(always)]
    fn dist2(&self, j: usize, x: f64, y: f64) -> f64 {
        let (u, v) = (x - self.x[j], y - self.y[j]);
        u * u + v * v
    }

    /// The nearest of `K` centres (`K` = 0: any K) to (x, y), the first on ties, and the squared distance
    /// to it. Without branches: a squared distance is never negative nor NaN, so its bits order as
    /// unsigned integers do, and the choice is an integer select (a conditional move), which a random
    /// order of points cannot mispredict.
    /// K = 2 and 3 are unrolled here, not left to the optimiser: the wasm is built for size, and at
    /// opt-level "s" LLVM keeps the loop over the centres.
    /// (A method, not a closure: a closure is not always inlined at opt-level "z".)
    #[inline(always)]
    fn nearest<const K: usize>(&self, x: f64, y: f64) -> (usize, f64) {
        let mut best = (0, self.dist2(0, x, y).to_bits());
        match K {
            2 => self.consider(1, x, y, &mut best),
            3 => {
                self.consider(1, x, y, &mut best);
                self.consider(2, x, y, &mut best);
            }
            _ => {
                for j in 1..fixed_k::<K>(self.k) {
                    self.consider(j, x, y, &mut best);
                }
            }
        }
        (best.0.min(MAX_K - 1), f64::from_bits(best.1))
    }

    /// Makes centre `j` the `best` (index, squared distance's bits) when it is closer to (x, y).
    #[inline(always)]
    fn consider(&self, j: usize, x: f64, y: f64, best: &mut (usize, u64)) {
        let bits = self.dist2(j, x, y).to_bits();
        let closer = bits < best.1;
        best.0 = if closer { j } else { best.0 };
        best.1 = if closer { bits } else { best.1 };
    }
}

/// Two f64 lanes: WebAssembly SIMD where the build has it (the page's wasm), else two scalars doing the
/// same arithmetic lane by lane, so both builds give the same numbers bit for bit.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod pair {
    use core::arch::wasm32::*;

    /// Two f64 lanes.
    #[derive(Clone, Copy)]
    pub struct F2(v128);

    impl F2 {
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F2(f64x2(a, b))
        }
        #[inline(always)]
        pub fn add(self, o: Self) -> Self {
            F2(f64x2_add(self.0, o.0))
        }
        #[inline(always)]
        pub fn sub(self, o: Self) -> Self {
            F2(f64x2_sub(self.0, o.0))
        }
        #[inline(always)]
        pub fn lanes(self) -> [f64; 2] {
            [
                f64x2_extract_lane::<0>(self.0),
                f64x2_extract_lane::<1>(self.0),
            ]
        }
    }
}

/// Two f64 lanes: WebAssembly SIMD where the build has it (the page's wasm), else two scalars doing the
/// same arithmetic lane by lane, so both builds give the same numbers bit for bit.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod pair {
    /// Two f64 lanes.
    #[derive(Clone, Copy)]
    pub struct F2([f64; 2]);

    impl F2 {
        #[inline(always)]
        pub fn new(a: f64, b: f64) -> Self {
            F2([a, b])
        }
        #[inline(always)]
        pub fn add(self, o: Self) -> Self {
            F2([self.0[0] + o.0[0], self.0[1] + o.0[1]])
        }
        #[inline(always)]
        pub fn sub(self, o: Self) -> Self {
            F2([self.0[0] - o.0[0], self.0[1] - o.0[1]])
        }
        #[inline(always)]
        pub fn lanes(self) -> [f64; 2] {
            self.0
        }
    }
}

impl KMeans {
    /// The E-step pass for a fixed K (`K` = 0: any K): the nearest centre of every point (the first on
    /// ties) into `labels`, and per centre the count and the sums around it (Nₖ, Σ u, Σ v, Σ (u² + v²)).
    /// Returns J and, with `OLD`, Σᵢ ‖xᵢ − μ_{oldᵢ}‖² for the labels `old` (as [`KMeans::labelled_pass`]
    /// sums it: J plus the moves, see [`moved`]), and the sums.
    fn pass_hard<const K: usize, const OLD: bool>(
        c: &Centres,
        data: &[f64],
        labels: &mut [u32],
        old: &[u32],
    ) -> (f64, f64, [[f64; 4]; MAX_K]) {
        use pair::F2;
        let zero = F2::new(0.0, 0.0);
        let mut sums = [[zero; 2]; MAX_K];
        let centres = c.table.map(|[x, y]| F2::new(x, y));
        // The sums and a copy of the centres stay in memory, indexed by the label: held in registers,
        // the compiler picks a cluster's with a branch or a float select per point (a branch in V8),
        // which a random order of points mispredicts.
        let acc = std::hint::black_box(&mut sums);
        let table = std::hint::black_box(&centres);
        let mut objective = 0.0;
        // An index loop, not zipped iterators: at opt-level "z" an iterator's `next` is not always inlined.
        let data = &data[..2 * labels.len()];
        for i in 0..labels.len() {
            let p = &data[2 * i..2 * i + 2];
            let (x, y) = (p[0], p[1]);
            let (best, d) = c.nearest::<K>(x, y);
            labels[i] = best as u32;
            objective += d;
            let a = &mut acc[best];
            a[0] = a[0].add(F2::new(x, y).sub(table[best]));
            a[1] = a[1].add(F2::new(1.0, d));
        }
        let mut out = [[0.0; 4]; MAX_K];
        for (o, [uv, nd]) in out.iter_mut().zip(sums) {
            let ([u, v], [n, d]) = (uv.lanes(), nd.lanes());
            *o = [n, u, v, d];
        }
        let moves = if OLD {
            Self::moves_of::<K>(c, data, labels, old)
        } else {
            0.0
        };
        (objective, objective + moves, out)
    }

    /// Σ [`moved`] over the points whose label changed from `old` to `next`, in order: the terms of the
    /// labelled sum beyond J. Bit for bit the sum over every point (the others add 0.0 to a sum that is
    /// never −0), found by comparing the labels eight at a time after the pass over the data: late
    /// in a fit almost no label changes, and the comparison in the pass was a sixth of its time.
    fn moves_of<const K: usize>(c: &Centres, data: &[f64], next: &[u32], old: &[u32]) -> f64 {
        let table = std::hint::black_box(&c.table); // indexed in memory, as in `labelled_pass`
        let mut moves = 0.0;
        let n = next.len().min(old.len());
        let mut i = 0;
        while i < n {
            let end = if i + 8 <= n { i + 8 } else { n };
            if end - i < 8 || !same8(next, old, i) {
                for j in i..end {
                    if next[j] != old[j] {
                        let p = &data[2 * j..2 * j + 2];
                        let (nearest, d) = c.nearest::<K>(p[0], p[1]);
                        moves += moved(p, table, old[j], c.k, nearest, d);
                    }
                }
            }
            i = end;
        }
        moves
    }

    /// The E-step's pass from its sums: the statistics (around the means; from `labels` for the rare
    /// cluster whose mean is far from its centre) and ℓ = L = −J.
    fn pass_of(
        &self,
        p: &KMeansParams,
        loglik: f64,
        acc: &[[f64; 4]; MAX_K],
        labels: &[u32],
    ) -> (Pass, Vec<ClusterSums>) {
        let shifted: Option<Vec<ClusterSums>> = acc
            .iter()
            .zip(&p.centres)
            .map(|(a, &c)| ClusterSums::from_shifted(a, c))
            .collect();
        // Rarely (a centre far from its points' mean): the sums around the means, from the labels.
        let stats = shifted.unwrap_or_else(|| self.sums_of_labels(labels, p.centres.len()));
        let pass = Pass::of_posterior(loglik, 0.0);
        (pass, stats)
    }

    /// J = Σᵢ minₖ ‖xᵢ − μₖ‖² over the points of `data` (x, y pairs), for a fixed K (`K` = 0: any K).
    fn objective_pass<const K: usize>(&self, c: &Centres, data: &[f64]) -> f64 {
        let mut objective = 0.0;
        for p in data.chunks_exact(2) {
            objective += c.nearest::<K>(p[0], p[1]).1;
        }
        objective
    }

    /// J and Σᵢ ‖xᵢ − μ_{labelᵢ}‖² (J plus the moves, see [`moved`]), for a fixed K (`K` = 0: any K).
    fn labelled_pass<const K: usize>(c: &Centres, data: &[f64], labels: &[u32]) -> (f64, f64) {
        let (mut best, mut moves) = (0.0, 0.0);
        let table = std::hint::black_box(&c.table); // indexed in memory, as in `pass_hard`
        for (p, &label) in data.chunks_exact(2).zip(labels) {
            let (x, y) = (p[0], p[1]);
            let (nearest, d) = c.nearest::<K>(x, y);
            best += d;
            moves += moved(p, table, label, c.k, nearest, d);
        }
        (best, best + moves)
    }

    /// [`Mixture::largest_hard_share`] for a fixed K (`K` = 0: any K): the first point with the largest
    /// ‖xᵢ − μ_{labelᵢ}‖² − minₖ ‖xᵢ − μₖ‖², and that difference.
    fn hard_share<const K: usize>(c: &Centres, data: &[f64], labels: &[u32]) -> (usize, f64) {
        let table = std::hint::black_box(&c.table); // indexed in memory, as in `pass_hard`
        let (mut top, mut top_share) = (0, 0.0);
        for (i, (p, &label)) in data.chunks_exact(2).zip(labels).enumerate() {
            let (_, nearest) = c.nearest::<K>(p[0], p[1]);
            let share = dist2(p, &table[(label as usize).min(c.k - 1)]) - nearest;
            if share > top_share {
                (top, top_share) = (i, share);
            }
        }
        (top, top_share)
    }

    /// The sums of every cluster from the labels, in two passes (the mean, then the spread around it):
    /// for the rare cluster whose mean is far from its centre.
    fn sums_of_labels(&self, labels: &[u32], k: usize) -> Vec<ClusterSums> {
        let mut sums = vec![ClusterSums::default(); k];
        for (p, &label) in self.data.chunks_exact(2).zip(labels) {
            let s = &mut sums[label as usize];
            s.n += 1.0;
            s.sum[0] += p[0];
            s.sum[1] += p[1];
        }
        let means: Vec<[f64; 2]> = sums.iter().map(ClusterSums::mean).collect();
        for (p, &label) in self.data.chunks_exact(2).zip(labels) {
            let m = means[label as usize];
            sums[label as usize].spread += dist2(p, &m);
        }
        for s in sums.iter_mut().filter(|s| s.n == 0.0) {
            s.spread = f64::NAN;
        }
        sums
    }
}

impl Mixture for KMeans {
    const NAME: &'static str = "kmeans";
    type Params = KMeansParams;
    type Prepared = PreparedKMeans;
    type Stats = Vec<ClusterSums>;
    type Sums = [[f64; 4]; MAX_K];
    const HARD: bool = true;
    const K_FIELD: &'static str = "means";

    fn e_pass_part(
        &self,
        p: &KMeansParams,
        range: std::ops::Range<usize>,
        _q: &mut [f64],
        labels: &mut [u32],
    ) -> PassPart<[[f64; 4]; MAX_K]> {
        let centres = Centres::new(&p.centres);
        let data = &self.data[2 * range.start..2 * range.end];
        let (objective, _, sums) = match p.centres.len() {
            2 => Self::pass_hard::<2, false>(&centres, data, labels, &[]),
            3 => Self::pass_hard::<3, false>(&centres, data, labels, &[]),
            _ => Self::pass_hard::<0, false>(&centres, data, labels, &[]),
        };
        PassPart {
            loglik: -objective,
            entropy: 0.0,
            sums,
        }
    }

    fn e_pass_end(
        &self,
        p: &KMeansParams,
        part: PassPart<[[f64; 4]; MAX_K]>,
        _q: &[f64],
        labels: &[u32],
    ) -> (Pass, Vec<ClusterSums>) {
        self.pass_of(p, part.loglik, &part.sums, labels)
    }

    /// One pass for the runner after an M-step: the next E-step (labels and sums for θ) and, for the old
    /// labels, ℓ and L as [`Mixture::evaluate`] gives them, bit for bit (J the same distances summed in
    /// the same order and the same parts; the labelled sum as `labelled_pass` sums it).
    fn evaluate_ahead(
        &self,
        p: &KMeansParams,
        stats: &Vec<ClusterSums>,
        labels: Option<&[u32]>,
        next_q: &mut [f64],
        next_labels: &mut [u32],
    ) -> ((f64, f64), (Pass, Vec<ClusterSums>)) {
        let Some(old) = labels else {
            let ahead = self.e_pass(p, next_q, next_labels);
            return (self.evaluate(p, stats, None), ahead);
        };
        let centres = Centres::new(&p.centres);
        let (mut total, mut labelled_total) = (None, None);
        for range in parts(self.len()) {
            let data = &self.data[2 * range.start..2 * range.end];
            let (next, old) = (&mut next_labels[range.clone()], &old[range]);
            let (objective, labelled, sums) = match p.centres.len() {
                2 => Self::pass_hard::<2, true>(&centres, data, next, old),
                3 => Self::pass_hard::<3, true>(&centres, data, next, old),
                _ => Self::pass_hard::<0, true>(&centres, data, next, old),
            };
            let part = PassPart {
                loglik: -objective,
                entropy: 0.0,
                sums,
            };
            add_part(&mut total, part);
            add_sum(&mut labelled_total, labelled);
        }
        let total = total.expect("k-means over no data");
        let loglik = total.loglik;
        let ahead = self.e_pass_end(p, total, next_q, next_labels);
        // −Σ (the parts' sums, in order): bit for bit `evaluate`'s, as the objective is the pass's −ℓ.
        ((loglik, -labelled_total.unwrap_or(0.0)), ahead)
    }

    /// One pass without branches on the distances (as `labelled_pass`): a point's share is its
    /// labelled squared distance less its nearest (exactly 0 where its label is its nearest centre).
    fn largest_hard_share(&self, p: &KMeansParams, labels: &[u32]) -> (usize, f64) {
        let centres = Centres::new(&p.centres);
        match p.centres.len() {
            2 => Self::hard_share::<2>(&centres, &self.data, labels),
            3 => Self::hard_share::<3>(&centres, &self.data, labels),
            _ => Self::hard_share::<0>(&centres, &self.data, labels),
        }
    }

    fn loglik_part(&self, p: &KMeansParams, range: std::ops::Range<usize>) -> f64 {
        let centres = Centres::new(&p.centres);
        let data = &self.data[2 * range.start..2 * range.end];
        -by_k!(p.centres.len(), self.objective_pass(&centres, data))
    }

    /// One pass: ℓ = −Σᵢ minₖ ‖xᵢ − μₖ‖² and, with labels, −Σᵢ ‖xᵢ − μ_{labelᵢ}‖² in the same order.
    fn evaluate(
        &self,
        p: &KMeansParams,
        stats: &Vec<ClusterSums>,
        labels: Option<&[u32]>,
    ) -> (f64, f64) {
        let Some(labels) = labels else {
            return (self.loglik(p), self.expected_log_joint(stats, p));
        };
        let centres = Centres::new(&p.centres);
        let (mut best, mut labelled) = (None, None);
        for range in parts(self.len()) {
            let data = &self.data[2 * range.start..2 * range.end];
            let labels = &labels[range];
            let (b, l) = match p.centres.len() {
                2 => Self::labelled_pass::<2>(&centres, data, labels),
                3 => Self::labelled_pass::<3>(&centres, data, labels),
                _ => Self::labelled_pass::<0>(&centres, data, labels),
            };
            add_sum(&mut best, b);
            add_sum(&mut labelled, l);
        }
        (-best.unwrap_or(0.0), -labelled.unwrap_or(0.0))
    }

    fn stats_of(&self, q: &[f64], k: usize) -> Vec<ClusterSums> {
        cluster_sums(&self.data, q, k)
    }

    /// −Σₖ (spreadₖ + Nₖ ‖mₖ − μₖ‖²) (mₖ the weighted mean): minus the q-weighted sum of squared distances to the centres.
    fn expected_log_joint(&self, stats: &Vec<ClusterSums>, p: &KMeansParams) -> f64 {
        -stats
            .iter()
            .zip(&p.centres)
            .filter(|(m, _)| m.n > 0.0)
            .map(|(m, c)| m.spread + m.n * dist2(&m.mean(), c))
            .sum::<f64>()
    }

    fn len(&self) -> usize {
        self.data.len() / 2
    }

    fn describe(&self, i: usize, _lang: crate::text::Lang) -> String {
        super::gmm2d::describe_point(self.point(i))
    }

    fn components(params: &KMeansParams) -> usize {
        params.centres.len()
    }

    fn prepare(&self, params: &KMeansParams) -> PreparedKMeans {
        PreparedKMeans {
            centres: params.centres.clone(),
        }
    }

    #[inline]
    fn log_joint_row(&self, prepared: &PreparedKMeans, i: usize, out: &mut [f64]) {
        let p = &self.data[2 * i..2 * i + 2];
        for (o, c) in out.iter_mut().zip(&prepared.centres) {
            *o = -dist2(p, c);
        }
    }

    /// Each centre moves to the (q-weighted) mean of its points; `reg` is ignored.
    fn m_step_from(
        &self,
        stats: &Vec<ClusterSums>,
        old: &KMeansParams,
        _options: &Options,
    ) -> MStep<KMeansParams> {
        let mut centres = old.centres.clone();
        let mut empty = Vec::new();
        for (j, m) in stats.iter().enumerate() {
            let mean = m.mean();
            if m.n > 0.0 && mean.iter().all(|v| v.is_finite()) {
                centres[j] = mean;
            } else {
                empty.push(j);
            }
        }
        MStep {
            params: KMeansParams { centres },
            empty,
        }
    }

    fn to_free(&self, params: &KMeansParams) -> Vec<f64> {
        params.centres.iter().flatten().copied().collect()
    }

    fn from_free(&self, free: &[f64], _like: &KMeansParams) -> KMeansParams {
        KMeansParams {
            centres: free.chunks_exact(2).map(|c| [c[0], c[1]]).collect(),
        }
    }

    fn validate(&self, params: &KMeansParams) -> Result<(), EmError> {
        check_k(params.centres.len())?;
        for (component, c) in params.centres.iter().enumerate() {
            if !c.iter().all(|v| v.is_finite()) {
                return Err(EmError::new(ErrorKind::NotFiniteParam {
                    what: "centre",
                    component,
                }));
            }
        }
        Ok(())
    }

    /// k-means has no variances, so nothing can collapse.
    fn collapse(&self, _params: &KMeansParams) -> Option<Collapse> {
        None
    }
}

/// A seeded start: K distinct data points as centres.
pub fn random_start(model: &KMeans, k: usize, rng: &mut impl rand::Rng) -> KMeansParams {
    KMeansParams {
        centres: distinct_points(model.data(), k, rng),
    }
}

// The formulas of this model, with this step's numbers (see `core::formulas`).

use super::formulas::{
    at_i, column, e_step_row, empty_line, frac, largest, num, of, op, pair, q_ik, row, sub,
    sum_over, sup, sym, tagged, Formulas, Ix, Node, ShowFormulas,
};

/// ‖xᵢ − μₖ‖² as symbols, or with (x, y) and the centre's numbers.
fn distance(inside: Vec<Node>) -> Node {
    let mut nodes = vec![op("‖")];
    nodes.extend(inside);
    nodes.push(op("‖"));
    sup(row(nodes), Node::Int(2))
}

impl ShowFormulas for KMeans {
    fn formulas(em: &Em<Self>, i: usize) -> Formulas {
        let model = em.model();
        let p = em.params();
        let scale = largest(&model.data);
        let k = Ix::Letter("k");
        let (log_joint, q, _) = e_step_row(em, i);
        let best = super::em::argmax(&log_joint);
        let dist = |c: usize| num(-log_joint[c], scale * scale);
        let [x, y] = model.point(i);
        let mut e = vec![vec![
            sub(sym("z"), sym("i")),
            op("="),
            Node::Under(Box::new(op("argmin")), Box::new(sym("k"))),
            distance(vec![at_i("x"), op("−"), of("μ", k)]),
        ]];
        for (c, centre) in p.centres.iter().enumerate() {
            e.push(vec![
                distance(vec![at_i("x"), op("−"), of("μ", Ix::At(c))]),
                op("="),
                distance(vec![
                    pair(num(x, scale), num(y, scale)),
                    op("−"),
                    pair(num(centre[0], scale), num(centre[1], scale)),
                ]),
                op("="),
                dist(c),
            ]);
        }
        let mut assignment = vec![
            sub(sym("z"), sym("i")),
            op("="),
            Node::Int(best + 1),
            op(","),
            sub(sym("q"), sym("i")),
            op("="),
            op("("),
        ];
        for (c, &v) in q.iter().enumerate() {
            if c > 0 {
                assignment.push(op(","));
            }
            assignment.push(tagged(v, 1.0, "q", c, 0));
        }
        assignment.push(op(")"));
        e.push(assignment);
        e.push(vec![Node::Text("formula-hard")]);

        let n = model.len();
        let kk = Self::components(p);
        let step = model.m_step_from(em.stats(), p, em.options());
        let nk: Vec<f64> = em.stats().iter().map(|s| s.n).collect();
        let sx: Vec<f64> = em.stats().iter().map(|s| s.sum[0]).collect();
        let sy: Vec<f64> = em.stats().iter().map(|s| s.sum[1]).collect();
        let mut m = vec![
            vec![
                of("N", k),
                op("="),
                sum_over("i", vec![q_ik(k)]),
                Node::Text("formula-assigned"),
            ],
            vec![
                of("μ", k),
                op("="),
                frac(sum_over("i", vec![q_ik(k), at_i("x")]), of("N", k)),
            ],
        ];
        // Before the first E-step no point is assigned, and the M-step is refused: no numbers to show.
        let shown = if em.phase() == Phase::Init {
            m.push(vec![Node::Text("formula-unassigned")]);
            0
        } else {
            kk
        };
        for c in 0..shown {
            let at = Ix::At(c);
            if step.empty.contains(&c) {
                m.push(empty_line(c, nk[c]));
                continue;
            }
            m.push(vec![
                of("N", at),
                op("="),
                tagged(nk[c], n as f64, "N", c, 0),
                op(","),
                of("μ", at),
                op("="),
                frac(
                    column(num(sx[c], nk[c] * scale), num(sy[c], nk[c] * scale)),
                    num(nk[c], n as f64),
                ),
                op("="),
                column(
                    tagged(step.params.centres[c][0], scale, "μ", c, 0),
                    tagged(step.params.centres[c][1], scale, "μ", c, 1),
                ),
            ]);
        }
        Formulas { point: i, e, m }
    }
}

// The registry's view of this model (see `core::model`).

use super::model::{Capabilities, FieldSpec, Model, Shape, Source, Theta};

impl Model for KMeans {
    const CAPABILITIES: Capabilities = Capabilities {
        data_figure: "kmeans",
        bound: false,
        compare: true,
        click_edit: "2d",
        columns: 2,
        data_words: "-2d",
        ..Capabilities::BASE
    };
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::number("weights", "", 3).write_only(),
        FieldSpec::number("means", "col-centre", 2)
            .location()
            .csv("centre")
            .shaped(Shape::Pair),
    ];
    const PRESETS: &'static [&'static str] = super::presets2d::PRESETS_2D;

    fn theta(p: &KMeansParams) -> Theta {
        let k = p.centres.len();
        Theta::default()
            .with("weights", Shape::Number, vec![1.0 / k as f64; k])
            .with_pairs("means", &p.centres)
    }
    fn from_theta(t: &Theta) -> Result<KMeansParams, EmError> {
        Ok(KMeansParams {
            centres: t.pairs("means")?,
        })
    }
    fn preset(name: &str) -> Result<Source<Self>, EmError> {
        let p = super::presets2d::preset_2d(name)?;
        Ok(Source {
            labels: p.labels,
            k: p.suggested_k,
            seed: p.suggested_seed,
            ..Source::plain(KMeans::new(p.data))
        })
    }
    fn read(text: &str, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Self::from_table(&super::csv::parse_table(text)?, columns)
    }
    fn from_table(table: &super::csv::Table, columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Ok(Source::plain(KMeans::new(table.points(columns)?)))
    }
    fn check(&self, k: usize) -> Result<(), EmError> {
        super::params::check_points(self.data(), k)
    }
    fn random_start(&self, k: usize, seed: u64) -> KMeansParams {
        random_start(self, k, &mut super::sample::rng(seed))
    }
    fn data_text(&self, _sequences: &[Option<String>]) -> String {
        super::format::points_text(self.data())
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        if i < self.len() {
            self.point(i).to_vec()
        } else {
            Vec::new()
        }
    }
    fn distinct(&self) -> usize {
        super::params::count_distinct_points(self.data())
    }
    fn objective(em: &Em<Self>) -> f64 {
        objective(em)
    }
}
