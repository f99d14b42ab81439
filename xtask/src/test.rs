//! `cargo xtask test`: set up, `cargo test --workspace`, build the wasm, check its size budget, run the browser tests
//! (tests/browser/*.test.mjs) against the page served in-process, then `cargo xtask bench --quick` on the
//! same wasm so the benchmark cannot rot (it asserts nothing about time).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::{bench, build, cargo, display, root, run_command, serve, setup, target_dir};
use crate::{Args, Result, StepFailed};

/// Runs `cargo xtask test [--browser-only | --native-only]`.
pub fn cmd(mut args: Args) -> Result {
    let browser_only = args.flag("--browser-only");
    let native_only = args.flag("--native-only");
    args.finish()?;
    if browser_only && native_only {
        return Err("--browser-only and --native-only exclude each other".into());
    }
    let browser_dir = root().join("tests").join("browser");
    if !native_only {
        step("setup", || {
            setup::wasm_target()?;
            setup::chromium()?;
            setup::node_modules(&browser_dir)
        })?;
    }
    if !browser_only {
        step("native tests", || {
            run_command(cargo().args(["test", "--workspace"]))
        })?;
    }
    if !native_only {
        step("build", build::build)?;
        step("wasm size budget", build::check_wasm_budget)?;
        step("browser tests", || browser_tests(&browser_dir))?;
        step("benchmark --quick", bench::quick_in_tests)?;
    }
    println!("==> all steps passed");
    Ok(())
}

/// Prints a header for `name`, runs `f`, and labels its error with the step.
fn step(name: &str, f: impl FnOnce() -> Result) -> Result {
    println!("==> {name}");
    f().map_err(|cause| {
        StepFailed {
            step: name.to_owned(),
            cause,
        }
        .into()
    })
}

/// Serves `www/` on a free port and runs every `*.test.mjs` in `dir` with `node --test`.
fn browser_tests(dir: &Path) -> Result {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)?
        .map(|entry| entry.map(|entry| entry.path()))
        .collect::<std::io::Result<_>>()?;
    files.retain(|path| path.to_string_lossy().ends_with(".test.mjs"));
    files.sort();
    if files.is_empty() {
        return Err(format!("no *.test.mjs files in {}", display(dir)).into());
    }
    let artifacts = target_dir().join("browser-artifacts");
    if artifacts.exists() {
        fs::remove_dir_all(&artifacts)?;
    }
    fs::create_dir_all(&artifacts)?;
    let addr = serve::start(&build::www_dir(), 0, false)?;
    let url = format!("http://{addr}/");
    println!(
        "serving www/ at {url}; screenshots go to {}",
        display(&artifacts)
    );
    run_command(
        Command::new("node")
            .args(["--test", "--test-concurrency=1", "--test-reporter=spec"])
            .args(files.iter().map(|path| display(path)))
            .current_dir(root())
            .env("EMLAB_URL", &url)
            .env("EMLAB_ARTIFACTS", &artifacts),
    )
}
