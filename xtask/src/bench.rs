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
use std::process::{Command, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};
use std::{env, fs};

use crate::{build, serve, setup};
use crate::{cargo, command_line, display, root, run_command, target_dir, Args, Result};

/// One benchmark case: its name for the binaries, what it is, how many iterations to time, and
/// whether it is also timed in Chromium (coins have no browser row: the issue asks for the mixtures).
struct Case {
    name: &'static str,
    label: &'static str,
    iterations: usize,
    browser: bool,
}

const fn case(name: &'static str, label: &'static str, iterations: usize, browser: bool) -> Case {
    Case {
        name,
        label,
        iterations,
        browser,
    }
}

/// The cases, in table order (issue 12: 1-D K = 2 at 12k/100k/1M, 2-D K = 3 full at 10k/100k/1M,
/// k-means at 100k/1M, plus the coins).
const CASES: &[Case] = &[
    case("gmm1d-12k", "1-D GMM, K = 2, N = 12,000", 200, true),
    case("gmm1d-100k", "1-D GMM, K = 2, N = 100,000", 50, true),
    case("gmm1d-1m", "1-D GMM, K = 2, N = 1,000,000", 20, true),
    case("gmm2d-10k", "2-D GMM full, K = 3, N = 10,000", 200, true),
    case("gmm2d-100k", "2-D GMM full, K = 3, N = 100,000", 50, true),
    case("gmm2d-1m", "2-D GMM full, K = 3, N = 1,000,000", 20, true),
    case("kmeans-100k", "k-means 2-D, K = 3, N = 100,000", 50, true),
    case("kmeans-1m", "k-means 2-D, K = 3, N = 1,000,000", 20, true),
    case(
        "coins-1m",
        "coins, K = 2, N = 1,000,000 sets of 10",
        20,
        false,
    ),
];

/// `--quick`: every model at N = 10,000 only (a check that the whole benchmark still runs).
const QUICK_CASES: &[Case] = &[
    case("gmm1d-10k", "1-D GMM, K = 2, N = 10,000", 0, true),
    case("gmm2d-10k", "2-D GMM full, K = 3, N = 10,000", 0, true),
    case("kmeans-10k", "k-means 2-D, K = 3, N = 10,000", 0, true),
    case("coins-10k", "coins, K = 2, N = 10,000 sets of 10", 0, false),
];

/// How many times the whole set of cases is measured; each figure is the best round's median.
const DEFAULT_ROUNDS: usize = 3;

/// Iterations per case with `--quick` (a check of the plumbing, not figures to keep).
const QUICK_ITERATIONS: usize = 3;

/// Iterations per case in Chromium with `--quick` (the driver's median needs a few).
const QUICK_BROWSER_ITERATIONS: usize = 5;

/// Untimed iterations before the timed ones in Chromium (JIT tiers, wasm memory growth).
const BROWSER_WARMUP: usize = 3;

/// The page measures: the 1-D preset of the click test (12,000 points, what a class sees first), the 2-D
/// data of the click test and of the Run test, clicks per button, and the CPU slow-down of a school laptop.
struct PagePlan {
    click1d: &'static str,
    click2d: &'static str,
    run: &'static str,
    clicks: usize,
    click_warmup: usize,
    /// Milliseconds between a click's figures being painted and the next click, as a teacher pauses to
    /// explain (the page computes the next E-step's slice meanwhile); every click series is also measured
    /// back to back.
    click_pause: usize,
    run_seconds: usize,
    reloads: usize,
}

const PAGE: PagePlan = PagePlan {
    click1d: "two-gaussians",
    click2d: "gmm2d-100k",
    run: "gmm2d-100k",
    clicks: 10,
    click_warmup: 2,
    click_pause: 1000,
    run_seconds: 5,
    reloads: 5,
};

const QUICK_PAGE: PagePlan = PagePlan {
    click1d: "two-gaussians",
    click2d: "gmm2d-10k",
    run: "gmm2d-10k",
    clicks: 1,
    click_warmup: 0,
    click_pause: 200,
    run_seconds: 1,
    reloads: 1,
};

/// The CPU slow-down (Chrome DevTools Protocol `Emulation.setCPUThrottlingRate`) of the second click series.
const THROTTLE: usize = 4;

