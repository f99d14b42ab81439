//! The Poisson mixture for counts: θ = (weights πₖ, rates λₖ).
//!
//! ln p(xᵢ, z = k) = ln πₖ + xᵢ ln λₖ − λₖ − ln xᵢ!: the full log-probability, ln xᵢ! included, so ℓ is the
//! published log-likelihood (the term does not depend on θ, so q and the M-step are the same either way).
//! A Poisson probability is at most 1, so ℓ ≤ 0 is bounded above: no component can collapse.

use super::csv::{parse_number, MAX_POINTS};
use super::em::by_k;
use super::em::{
    each_coordinate, fixed_k, log_sum_exp_row, soft_row, AddSums, Collapse, MStep, Mixture, Pass,
    PassPart, SliceCoordinate,
};
use super::error::{EmError, ErrorKind};
use super::options::Options;
use super::params::{check_finite, check_k, check_len, check_weights, softmax, MAX_K};

/// The largest count an observation may be (exact in a 64-bit float, and ln x! stays accurate).
pub const MAX_COUNT: u64 = 1_000_000_000;

/// Free coordinates (ln πₖ, ln λₖ) are clamped to at least −this, so a weight or rate of 0 maps to a
/// finite number.
pub const MIN_LOG: f64 = -700.0;

/// Counts below this get ln x! from an exact table; larger ones from Stirling's series.
const FACTORIAL_TABLE: usize = 1024;

/// θ of a Poisson mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct PoissonParams {
    /// Mixing weights πₖ (non-negative, summing to 1).
    pub weights: Vec<f64>,
    /// Rates λₖ (positive): the mean count of each component.
    pub rates: Vec<f64>,
}

/// Count data (one observation per count) and the Poisson-mixture model of it.
#[derive(Clone, Debug)]
pub struct Poisson {
    counts: Vec<u64>,
    ln_factorials: Vec<f64>,
    mean: f64,
}

/// Per-component constants (ln πₖ, ln λₖ, λₖ).
pub struct PreparedPoisson {
    terms: Vec<(f64, f64, f64)>,
}

/// a · ln p with 0 · ln 0 = 0 (a rate of 0 still gives the count 0 probability 1).
#[inline]
fn times_log(a: f64, ln_p: f64) -> f64 {
    if a == 0.0 {
        0.0
    } else {
        a * ln_p
    }
}

/// ln n! for every n below [`FACTORIAL_TABLE`], by summing logarithms.
fn factorial_table() -> Vec<f64> {
    let mut table = Vec::with_capacity(FACTORIAL_TABLE);
    let mut acc = 0.0f64;
    table.push(0.0);
    for n in 1..FACTORIAL_TABLE {
        acc += (n as f64).ln();
        table.push(acc);
    }
    table
}

/// ln n!, from Stirling's series for large n (error below 1e-20 from n = 1024 on).
pub fn ln_factorial(n: u64) -> f64 {
    if n < FACTORIAL_TABLE as u64 {
        return (1..=n).map(|k| (k as f64).ln()).sum();
    }
    stirling(n as f64)
}

/// n ln n − n + ½ ln(2πn) + 1/(12n) − 1/(360n³) + 1/(1260n⁵).
fn stirling(n: f64) -> f64 {
    let inv = 1.0 / n;
    let inv2 = inv * inv;
    n * n.ln() - n
        + 0.5 * (2.0 * std::f64::consts::PI * n).ln()
        + inv * (1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 / 1260.0))
}

/// ln p(x | λ) = x ln λ − λ − ln x! of one Poisson component.
pub fn ln_pmf(rate: f64, x: u64) -> f64 {
    times_log(x as f64, rate.ln()) - rate - ln_factorial(x)
}

impl Poisson {
    /// Wraps counts that have already been checked (non-empty, each at most [`MAX_COUNT`]).
    pub fn new(counts: Vec<u64>) -> Self {
        let table = factorial_table();
        let ln_factorials = counts
            .iter()
            .map(|&x| match table.get(x as usize) {
                Some(&v) if x < FACTORIAL_TABLE as u64 => v,
                _ => stirling(x as f64),
            })
            .collect();
        let mean = if counts.is_empty() {
            0.0
        } else {
            counts.iter().map(|&x| x as f64).sum::<f64>() / counts.len() as f64
        };
        Poisson {
            counts,
            ln_factorials,
            mean,
        }
    }

