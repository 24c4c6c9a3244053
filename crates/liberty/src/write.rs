//! Liberty writer: a library, or a subset of its cells, back to text.
//!
//! It writes the kept syntax tree ([`Library::ast`]), not the model, so
//! attributes and groups the model never interpreted come through unchanged
//! and numbers keep the digits they were written with. Files are written
//! atomically ([`outfile`]), so a reader never sees half a library.

use std::fmt::Write as _;
use std::path::Path;

use crate::ast::{Attribute, Child, Group, Value};
use crate::{Error, Library, Result};

/// The library as Liberty text; with `cells`, only the named cells are kept
/// (names the library lacks are skipped — [`write_library_file`] refuses them).
/// The source's leading comments (its license notice) come first.
pub fn write_library(lib: &Library, cells: Option<&[&str]>) -> String {
    let mut out = String::with_capacity(1 << 20);
    if !lib.preamble.is_empty() {
        out.push_str(&lib.preamble);
        out.push('\n');
    }
    out.push_str("/* Written by the powerprune liberty writer");
    if lib.source.is_empty() {
        out.push_str(". */\n");
    } else {
        // Sources are file names; keep a stray `*/` from ending the comment early.
        let _ = writeln!(out, " from {}. */", lib.source.replace("*/", "* /"));
    }
    write_group(&mut out, &lib.ast, 0, cells);
    out
}

/// Write [`write_library`]'s text to `path` atomically (a temporary file
/// synced and renamed into place, see [`outfile`]). Every name in `cells` must be a cell of the library.
pub fn write_library_file(
    lib: &Library,
    cells: Option<&[&str]>,
    path: impl AsRef<Path>,
) -> Result<()> {
    let path = path.as_ref();
    if let Some(missing) = cells.into_iter().flatten().find(|c| lib.cell(c).is_none()) {
        return Err(Error::UnknownCell {
            name: missing.to_string(),
            library: lib.name.clone(),
            suggestions: lib
                .similar_cell_names(missing, 3)
                .into_iter()
                .map(str::to_string)
                .collect(),
        });
    }
    let text = write_library(lib, cells);
    outfile::write(path, text.as_bytes())
        .map_err(|cause| Error::Io(located::FileError::new(path.display().to_string(), cause)))
}

fn indent(out: &mut String, depth: usize) {
    for _ in 0..depth {
        out.push_str("  ");
    }
}

fn write_value(out: &mut String, v: &Value) {
    match v {
        Value::Number(_, text) | Value::Word(text) => out.push_str(text),
        Value::Quoted(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
    }
}

fn write_group(out: &mut String, g: &Group, depth: usize, cells: Option<&[&str]>) {
    indent(out, depth);
    out.push_str(&g.kind);
    out.push_str(" (");
    write_list(out, &g.names);
    out.push_str(") {\n");
    for child in &g.order {
        match *child {
            Child::Attribute(k) => write_attribute(out, &g.attributes[k], depth + 1),
            Child::Group(k) => {
                let sub = &g.groups[k];
                // The subset applies to the library's cells only.
                let skip = depth == 0
                    && sub.kind == "cell"
                    && cells.is_some_and(|keep| !keep.contains(&sub.name()));
                if !skip {
                    write_group(out, sub, depth + 1, None);
                }
            }
        }
    }
    indent(out, depth);
    out.push_str("}\n");
}

fn write_list(out: &mut String, values: &[Value]) {
    for (k, v) in values.iter().enumerate() {
        if k > 0 {
            out.push_str(", ");
        }
        write_value(out, v);
    }
}

fn write_attribute(out: &mut String, a: &Attribute, depth: usize) {
    indent(out, depth);
    out.push_str(&a.name);
    if a.simple {
        out.push_str(" : ");
        if let Some(v) = a.values.first() {
            write_value(out, v);
        }
        out.push_str(" ;\n");
    } else if a.values.len() > 1
        && a.values.iter().all(|v| matches!(v, Value::Quoted(_)))
        && a.name == "values"
    {
        // One table row per line, continued with backslashes, as libraries do.
        out.push_str(" ( \\\n");
        for (k, v) in a.values.iter().enumerate() {
            indent(out, depth + 1);
            write_value(out, v);
            out.push_str(if k + 1 < a.values.len() {
                ", \\\n"
            } else {
                " \\\n"
            });
        }
        indent(out, depth);
        out.push_str(") ;\n");
    } else {
        out.push_str(" (");
        write_list(out, &a.values);
        out.push_str(") ;\n");
    }
}
