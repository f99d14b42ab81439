//! The wasm's functions in the order of their names, so that gzip finds what they share.
//!
//! wasm-bindgen (walrus) writes the code section largest function first. A generic's copies (the runner's
//! for each of the five models, a `collect` for each closure) then lie far apart, beyond the 32 KB that
//! gzip looks back, and each is compressed on its own. Sorted by name they lie side by side: the page's
//! wasm gzips about 7 KB smaller (BENCHMARKS.md). The module is re-encoded with every function index
//! renumbered (calls, the table's elements, exports, the start function); the code itself is unchanged.

use std::collections::HashMap;
use std::fs;
use std::path::Path;

use wasm_encoder::reencode::{self, Reencode, RoundtripReencoder};
use wasmparser::{KnownCustom, Name, Parser, Payload};

use crate::Result;

/// Rewrites the wasm at `path` with its defined functions sorted by name (then size). Reads the names
/// from its name section, which it then drops, unless `keep_names` (profiling), when it writes the
/// function names back under their new indices.
pub fn by_name(path: &Path, keep_names: bool) -> Result {
    let wasm = fs::read(path)?;
    let names = function_names(&wasm)?;
    let (imported, sizes) = function_counts(&wasm)?;
    if names.is_empty() {
        return Err(format!(
            "{}: no function names to sort by (is the name section stripped?)",
            path.display()
        )
        .into());
    }
    let key = |index: u32| {
        let name = names.get(&index).map(String::as_str).unwrap_or("");
        (stable_name(name), sizes[(index - imported) as usize])
    };
    let mut order: Vec<u32> = (imported..imported + sizes.len() as u32).collect();
    order.sort_by_cached_key(|&index| key(index));
    let mut new_index: Vec<u32> = (0..imported + sizes.len() as u32).collect();
    for (position, &old) in order.iter().enumerate() {
        new_index[old as usize] = imported + position as u32;
    }
    let mut sorter = Sorter {
        new_index,
        order,
        imported,
        names: keep_names.then_some(names),
    };
    let mut module = wasm_encoder::Module::new();
    sorter
        .parse_core_module(&mut module, Parser::new(0), &wasm)
        .map_err(|e| format!("{}: re-encoding failed: {e:?}", path.display()))?;
    let out = module.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&out)
        .map_err(|e| format!("{}: the reordered wasm is invalid: {e}", path.display()))?;
    fs::write(path, out)?;
    Ok(())
}

/// A function's name without what changes from build to build (the symbol hash, crate disambiguators),
/// so that the order, and the gzipped size, depend only on the code.
fn stable_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(at) = rest.find('[') {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        match after.find(']') {
            Some(end) if after[1..end].bytes().all(|b| b.is_ascii_hexdigit()) => {
                rest = &after[end + 1..]
            }
            _ => {
                out.push('[');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    match out.rfind("::h") {
        Some(at)
            if out.len() - at == 19 && out[at + 3..].bytes().all(|b| b.is_ascii_hexdigit()) =>
        {
            out.truncate(at)
        }
        _ => {}
    }
    out
}

/// The function names of the wasm's name section, by function index.
fn function_names(wasm: &[u8]) -> Result<HashMap<u32, String>> {
    let mut names = HashMap::new();
    for payload in Parser::new(0).parse_all(wasm) {
        if let Payload::CustomSection(section) = payload? {
            if let KnownCustom::Name(reader) = section.as_known() {
                for subsection in reader {
                    if let Name::Function(map) = subsection? {
                        for naming in map {
                            let naming = naming?;
                            names.insert(naming.index, naming.name.to_string());
                        }
                    }
                }
            }
        }
    }
    Ok(names)
}

/// How many functions the wasm imports, and the body size of each function it defines, in order.
fn function_counts(wasm: &[u8]) -> Result<(u32, Vec<usize>)> {
    let mut imported = 0;
    let mut sizes = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => sizes.push(body.range().len()),
            _ => {}
        }
    }
    Ok((imported, sizes))
}

/// The re-encoder: every function index renumbered, the function and code sections written in the new order.
struct Sorter {
    /// The new index of each function, by old index (imports keep theirs).
    new_index: Vec<u32>,
    /// The old indices of the defined functions, in their new order.
    order: Vec<u32>,
    /// How many functions are imported: the defined ones' indices start here.
    imported: u32,
    /// The function names to write back (by old index), or None to drop the name section.
    names: Option<HashMap<u32, String>>,
}

