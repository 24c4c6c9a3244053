//! Every file in tests/broken/ is refused with a located error. Each file's
//! first line says what is expected, worked out by hand from the text:
//! `// expect LINE:COLUMN: MESSAGE` (the message may be a prefix).

mod common;

use common::manifest_dir;

struct Expectation {
    line: u32,
    column: u32,
    message: String,
}

fn expectation(text: &str, file: &str) -> Expectation {
    let first = text.lines().next().unwrap_or_default();
    let spec = first
        .strip_prefix("// expect ")
        .unwrap_or_else(|| panic!("{file}: first line must be `// expect L:C: message`"));
    let mut parts = spec.splitn(3, ':');
    let line = parts.next().unwrap().trim().parse().unwrap();
    let column = parts.next().unwrap().trim().parse().unwrap();
    let message = parts.next().unwrap().trim().to_string();
    Expectation {
        line,
        column,
        message,
    }
}

#[test]
fn every_broken_file_gives_its_located_error() {
    let dir = manifest_dir().join("tests/broken");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "v"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the corpus is there");
    let mut failures = Vec::new();
    for path in &files {
        let text = std::fs::read_to_string(path).unwrap();
        let shown = path.display().to_string();
        let want = expectation(&text, &shown);
        let err = match verilog::read_file(path) {
            Ok(_) => {
                failures.push(format!("{shown}: parsed without error"));
                continue;
            }
            Err(e) => e,
        };
        let rendered = err.to_string();
        let verilog::Error::At(at) = err else {
            failures.push(format!("{shown}: not a located error: {rendered}"));
            continue;
        };
        let (file, line, column, message) = (at.file, at.pos.line, at.pos.col, at.message);
        let (line_text, caret) = at
            .excerpt
            .map(|e| (e.line_text, e.caret))
            .unwrap_or_default();
        let expected_line_text = text.lines().nth(line as usize - 1).unwrap_or("");
        let problems = [
            (file != shown).then(|| format!("file {file}")),
            ((line, column) != (want.line, want.column))
                .then(|| format!("at {line}:{column}, want {}:{}", want.line, want.column)),
            (!message.starts_with(&want.message))
                .then(|| format!("message `{message}`, want `{}`", want.message)),
            (line_text != expected_line_text).then(|| format!("line text `{line_text}`")),
            // The caret sits under the column: one blank (or tab) per char before it.
            (caret.chars().count() != column as usize || !caret.ends_with('^'))
                .then(|| format!("caret `{caret}`")),
            (!rendered.starts_with(&format!("{shown}:{}:{}: ", want.line, want.column)))
                .then(|| format!("rendered `{rendered}`")),
        ];
        for p in problems.into_iter().flatten() {
            failures.push(format!("{shown}: {p}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn tabs_are_kept_in_the_caret_line() {
    let text = "module m;\n\t\talways @(a) ;\nendmodule\n";
    let err = verilog::parse::parse_source(text, "t.v").unwrap_err();
    assert_eq!(
        err.to_string(),
        "t.v:2:3: not a structural netlist: `always` block\n  \t\talways @(a) ;\n  \t\t^"
    );
}

#[test]
fn a_missing_file_names_its_path() {
    let err = verilog::read_file("/nonexistent/x.v").unwrap_err();
    assert!(matches!(err, verilog::Error::Io(_)));
    assert!(err.to_string().starts_with("/nonexistent/x.v: "), "{err}");
}