    /// The observations (one count each).
    pub fn data(&self) -> &[u64] {
        &self.counts
    }

    /// The mean count.
    pub fn mean(&self) -> f64 {
        self.mean
    }

    /// The distinct counts in increasing order, each with how many observations have it.
    pub fn tally(&self) -> Vec<(u64, usize)> {
        tally(&self.counts)
    }

    /// Weighted probability πₖ Poisson(x | λₖ) of component `k` at count `x`.
    pub fn component_probability(params: &PoissonParams, k: usize, x: u64) -> f64 {
        let w = params.weights[k];
        if w <= 0.0 {
            return 0.0;
        }
        (w.ln() + ln_pmf(params.rates[k], x)).exp()
    }

    /// The mixture probability p(x | θ) = Σₖ πₖ Poisson(x | λₖ).
    pub fn probability(params: &PoissonParams, x: u64) -> f64 {
        (0..params.weights.len())
            .map(|k| Self::component_probability(params, k, x))
            .sum()
    }
}

/// The distinct values of `counts` in increasing order, each with its frequency.
pub fn tally(counts: &[u64]) -> Vec<(u64, usize)> {
    let mut sorted = counts.to_vec();
    crate::core::small_sort::sort_u64(&mut sorted);
    let mut out: Vec<(u64, usize)> = Vec::new();
    for x in sorted {
        match out.last_mut() {
            Some((v, n)) if *v == x => *n += 1,
            _ => out.push((x, 1)),
        }
    }
    out
}

/// Nₖ = Σᵢ qᵢₖ and Sₖ = Σᵢ qᵢₖ xᵢ for every k, from the statistics of q: the M-step's sums.
pub fn m_step_sums(stats: &[PoissonStats]) -> (Vec<f64>, Vec<f64>) {
    (
        stats.iter().map(|s| s.n).collect(),
        stats.iter().map(|s| s.sum).collect(),
    )
}

/// The sufficient statistics of q for one Poisson component.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct PoissonStats {
    /// Nₖ = Σᵢ qᵢₖ.
    pub n: f64,
    /// Σᵢ qᵢₖ xᵢ.
    pub sum: f64,
    /// Σᵢ qᵢₖ ln xᵢ!.
    pub ln_factorials: f64,
}

impl AddSums for [PoissonStats; MAX_K] {
    fn add(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.n += b.n;
            a.sum += b.sum;
            a.ln_factorials += b.ln_factorials;
        }
    }
}

impl Poisson {
    /// The E-step pass for a fixed K (`K` = 0: any K): q, ℓ, H(q) and the statistics.
    fn pass_soft<const K: usize>(
        &self,
        t: &[(f64, f64, f64)],
        range: std::ops::Range<usize>,
        q: &mut [f64],
    ) -> (f64, f64, [PoissonStats; MAX_K]) {
        let k = fixed_k::<K>(t.len());
        let t = &t[..k];
        let mut acc = [PoissonStats::default(); MAX_K];
        let (mut loglik, mut entropy) = (0.0, 0.0);
        let rows = q.chunks_exact_mut(k);
        let points = self.counts[range.clone()]
            .iter()
            .zip(&self.ln_factorials[range]);
        for ((&x, &ln_fact), row) in points.zip(rows) {
            let x = x as f64;
            for (o, &(lw, lr, rate)) in row.iter_mut().zip(t) {
                *o = lw + times_log(x, lr) - rate - ln_fact;
            }
            let (lse, ent) = soft_row(row);
            loglik += lse;
            entropy += ent;
            for (a, &r) in acc.iter_mut().zip(row.iter()) {
                a.n += r;
                a.sum += r * x;
                a.ln_factorials += r * ln_fact;
            }
        }
        (loglik, entropy, acc)
    }

    /// ℓ(θ) for a fixed K (`K` = 0: any K).
    fn loglik_pass<const K: usize>(
        &self,
        t: &[(f64, f64, f64)],
        range: std::ops::Range<usize>,
    ) -> f64 {
        let k = fixed_k::<K>(t.len());
        let t = &t[..k];
        let mut row = [0.0; MAX_K];
        let mut loglik = 0.0;
        let points = self.counts[range.clone()]
            .iter()
            .zip(&self.ln_factorials[range]);
        for (&x, &ln_fact) in points {
            let x = x as f64;
            for (o, &(lw, lr, rate)) in row.iter_mut().zip(t) {
                *o = lw + times_log(x, lr) - rate - ln_fact;
            }
            loglik += log_sum_exp_row(&row[..k]);
        }
        loglik
    }
}