impl Reencode for Sorter {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, func: u32) -> std::result::Result<u32, reencode::Error> {
        Ok(self.new_index[func as usize])
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> std::result::Result<(), reencode::Error> {
        let types = section
            .into_iter()
            .collect::<std::result::Result<Vec<u32>, _>>()?;
        for position in 0..self.order.len() {
            let old = self.order[position];
            functions.function(self.type_index(types[(old - self.imported) as usize])?);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> std::result::Result<(), reencode::Error> {
        let bodies = section
            .into_iter()
            .collect::<std::result::Result<Vec<_>, _>>()?;
        for position in 0..self.order.len() {
            let old = self.order[position];
            self.parse_function_body(code, bodies[(old - self.imported) as usize].clone())?;
        }
        Ok(())
    }

    fn parse_custom_section(
        &mut self,
        module: &mut wasm_encoder::Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> std::result::Result<(), reencode::Error> {
        match section.as_known() {
            KnownCustom::Name(_) => {
                if let Some(names) = &self.names {
                    let mut renamed: Vec<(u32, &str)> = names
                        .iter()
                        .map(|(&old, name)| (self.new_index[old as usize], name.as_str()))
                        .collect();
                    renamed.sort_unstable();
                    let mut map = wasm_encoder::NameMap::new();
                    for (index, name) in renamed {
                        map.append(index, name);
                    }
                    let mut section = wasm_encoder::NameSection::new();
                    section.functions(&map);
                    module.section(&section);
                }
                Ok(())
            }
            _ => RoundtripReencoder.parse_custom_section(module, section),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, ConstExpr, ElementSection, Elements, ExportKind, ExportSection, Function,
        FunctionSection, Instruction, Module, NameMap, NameSection, RefType, TableSection,
        TableType, TypeSection, ValType,
    };

    /// A module of three functions, `zeta` (exported as `run`) calling `alpha` calling `mid`, with `mid`
    /// in the table.
    fn three_functions() -> Vec<u8> {
        let mut module = Module::new();
        let mut types = TypeSection::new();
        types.ty().function([], [ValType::I32]);
        module.section(&types);
        let mut functions = FunctionSection::new();
        for _ in 0..3 {
            functions.function(0);
        }
        module.section(&functions);
        let mut tables = TableSection::new();
        tables.table(TableType {
            element_type: RefType::FUNCREF,
            table64: false,
            minimum: 1,
            maximum: None,
            shared: false,
        });
        module.section(&tables);
        let mut exports = ExportSection::new();
        exports.export("run", ExportKind::Func, 0);
        module.section(&exports);
        let mut elements = ElementSection::new();
        elements.active(
            Some(0),
            &ConstExpr::i32_const(0),
            Elements::Functions([2].as_slice().into()),
        );
        module.section(&elements);
        let mut code = CodeSection::new();
        for body in [
            Instruction::Call(1),
            Instruction::Call(2),
            Instruction::I32Const(7),
        ] {
            let mut f = Function::new([]);
            f.instruction(&body);
            f.instruction(&Instruction::End);
            code.function(&f);
        }
        module.section(&code);
        let mut names = NameMap::new();
        for (index, name) in ["zeta", "alpha", "mid"].into_iter().enumerate() {
            names.append(index as u32, name);
        }
        let mut section = NameSection::new();
        section.functions(&names);
        module.section(&section);
        module.finish()
    }

    #[test]
    fn functions_are_sorted_by_name_and_every_reference_follows_them() {
        let path = std::env::temp_dir().join(format!("emlab-reorder-{}.wasm", std::process::id()));
        fs::write(&path, three_functions()).unwrap();
        by_name(&path, true).unwrap();
        let out = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        let names = function_names(&out).unwrap();
        let name = |index: u32| names[&index].as_str();
        assert_eq!([name(0), name(1), name(2)], ["alpha", "mid", "zeta"]);
        let mut calls = Vec::new();
        let (mut export, mut element) = (None, None);
        for payload in Parser::new(0).parse_all(&out) {
            match payload.unwrap() {
                Payload::CodeSectionEntry(body) => {
                    let mut last = None;
                    for op in body.get_operators_reader().unwrap() {
                        if let wasmparser::Operator::Call { function_index } = op.unwrap() {
                            last = Some(function_index);
                        }
                    }
                    calls.push(last);
                }
                Payload::ExportSection(section) => {
                    export = Some(section.into_iter().next().unwrap().unwrap().index)
                }
                Payload::ElementSection(section) => {
                    if let wasmparser::ElementItems::Functions(items) =
                        section.into_iter().next().unwrap().unwrap().items
                    {
                        element = Some(items.into_iter().next().unwrap().unwrap());
                    }
                }
                _ => {}
            }
        }
        // alpha calls mid, mid calls nothing, zeta calls alpha; `run` is zeta and the table holds mid.
        assert_eq!(calls, [Some(1), None, Some(0)]);
        assert_eq!((export, element), (Some(2), Some(1)));
        // Without keep_names the name section is gone.
        let path =
            std::env::temp_dir().join(format!("emlab-reorder-{}-bare.wasm", std::process::id()));
        fs::write(&path, three_functions()).unwrap();
        by_name(&path, false).unwrap();
        let bare = fs::read(&path).unwrap();
        fs::remove_file(&path).unwrap();
        assert!(function_names(&bare).unwrap().is_empty());
    }

    #[test]
    fn a_stable_name_leaves_out_the_symbol_hash_and_crate_disambiguators() {
        assert_eq!(
            stable_name("<dlmalloc[e24a27700634d609]::Dlmalloc<A>>::malloc::h0123456789abcdef"),
            "<dlmalloc::Dlmalloc<A>>::malloc"
        );
        assert_eq!(
            stable_name("emlab::core::em::Em<M>::refresh"),
            "emlab::core::em::Em<M>::refresh"
        );
        assert_eq!(stable_name("f[not hex]::hxyz"), "f[not hex]::hxyz");
    }
}
