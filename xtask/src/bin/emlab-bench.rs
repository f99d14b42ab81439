//! The native half of `cargo xtask bench`: times whole EM iterations of the EM Lab core on one case.
//!
//! Usage: `emlab-bench CASE ITERATIONS DIR`. It generates the case's data from a fixed seed, writes it
//! to `DIR/CASE.f64` (little-endian f64, row-major) and the starting θ to `DIR/CASE.start` (one
//! `name v1 v2 …` line per parameter) so the Python side runs on the very same numbers, then runs
//! ITERATIONS calls of [`Em::step`] (E-step then M-step, each with the runner's ℓ and L bookkeeping),
//! and again the bare model kernel (E-step and M-step only). It prints one `key=value` line.
//! One case per process, so VmHWM (the peak resident set) belongs to that case alone.

use emlab::core::coins::{CoinParams, Coins};
use emlab::core::em::{argmax, log_sum_exp, Em, Mixture};
use emlab::core::gmm1d::{Gmm1d, Gmm1dParams};
use emlab::core::gmm2d::{CovarianceType, Gmm2d};
use emlab::core::kmeans::{KMeans, KMeansParams};
use emlab::core::options::Options;
use emlab::core::sample::{normal, rng};
use rand::rngs::StdRng;
use rand::RngExt;
use std::error::Error;
use std::fs;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

type Result<T> = std::result::Result<T, Box<dyn Error>>;

/// The seed of every generated data set.
const SEED: u64 = 20_240_601;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("emlab-bench: {err}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [case, iterations, dir] = args.as_slice() else {
        return Err("usage: emlab-bench CASE ITERATIONS DIR".into());
    };
    let iterations: usize = iterations
        .parse()
        .map_err(|_| format!("ITERATIONS must be a positive integer, got `{iterations}`"))?;
    if iterations == 0 {
        return Err("ITERATIONS must be at least 1".into());
    }
    let (model, n) = case
        .rsplit_once('-')
        .ok_or_else(|| format!("unknown case `{case}`"))?;
    let n = parse_size(n).ok_or_else(|| format!("unknown size in case `{case}`"))?;
    let out = Output {
        dir: PathBuf::from(dir),
        case: case.clone(),
    };
    fs::create_dir_all(&out.dir)?;
    let mut r = rng(SEED);
    let line = match model {
        "gmm1d" => {
            let (model, start) = gmm1d_case(&mut r, n, &out)?;
            measure(model, start, iterations)?
        }
        "gmm2d" => {
            let (data, means) = blobs(&mut r, n);
            out.write_data(&data)?;
            let model = Gmm2d::new(data, CovarianceType::Full);
            let start = model.start_from_means(means);
            out.write_start(&[
                ("weights", start.weights.clone()),
                ("means", start.means.iter().flatten().copied().collect()),
                (
                    "covariances",
                    start
                        .covariances
                        .iter()
                        .flatten()
                        .flatten()
                        .copied()
                        .collect(),
                ),
            ])?;
            measure(model, start, iterations)?
        }
        "kmeans" => {
            let (data, means) = blobs(&mut r, n);
            out.write_data(&data)?;
            let start = KMeansParams { centres: means };
            out.write_start(&[("centres", start.centres.iter().flatten().copied().collect())])?;
            measure(KMeans::new(data), start, iterations)?
        }
        "coins" => {
            let (model, start) = coins_case(&mut r, n, &out)?;
            measure(model, start, iterations)?
        }
        _ => return Err(format!("unknown case `{case}`").into()),
    };
    println!("case={case} n={n} iterations={iterations} {line}");
    Ok(())
}

/// "12k" → 12,000, "1m" → 1,000,000, "500" → 500.
fn parse_size(text: &str) -> Option<usize> {
    let (digits, scale) = match text.as_bytes().last()? {
        b'k' => (&text[..text.len() - 1], 1_000),
        b'm' => (&text[..text.len() - 1], 1_000_000),
        _ => (text, 1),
    };
    digits.parse::<usize>().ok().map(|v| v * scale)
}

/// Where one case writes its data and start for the Python side.
struct Output {
    dir: PathBuf,
    case: String,
}

impl Output {
    fn path(&self, ext: &str) -> PathBuf {
        self.dir.join(format!("{}.{ext}", self.case))
    }

    /// Writes `values` as little-endian f64.
    fn write_data(&self, values: &[f64]) -> Result<()> {
        write_f64(&self.path("f64"), values)
    }

    /// Writes one `name v1 v2 …` line per parameter, with round-trip exact numbers.
    fn write_start(&self, params: &[(&str, Vec<f64>)]) -> Result<()> {
        let mut text = String::new();
        for (name, values) in params {
            text.push_str(name);
            for v in values {
                text.push_str(&format!(" {v:?}"));
            }
            text.push('\n');
        }
        Ok(fs::write(self.path("start"), text)?)
    }
}

fn write_f64(path: &Path, values: &[f64]) -> Result<()> {
    let mut file = BufWriter::new(fs::File::create(path)?);
    for v in values {
        file.write_all(&v.to_le_bytes())?;
    }
    file.flush()?;
    Ok(())
}

/// Two 1-D Gaussians, 0.4 N(0, 1) + 0.6 N(4, 1.5²); the start is deliberately off (means −1 and 1,
/// both variances the data's, equal weights) so every timed iteration does real work.
fn gmm1d_case(r: &mut StdRng, n: usize, out: &Output) -> Result<(Gmm1d, Gmm1dParams)> {
    let data: Vec<f64> = (0..n)
        .map(|_| {
            if r.random::<f64>() < 0.4 {
                normal(r, 0.0, 1.0)
            } else {
                normal(r, 4.0, 1.5)
            }
        })
        .collect();
    out.write_data(&data)?;
    let model = Gmm1d::new(data);
    let start = Gmm1dParams {
        weights: vec![0.5, 0.5],
        means: vec![-1.0, 1.0],
        variances: vec![model.data_variance(); 2],
    };
    out.write_start(&[
        ("weights", start.weights.clone()),
        ("means", start.means.clone()),
        ("variances", start.variances.clone()),
    ])?;
    Ok((model, start))
}

