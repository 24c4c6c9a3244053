//! Liberty text → syntax tree ([`parse_group`]) → model ([`build_library`]).

use crate::{ast::Group, Library, Result};

/// Read a file as text, gunzipping `.gz` (detected by magic bytes).
pub fn read_text(path: &std::path::Path) -> Result<String> {
    todo!("read {}", path.display())
}

/// Parse the top-level `library` group.
pub fn parse_group(text: &str, source: &str) -> Result<Group> {
    todo!("{source}: {}", text.len())
}

/// Interpret the syntax tree as a [`Library`].
pub fn build_library(ast: Group, source: &str) -> Result<Library> {
    todo!("{source}: {}", ast.kind)
}
