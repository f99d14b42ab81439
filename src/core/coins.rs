//! The coin mixture: each observation is a set of tosses of one hidden coin; θ = (weights πₖ, heads probabilities θₖ).
//!
//! ln p(xᵢ, z = k) = ln πₖ + hᵢ ln θₖ + (nᵢ − hᵢ) ln(1 − θₖ): the probability of the sequence, without the
//! binomial coefficient (it does not depend on θ, so q and the M-step are the same either way).

use super::coins_csv::{parse_coins, CoinData};
use super::em::by_k;
use super::em::{
    each_coordinate, fixed_k, log_sum_exp_row, soft_row, AddSums, Collapse, MStep, Mixture, Pass,
    PassPart, SliceCoordinate,
};
use super::error::{EmError, ErrorKind};
use super::options::Options;
use super::params::{check_finite, check_k, check_len, check_weights, softmax, MAX_K};

/// Free coordinates are clamped to ±this, so θ = 0 or 1 maps to a finite logit.
pub const MAX_LOGIT: f64 = 700.0;

/// θ of a coin mixture.
#[derive(Clone, Debug, PartialEq)]
pub struct CoinParams {
    /// Mixing weights πₖ: the chance that coin k is picked (non-negative, summing to 1).
    pub weights: Vec<f64>,
    /// Heads probabilities θₖ of each coin, in [0, 1].
    pub heads: Vec<f64>,
}

/// Coin-toss data and the mixture-of-coins model of it.
#[derive(Clone, Debug)]
pub struct Coins {
    counts: Vec<(u32, u32)>,
    heads: Vec<f64>,
    tails: Vec<f64>,
    fix_weights: bool,
}

/// Per-coin constants (ln πₖ, ln θₖ, ln(1 − θₖ)).
pub struct PreparedCoins {
    terms: Vec<(f64, f64, f64)>,
}

/// a · ln p with 0 · ln 0 = 0 (a coin with θ = 0 can still show no heads).
#[inline]
fn times_log(a: f64, ln_p: f64) -> f64 {
    if a == 0.0 {
        0.0
    } else {
        a * ln_p
    }
}

impl Coins {
    /// Wraps (heads, tosses) observations; with `fix_weights` the M-step keeps the weights (Do & Batzoglou's ½, ½).
    pub fn new(observations: Vec<(u32, u32)>, fix_weights: bool) -> Self {
        let heads = observations.iter().map(|&(h, _)| f64::from(h)).collect();
        let tails = observations
            .iter()
            .map(|&(h, n)| f64::from(n.saturating_sub(h)))
            .collect();
        Coins {
            counts: observations,
            heads,
            tails,
            fix_weights,
        }
    }

    /// The model of parsed coin data.
    pub fn from_data(data: &CoinData, fix_weights: bool) -> Self {
        Self::new(data.counts.clone(), fix_weights)
    }

    /// (heads, tosses) of each observation.
    pub fn counts(&self) -> &[(u32, u32)] {
        &self.counts
    }

    /// True when the M-step keeps the weights.
    pub fn fix_weights(&self) -> bool {
        self.fix_weights
    }

    /// The M-step from known coins (`labels[i]` = the coin of observation i): the complete-data estimate.
    pub fn complete_data_estimate(&self, labels: &[usize], like: &CoinParams) -> CoinParams {
        let k = like.weights.len();
        let mut q = vec![0.0; self.counts.len() * k];
        for (row, &label) in q.chunks_exact_mut(k).zip(labels) {
            if label < k {
                row[label] = 1.0;
            }
        }
        self.m_step(&q, like, &Options::default()).params
    }
}

/// The probability that one toss shows heads: m = Σₖ πₖ θₖ (for the three-coin model, πp + (1 − π)q).
pub fn marginal_heads(params: &CoinParams) -> f64 {
    params
        .weights
        .iter()
        .zip(&params.heads)
        .map(|(w, h)| w * h)
        .sum()
}

/// ln(p / (1 − p)), clamped to ±[`MAX_LOGIT`].
fn logit(p: f64) -> f64 {
    (p.ln() - (-p).ln_1p()).clamp(-MAX_LOGIT, MAX_LOGIT)
}