impl Mixture for Poisson {
    const NAME: &'static str = "poisson";
    const DISCRETE: bool = true;
    type Params = PoissonParams;
    type Prepared = PreparedPoisson;
    type Stats = Vec<PoissonStats>;
    type Sums = [PoissonStats; MAX_K];

    fn e_pass_part(
        &self,
        p: &PoissonParams,
        range: std::ops::Range<usize>,
        q: &mut [f64],
        _labels: &mut [u32],
    ) -> PassPart<[PoissonStats; MAX_K]> {
        let t = self.prepare(p).terms;
        by_k!(t.len(), self.pass_soft(&t, range, q)).into()
    }

    fn e_pass_end(
        &self,
        p: &PoissonParams,
        part: PassPart<[PoissonStats; MAX_K]>,
        _q: &[f64],
        _labels: &[u32],
    ) -> (Pass, Vec<PoissonStats>) {
        (part.pass(), part.sums[..p.weights.len()].to_vec())
    }

    fn loglik_part(&self, p: &PoissonParams, range: std::ops::Range<usize>) -> f64 {
        let t = self.prepare(p).terms;
        by_k!(t.len(), self.loglik_pass(&t, range))
    }

    fn stats_of(&self, q: &[f64], k: usize) -> Vec<PoissonStats> {
        let mut out = vec![PoissonStats::default(); k];
        let points = self.counts.iter().zip(&self.ln_factorials);
        for ((&x, &ln_fact), row) in points.zip(q.chunks_exact(k)) {
            let x = x as f64;
            for (a, &r) in out.iter_mut().zip(row) {
                a.n += r;
                a.sum += r * x;
                a.ln_factorials += r * ln_fact;
            }
        }
        out
    }

    /// Σₖ Nₖ (ln πₖ − λₖ) + (Σᵢ qᵢₖ xᵢ) ln λₖ − Σᵢ qᵢₖ ln xᵢ! over the components with Nₖ > 0.
    fn expected_log_joint(&self, stats: &Vec<PoissonStats>, p: &PoissonParams) -> f64 {
        let t = self.prepare(p).terms;
        stats
            .iter()
            .zip(&t)
            .filter(|(s, _)| s.n > 0.0)
            .map(|(s, &(lw, lr, rate))| {
                s.n * lw + times_log(s.sum, lr) - s.n * rate - s.ln_factorials
            })
            .sum()
    }

    fn len(&self) -> usize {
        self.counts.len()
    }

    fn components(params: &PoissonParams) -> usize {
        params.weights.len()
    }

    fn prepare(&self, p: &PoissonParams) -> PreparedPoisson {
        let terms = p
            .weights
            .iter()
            .zip(&p.rates)
            .map(|(&w, &rate)| (w.ln(), rate.ln(), rate))
            .collect();
        PreparedPoisson { terms }
    }

    #[inline]
    fn log_joint_row(&self, prepared: &PreparedPoisson, i: usize, out: &mut [f64]) {
        let x = self.counts[i] as f64;
        let ln_fact = self.ln_factorials[i];
        for (o, &(lw, lr, rate)) in out.iter_mut().zip(&prepared.terms) {
            *o = lw + times_log(x, lr) - rate - ln_fact;
        }
    }

    /// πₖ = Nₖ / N and λₖ = Sₖ / Nₖ, with λₖ held at least `reg` (λ is the Poisson variance, so `reg` is
    /// the same variance floor as in the Gaussian models; it only acts on a component that sits on
    /// zeros, whose rate would otherwise reach 0).
    fn m_step_from(
        &self,
        stats: &Vec<PoissonStats>,
        old: &PoissonParams,
        options: &Options,
    ) -> MStep<PoissonParams> {
        let n = self.counts.len() as f64;
        let (nk, sum) = m_step_sums(stats);
        let mut params = PoissonParams {
            weights: nk.iter().map(|&v| v / n).collect(),
            rates: nk
                .iter()
                .zip(&sum)
                .map(|(&n, &s)| (s / n).max(options.reg))
                .collect(),
        };
        // A component with no responsibility keeps its old rate (and weight 0) instead of NaN.
        let mut empty = Vec::new();
        for (j, &nj) in nk.iter().enumerate() {
            if !(nj > 0.0 && params.rates[j].is_finite()) {
                params.rates[j] = old.rates[j];
                params.weights[j] = 0.0;
                empty.push(j);
            }
        }
        MStep { params, empty }
    }