/// The environment that keeps numpy's BLAS and scikit-learn's OpenMP on one thread, as the core is.
const ONE_THREAD: [(&str, &str); 3] = [
    ("OMP_NUM_THREADS", "1"),
    ("OPENBLAS_NUM_THREADS", "1"),
    ("MKL_NUM_THREADS", "1"),
];

/// Where `cargo xtask bench` writes its report in BENCHMARKS.md: everything between these lines.
const BEGIN: &str = "<!-- cargo xtask bench: begin -->";
const END: &str = "<!-- cargo xtask bench: end -->";

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

/// What the browser driver (tests/bench/browser.mjs) measured.
#[derive(Default)]
struct Browser {
    /// The best round of each case (`core` lines), by case index.
    core: Vec<Option<Fields>>,
    /// `click` lines: click → every figure painted.
    clicks: Vec<Fields>,
    /// `breakdown` lines: where a click's time goes, by `Lab` method.
    breakdowns: Vec<Fields>,
    /// The `run` line: the longest main-thread task while running.
    run: Option<Fields>,
    /// The `nav` line: navigation → first figure.
    nav: Option<Fields>,
    /// `chromium --version`.
    version: String,
}

/// Runs `cargo xtask bench [--rust-only] [--no-browser] [--quick] [--rounds N]`.
pub fn cmd(mut args: Args) -> Result {
    let rust_only = args.flag("--rust-only");
    let no_browser = args.flag("--no-browser");
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
    for (on, flag) in [
        (rust_only, " --rust-only"),
        (no_browser, " --no-browser"),
        (quick, " --quick"),
    ] {
        if on {
            invocation.push_str(flag);
        }
    }
    if rounds != DEFAULT_ROUNDS && !quick {
        invocation.push_str(&format!(" --rounds {rounds}"));
    }
    if !no_browser {
        setup::wasm_target()?;
        setup::chromium()?;
        setup::node_modules(&root().join("tests").join("browser"))?;
        build::build()?;
    }
    run(&Plan {
        invocation,
        rust_only,
        browser: !no_browser,
        quick,
        rounds,
    })
}

/// `cargo xtask bench --quick` inside `cargo xtask test`, after the browser tests: the wasm in www/pkg is
/// the one just built and tested, Chromium and playwright-core are set up; scikit-learn is used only when
/// python3 already has it (nothing is installed).
pub fn quick_in_tests() -> Result {
    run(&Plan {
        invocation: String::from("cargo xtask bench --quick (from cargo xtask test)"),
        rust_only: false,
        browser: true,
        quick: true,
        rounds: 1,
    })
}

/// What one run measures.
struct Plan {
    invocation: String,
    rust_only: bool,
    browser: bool,
    quick: bool,
    rounds: usize,
}

