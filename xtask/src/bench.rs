//! `cargo xtask bench`: EM Lab's native release build against scikit-learn and plain numpy, in one run.
//!
//! The `emlab-bench` binary (this package, feature `bench`, built with `--release`) generates each
//! case's data from a fixed seed, writes it under `target/bench/` and times whole EM iterations of the
//! core; `tests/bench/compare.py` then runs the same iterations on the same numbers with scikit-learn
//! and numpy, single-threaded. Every case and every implementation runs in its own process, so each
//! peak resident set belongs to one case. The tables are printed as Markdown for BENCHMARKS.md.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs};

use crate::{cargo, command_line, display, root, run_command, target_dir, Args, Result};

/// One benchmark case: its name for the binaries, what it is, and how many iterations to time.
struct Case {
    name: &'static str,
    label: &'static str,
    iterations: usize,
}

/// The cases, in table order (sizes and K as in the reference figures of scikit-learn and numpy).
const CASES: &[Case] = &[
    Case {
        name: "gmm1d-12k",
        label: "1-D GMM, K = 2, N = 12,000",
        iterations: 200,
    },
    Case {
        name: "gmm1d-1m",
        label: "1-D GMM, K = 2, N = 1,000,000",
        iterations: 20,
    },
    Case {
        name: "gmm2d-100k",
        label: "2-D GMM full, K = 3, N = 100,000",
        iterations: 50,
    },
    Case {
        name: "gmm2d-1m",
        label: "2-D GMM full, K = 3, N = 1,000,000",
        iterations: 20,
    },
    Case {
        name: "kmeans-100k",
        label: "k-means 2-D, K = 3, N = 100,000",
        iterations: 50,
    },
    Case {
        name: "kmeans-1m",
        label: "k-means 2-D, K = 3, N = 1,000,000",
        iterations: 20,
    },
    Case {
        name: "coins-1m",
        label: "coins, K = 2, N = 1,000,000 sets of 10",
        iterations: 20,
    },
];

/// How many times the whole set of cases is measured; each figure is the best round's median.
const DEFAULT_ROUNDS: usize = 3;

/// Iterations per case with `--quick` (a check of the plumbing, not figures to keep).
const QUICK_ITERATIONS: usize = 3;

/// The environment that keeps numpy's BLAS and scikit-learn's OpenMP on one thread, as the core is.
const ONE_THREAD: [(&str, &str); 3] = [
    ("OMP_NUM_THREADS", "1"),
    ("OPENBLAS_NUM_THREADS", "1"),
    ("MKL_NUM_THREADS", "1"),
];

/// The `key=value` fields of one result line.
type Fields = HashMap<String, String>;

/// What one Python implementation gave for one case.
enum Outcome {
    /// It ran: its fields.
    Measured(Fields),
    /// It has no model of this case (scikit-learn and coins).
    NoModel,
    /// It failed; the message says why.
    Failed(String),
    /// Python was not available.
    NotRun,
}