    fn to_free(&self, p: &PoissonParams) -> Vec<f64> {
        let lnw = p.weights.iter().map(|w| w.ln().max(MIN_LOG));
        lnw.chain(p.rates.iter().map(|r| r.ln().max(MIN_LOG)))
            .collect()
    }

    fn from_free(&self, free: &[f64], like: &PoissonParams) -> PoissonParams {
        let k = like.weights.len();
        PoissonParams {
            weights: softmax(&free[..k]),
            rates: free[k..2 * k].iter().map(|v| v.exp()).collect(),
        }
    }

    fn validate(&self, p: &PoissonParams) -> Result<(), EmError> {
        let k = p.weights.len();
        check_k(k)?;
        check_len("rates", k, p.rates.len())?;
        check_finite("rate", &p.rates)?;
        if let Some((component, &value)) = p.rates.iter().enumerate().find(|(_, &r)| r <= 0.0) {
            return Err(EmError::new(ErrorKind::BadRate { component, value }));
        }
        check_weights(&p.weights)
    }

    /// A Poisson probability is at most 1, so ℓ is bounded and nothing can collapse (a rate going to 0
    /// on a set of zeros gives those zeros probability 1, not ∞).
    fn collapse(&self, _params: &PoissonParams) -> Option<Collapse> {
        None
    }

    fn free_names(&self, p: &PoissonParams) -> Vec<String> {
        let k = p.weights.len();
        let weights = (1..=k).map(|j| format!("ln π{j}"));
        weights.chain((1..=k).map(|j| format!("ln λ{j}"))).collect()
    }

    /// ln πⱼ only where the weights move (K > 1), and ln λⱼ.
    fn slice_coordinates(&self, p: &PoissonParams) -> Vec<SliceCoordinate> {
        let k = p.weights.len();
        each_coordinate(self.free_names(p), if k > 1 { 0 } else { k })
    }

    fn free_scales(&self, p: &PoissonParams) -> Vec<f64> {
        let k = p.weights.len();
        [vec![1.0; k], vec![0.5; k]].concat()
    }

    fn describe(&self, i: usize, _lang: crate::text::Lang) -> String {
        format!("x = {}", self.counts[i])
    }
}

/// A seeded start: equal weights and rates at K random quantiles of the data, one in each K-th of it
/// (linearly interpolated, so they differ), sorted and at least a tenth of the mean (never 0).
pub fn random_start(model: &Poisson, k: usize, rng: &mut impl rand::Rng) -> PoissonParams {
    use rand::RngExt;
    // The counts sorted as integers (the sort `tally` uses; u64 → f64 keeps their order).
    let mut counts = model.counts.clone();
    crate::core::small_sort::sort_u64(&mut counts);
    let sorted: Vec<f64> = counts.into_iter().map(|x| x as f64).collect();
    let floor = (0.1 * model.mean).max(1e-3);
    let last = sorted.len().saturating_sub(1) as f64;
    let quantile = |p: f64| -> f64 {
        if sorted.is_empty() {
            return 1.0;
        }
        let at = p.clamp(0.0, 1.0) * last;
        let (i, frac) = (at.floor() as usize, at - at.floor());
        let hi = sorted[(i + 1).min(sorted.len() - 1)];
        sorted[i] + frac * (hi - sorted[i])
    };
    let mut rates: Vec<f64> = (0..k)
        .map(|j| {
            let u: f64 = rng.random();
            quantile((j as f64 + u) / k as f64).max(floor)
        })
        .collect();
    crate::core::small_sort::sort_small_by(&mut rates, |a, b| a.total_cmp(b).is_lt());
    // Counts repeat, so strata can meet on one count (or the floor): equal rates stay equal under EM, a
    // pair of components that never part (death-notices at K = 10 started with λ = 0.2157 twice, 1 twice,
    // 2 three times). Each rate is kept a step above the one before.
    let step = 0.05 * model.mean.sqrt().max(floor);
    for j in 1..rates.len() {
        if rates[j] <= rates[j - 1] {
            rates[j] = rates[j - 1] + step;
        }
    }
    PoissonParams {
        weights: vec![1.0 / k as f64; k],
        rates,
    }
}