fn run(plan: &Plan) -> Result {
    let Plan {
        quick,
        rounds,
        rust_only,
        ..
    } = *plan;
    let cases = if quick { QUICK_CASES } else { CASES };
    // --quick builds the native binary with the test profile (optimised, shares what `cargo test` built),
    // so the check in `cargo xtask test` stays short; the figures to keep come from the release profile.
    let profile = if quick { "test" } else { "release" };
    println!("==> building emlab-bench ({profile} profile)");
    run_command(cargo().args([
        "build",
        "--profile",
        profile,
        "--package",
        "xtask",
        "--features",
        "bench",
        "--bin",
        "emlab-bench",
    ]))?;
    let profile_dir = if quick { "debug" } else { "release" };
    let bench_bin = target_dir().join(profile_dir).join("emlab-bench");
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
    } else if quick {
        // Never install anything for the quick check: the system's python3, or the venv a full run made.
        println!("==> finding Python with scikit-learn and numpy (not installing: --quick)");
        existing_python()
    } else {
        println!("==> finding Python with scikit-learn and numpy");
        python()
    };
    if let Err(note) = &python {
        println!("NOTE: scikit-learn/numpy not measured: {note}. Their columns are left empty.");
    }
    let script = root().join("tests").join("bench").join("compare.py");
    let load_before = load_average();
    let server = if plan.browser {
        let addr = serve::start(&build::www_dir(), 0, false)?;
        Some(format!("http://{addr}/"))
    } else {
        None
    };
    let mut browser = Browser {
        core: cases.iter().map(|_| None).collect(),
        ..Browser::default()
    };

    // Round after round, and in each case the implementations back to back, so that whatever else the
    // machine is doing affects them alike; each keeps its best round (interference only adds).
    println!(
        "==> measuring: {rounds} round(s), one thread each (Python with {})",
        one_thread_text()
    );
    let mut rust: Vec<Option<Fields>> = cases.iter().map(|_| None).collect();
    let mut sklearn: Vec<Outcome> = cases.iter().map(|_| Outcome::NotRun).collect();
    let mut numpy: Vec<Outcome> = cases.iter().map(|_| Outcome::NotRun).collect();
    for round in 1..=rounds {
        println!("  round {round} of {rounds}");
        for (i, case) in cases.iter().enumerate() {
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
        // The core in Chromium, one browser per round over the same data files.
        if let Some(url) = &server {
            let specs: Vec<String> = cases
                .iter()
                .filter(|case| case.browser)
                .map(|case| {
                    let n = if quick {
                        QUICK_BROWSER_ITERATIONS
                    } else {
                        case.iterations.max(20)
                    };
                    format!("{}:{n}", case.name)
                })
                .collect();
            let warmup = if quick { 1 } else { BROWSER_WARMUP };
            let lines = run_driver(
                url,
                &data_dir,
                &[
                    ("--core", specs.join(",")),
                    ("--warmup", warmup.to_string()),
                ],
            )?;
            for (kind, fields) in lines {
                if kind != "core" {
                    continue;
                }
                let Some(i) = cases.iter().position(|c| c.name == field(&fields, "case")) else {
                    continue;
                };
                println!(
                    "  {:<12} {:<8} {} ms/iter (E {} + M {})",
                    cases[i].name,
                    "Chromium",
                    field(&fields, "iter_ms"),
                    field(&fields, "e_ms"),
                    field(&fields, "m_ms")
                );
                if faster_by(&fields, browser.core[i].as_ref(), "iter_ms") {
                    browser.core[i] = Some(fields);
                }
            }
        }
    }
    // The page itself, once: clicks (at full speed and slowed), Run, navigation.
    if let Some(url) = &server {
        let page = if quick { &QUICK_PAGE } else { &PAGE };
        println!("==> the page in Chromium: click → figures, Run, navigation");
        let lines = run_driver(
            url,
            &data_dir,
            &[
                ("--click1d", page.click1d.to_owned()),
                ("--click2d", page.click2d.to_owned()),
                ("--clicks", page.clicks.to_string()),
                ("--click-warmup", page.click_warmup.to_string()),
                ("--click-pause", format!("0,{}", page.click_pause)),
                ("--throttle", THROTTLE.to_string()),
                ("--run", page.run.to_owned()),
                ("--run-seconds", page.run_seconds.to_string()),
                ("--nav", page.reloads.to_string()),
            ],
        )?;
        for (kind, fields) in lines {
            println!("  {kind} {}", show_fields(&fields));
            match kind.as_str() {
                "click" => browser.clicks.push(fields),
                "breakdown" => browser.breakdowns.push(fields),
                "run" => browser.run = Some(fields),
                "nav" => browser.nav = Some(fields),
                _ => {}
            }
        }
        browser.version = chromium_version();
    }
    let rust: Vec<Fields> = rust.into_iter().map(Option::unwrap_or_default).collect();
    let load = format!("{load_before} before, {} after", load_average());

    let versions = python.as_ref().ok().map(|p| python_versions(p));
    let report = report(
        &Setting {
            invocation: &plan.invocation,
            quick,
            rounds,
            versions: versions.as_deref(),
            load: &load,
            cases,
            browser: server.is_some().then_some(&browser),
        },
        &rust,
        &sklearn,
        &numpy,
    );
    println!();
    print!("{report}");
    if quick {
        let out = data_dir.join("quick-report.md");
        fs::write(&out, &report)?;
        println!(
            "(--quick: written to {}, BENCHMARKS.md left alone)",
            display(&out)
        );
    } else {
        write_benchmarks(&report)?;
        println!("(written into BENCHMARKS.md)");
    }
    Ok(())
}

/// Replaces the report between [`BEGIN`] and [`END`] in BENCHMARKS.md (appends both when missing).
fn write_benchmarks(report: &str) -> Result {
    let path = root().join("BENCHMARKS.md");
    let text = fs::read_to_string(&path).unwrap_or_default();
    let block = format!("{BEGIN}\n{report}{END}");
    let new = match (text.find(BEGIN), text.find(END)) {
        (Some(b), Some(e)) if b < e => format!("{}{block}{}", &text[..b], &text[e + END.len()..]),
        _ => format!("{text}\n{block}\n"),
    };
    fs::write(&path, new)?;
    Ok(())
}

