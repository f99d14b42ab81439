//! k-means as hard EM: θ = the centres μₖ; the E-step assigns each point to its nearest centre.
//!
//! ln p(xᵢ, z = k) is taken as −‖xᵢ − μₖ‖², so the runner's ℓ is −J, where J is the within-cluster sum of
//! squares, and its one-hot argmax E-step is the nearest-centre assignment.

use super::em::by_k;
use super::em::{fixed_k, Collapse, Em, MStep, Mixture, Pass};
use super::error::{EmError, ErrorKind};
use super::gmm2d::{distinct_points, moments_2d, Gmm2dParams, Moments2d, Shifted2d};
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
}

/// The centres, copied for the pass over the data.
pub struct PreparedKMeans {
    centres: Vec<[f64; 2]>,
}

impl KMeans {
    /// Wraps flat x, y pairs that have already been checked to be non-empty and finite (a trailing odd value is dropped).
    pub fn new(mut data: Vec<f64>) -> Self {
        data.truncate(data.len() - data.len() % 2);
        KMeans { data }
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
#[inline]
fn dist2(p: &[f64], c: &[f64; 2]) -> f64 {
    let (u, v) = (p[0] - c[0], p[1] - c[1]);
    u * u + v * v
}

/// J of the runner's current centres: minus its ℓ (each point to its nearest centre).
pub fn objective(em: &Em<KMeans>) -> f64 {
    -em.loglik()
}

/// The cluster of every observation under the runner's current q (its labels; argmax of each row of the
/// uniform q before the first E-step).
pub fn assignments(em: &Em<KMeans>) -> Vec<usize> {
    match em.labels() {
        Some(labels) => labels.iter().map(|&j| j as usize).collect(),
        None => em.q().chunks_exact(em.k()).map(super::em::argmax).collect(),
    }
}

impl KMeans {
    /// The E-step pass for a fixed K (`K` = 0: any K): the nearest centre of every point (the first on
    /// ties) into `labels`, and per centre the count and sums around it. Returns J and the sums.
    fn pass_hard<const K: usize>(
        &self,
        centres: &[[f64; 2]],
        labels: &mut [u32],
    ) -> (f64, [Shifted2d; MAX_K]) {
        let k = fixed_k::<K>(centres.len());
        let centres = &centres[..k];
        let mut acc = [[0.0; 6]; MAX_K];
        let mut objective = 0.0;
        for (p, label) in self.data.chunks_exact(2).zip(labels.iter_mut()) {
            let (best, best_d) = nearest(p, centres);
            *label = best as u32;
            objective += best_d;
            let c = centres[best];
            let (u, v) = (p[0] - c[0], p[1] - c[1]);
            let a = &mut acc[best.min(MAX_K - 1)];
            a[0] += 1.0;
            a[1] += u;
            a[2] += v;
            a[3] += u * u;
            a[4] += u * v;
            a[5] += v * v;
        }
        (objective, acc)
    }

    /// J = Σᵢ minₖ ‖xᵢ − μₖ‖² for a fixed K (`K` = 0: any K).
    fn objective_pass<const K: usize>(&self, centres: &[[f64; 2]]) -> f64 {
        let k = fixed_k::<K>(centres.len());
        let centres = &centres[..k];
        self.data
            .chunks_exact(2)
            .map(|p| nearest(p, centres).1)
            .sum()
    }
}

/// The index of the nearest centre to `p` (the first on ties) and the squared distance to it.
#[inline(always)]
fn nearest(p: &[f64], centres: &[[f64; 2]]) -> (usize, f64) {
    let mut best = 0;
    let mut best_d = dist2(p, &centres[0]);
    for (j, c) in centres.iter().enumerate().skip(1) {
        let d = dist2(p, c);
        if d < best_d {
            best = j;
            best_d = d;
        }
    }
    (best, best_d)
}

impl Mixture for KMeans {
    const NAME: &'static str = "kmeans";
    type Params = KMeansParams;
    type Prepared = PreparedKMeans;
    type Stats = Vec<Moments2d>;
    const HARD: bool = true;

    fn e_pass(
        &self,
        p: &KMeansParams,
        _q: &mut [f64],
        labels: &mut [u32],
    ) -> (Pass, Vec<Moments2d>) {
        let (objective, acc) = by_k!(p.centres.len(), self.pass_hard(&p.centres, labels));
        let shifted: Option<Vec<Moments2d>> = acc
            .iter()
            .zip(&p.centres)
            .map(|(a, &c)| Moments2d::from_shifted(a, c))
            .collect();
        let stats = shifted.unwrap_or_else(|| {
            // Rarely (a centre far from its points' mean): the moments around the means, from the labels.
            let k = p.centres.len();
            let mut q = vec![0.0; labels.len() * k];
            for (row, &label) in q.chunks_exact_mut(k).zip(labels.iter()) {
                row[label as usize] = 1.0;
            }
            moments_2d(&self.data, &q, k)
        });
        let pass = Pass {
            loglik: -objective,
            bound: -objective,
            entropy: 0.0,
        };
        (pass, stats)
    }

    fn loglik(&self, p: &KMeansParams) -> f64 {
        -by_k!(p.centres.len(), self.objective_pass(&p.centres))
    }

    /// One pass: ℓ = −Σᵢ minₖ ‖xᵢ − μₖ‖² and, with labels, −Σᵢ ‖xᵢ − μ_{labelᵢ}‖² in the same order.
    fn evaluate(
        &self,
        p: &KMeansParams,
        stats: &Vec<Moments2d>,
        labels: Option<&[u32]>,
    ) -> (f64, f64) {
        let Some(labels) = labels else {
            return (self.loglik(p), self.expected_log_joint(stats, p));
        };
        let k = p.centres.len();
        let (mut best, mut labelled) = (0.0, 0.0);
        for (x, &label) in self.data.chunks_exact(2).zip(labels) {
            best += nearest(x, &p.centres).1;
            labelled += dist2(x, &p.centres[(label as usize).min(k - 1)]);
        }
        (-best, -labelled)
    }

    fn stats_of(&self, q: &[f64], k: usize) -> Vec<Moments2d> {
        moments_2d(&self.data, q, k)
    }

    /// −Σₖ (tr Sₖ + Nₖ ‖mₖ − μₖ‖²) (mₖ the weighted mean): minus the q-weighted sum of squared distances to the centres.
    fn expected_log_joint(&self, stats: &Vec<Moments2d>, p: &KMeansParams) -> f64 {
        -stats
            .iter()
            .zip(&p.centres)
            .filter(|(m, _)| m.n > 0.0)
            .map(|(m, c)| m.scatter[0] + m.scatter[2] + m.n * dist2(&m.mean(), c))
            .sum::<f64>()
    }

    fn len(&self) -> usize {
        self.data.len() / 2
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
        stats: &Vec<Moments2d>,
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
use super::gmm1d::short_number as short;

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
        let (nk, sx, sy) = super::gmm2d::weighted_sums(em.stats());
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
        Formulas {
            point: i,
            description: format!("x = ({}, {})", short(x), short(y)),
            e,
            m,
        }
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