/// True for the characters between the two fields of a `count,frequency` line.
fn is_separator(c: char) -> bool {
    c == ',' || c == ';' || c.is_whitespace()
}

/// True when a field starts like a number (a digit, a sign or a point), so a first line without one is
/// a header of names.
fn looks_numeric(field: &str) -> bool {
    let text = field.trim().trim_matches('"');
    text.starts_with(|c: char| c.is_ascii_digit() || matches!(c, '-' | '+' | '.' | '\u{2212}'))
}

/// Reads a whole number from 0 to `max`; anything else that reads as a number is `BadCount`.
fn parse_whole(field: &str, line: usize, column: usize, max: u64) -> Result<u64, EmError> {
    let text = field.trim().trim_matches('"');
    let bad = || {
        EmError::new(ErrorKind::BadCount {
            line,
            column,
            text: text.to_string(),
            max,
        })
    };
    if !text.is_empty() && text.bytes().all(|c| c.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .ok()
            .filter(|&v| v <= max)
            .ok_or_else(bad);
    }
    let v = parse_number(text, line, column)?;
    if v.fract() == 0.0 && (0.0..=max as f64).contains(&v) {
        Ok(v as u64)
    } else {
        Err(bad())
    }
}

/// Reads counts: one count per line, or `count,frequency` lines (expanded into `frequency` observations),
/// or a single line of three or more counts (a list written on one line); a first line of names is a
/// header. Blank lines and lines starting with `#` are skipped. Errors name the line and column at fault.
pub fn parse_counts(text: &str) -> Result<Vec<u64>, EmError> {
    let mut counts = Vec::new();
    let mut first = true;
    let mut header_line = None;
    // A first data line of three or more counts: a list, if no other data line follows.
    let mut one_line: Option<(usize, usize, Vec<u64>)> = None;
    for (i, raw) in text.lines().enumerate() {
        let line_no = i + 1;
        super::csv::check_text_line(raw, line_no)?;
        let line = raw.trim_start_matches('\u{feff}').trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split(is_separator).filter(|f| !f.is_empty()).collect();
        let header = first && !fields.iter().all(|f| looks_numeric(f));
        first = false;
        if header {
            header_line = Some(line.trim().to_string());
            continue;
        }
        if let Some((line, got, _)) = one_line {
            return Err(EmError::new(ErrorKind::WrongFieldCount {
                line,
                expected: 2,
                got,
            }));
        }
        if fields.len() > 2 && counts.is_empty() {
            let list = fields
                .iter()
                .enumerate()
                .map(|(c, f)| parse_whole(f, line_no, c + 1, MAX_COUNT))
                .collect::<Result<Vec<u64>, EmError>>()?;
            if list.len() > MAX_POINTS {
                return Err(EmError::new(ErrorKind::TooManyPoints {
                    got: list.len(),
                    max: MAX_POINTS,
                }));
            }
            one_line = Some((line_no, fields.len(), list));
            continue;
        }
        let (count, frequency) = match fields[..] {
            [c] => (parse_whole(c, line_no, 1, MAX_COUNT)?, 1),
            [c, f] => (
                parse_whole(c, line_no, 1, MAX_COUNT)?,
                parse_whole(f, line_no, 2, MAX_POINTS as u64)?,
            ),
            _ => {
                return Err(EmError::new(ErrorKind::WrongFieldCount {
                    line: line_no,
                    expected: 2,
                    got: fields.len(),
                }))
            }
        };
        let total = counts.len() as u64 + frequency;
        if total > MAX_POINTS as u64 {
            return Err(EmError::new(ErrorKind::TooManyPoints {
                got: total as usize,
                max: MAX_POINTS,
            }));
        }
        counts.extend(std::iter::repeat_n(count, frequency as usize));
    }
    if let Some((_, _, list)) = one_line {
        return Ok(list);
    }
    if counts.is_empty() {
        return Err(EmError::new(match header_line {
            Some(text) => ErrorKind::OnlyHeader { text },
            None => ErrorKind::EmptyData,
        }));
    }
    Ok(counts)
}