/// Runs `cargo xtask bench [--rust-only] [--quick] [--rounds N]`.
pub fn cmd(mut args: Args) -> Result {
    let rust_only = args.flag("--rust-only");
    let quick = args.flag("--quick");
    let rounds = match args.value("--rounds")? {
        Some(text) => text
            .parse::<usize>()
            .ok()
            .filter(|&n| n > 0)
            .ok_or_else(|| format!("--rounds needs a positive integer, got `{text}`"))?,
        None if quick => 1,
        None => DEFAULT_ROUNDS,
    };
    args.finish()?;
    let mut invocation = String::from("cargo xtask bench");
    for (on, flag) in [(rust_only, " --rust-only"), (quick, " --quick")] {
        if on {
            invocation.push_str(flag);
        }
    }
    if rounds != DEFAULT_ROUNDS && !quick {
        invocation.push_str(&format!(" --rounds {rounds}"));
    }

    println!("==> building emlab-bench (release)");
    run_command(cargo().args([
        "build",
        "--release",
        "--package",
        "xtask",
        "--features",
        "bench",
        "--bin",
        "emlab-bench",
    ]))?;
    let bench_bin = target_dir().join("release").join("emlab-bench");
    let data_dir = target_dir().join("bench");
    fs::create_dir_all(&data_dir)?;
    let iterations = |case: &Case| {
        if quick {
            QUICK_ITERATIONS
        } else {
            case.iterations
        }
    };

    let python = if rust_only {
        Err(String::from("skipped (--rust-only)"))
    } else {
        println!("==> finding Python with scikit-learn and numpy");
        python()
    };
    if let Err(note) = &python {
        println!("NOTE: scikit-learn/numpy not measured: {note}. Rust-only figures follow.");
    }
    let script = root().join("tests").join("bench").join("compare.py");
    let load_before = load_average();

    // Round after round, and in each case the three implementations back to back, so that whatever
    // else the machine is doing affects them alike; each keeps its best round (interference only adds).
    println!(
        "==> measuring: {rounds} round(s), one thread each (Python with {})",
        one_thread_text()
    );
    let mut rust: Vec<Option<Fields>> = CASES.iter().map(|_| None).collect();
    let mut sklearn: Vec<Outcome> = CASES.iter().map(|_| Outcome::NotRun).collect();
    let mut numpy: Vec<Outcome> = CASES.iter().map(|_| Outcome::NotRun).collect();
    for round in 1..=rounds {
        println!("  round {round} of {rounds}");
        for (i, case) in CASES.iter().enumerate() {
            let mut cmd = Command::new(&bench_bin);
            cmd.arg(case.name)
                .arg(iterations(case).to_string())
                .arg(&data_dir);
            let fields = result_fields(&mut cmd)?;
            println!(
                "  {:<12} {:<8} {} ms/iter",
                case.name,
                "EM Lab",
                field(&fields, "ms")
            );
            if faster(&fields, rust[i].as_ref()) {
                rust[i] = Some(fields);
            }
            for (implementation, best) in [("sklearn", &mut sklearn[i]), ("numpy", &mut numpy[i])] {
                let Ok(python) = &python else {
                    continue;
                };
                let mut cmd = Command::new(python);
                cmd.arg(&script)
                    .args([implementation, case.name])
                    .arg(iterations(case).to_string())
                    .arg(&data_dir)
                    .envs(ONE_THREAD);
                let outcome = match result_fields(&mut cmd) {
                    Ok(fields) if fields.contains_key("skip") => Outcome::NoModel,
                    Ok(fields) => Outcome::Measured(fields),
                    Err(err) => Outcome::Failed(err.to_string()),
                };
                let shown = match &outcome {
                    Outcome::Measured(fields) => format!("{} ms/iter", field(fields, "ms")),
                    Outcome::NoModel => String::from("no model of this case"),
                    Outcome::Failed(err) => format!("FAILED: {err}"),
                    Outcome::NotRun => String::new(),
                };
                println!("  {:<12} {implementation:<8} {shown}", case.name);
                keep_best(best, outcome);
            }
        }
    }
    let rust: Vec<Fields> = rust.into_iter().map(Option::unwrap_or_default).collect();
    let load = format!("{load_before} before, {} after", load_average());

    let versions = python.as_ref().ok().map(|p| python_versions(p));
    println!();
    print!(
        "{}",
        report(
            &Setting {
                invocation: &invocation,
                quick,
                rounds,
                versions: versions.as_deref(),
                load: &load,
            },
            &rust,
            &sklearn,
            &numpy,
        )
    );
    Ok(())
}

