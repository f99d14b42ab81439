//! Project automation for EM Lab, run as `cargo xtask <command>`.
//!
//! Each subcommand lives in its own module exposing `cmd(Args) -> Result`;
//! to add one, add the module, a line to [`USAGE`] and an arm in [`run`].

mod bench;
mod build;
mod reorder;
mod serve;
mod setup;
mod test;

use std::error::Error;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::{env, fmt};

/// Error type of every task: anything printable, with an optional cause chain.
pub type BoxError = Box<dyn Error + Send + Sync>;

/// Result type of every task.
pub type Result<T = ()> = std::result::Result<T, BoxError>;

const USAGE: &str = "\
Usage: cargo xtask <command> [options]

Commands:
  build [--out DIR]       build the wasm into www/pkg/; with --out, also copy www/ to DIR
  serve [--port N]        build, then serve www/ on http://127.0.0.1:N/ (default 8080)
  test [--browser-only | --native-only]
                          install what is missing, run `cargo test --workspace`,
                          build, then run tests/browser/*.test.mjs in headless Chromium,
                          then `bench --quick` on the same wasm
  bench [--rust-only] [--no-browser] [--quick] [--rounds N]
                          time EM natively and in headless Chromium (JS API and the page)
                          against scikit-learn and numpy (installed into target/bench-venv
                          if missing); print the tables and write them into BENCHMARKS.md
                          (--quick: N = 10,000, a few iterations, target/bench/quick-report.md)
  help                    show this message
";

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask: error: {err}");
            let mut cause = err.source();
            while let Some(err) = cause {
                eprintln!("  caused by: {err}");
                cause = err.source();
            }
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result {
    let mut args = Args(env::args().skip(1).collect());
    let command = if args.0.is_empty() {
        String::from("help")
    } else {
        args.0.remove(0)
    };
    match command.as_str() {
        "bench" => bench::cmd(args),
        "build" => build::cmd(args),
        "serve" => serve::cmd(args),
        "test" => test::cmd(args),
        "help" | "-h" | "--help" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown command `{other}`\n\n{USAGE}").into()),
    }
}

/// The arguments after the subcommand name, consumed option by option.
pub struct Args(Vec<String>);

impl Args {
    /// Removes `name` if present and reports whether it was.
    pub fn flag(&mut self, name: &str) -> bool {
        let found = self.0.iter().position(|arg| arg == name);
        found.map(|i| self.0.remove(i)).is_some()
    }

    /// Removes `name VALUE` or `name=VALUE` and returns the value.
    pub fn value(&mut self, name: &str) -> Result<Option<String>> {
        let prefix = format!("{name}=");
        let Some(i) = self
            .0
            .iter()
            .position(|arg| arg == name || arg.starts_with(&prefix))
        else {
            return Ok(None);
        };
        let arg = self.0.remove(i);
        if let Some(value) = arg.strip_prefix(&prefix) {
            return Ok(Some(value.to_owned()));
        }
        if i < self.0.len() {
            Ok(Some(self.0.remove(i)))
        } else {
            Err(format!("`{name}` needs a value").into())
        }
    }

    /// Fails if any argument was not consumed.
    pub fn finish(self) -> Result {
        match self.0.first() {
            None => Ok(()),
            Some(arg) => Err(format!("unexpected argument `{arg}`\n\n{USAGE}").into()),
        }
    }
}

/// A failed step of a larger task, keeping the step's error as its cause.
#[derive(Debug)]
pub struct StepFailed {
    /// Human-readable name of the step.
    pub step: String,
    /// Why the step failed.
    pub cause: BoxError,
}

impl fmt::Display for StepFailed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step \"{}\" failed", self.step)
    }
}

impl Error for StepFailed {
    fn source(&self) -> Option<&(dyn Error + 'static)> {
        Some(&*self.cause)
    }
}

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask/ has a parent directory")
        .to_path_buf()
}

/// Cargo's target directory: `$CARGO_TARGET_DIR` (relative to the root) or `target/`.
pub fn target_dir() -> PathBuf {
    root().join(env::var_os("CARGO_TARGET_DIR").unwrap_or_else(|| OsString::from("target")))
}

/// A `Command` for the cargo that runs us (`$CARGO`), in the workspace root.
pub fn cargo() -> Command {
    let mut cmd = Command::new(env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo")));
    cmd.current_dir(root());
    cmd
}

/// Echoes `cmd`, runs it with inherited stdio and fails unless it exits successfully.
pub fn run_command(cmd: &mut Command) -> Result {
    let line = command_line(cmd);
    println!("$ {line}");
    let status = cmd
        .status()
        .map_err(|err| format!("could not start `{line}`: {err}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{line}` failed ({status})").into())
    }
}

/// `cmd` as a shell-like string (program without its directory), for messages.
pub fn command_line(cmd: &Command) -> String {
    let program = cmd.get_program();
    std::iter::once(Path::new(program).file_name().unwrap_or(program))
        .chain(cmd.get_args())
        .map(|part| part.to_string_lossy())
        .collect::<Vec<_>>()
        .join(" ")
}

/// `path` relative to the workspace root when it is inside it, for messages.
pub fn display(path: &Path) -> String {
    let root = root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}