/// The counts as `count,frequency` lines, one per distinct value in increasing order (what
/// [`parse_counts`] reads back).
pub fn format_counts(counts: &[u64]) -> String {
    tally(counts)
        .iter()
        .map(|(x, n)| format!("{x},{n}\n"))
        .collect()
}

/// A Poisson preset: the counts, the K and the start the lesson uses.
#[derive(Clone, Debug)]
pub struct PoissonPreset {
    /// The observations, one count each.
    pub data: Vec<u64>,
    /// The true component of each observation when the source gives it; empty otherwise.
    pub labels: Vec<usize>,
    /// The K the lesson suggests.
    pub suggested_k: usize,
    /// The start the lesson uses, if any.
    pub start: Option<PoissonParams>,
}

/// The names of the Poisson presets, in menu order.
pub const PRESETS_POISSON: &[&str] = &["death-notices"];

/// Deaths per day of women aged 80 and over in the London *Times*, 1910–1912 (Hasselblad 1969): on how
/// many of the 1,096 days 0, 1, …, 9 deaths were announced.
const DEATH_NOTICES: &str =
    "deaths,days\n0,162\n1,267\n2,271\n3,185\n4,111\n5,61\n6,27\n7,8\n8,3\n9,1\n";

/// The named Poisson preset.
pub fn poisson_preset(name: &str) -> Result<PoissonPreset, EmError> {
    match name {
        // The lesson's start π₁ = 0.3, λ = (1.0, 2.5); the fit is π₁ = 0.3599, λ = (1.2561, 2.6634).
        "death-notices" => Ok(PoissonPreset {
            data: parse_counts(DEATH_NOTICES)?,
            labels: Vec::new(),
            suggested_k: 2,
            start: Some(PoissonParams {
                weights: vec![0.3, 0.7],
                rates: vec![1.0, 2.5],
            }),
        }),
        _ => Err(EmError::new(ErrorKind::UnknownPreset {
            name: name.to_string(),
        })),
    }
}

// The formulas of this model, with this step's numbers (see `core::formulas`).

use super::em::Em;
use super::formulas::{
    at_i, empty_line, frac, largest, num, of, op, q_ik, row, soft_e_step, sum_over, sup, sym,
    tagged, weight_line, Formulas, Ix, Node, ShowFormulas,
};

/// e to the power −`rate` (a symbol or a number).
fn exp_minus(rate: Node) -> Node {
    sup(sym("e"), row(vec![op("−"), rate]))
}

impl ShowFormulas for Poisson {
    fn formulas(em: &Em<Self>, i: usize) -> Formulas {
        let model = em.model();
        let p = em.params();
        let x = model.counts[i];
        let xs = || Node::Int(x as usize);
        let joint = |k: Ix| {
            vec![
                of("π", k),
                sup(of("λ", k), at_i("x")),
                exp_minus(of("λ", k)),
                op("/"),
                at_i("x"),
                op("!"),
            ]
        };
        let numbers = |c: usize| {
            let rate = p.rates[c];
            vec![
                num(p.weights[c], 1.0),
                op("·"),
                sup(num(rate, rate), xs()),
                op("·"),
                exp_minus(num(rate, rate)),
                op("/"),
                xs(),
                op("!"),
            ]
        };
        let e = soft_e_step(em, i, &joint, &numbers);

        let k = Ix::Letter("k");
        let n = model.len();
        let kk = Self::components(p);
        let scale = largest(&[model.counts.iter().copied().max().unwrap_or(0) as f64]);
        let step = model.m_step_from(em.stats(), p, em.options());
        let (nk, sum) = m_step_sums(em.stats());
        let mut m = vec![
            vec![
                of("N", k),
                op("="),
                sum_over("i", vec![q_ik(k)]),
                op(","),
                of("π", k),
                op("="),
                frac(of("N", k), sym("N")),
            ],
            vec![
                of("λ", k),
                op("="),
                frac(sum_over("i", vec![q_ik(k), at_i("x")]), of("N", k)),
            ],
        ];
        m.extend(super::gmm1d::uniform_note(em));
        for c in 0..kk {
            let at = Ix::At(c);
            if step.empty.contains(&c) {
                m.push(empty_line(c, nk[c]));
                continue;
            }
            let mut counts = vec![
                of("N", at),
                op("="),
                tagged(nk[c], n as f64, "N", c, 0),
                op(","),
            ];
            counts.extend(weight_line(c, nk[c], n, step.params.weights[c]));
            m.push(counts);
            let fraction = frac(num(sum[c], nk[c] * scale), num(nk[c], n as f64));
            let rate = step.params.rates[c];
            let mut line = vec![of("λ", at), op("=")];
            if rate > sum[c] / nk[c] {
                // The floor reg acted: the component sits on zeros.
                line.extend([
                    sym("max"),
                    op("("),
                    fraction,
                    op(","),
                    num(em.options().reg, 0.0),
                    op(")"),
                ]);
            } else {
                line.push(fraction);
            }
            line.extend([op("="), tagged(rate, scale, "λ", c, 0)]);
            m.push(line);
        }
        Formulas { point: i, e, m }
    }
}