/// Runs `cmd`, fails unless it succeeds, and parses the `key=value` fields of its last output line.
fn result_fields(cmd: &mut Command) -> Result<Fields> {
    let line = command_line(cmd);
    let output = cmd
        .output()
        .map_err(|err| format!("could not start `{line}`: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("").trim();
        return Err(format!("`{line}` failed ({}): {last}", output.status).into());
    }
    let last = stdout.lines().last().unwrap_or("");
    let fields: Fields = last
        .split_whitespace()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    if fields.contains_key("ms") || fields.contains_key("skip") {
        Ok(fields)
    } else {
        Err(format!("`{line}` printed no result line").into())
    }
}

/// Whether `new` has a smaller `ms` than `best` (or there is no best yet).
fn faster(new: &Fields, best: Option<&Fields>) -> bool {
    match (number(new, "ms"), best.and_then(|b| number(b, "ms"))) {
        (Some(new), Some(old)) => new < old,
        (_, None) => true,
        (None, Some(_)) => false,
    }
}

/// Keeps in `best` the fastest measurement so far; a failure or "no model" is kept only when
/// nothing was measured.
fn keep_best(best: &mut Outcome, outcome: Outcome) {
    let replace = match (&*best, &outcome) {
        (Outcome::Measured(old), Outcome::Measured(new)) => faster(new, Some(old)),
        (Outcome::Measured(_), _) => false,
        _ => true,
    };
    if replace {
        *best = outcome;
    }
}

/// The field `key`, or "?" when it is missing.
fn field<'a>(fields: &'a Fields, key: &str) -> &'a str {
    fields.get(key).map_or("?", String::as_str)
}

/// The field `key` as a number, when present and numeric.
fn number(fields: &Fields, key: &str) -> Option<f64> {
    fields.get(key)?.parse().ok()
}

/// A Python that imports scikit-learn and numpy: the system's `python3`, else `target/bench-venv`,
/// created and filled from PyPI when missing. `Err` holds a note saying why there is none.
fn python() -> std::result::Result<PathBuf, String> {
    let system = PathBuf::from("python3");
    if imports_ok(&system) {
        println!("  python3 has scikit-learn and numpy");
        return Ok(system);
    }
    let venv = target_dir().join("bench-venv");
    let venv_python = venv.join("bin").join("python");
    if venv_python.exists() && imports_ok(&venv_python) {
        println!("  using {}", display(&venv));
        return Ok(venv_python);
    }
    println!(
        "  python3 lacks scikit-learn/numpy: installing them into {}",
        display(&venv)
    );
    let created = run_command(Command::new("python3").args(["-m", "venv"]).arg(&venv));
    if let Err(err) = created {
        return Err(format!("could not create a venv with python3 ({err})"));
    }
    let installed = run_command(Command::new(&venv_python).args([
        "-m",
        "pip",
        "install",
        "--quiet",
        "--retries",
        "2",
        "--timeout",
        "30",
        "scikit-learn",
        "numpy",
        "threadpoolctl",
    ]));
    if let Err(err) = installed {
        return Err(format!(
            "pip could not install scikit-learn and numpy ({err})"
        ));
    }
    if imports_ok(&venv_python) {
        Ok(venv_python)
    } else {
        Err(String::from(
            "scikit-learn or numpy still does not import after pip install",
        ))
    }
}

/// Whether `python -c "import sklearn, numpy"` succeeds.
fn imports_ok(python: &Path) -> bool {
    Command::new(python)
        .args(["-c", "import sklearn, numpy"])
        .output()
        .is_ok_and(|out| out.status.success())
}

/// "Python 3.11.7, numpy 2.4.6, scikit-learn 1.9.1, BLAS …" as the Python side reports them.
fn python_versions(python: &Path) -> String {
    let script = "import sys, numpy, sklearn\n\
        try:\n    from threadpoolctl import threadpool_info\n    \
        blas = ', '.join(f\"{p['internal_api']} {p.get('version')} ({p.get('architecture')}, \
        {p['num_threads']} thread)\" for p in threadpool_info() if p['user_api'] == 'blas')\n\
        except ImportError:\n    blas = 'unknown'\n\
        print(f'Python {sys.version.split()[0]}, numpy {numpy.__version__}, \
        scikit-learn {sklearn.__version__}; BLAS: {blas}')";
    Command::new(python)
        .args(["-c", script])
        .envs(ONE_THREAD)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .unwrap_or_else(|| String::from("Python versions unknown"))
}

/// What was run, where and when: the lines above the tables.
struct Setting<'a> {
    invocation: &'a str,
    quick: bool,
    rounds: usize,
    versions: Option<&'a str>,
    load: &'a str,
}