/// Runs tests/bench/browser.mjs against `url` with `args` and returns its result lines as (kind, fields).
fn run_driver(
    url: &str,
    data_dir: &Path,
    args: &[(&str, String)],
) -> Result<Vec<(String, Fields)>> {
    let mut cmd = Command::new("node");
    cmd.arg(root().join("tests").join("bench").join("browser.mjs"))
        .args(["--url", url, "--data"])
        .arg(data_dir)
        .current_dir(root())
        .stderr(Stdio::inherit());
    for (key, value) in args {
        cmd.args([*key, value.as_str()]);
    }
    let line = command_line(&cmd);
    println!("$ {line}");
    let output = cmd
        .output()
        .map_err(|err| format!("could not start `{line}`: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        return Err(format!("`{line}` failed ({}):\n{stdout}", output.status).into());
    }
    Ok(stdout
        .lines()
        .filter_map(|line| {
            let (kind, rest) = line.split_once(' ')?;
            let fields: Fields = rest
                .split_whitespace()
                .filter_map(|pair| pair.split_once('='))
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect();
            Some((kind.to_owned(), fields))
        })
        .collect())
}

/// `k=v k=v` in a stable order, for the progress lines.
fn show_fields(fields: &Fields) -> String {
    let mut pairs: Vec<_> = fields.iter().map(|(k, v)| format!("{k}={v}")).collect();
    pairs.sort();
    pairs.join(" ")
}

/// `chromium --version`, or "Chromium (version unknown)".
fn chromium_version() -> String {
    Command::new(setup::CHROMIUM)
        .arg("--version")
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| String::from("Chromium (version unknown)"))
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
    faster_by(new, best, "ms")
}