// The registry's view of this model (see `core::model`).

use super::model::{Capabilities, FieldSpec, Model, Shape, Source, Theta};

impl Model for Poisson {
    const CAPABILITIES: Capabilities = Capabilities {
        data_figure: "counts",
        data_words: "-counts",
        ..Capabilities::BASE
    };
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::number("weights", "col-weight", 3).csv("pi"),
        FieldSpec::number("rates", "col-rate", 4).csv("lambda"),
    ];
    const PRESETS: &'static [&'static str] = PRESETS_POISSON;

    fn theta(p: &PoissonParams) -> Theta {
        Theta::default()
            .with("weights", Shape::Number, p.weights.clone())
            .with("rates", Shape::Number, p.rates.clone())
    }
    fn from_theta(t: &Theta) -> Result<PoissonParams, EmError> {
        Ok(PoissonParams {
            weights: t.numbers("weights")?,
            rates: t.numbers("rates")?,
        })
    }
    fn preset(name: &str) -> Result<Source<Self>, EmError> {
        let p = poisson_preset(name)?;
        Ok(Source {
            labels: p.labels,
            start: p.start,
            k: p.suggested_k,
            ..Source::plain(Poisson::new(p.data))
        })
    }
    fn read(text: &str, _columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        Ok(Source::plain(Poisson::new(parse_counts(text)?)))
    }
    fn check(&self, k: usize) -> Result<(), EmError> {
        if self.counts.is_empty() {
            return Err(EmError::new(ErrorKind::EmptyData));
        }
        let distinct = self.distinct();
        if distinct < k {
            return Err(EmError::new(ErrorKind::TooFewDistinct { distinct, k }));
        }
        Ok(())
    }
    fn random_start(&self, k: usize, seed: u64) -> PoissonParams {
        random_start(self, k, &mut super::sample::rng(seed))
    }
    fn data_text(&self, _sequences: &[Option<String>]) -> String {
        // One count per line, in the data's order, so a session or a link reads back the same rows.
        let mut out = String::with_capacity(self.counts.len() * 3);
        for x in &self.counts {
            out.push_str(&x.to_string());
            out.push('\n');
        }
        out
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        self.counts
            .get(i)
            .map(|&x| vec![x as f64])
            .unwrap_or_default()
    }
    fn distinct(&self) -> usize {
        tally(&self.counts).len()
    }
    /// The first day with the count nearest `x` (the bar clicked).
    fn nearest_value(&self, x: f64) -> Option<usize> {
        let distance = |c: u64| (c as f64 - x).abs();
        (0..self.counts.len()).reduce(|best, i| {
            if distance(self.counts[i]) < distance(self.counts[best]) {
                i
            } else {
                best
            }
        })
    }
    /// The first day with the next larger (or smaller) count: many days share a count, and stepping
    /// through them left the Jensen figure as it was.
    fn neighbour(&self, i: usize, up: bool) -> usize {
        let here = self.counts[i.min(self.counts.len() - 1)];
        let next = self
            .counts
            .iter()
            .copied()
            .filter(|&c| if up { c > here } else { c < here })
            .reduce(|a, b| if up { a.min(b) } else { a.max(b) });
        next.and_then(|c| self.counts.iter().position(|&x| x == c))
            .unwrap_or(i)
    }
}