/// The Markdown report: machine, command, the speed table, the memory table and the agreement check.
fn report(setting: &Setting, rust: &[Fields], sklearn: &[Outcome], numpy: &[Outcome]) -> String {
    let rounds = setting.rounds;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Command: `{}` (from the repository root)  ",
        setting.invocation
    );
    let _ = writeln!(out, "Date: {} (UTC)  ", today());
    let _ = writeln!(out, "Machine: {}  ", machine());
    let _ = writeln!(out, "Rust: {}  ", rustc_version());
    if let Some(versions) = setting.versions {
        let _ = writeln!(out, "Python: {versions}  ");
    }
    let _ = writeln!(out, "Load average (1, 5, 15 min): {}  ", setting.load);
    let _ = writeln!(
        out,
        "Everything single-threaded; Python with {}.",
        one_thread_text()
    );
    if setting.quick {
        let _ = writeln!(
            out,
            "\n**--quick: {QUICK_ITERATIONS} iterations per case — a plumbing check, not figures to keep.**"
        );
    }

    let _ = writeln!(
        out,
        "\nms per EM iteration (E-step + M-step) from the same start on the same data: the median over \
         the iterations, best of {rounds} round(s). \"÷ EM Lab\" > 1 means EM Lab is faster.\n"
    );
    let _ = writeln!(
        out,
        "| case | iterations | EM Lab ms/iter | scikit-learn ms/iter | numpy ms/iter | \
         scikit-learn ÷ EM Lab | numpy ÷ EM Lab | EM Lab E+M only ms/iter | EM Lab peak memory |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (i, case) in CASES.iter().enumerate() {
        let r = &rust[i];
        let ms = number(r, "ms");
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            case.label,
            field(r, "iterations"),
            ms.map_or_else(|| "?".into(), millis),
            outcome_ms(&sklearn[i]),
            outcome_ms(&numpy[i]),
            ratio(&sklearn[i], ms),
            ratio(&numpy[i], ms),
            number(r, "kernel_ms").map_or_else(|| "?".into(), millis),
            number(r, "vmhwm_kib").map_or_else(|| "?".into(), mib),
        );
    }

    let _ = writeln!(
        out,
        "\nPeak resident memory of each process (VmHWM); for Python, in brackets, what the process held \
         after its imports, before reading the data.\n"
    );
    let _ = writeln!(
        out,
        "| case | data + q as f64 arrays | EM Lab peak | scikit-learn peak | numpy peak |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|");
    for (i, case) in CASES.iter().enumerate() {
        let r = &rust[i];
        let data_bytes = fs::metadata(
            target_dir()
                .join("bench")
                .join(format!("{}.f64", case.name)),
        )
        .map_or(0, |m| m.len());
        let q_bytes = number(r, "q_bytes").unwrap_or(0.0);
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            case.label,
            mib((data_bytes as f64 + q_bytes) / 1024.0),
            number(r, "vmhwm_kib").map_or_else(|| "?".into(), mib),
            outcome_memory(&sklearn[i]),
            outcome_memory(&numpy[i]),
        );
    }

    let _ = writeln!(
        out,
        "\nThe same computation: ℓ(θ) after the timed iterations (k-means: −J, the within-cluster sum of \
         squares), and how far the others are from EM Lab, relative to |ℓ|.\n"
    );
    let _ = writeln!(
        out,
        "| case | ℓ (EM Lab) | scikit-learn − EM Lab | numpy − EM Lab | EM Lab E+M only − EM Lab |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|");
    for (i, case) in CASES.iter().enumerate() {
        let r = &rust[i];
        let loglik = number(r, "loglik");
        let kernel = number(r, "kernel_loglik").map(|v| relative(v, loglik));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} |",
            case.label,
            loglik.map_or_else(|| "?".into(), |v| format!("{v:.6}")),
            outcome_loglik(&sklearn[i], loglik),
            outcome_loglik(&numpy[i], loglik),
            kernel.unwrap_or_else(|| "?".into()),
        );
    }
    let failures: Vec<String> = CASES
        .iter()
        .zip(sklearn.iter().zip(numpy))
        .flat_map(|(case, (s, n))| {
            [("scikit-learn", s), ("numpy", n)]
                .into_iter()
                .filter_map(move |(name, outcome)| match outcome {
                    Outcome::Failed(err) => Some(format!("- {} {name}: {err}", case.name)),
                    _ => None,
                })
        })
        .collect();
    if !failures.is_empty() {
        let _ = writeln!(out, "\nFailures:\n{}", failures.join("\n"));
    }
    out
}