/// Whether `new` has a smaller `key` than `best` (or there is no best yet).
fn faster_by(new: &Fields, best: Option<&Fields>, key: &str) -> bool {
    match (number(new, key), best.and_then(|b| number(b, key))) {
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
    if let Ok(found) = existing_python() {
        return Ok(found);
    }
    let venv = target_dir().join("bench-venv");
    let venv_python = venv.join("bin").join("python");
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

/// The system's `python3` if it imports scikit-learn and numpy, else `target/bench-venv`'s if a full run
/// made it; never installs anything.
fn existing_python() -> std::result::Result<PathBuf, String> {
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
    Err(String::from(
        "python3 lacks scikit-learn/numpy and there is no target/bench-venv",
    ))
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
    cases: &'a [Case],
    browser: Option<&'a Browser>,
}

/// The Markdown report: machine, command, the speed table (native, Chromium, scikit-learn, numpy), the
/// page and the targets of issue 12, the memory table and the agreement check.
fn report(setting: &Setting, rust: &[Fields], sklearn: &[Outcome], numpy: &[Outcome]) -> String {
    let rounds = setting.rounds;
    let cases = setting.cases;
    let browser = setting.browser;
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
    if let Some(b) = browser {
        let _ = writeln!(
            out,
            "Browser: {} (headless, Debian's package), driven by tests/bench/browser.mjs with playwright-core  ",
            b.version
        );
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
            "\n**--quick: N = 10,000, {QUICK_ITERATIONS} iterations per case natively \
             ({QUICK_BROWSER_ITERATIONS} in Chromium) — a plumbing check, not figures to keep.**"
        );
    }

    let core = |i: usize| browser.and_then(|b| b.core.get(i)?.as_ref());
    let _ = writeln!(
        out,
        "\nms per EM iteration from the same start on the same data: the median over the timed \
         iterations, best of {rounds} round(s). Native: `Em::step()` of the {} build. Chromium: the \
         page's wasm (www/pkg) through the JS API, `lab.eStep()` and `lab.mStep()` timed apart after \
         {BROWSER_WARMUP} warm-up iterations (performance.now(), cross-origin isolated: 5 µs). \
         \"÷\" > 1 means EM Lab is faster.\n",
        if setting.quick { "test-profile" } else { "release" }
    );
    let _ = writeln!(
        out,
        "| case | iterations | native ms/iter | Chromium E-step ms | Chromium M-step ms | \
         Chromium ms/iter | scikit-learn ms/iter | numpy ms/iter | scikit-learn ÷ native | \
         scikit-learn ÷ Chromium | numpy ÷ Chromium | native E+M only ms/iter | native peak memory |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (i, case) in cases.iter().enumerate() {
        let r = &rust[i];
        let ms = number(r, "ms");
        let c = core(i);
        let cell = |key: &str| {
            c.and_then(|c| number(c, key))
                .map_or_else(|| "—".into(), millis)
        };
        let chromium = c.and_then(|c| number(c, "iter_ms"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            case.label,
            field(r, "iterations"),
            ms.map_or_else(|| "?".into(), millis),
            cell("e_ms"),
            cell("m_ms"),
            cell("iter_ms"),
            outcome_ms(&sklearn[i]),
            outcome_ms(&numpy[i]),
            ratio(&sklearn[i], ms),
            ratio(&sklearn[i], chromium),
            ratio(&numpy[i], chromium),
            number(r, "kernel_ms").map_or_else(|| "?".into(), millis),
            number(r, "vmhwm_kib").map_or_else(|| "?".into(), mib),
        );
    }

    targets(&mut out, setting, rust, sklearn);

    let _ = writeln!(
        out,
        "\nPeak resident memory of each native process (VmHWM); for Python, in brackets, what the process \
         held after its imports, before reading the data.\n"
    );
    let _ = writeln!(
        out,
        "| case | data + q as f64 arrays | EM Lab peak | scikit-learn peak | numpy peak |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|");
    for (i, case) in cases.iter().enumerate() {
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
         squares), and how far the others are from EM Lab native, relative to |ℓ| (Chromium: only where it \
         ran as many iterations).\n"
    );
    let _ = writeln!(
        out,
        "| case | ℓ (EM Lab native) | Chromium − native | scikit-learn − native | numpy − native | \
         native E+M only − native |"
    );
    let _ = writeln!(out, "|---|--:|--:|--:|--:|--:|");
    for (i, case) in cases.iter().enumerate() {
        let r = &rust[i];
        let loglik = number(r, "loglik");
        let kernel = number(r, "kernel_loglik").map(|v| relative(v, loglik));
        let chromium = core(i)
            .filter(|c| field(c, "iterations") == field(r, "iterations"))
            .and_then(|c| number(c, "loglik"))
            .map_or_else(|| "—".into(), |v| relative(v, loglik));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            case.label,
            loglik.map_or_else(|| "?".into(), |v| format!("{v:.6}")),
            chromium,
            outcome_loglik(&sklearn[i], loglik),
            outcome_loglik(&numpy[i], loglik),
            kernel.unwrap_or_else(|| "?".into()),
        );
    }
    let failures: Vec<String> = cases
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

/// The page in Chromium and issue 12's targets: one row per target, the measured value beside it.
fn targets(out: &mut String, setting: &Setting, rust: &[Fields], sklearn: &[Outcome]) {
    let cases = setting.cases;
    let browser = setting.browser;
    let plan = if setting.quick { &QUICK_PAGE } else { &PAGE };
    let index = |name: &str| cases.iter().position(|c| c.name == name);
    let core = |name: &str| {
        let i = index(name)?;
        browser.and_then(|b| b.core.get(i)?.as_ref())
    };
    let sk = |name: &str| match index(name).map(|i| &sklearn[i]) {
        Some(Outcome::Measured(f)) => number(f, "ms"),
        _ => None,
    };
    let verdict = |ok: Option<bool>| match ok {
        Some(true) => "met",
        Some(false) => "**missed**",
        None => "not measured",
    };
    let _ = writeln!(
        out,
        "\nThe page in Chromium, and issue 12's targets. A click is `element.click()` on `#btn-e` / \
         `#btn-m` of the page itself, timed until the paint after the page's last requestAnimationFrame \
         callback or zero-delay task (the slice figure fills in over frames on large data, and there the \
         figures are drawn in tasks): the median of {} click(s) each after {} untimed pair(s), the slowest \
         in brackets, and how long the click handler itself ran. Each series twice: each click {} ms after \
         the last one's figures were painted (a teacher's pause; the page computes the next E-step's \
         slice meanwhile, in idle time), and clicks back to back. \"CPU {THROTTLE}×\" is \
         `Emulation.setCPUThrottlingRate` rate {THROTTLE}. The longest task is the longest `longtask` \
         entry while `#btn-run` runs at full speed (`#speed` at its maximum) for {} s.\n",
        plan.clicks,
        plan.click_warmup,
        plan.click_pause,
        plan.run_seconds,
    );
    let _ = writeln!(out, "| measure | measured | target | |");
    let _ = writeln!(out, "|---|--:|--:|---|");
    for (name, label, max_ms, min_ratio) in [
        (
            "gmm1d-1m",
            "1-D K = 2, N = 1,000,000, full iteration in Chromium",
            15.0,
            15.0,
        ),
        (
            "gmm2d-1m",
            "2-D K = 3 full, N = 1,000,000, full iteration in Chromium",
            45.0,
            10.0,
        ),
    ] {
        let ms = core(name).and_then(|c| number(c, "iter_ms"));
        let ratio = ms.zip(sk(name)).map(|(ours, theirs)| theirs / ours);
        let measured = match (ms, ratio) {
            (Some(ms), Some(r)) => format!("{} ms, {r:.2}× scikit-learn", millis(ms)),
            (Some(ms), None) => format!("{} ms", millis(ms)),
            _ => "—".into(),
        };
        let ok = ms.zip(ratio).map(|(ms, r)| ms <= max_ms && r >= min_ratio);
        let _ = writeln!(
            out,
            "| {label} | {measured} | ≤ {max_ms} ms and ≥ {min_ratio}× scikit-learn | {} |",
            verdict(ok)
        );
    }
    {
        let name = "kmeans-1m";
        let chromium = core(name).and_then(|c| number(c, "iter_ms"));
        let native = index(name).and_then(|i| number(&rust[i], "ms"));
        let theirs = sk(name);
        let r_chromium = chromium.zip(theirs).map(|(o, t)| t / o);
        let r_native = native.zip(theirs).map(|(o, t)| t / o);
        let measured = match (r_chromium, r_native) {
            (Some(c), Some(n)) => format!("{c:.2}× in Chromium, {n:.2}× native"),
            _ => "—".into(),
        };
        let _ = writeln!(
            out,
            "| k-means 2-D K = 3, N = 1,000,000, iteration | {measured} | ≥ 2× scikit-learn's `KMeans` | {} |",
            verdict(r_chromium.map(|r| r >= 2.0))
        );
    }
    let clicks = browser.map_or(&[][..], |b| &b.clicks[..]);
    let series = [
        (plan.click1d, 1, Some(16.0)),
        (plan.click1d, THROTTLE, Some(50.0)),
        (plan.click2d, 1, Some(33.0)),
        (plan.click2d, THROTTLE, None),
    ];
    for ((data, throttle, target), pause) in series
        .into_iter()
        .flat_map(|s| [(s, plan.click_pause), (s, 0)])
    {
        let line = clicks.iter().find(|c| {
            field(c, "data") == data
                && number(c, "throttle") == Some(throttle as f64)
                && number(c, "pause").unwrap_or(0.0) == pause as f64
        });
        let n = line
            .and_then(|c| number(c, "n"))
            .map_or_else(|| "?".into(), |n| thousands(n as u64));
        let kind = if data.starts_with("gmm2d") {
            "2-D"
        } else {
            "1-D"
        };
        let slowed = if throttle == 1 {
            String::new()
        } else {
            format!(", CPU {throttle}×")
        };
        let paced = if pause == 0 {
            "clicks back to back".to_string()
        } else {
            format!("{pause} ms after the last")
        };
        let label =
            format!("click → every figure redrawn, {kind} N = {n} (`{data}`){slowed}, {paced}");
        let measured = line.map_or_else(
            || "—".into(),
            |c| {
                let ms = |key: &str| number(c, key).map_or_else(|| "?".into(), millis);
                format!(
                    "E {} ms ({}), M {} ms ({}); handler E {}, M {} ms",
                    ms("e_ms"),
                    ms("e_max"),
                    ms("m_ms"),
                    ms("m_max"),
                    ms("e_handler_ms"),
                    ms("m_handler_ms")
                )
            },
        );
        let worst = line.and_then(|c| Some(number(c, "e_ms")?.max(number(c, "m_ms")?)));
        let (target_text, ok) = match target {
            Some(t) => (format!("≤ {t} ms"), worst.map(|w| w <= t)),
            None => ("—".into(), None),
        };
        let verdict = if target.is_none() && line.is_some() {
            ""
        } else {
            verdict(ok)
        };
        let _ = writeln!(out, "| {label} | {measured} | {target_text} | {verdict} |");
    }
    let run = browser.and_then(|b| b.run.as_ref());
    let longest = run.and_then(|r| number(r, "longest_ms"));
    let _ = writeln!(
        out,
        "| longest main-thread task while Running, 2-D `{}` | {} | ≤ 50 ms | {} |",
        plan.run,
        run.map_or_else(
            || "—".into(),
            |r| format!(
                "{} ms ({} tasks ≥ 50 ms, {} iterations in {} s)",
                millis(longest.unwrap_or(0.0)),
                field(r, "over50"),
                field(r, "iterations"),
                plan.run_seconds
            )
        ),
        verdict(longest.map(|l| l <= 50.0))
    );
    let (raw, gz) = build::wasm_size();
    let _ = writeln!(
        out,
        "| wasm (www/pkg/emlab_bg.wasm), gzip -9 | {} | ≤ 150 KB | {} |",
        match (raw, gz) {
            (Some(raw), Some(gz)) => format!(
                "{:.1} KB gzipped ({:.1} KB raw)",
                gz as f64 / 1000.0,
                raw as f64 / 1000.0
            ),
            (Some(raw), None) => format!("{:.1} KB raw (gzip unavailable)", raw as f64 / 1000.0),
            _ => "—".into(),
        },
        verdict(gz.map(|g| g <= 150_000))
    );
    let nav = browser.and_then(|b| b.nav.as_ref());
    let warm = nav.and_then(|n| number(n, "warm_ms"));
    let _ = writeln!(
        out,
        "| navigation → first figure painted (localhost) | {} | ≤ 300 ms | {} |",
        nav.map_or_else(
            || "—".into(),
            |n| format!(
                "{} ms first visit (fresh profile, the browser started; median of {} ms), {} ms right \
                 after the browser's launch (median of {} ms), {} ms reload (median of {})",
                number(n, "cold_ms").map_or_else(|| "?".into(), millis),
                field(n, "cold_each"),
                number(n, "launch_ms").map_or_else(|| "?".into(), millis),
                field(n, "launch_each"),
                warm.map_or_else(|| "?".into(), millis),
                field(n, "reloads")
            )
        ),
        verdict(nav.and_then(|n| number(n, "cold_ms")).map(|c| c <= 300.0))
    );
    breakdown(out, browser.map_or(&[][..], |b| &b.breakdowns[..]));
}

/// Where a click's time goes: the median ms in each `Lab` method the page calls, and the rest.
fn breakdown(out: &mut String, lines: &[Fields]) {
    if lines.is_empty() {
        return;
    }
    const METHODS: [&str; 6] = [
        "drawSlice",
        "drawData",
        "drawJensen",
        "drawTrace",
        "drawSplit",
        "formulas",
    ];
    let _ = writeln!(
        out,
        "\nWhere a click's time goes (same clicks): the median ms spent in each method of the page's `Lab` \
         (wrapped on its prototype, so \"all `Lab` calls\" includes the E/M-step itself), and the rest: \
         JavaScript, layout, paint and the frames waited for.\n"
    );
    let _ = writeln!(
        out,
        "| data | CPU | pause ms | button | click ms | {} | all `Lab` calls | rest |",
        METHODS.join(" | ")
    );
    let _ = writeln!(
        out,
        "|---|--:|--:|---|--:|{}--:|--:|",
        "--:|".repeat(METHODS.len())
    );
    for line in lines {
        let ms = |key: &str| number(line, key).map_or_else(|| "0".into(), millis);
        let rest = number(line, "total_ms")
            .zip(number(line, "lab_ms"))
            .map_or_else(|| "?".into(), |(t, l)| millis(t - l));
        let cells: Vec<String> = METHODS.iter().map(|m| ms(m)).collect();
        let _ = writeln!(
            out,
            "| `{}` | {}× | {} | {} | {} | {} | {} | {} |",
            field(line, "data"),
            field(line, "throttle"),
            field(line, "pause"),
            if field(line, "button") == "btn-e" {
                "E-step"
            } else {
                "M-step"
            },
            ms("total_ms"),
            cells.join(" | "),
            ms("lab_ms"),
            rest
        );
    }
}

/// 12000 → "12,000".
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
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
    fn thousands_separators() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(12_000), "12,000");
        assert_eq!(thousands(1_000_000), "1,000,000");
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
