//! `cargo xtask build`: compile `emlab` to wasm, generate `www/pkg/` with
//! wasm-bindgen (in-process, no wasm-opt), and optionally export `www/` as a site.

use std::fs;
use std::path::{Path, PathBuf};

use wasm_bindgen_cli_support::Bindgen;

use crate::{cargo, display, root, run_command, setup, target_dir, Args, Result};

/// Name of the generated module: `www/pkg/emlab.js` and `www/pkg/emlab_bg.wasm`.
const OUT_NAME: &str = "emlab";

/// Runs `cargo xtask build [--out DIR]`.
pub fn cmd(mut args: Args) -> Result {
    let out = args.value("--out")?.map(PathBuf::from);
    args.finish()?;
    setup::wasm_target()?;
    build()?;
    if let Some(out) = out {
        export_site(&out)?;
    }
    Ok(())
}

/// The static site: `index.html`, its assets and the generated `pkg/`.
pub fn www_dir() -> PathBuf {
    root().join("www")
}

/// Builds the release wasm and regenerates `www/pkg/` from it.
pub fn build() -> Result {
    run_command(cargo().args([
        "build",
        "--release",
        "--lib",
        "--target",
        setup::WASM_TARGET,
        "-p",
        "emlab",
    ]))?;
    let wasm = target_dir()
        .join(setup::WASM_TARGET)
        .join("release")
        .join("emlab.wasm");
    let pkg = www_dir().join("pkg");
    // Start clean so no stale snippets or renamed files survive.
    if pkg.exists() {
        fs::remove_dir_all(&pkg)?;
    }
    println!("wasm-bindgen: {} -> {}/", display(&wasm), display(&pkg));
    Bindgen::new()
        .input_path(&wasm)
        .out_name(OUT_NAME)
        .web(true)?
        .omit_default_module_path(false)
        .remove_name_section(true)
        .typescript(true)
        .generate(&pkg)?;
    let bg_wasm = pkg.join(format!("{OUT_NAME}_bg.wasm"));
    let size = fs::metadata(&bg_wasm)?.len();
    println!(
        "wasm size: {} = {size} bytes ({:.1} KiB)",
        display(&bg_wasm),
        size as f64 / 1024.0
    );
    Ok(())
}

/// Copies all of `www/` (including `pkg/`) to `out`, replacing an earlier export there.
fn export_site(out: &Path) -> Result {
    let www = www_dir().canonicalize()?;
    let existed = out.exists();
    fs::create_dir_all(out)?;
    let out_abs = out.canonicalize()?;
    if out_abs.starts_with(&www) || www.starts_with(&out_abs) {
        if !existed {
            fs::remove_dir(out)?;
        }
        return Err(format!("--out {} overlaps {}", out.display(), www.display()).into());
    }
    let earlier_export = out
        .join("pkg")
        .join(format!("{OUT_NAME}_bg.wasm"))
        .is_file();
    if !earlier_export && fs::read_dir(out)?.next().is_some() {
        return Err(format!(
            "--out {} is a non-empty directory but not an earlier export; refusing to replace it",
            out.display()
        )
        .into());
    }
    fs::remove_dir_all(out)?;
    let files = copy_dir(&www, out)?;
    println!("site: {} ({files} files)", out.display());
    Ok(())
}

/// Recursively copies directory `from` to `to` and returns the number of files copied.
fn copy_dir(from: &Path, to: &Path) -> Result<usize> {
    fs::create_dir_all(to)?;
    let mut files = 0;
    for entry in fs::read_dir(from)? {
        let entry = entry?;
        let (src, dst) = (entry.path(), to.join(entry.file_name()));
        if src.is_dir() {
            files += copy_dir(&src, &dst)?;
        } else {
            fs::copy(&src, &dst)
                .map_err(|err| format!("copying {} failed: {err}", src.display()))?;
            files += 1;
        }
    }
    Ok(files)
}