/// Milliseconds with about three significant digits.
fn millis(ms: f64) -> String {
    if ms < 10.0 {
        format!("{ms:.2}")
    } else if ms < 100.0 {
        format!("{ms:.1}")
    } else {
        format!("{ms:.0}")
    }
}

/// KiB as MiB with one decimal.
fn mib(kib: f64) -> String {
    format!("{:.1} MiB", kib / 1024.0)
}

/// The cell for an outcome's ms per iteration.
fn outcome_ms(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Measured(fields) => number(fields, "ms").map_or_else(|| "?".into(), millis),
        Outcome::NoModel => "—".into(),
        Outcome::Failed(_) => "failed".into(),
        Outcome::NotRun => "not run".into(),
    }
}

/// The other implementation's ms divided by EM Lab's.
fn ratio(outcome: &Outcome, emlab_ms: Option<f64>) -> String {
    match (outcome, emlab_ms) {
        (Outcome::Measured(fields), Some(ours)) if ours > 0.0 => number(fields, "ms")
            .map_or_else(|| "?".into(), |theirs| format!("{:.2}", theirs / ours)),
        _ => "—".into(),
    }
}

/// The cell for an outcome's peak memory, with its start-up memory in brackets.
fn outcome_memory(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Measured(fields) => {
            match (number(fields, "vmhwm_kib"), number(fields, "base_kib")) {
                (Some(peak), Some(base)) => format!("{} ({})", mib(peak), mib(base)),
                (Some(peak), None) => mib(peak),
                _ => "?".into(),
            }
        }
        _ => "—".into(),
    }
}

/// The cell for (their ℓ − EM Lab's ℓ) / |EM Lab's ℓ|.
fn outcome_loglik(outcome: &Outcome, emlab: Option<f64>) -> String {
    match outcome {
        Outcome::Measured(fields) => {
            number(fields, "loglik").map_or_else(|| "?".into(), |v| relative(v, emlab))
        }
        _ => "—".into(),
    }
}

/// (value − reference) / |reference|, in scientific notation.
fn relative(value: f64, reference: Option<f64>) -> String {
    match reference {
        Some(reference) if reference != 0.0 => {
            format!("{:+.1e}", (value - reference) / reference.abs())
        }
        _ => "?".into(),
    }
}

/// `OMP_NUM_THREADS=1 …` as written in a shell.
fn one_thread_text() -> String {
    ONE_THREAD
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The first three fields of /proc/loadavg, or "unknown".
fn load_average() -> String {
    fs::read_to_string("/proc/loadavg")
        .ok()
        .map(|text| {
            text.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|text| !text.is_empty())
        .unwrap_or_else(|| String::from("unknown"))
}

/// "2 cores (nproc), AMD EPYC …, 24 GiB" from the standard library and /proc.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU", |(_, name)| name.trim());
    let meminfo = fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or_else(
            || "unknown memory".into(),
            |kib| format!("{:.0} GiB", kib / 1024.0 / 1024.0),
        );
    format!(
        "{cores} cores (nproc), {model}, {memory}, {}",
        env::consts::OS
    )
}

/// `rustc --version`.
fn rustc_version() -> String {
    Command::new(env::var_os("RUSTC").unwrap_or_else(|| "rustc".into()))
        .arg("--version")
        .output()
        .ok()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| String::from("unknown"))
}

/// Today's date (UTC) as YYYY-MM-DD, from the system clock.
fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (y, m, d) = civil_from_days((secs / 86_400) as i64);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The proleptic Gregorian date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(19_723), (2024, 1, 1));
        assert_eq!(civil_from_days(19_782), (2024, 2, 29));
    }

    #[test]
    fn result_lines_parse() {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", "echo noise; echo case=x ms=1.5 loglik=-2.0"]);
        let fields = result_fields(&mut cmd).unwrap();
        assert_eq!(number(&fields, "ms"), Some(1.5));
        assert_eq!(field(&fields, "case"), "x");
        assert_eq!(field(&fields, "missing"), "?");
    }
}