/// 1 / (1 + e⁻ˣ), computed without overflow.
fn sigmoid(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// The sufficient statistics of q for one coin.
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CoinStats {
    /// Nₖ = Σᵢ qᵢₖ.
    pub n: f64,
    /// Credited heads Σᵢ qᵢₖ hᵢ.
    pub heads: f64,
    /// Credited tosses Σᵢ qᵢₖ nᵢ.
    pub tosses: f64,
    /// Credited tails Σᵢ qᵢₖ (nᵢ − hᵢ).
    pub tails: f64,
}

impl AddSums for [CoinStats; MAX_K] {
    fn add(&mut self, other: &Self) {
        for (a, b) in self.iter_mut().zip(other) {
            a.n += b.n;
            a.heads += b.heads;
            a.tosses += b.tosses;
            a.tails += b.tails;
        }
    }
}

impl Coins {
    /// The E-step pass for a fixed K (`K` = 0: any K): q, ℓ, H(q) and the credited counts.
    fn pass_soft<const K: usize>(
        &self,
        t: &[(f64, f64, f64)],
        range: std::ops::Range<usize>,
        q: &mut [f64],
    ) -> (f64, f64, [CoinStats; MAX_K]) {
        let k = fixed_k::<K>(t.len());
        let t = &t[..k];
        let mut acc = [CoinStats::default(); MAX_K];
        let (mut loglik, mut entropy) = (0.0, 0.0);
        let rows = q.chunks_exact_mut(k);
        let points = self.heads[range.clone()].iter().zip(&self.tails[range]);
        for ((&h, &tails), row) in points.zip(rows) {
            for (o, &(lw, lh, lt)) in row.iter_mut().zip(t) {
                *o = lw + times_log(h, lh) + times_log(tails, lt);
            }
            let (lse, ent) = soft_row(row);
            loglik += lse;
            entropy += ent;
            for (a, &r) in acc.iter_mut().zip(row.iter()) {
                a.n += r;
                a.heads += r * h;
                a.tosses += r * (h + tails);
                a.tails += r * tails;
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
        for (&h, &tails) in self.heads[range.clone()].iter().zip(&self.tails[range]) {
            for (o, &(lw, lh, lt)) in row.iter_mut().zip(t) {
                *o = lw + times_log(h, lh) + times_log(tails, lt);
            }
            loglik += log_sum_exp_row(&row[..k]);
        }
        loglik
    }
}

impl Mixture for Coins {
    const NAME: &'static str = "coins";
    const DISCRETE: bool = true;
    type Params = CoinParams;
    type Prepared = PreparedCoins;
    type Stats = Vec<CoinStats>;
    type Sums = [CoinStats; MAX_K];

    fn e_pass_part(
        &self,
        p: &CoinParams,
        range: std::ops::Range<usize>,
        q: &mut [f64],
        _labels: &mut [u32],
    ) -> PassPart<[CoinStats; MAX_K]> {
        let t = self.prepare(p).terms;
        by_k!(t.len(), self.pass_soft(&t, range, q)).into()
    }

    fn e_pass_end(
        &self,
        p: &CoinParams,
        part: PassPart<[CoinStats; MAX_K]>,
        _q: &[f64],
        _labels: &[u32],
    ) -> (Pass, Vec<CoinStats>) {
        (part.pass(), part.sums[..p.weights.len()].to_vec())
    }

    fn loglik_part(&self, p: &CoinParams, range: std::ops::Range<usize>) -> f64 {
        let t = self.prepare(p).terms;
        by_k!(t.len(), self.loglik_pass(&t, range))
    }

    fn stats_of(&self, q: &[f64], k: usize) -> Vec<CoinStats> {
        let mut out = vec![CoinStats::default(); k];
        for ((&h, &t), row) in self.heads.iter().zip(&self.tails).zip(q.chunks_exact(k)) {
            for (a, &r) in out.iter_mut().zip(row) {
                a.n += r;
                a.heads += r * h;
                a.tosses += r * (h + t);
                a.tails += r * t;
            }
        }
        out
    }

    /// Σₖ Nₖ ln πₖ + Hₖ ln θₖ + Tₖ ln(1 − θₖ) over the coins with Nₖ > 0 (credited heads Hₖ, tails Tₖ).
    fn expected_log_joint(&self, stats: &Vec<CoinStats>, p: &CoinParams) -> f64 {
        let t = self.prepare(p).terms;
        stats
            .iter()
            .zip(&t)
            .filter(|(s, _)| s.n > 0.0)
            .map(|(s, &(lw, lh, lt))| s.n * lw + times_log(s.heads, lh) + times_log(s.tails, lt))
            .sum()
    }

    fn len(&self) -> usize {
        self.counts.len()
    }

    fn components(params: &CoinParams) -> usize {
        params.weights.len()
    }

    fn prepare(&self, p: &CoinParams) -> PreparedCoins {
        let terms = p
            .weights
            .iter()
            .zip(&p.heads)
            .map(|(&w, &t)| (w.ln(), t.ln(), (-t).ln_1p()))
            .collect();
        PreparedCoins { terms }
    }

    #[inline]
    fn log_joint_row(&self, prepared: &PreparedCoins, i: usize, out: &mut [f64]) {
        let (h, t) = (self.heads[i], self.tails[i]);
        for (o, &(lw, lh, lt)) in out.iter_mut().zip(&prepared.terms) {
            *o = lw + times_log(h, lh) + times_log(t, lt);
        }
    }

    fn m_step_from(
        &self,
        stats: &Vec<CoinStats>,
        old: &CoinParams,
        _options: &Options,
    ) -> MStep<CoinParams> {
        let k = old.weights.len();
        let n = self.counts.len() as f64;
        let [nk, sh, sn, _] = m_step_sums(stats);
        let mut params = old.clone();
        let mut empty = Vec::new();
        for j in 0..k {
            if nk[j] > 0.0 {
                if !self.fix_weights {
                    params.weights[j] = nk[j] / n;
                }
                if sn[j] > 0.0 {
                    params.heads[j] = (sh[j] / sn[j]).clamp(0.0, 1.0);
                }
            } else {
                if !self.fix_weights {
                    params.weights[j] = 0.0;
                }
                empty.push(j);
            }
        }
        MStep { params, empty }
    }

    /// ln πⱼ and logit θⱼ: the menu said θ1 … θ4, where θⱼ is coin j's heads probability everywhere else.
    fn free_names(&self, p: &CoinParams) -> Vec<String> {
        let k = p.weights.len();
        let weights = (1..=k).map(|j| format!("ln π{j}"));
        weights
            .chain((1..=k).map(|j| format!("logit θ{j}")))
            .collect()
    }

    /// ln πⱼ only where the M-step moves the weights (K > 1, not held fixed), and logit θⱼ.
    fn slice_coordinates(&self, p: &CoinParams) -> Vec<SliceCoordinate> {
        let k = p.weights.len();
        let fixed = if k > 1 && !self.fix_weights { 0 } else { k };
        each_coordinate(self.free_names(p), fixed)
    }

    fn to_free(&self, p: &CoinParams) -> Vec<f64> {
        let lnw = p.weights.iter().map(|w| w.ln().max(-MAX_LOGIT));
        lnw.chain(p.heads.iter().map(|&t| logit(t))).collect()
    }

    fn from_free(&self, free: &[f64], like: &CoinParams) -> CoinParams {
        let k = like.weights.len();
        CoinParams {
            weights: softmax(&free[..k]),
            heads: free[k..2 * k].iter().map(|&x| sigmoid(x)).collect(),
        }
    }

    fn validate(&self, p: &CoinParams) -> Result<(), EmError> {
        let k = p.weights.len();
        check_k(k)?;
        check_len("heads", k, p.heads.len())?;
        check_finite("heads probability", &p.heads)?;
        if let Some((component, &value)) = p
            .heads
            .iter()
            .enumerate()
            .find(|(_, &t)| !(0.0..=1.0).contains(&t))
        {
            return Err(EmError::new(ErrorKind::BadProbability { component, value }));
        }
        check_weights(&p.weights)
    }

    /// "4 H / 10"; in Chinese "4 正 / 10", as the coin table writes the faces.
    fn describe(&self, i: usize, lang: crate::text::Lang) -> String {
        let (h, n) = self.counts[i];
        format!("{h} {} / {n}", crate::text::get(lang, "coin-face-h"))
    }

    /// A coin has no variance to shrink, so nothing can collapse.
    fn collapse(&self, _params: &CoinParams) -> Option<Collapse> {
        None
    }
}

/// A coin preset: the tosses, whether the weights are fixed, the starts the lesson uses and the true coins.
#[derive(Clone, Debug)]
pub struct CoinPreset {
    /// The observations.
    pub data: CoinData,
    /// True when the M-step keeps the weights.
    pub fix_weights: bool,
    /// The starting θ of the lesson, in the order the source presents them.
    pub starts: Vec<CoinParams>,
    /// The coin behind each observation when the source gives it; empty otherwise.
    pub labels: Vec<usize>,
    /// The K the lesson suggests.
    pub suggested_k: usize,
}

/// The names of the coin presets, in menu order.
pub const PRESETS_COINS: &[&str] = &["three-coins", "five-sets"];

/// Li Hang's three-coin example: ten single tosses (1 = heads).
const THREE_COINS: &str = "1\n1\n0\n1\n0\n0\n1\n0\n1\n1\n";

/// Do & Batzoglou's five sets of ten tosses, each made with coin A or coin B.
const FIVE_SETS: &str = "HTTTHHTHTH\nHHHHTHHHHH\nHTHHHHHTHH\nHTHTTTHHTT\nTHHHTHHHTH\n";

/// The named coin preset.
pub fn coin_preset(name: &str) -> Result<CoinPreset, EmError> {
    let coins = |weights: [f64; 2], heads: [f64; 2]| CoinParams {
        weights: weights.to_vec(),
        heads: heads.to_vec(),
    };
    match name {
        // Li Hang, Statistical Learning Methods, example 9.1: (π, p, q) as weights (π, 1 − π), heads (p, q).
        "three-coins" => Ok(CoinPreset {
            data: parse_coins(THREE_COINS)?,
            fix_weights: false,
            starts: vec![coins([0.5, 0.5], [0.5, 0.5]), coins([0.4, 0.6], [0.6, 0.7])],
            labels: Vec::new(),
            suggested_k: 2,
        }),
        // Do & Batzoglou (2008): coins A, B chosen with fixed probability ½; start θA = 0.6, θB = 0.5.
        "five-sets" => Ok(CoinPreset {
            data: parse_coins(FIVE_SETS)?,
            fix_weights: true,
            starts: vec![coins([0.5, 0.5], [0.6, 0.5])],
            labels: vec![1, 0, 0, 1, 0],
            suggested_k: 2,
        }),
        _ => Err(EmError::new(ErrorKind::UnknownPreset {
            name: name.to_string(),
        })),
    }
}

// The formulas of this model, with this step's numbers (see `core::formulas`).

use super::em::Em;
use super::formulas::{
    at_i, empty_line, frac, num, of, op, q_ik, row, soft_e_step, sum_over, sup, sym, tagged,
    weight_line, Formulas, Ix, Node, ShowFormulas,
};

/// Nₖ = Σᵢ qᵢₖ, Hₖ = Σᵢ qᵢₖ hᵢ, Σᵢ qᵢₖ nᵢ (heads and tails) and Tₖ = Σᵢ qᵢₖ tᵢ, for every k, from the
/// statistics of q: the M-step's sums (Tₖ is for showing; θₖ = Hₖ / Σᵢ qᵢₖ nᵢ as the M-step computes it).
pub fn m_step_sums(stats: &[CoinStats]) -> [Vec<f64>; 4] {
    [
        stats.iter().map(|s| s.n).collect(),
        stats.iter().map(|s| s.heads).collect(),
        stats.iter().map(|s| s.tosses).collect(),
        stats.iter().map(|s| s.tails).collect(),
    ]
}

/// What the E-step credits to each coin in total: expected heads and tails summed over the sets (Do &
/// Batzoglou, Fig. 1b), the sums of [`m_step_sums`], for the coin figure (each set's own: [`credited`]).
#[derive(Clone, Debug, PartialEq)]
pub struct CoinCredits {
    /// For coin k: the credited heads and tails summed over all sets.
    pub totals: Vec<(f64, f64)>,
    /// For coin k: the mean responsibility (1/N) Σᵢ qᵢₖ, the M-step's πₖ when the weights are learned.
    pub mean_q: Vec<f64>,
}

/// The heads and tails a set of `n` tosses with `h` heads credits to a coin it belongs to with
/// responsibility `q`: (q h, q (n − h)).
pub fn credited(q: f64, (h, n): (u32, u32)) -> (f64, f64) {
    (q * f64::from(h), q * f64::from(n.saturating_sub(h)))
}

impl CoinCredits {
    /// The M-step's θₖ = credited heads / credited tosses, or `None` when coin k was credited no tosses.
    pub fn theta(&self, k: usize) -> Option<f64> {
        let (h, t) = self.totals[k];
        (h + t > 0.0).then(|| h / (h + t))
    }
}

/// The heads and tails all sets credit to each coin under the runner's current q, and the mean q (one
/// pass, nothing kept per set: at a million sets the figure is drawn after every half-step).
pub fn coin_credits(em: &Em<Coins>) -> CoinCredits {
    let k = em.k();
    let mut totals = vec![(0.0, 0.0); k];
    let mut mean_q = vec![0.0; k];
    for (&set, q) in em.model().counts().iter().zip(em.q().chunks_exact(k)) {
        for ((total, mean), &qj) in totals.iter_mut().zip(mean_q.iter_mut()).zip(q) {
            let (h, t) = credited(qj, set);
            total.0 += h;
            total.1 += t;
            *mean += qj;
        }
    }
    let len = em.model().len().max(1) as f64;
    mean_q.iter_mut().for_each(|m| *m /= len);
    CoinCredits { totals, mean_q }
}

impl ShowFormulas for Coins {
    fn formulas(em: &Em<Self>, i: usize) -> Formulas {
        let model = em.model();
        let p = em.params();
        let (h, t) = (model.heads[i], model.tails[i]);
        let one_minus = |theta: Node| row(vec![op("("), Node::Int(1), op("−"), theta, op(")")]);
        let joint = |k: Ix| {
            vec![
                of("π", k),
                sup(of("θ", k), at_i("h")),
                sup(one_minus(of("θ", k)), at_i("t")),
            ]
        };
        let numbers = |c: usize| {
            vec![
                num(p.weights[c], 1.0),
                op("·"),
                sup(num(p.heads[c], 1.0), Node::Int(h as usize)),
                op("·"),
                sup(one_minus(num(p.heads[c], 1.0)), Node::Int(t as usize)),
            ]
        };
        let mut e = soft_e_step(em, i, &joint, &numbers);
        e.insert(
            1,
            vec![
                at_i("h"),
                op("="),
                Node::Int(h as usize),
                op(","),
                at_i("t"),
                op("="),
                Node::Int(t as usize),
            ],
        );

        let k = Ix::Letter("k");
        let n = model.len();
        let kk = Self::components(p);
        let step = model.m_step_from(em.stats(), p, em.options());
        let [nk, sh, sn, st] = m_step_sums(em.stats());
        let tosses = model
            .heads
            .iter()
            .chain(&model.tails)
            .fold(1.0f64, |m, &v| m.max(v))
            * n as f64;
        let weights = if model.fix_weights {
            vec![of("π", k), Node::Text("formula-fixed")]
        } else {
            vec![of("π", k), op("="), frac(of("N", k), sym("N"))]
        };
        let mut m = vec![
            vec![
                of("N", k),
                op("="),
                sum_over("i", vec![q_ik(k)]),
                op(","),
                of("H", k),
                op("="),
                sum_over("i", vec![q_ik(k), at_i("h")]),
                op(","),
                of("T", k),
                op("="),
                sum_over("i", vec![q_ik(k), at_i("t")]),
            ],
            [
                vec![
                    of("θ", k),
                    op("="),
                    frac(of("H", k), row(vec![of("H", k), op("+"), of("T", k)])),
                    op(","),
                ],
                weights,
            ]
            .concat(),
        ];
        m.extend(super::gmm1d::uniform_note(em));
        for c in 0..kk {
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
                of("H", at),
                op("="),
                tagged(sh[c], tosses, "H", c, 0),
                op(","),
                of("T", at),
                op("="),
                tagged(st[c], tosses, "T", c, 0),
            ]);
            let theta = tagged(step.params.heads[c], 1.0, "θ", c, 0);
            let mut line = if sn[c] > 0.0 {
                vec![
                    of("θ", at),
                    op("="),
                    frac(num(sh[c], tosses), num(sn[c], tosses)),
                    op("="),
                    theta,
                    op(","),
                ]
            } else {
                vec![
                    of("θ", at),
                    op("="),
                    theta,
                    Node::Text("formula-kept"),
                    op(","),
                ]
            };
            if model.fix_weights {
                line.extend([
                    of("π", at),
                    op("="),
                    tagged(step.params.weights[c], 1.0, "π", c, 0),
                    Node::Text("formula-fixed"),
                ]);
            } else {
                line.extend(weight_line(c, nk[c], n, step.params.weights[c]));
            }
            m.push(line);
        }
        Formulas { point: i, e, m }
    }
}

// The registry's view of this model (see `core::model`).

use super::model::{Capabilities, FieldSpec, Model, Shape, Source, Theta};

impl Model for Coins {
    const CAPABILITIES: Capabilities = Capabilities {
        data_figure: "coins",
        path: true,
        fix_weights: true,
        wide_data: true,
        data_words: "-coins",
        ..Capabilities::BASE
    };
    const FIELDS: &'static [FieldSpec] = &[
        FieldSpec::number("weights", "col-weight", 3).csv("pi"),
        FieldSpec::number("heads", "col-heads", 4).csv("theta"),
    ];
    const PRESETS: &'static [&'static str] = PRESETS_COINS;

    fn theta(p: &CoinParams) -> Theta {
        Theta::default()
            .with("weights", Shape::Number, p.weights.clone())
            .with("heads", Shape::Number, p.heads.clone())
    }
    fn from_theta(t: &Theta) -> Result<CoinParams, EmError> {
        Ok(CoinParams {
            weights: t.numbers("weights")?,
            heads: t.numbers("heads")?,
        })
    }
    fn preset(name: &str) -> Result<Source<Self>, EmError> {
        let p = coin_preset(name)?;
        Ok(Source {
            labels: p.labels,
            starts: p.starts,
            k: p.suggested_k,
            sequences: p.data.sequences.clone(),
            ..Source::plain(Coins::from_data(&p.data, p.fix_weights))
        })
    }
    fn read(text: &str, _columns: [usize; 2]) -> Result<Source<Self>, EmError> {
        let data = parse_coins(text)?;
        let mut source = Source::plain(Coins::from_data(&data, false));
        source.sequences = data.sequences;
        Ok(source)
    }
    fn check(&self, k: usize) -> Result<(), EmError> {
        // Distinct sets, as for every model's K: ten single tosses are two observations, H and T (a K of 10
        // was taken for them while "HH, TT" was refused K = 3).
        let distinct = self.distinct();
        if distinct < k {
            return Err(EmError::new(ErrorKind::TooFewSets { distinct, k }));
        }
        Ok(())
    }
    fn random_start(&self, k: usize, seed: u64) -> CoinParams {
        use rand::RngExt;
        let mut r = super::sample::rng(seed);
        let mut heads: Vec<f64> = (0..k).map(|_| r.random_range(0.2..0.8)).collect();
        super::small_sort::sort_small_by(&mut heads, |a, b| a.total_cmp(b).is_lt());
        CoinParams {
            weights: vec![1.0 / k as f64; k],
            heads,
        }
    }
    fn data_text(&self, sequences: &[Option<String>]) -> String {
        let mut out = String::new();
        for (i, &(heads, tosses)) in self.counts.iter().enumerate() {
            let sequence = sequences.get(i).and_then(Option::as_deref);
            match sequence.filter(|s| sequence_counts(s) == (heads, tosses)) {
                Some(s) => out.push_str(s),
                None if tosses == 1 => out.push(if heads == 1 { 'H' } else { 'T' }),
                None => out.push_str(&format!("{heads},{tosses}")),
            }
            out.push('\n');
        }
        out
    }
    fn observation(&self, i: usize) -> Vec<f64> {
        self.counts
            .get(i)
            .map(|&(h, n)| vec![f64::from(h), f64::from(n)])
            .unwrap_or_default()
    }
    fn nearest_row(&self, row: f64) -> Option<usize> {
        let i = row.floor();
        (i >= 0.0 && i < self.counts.len() as f64).then_some(i as usize)
    }
    fn distinct(&self) -> usize {
        // (heads, tosses) as one key, sorted by the crate's radix sort (no std sort in the wasm).
        let mut sets: Vec<u64> = self
            .counts
            .iter()
            .map(|&(h, n)| u64::from(h) << 32 | u64::from(n))
            .collect();
        super::small_sort::sort_u64(&mut sets);
        sets.dedup();
        sets.len()
    }
    fn variant(&self) -> Option<String> {
        Some(if self.fix_weights { "fixed" } else { "free" }.to_string())
    }
    fn with_variant(self, variant: &str) -> Result<Self, EmError> {
        match variant {
            "fixed" | "free" => Ok(Coins::new(self.counts, variant == "fixed")),
            _ => Err(EmError::shape("shape-weights", &[("variant", variant)])),
        }
    }
}

/// (heads, tosses) of an `H`/`T` sequence.
fn sequence_counts(sequence: &str) -> (u32, u32) {
    let heads = sequence.chars().filter(|&c| c == 'H').count();
    let tosses = sequence.chars().filter(|&c| c == 'H' || c == 'T').count();
    (
        u32::try_from(heads).unwrap_or(u32::MAX),
        u32::try_from(tosses).unwrap_or(u32::MAX),
    )
}
