//! Idempotent installation of the tools the build and the tests need.
//!
//! Every function prints one line and returns quickly when there is nothing to do.

use std::path::Path;
use std::process::Command;

use crate::{display, run_command, Result};

/// The Rust target the page is compiled to.
pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Where Debian's `chromium` package puts the browser (see tests/browser/harness.mjs).
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// Installs the wasm32 rustup target unless `rustup target list --installed` has it.
pub fn wasm_target() -> Result {
    let output = Command::new("rustup")
        .args(["target", "list", "--installed"])
        .output()
        .map_err(|err| format!("could not run rustup (install Rust with rustup): {err}"))?;
    if !output.status.success() {
        return Err(format!(
            "`rustup target list --installed` failed ({})",
            output.status
        )
        .into());
    }
    if String::from_utf8_lossy(&output.stdout)
        .lines()
        .any(|line| line.trim() == WASM_TARGET)
    {
        println!("setup: rust target {WASM_TARGET}: installed");
        return Ok(());
    }
    println!("setup: rust target {WASM_TARGET}: installing");
    run_command(Command::new("rustup").args(["target", "add", WASM_TARGET]))
}

/// Installs Debian's chromium and CJK fonts unless the browser and a Chinese font exist.
pub fn chromium() -> Result {
    if chromium_ready() {
        println!("setup: chromium + CJK fonts: installed");
        return Ok(());
    }
    println!("setup: chromium + CJK fonts: installing with apt-get (needs root)");
    run_command(Command::new("apt-get").arg("update"))?;
    run_command(
        Command::new("apt-get")
            .args(["install", "-y", "chromium", "fonts-noto-cjk"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )?;
    if chromium_ready() {
        Ok(())
    } else {
        Err(format!("apt-get succeeded but {CHROMIUM} or a CJK font is still missing").into())
    }
}

/// Whether the browser exists and fontconfig knows a font covering Chinese.
fn chromium_ready() -> bool {
    let has_cjk_font = Command::new("fc-list")
        .arg(":lang=zh")
        .output()
        .is_ok_and(|out| out.status.success() && !out.stdout.trim_ascii().is_empty());
    Path::new(CHROMIUM).is_file() && has_cjk_font
}

/// Installs the npm packages of `dir` (`npm ci`, or `npm install` without a lock file)
/// unless `node_modules/playwright-core` is already there.
pub fn node_modules(dir: &Path) -> Result {
    let name = display(&dir.join("node_modules"));
    if dir.join("node_modules/playwright-core").is_dir() {
        println!("setup: {name}: installed");
        return Ok(());
    }
    let npm_command = if dir.join("package-lock.json").is_file() {
        "ci"
    } else {
        "install"
    };
    println!("setup: {name}: running npm {npm_command}");
    run_command(
        Command::new("npm")
            .args([npm_command, "--no-audit", "--no-fund"])
            .current_dir(dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}