/// Three 2-D Gaussians with different shapes (flat x, y pairs) and off-centre starting means.
fn blobs(r: &mut StdRng, n: usize) -> (Vec<f64>, Vec<[f64; 2]>) {
    // (weight, mean, Cholesky factor (l11, l21, l22) of the covariance)
    let components = [
        (0.5, [0.0, 0.0], (1.0, 0.0, 1.0)),
        (0.3, [5.0, 1.0], (1.5, 0.8, 0.6)),
        (0.2, [2.0, 5.0], (0.7, -0.3, 1.2)),
    ];
    let mut data = Vec::with_capacity(2 * n);
    for _ in 0..n {
        let u = r.random::<f64>();
        let (_, mean, (l11, l21, l22)) = if u < 0.5 {
            components[0]
        } else if u < 0.8 {
            components[1]
        } else {
            components[2]
        };
        let (z1, z2) = (normal(r, 0.0, 1.0), normal(r, 0.0, 1.0));
        data.push(mean[0] + l11 * z1);
        data.push(mean[1] + l21 * z1 + l22 * z2);
    }
    (data, vec![[-1.0, -1.0], [6.0, 0.0], [1.0, 6.0]])
}

/// One million sets of ten tosses of one of two hidden coins: 0.4 × coin(0.3) + 0.6 × coin(0.8).
fn coins_case(r: &mut StdRng, n: usize, out: &Output) -> Result<(Coins, CoinParams)> {
    const TOSSES: u32 = 10;
    let counts: Vec<(u32, u32)> = (0..n)
        .map(|_| {
            let p = if r.random::<f64>() < 0.4 { 0.3 } else { 0.8 };
            let heads = (0..TOSSES).filter(|_| r.random::<f64>() < p).count() as u32;
            (heads, TOSSES)
        })
        .collect();
    let flat: Vec<f64> = counts
        .iter()
        .flat_map(|&(h, t)| [f64::from(h), f64::from(t)])
        .collect();
    out.write_data(&flat)?;
    drop(flat);
    let start = CoinParams {
        weights: vec![0.5, 0.5],
        heads: vec![0.4, 0.6],
    };
    out.write_start(&[
        ("weights", start.weights.clone()),
        ("heads", start.heads.clone()),
    ])?;
    Ok((Coins::new(counts, false), start))
}

/// Times `iterations` whole EM iterations of the runner, then of the bare kernel, from `start`.
fn measure<M: Mixture + Clone>(model: M, start: M::Params, iterations: usize) -> Result<String> {
    let mut em = Em::new(model, start.clone(), Options::default())
        .map_err(|err| format!("the start is unusable: {err:?}"))?;
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        em.step()
            .map_err(|err| format!("EM step failed: {err:?}"))?;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let runner_ms = median(&mut times);
    let loglik = em.loglik();
    let q_bytes = std::mem::size_of_val(em.q());
    // VmHWM now: generating the data, the data and q, before the kernel's copy of them.
    let hwm_kib = vm_hwm_kib();
    let kernel_model = em.model().clone();
    drop(em);

    let (kernel_ms, kernel_loglik) = kernel(&kernel_model, start, iterations);
    Ok(format!(
        "ms={runner_ms:.4} kernel_ms={kernel_ms:.4} loglik={loglik:?} \
         kernel_loglik={kernel_loglik:?} q_bytes={q_bytes} vmhwm_kib={hwm_kib}"
    ))
}

/// The same iterations without the runner: E-step (log-sum-exp posterior) and M-step only, as
/// scikit-learn counts an iteration. Returns the median ms and ℓ of the final θ.
fn kernel<M: Mixture>(model: &M, start: M::Params, iterations: usize) -> (f64, f64) {
    let k = M::components(&start);
    let mut q = vec![0.0; model.len() * k];
    let mut params = start;
    let options = Options::default();
    let mut times = Vec::with_capacity(iterations);
    for _ in 0..iterations {
        let t = Instant::now();
        let prepared = model.prepare(&params);
        for (i, row) in q.chunks_exact_mut(k).enumerate() {
            model.log_joint_row(&prepared, i, row);
            if M::HARD {
                let best = argmax(row);
                row.iter_mut()
                    .enumerate()
                    .for_each(|(j, v)| *v = f64::from(u8::from(j == best)));
            } else {
                let lse = log_sum_exp(row);
                row.iter_mut().for_each(|v| *v = (*v - lse).exp());
            }
        }
        params = model.m_step(black_box(&q), &params, &options).params;
        times.push(t.elapsed().as_secs_f64() * 1e3);
    }
    let prepared = model.prepare(&params);
    let mut row = vec![0.0; k];
    let loglik = (0..model.len())
        .map(|i| {
            model.log_joint_row(&prepared, i, &mut row);
            if M::HARD {
                row[argmax(&row)]
            } else {
                log_sum_exp(&row)
            }
        })
        .sum();
    (median(&mut times), loglik)
}

fn median(values: &mut [f64]) -> f64 {
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 {
        values[mid]
    } else {
        0.5 * (values[mid - 1] + values[mid])
    }
}

/// The peak resident set of this process so far, in KiB (0 where /proc is missing).
fn vm_hwm_kib() -> u64 {
    fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix("VmHWM:"))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
