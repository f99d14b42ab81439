//! The layers of the README's Architecture, kept by a test: `src/core` has no import cycles (no module
//! reaches itself through `super::…` or `crate::core::…` paths), and `core` and `text` use neither the
//! figures nor the web layer.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The text of a source file without its comments and its `#[cfg(test)]` module (the graph is about
/// what the code uses).
fn code_of(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names following `prefix` in `code` (`super::em::…` → "em").
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    code.match_indices(prefix)
        .map(|(at, _)| {
            code[at + prefix.len()..]
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect::<String>()
        })
        .filter(|n| !n.is_empty())
        .collect()
}

#[test]
fn the_core_has_no_import_cycles() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/core");
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let Some(name) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        if path.extension().and_then(|e| e.to_str()) != Some("rs") || name == "mod" {
            continue;
        }
        let code = code_of(&path);
        let mut uses = names_after(&code, "super::");
        uses.extend(names_after(&code, "crate::core::"));
        uses.retain(|m| m != name && dir.join(format!("{m}.rs")).exists());
        graph.insert(name.to_string(), uses);
    }
    assert!(graph.len() > 10, "read the core: {graph:?}");
    // Depth-first search for a back edge; the path to it is the cycle.
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) {
        if let Some(at) = path.iter().position(|p| p == node) {
            panic!(
                "import cycle in src/core: {} → {node}",
                path[at..].join(" → ")
            );
        }
        if done.contains(node) {
            return;
        }
        path.push(node.to_string());
        for next in &graph[node] {
            visit(next, graph, path, done);
        }
        path.pop();
        done.insert(node.to_string());
    }
    let mut done = BTreeSet::new();
    for node in graph.keys() {
        visit(node, &graph, &mut Vec::new(), &mut done);
    }
}

#[test]
fn core_and_text_use_no_upper_layer() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![src.join("text.rs")];
    for entry in std::fs::read_dir(src.join("core")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) == Some("rs") {
            files.push(path);
        }
    }
    for path in files {
        let code = code_of(&path);
        for upper in ["crate::web", "crate::figures", "wasm_bindgen", "plotters"] {
            assert!(!code.contains(upper), "{} uses {upper}", path.display());
        }
    }
}

/// index.html preloads every module of the page (`<link rel="modulepreload">`), so they load at once
/// instead of level by level as imports are found: the list names exactly the modules in `www/` (and the
/// wasm's JS glue), so a module added or removed cannot be forgotten.
#[test]
fn the_page_preloads_every_module_it_has() {
    let www = Path::new(env!("CARGO_MANIFEST_DIR")).join("www");
    let html = std::fs::read_to_string(www.join("index.html")).unwrap();
    let preloaded: BTreeSet<String> = html
        .split("<link rel=\"modulepreload\" href=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].to_string())
        .collect();
    let mut modules: BTreeSet<String> = std::fs::read_dir(&www)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".js") && name != "start.js" && name != "app.js")
        .collect();
    modules.insert("pkg/emlab.js".to_string());
    assert_eq!(preloaded, modules);
}
