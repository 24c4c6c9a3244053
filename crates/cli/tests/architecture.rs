//! The invariants ARCHITECTURE.md states, checked against the workspace
//! itself: the dependency order from `cargo metadata`, that `prune` and
//! `nn` depend on nothing netlist-side, and that no library spells a flag
//! of the `powerprune` command line.
//!
//! The expectations come from ARCHITECTURE.md, not from the current state
//! of the code: a new edge or a new flag in a library fails here.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The pipeline, left to right (package names; `powerprune` is crates/cli).
/// `outfile` (atomic output files) comes first: every stage that writes a
/// file may use it, and it uses no workspace crate. `located` (the error
/// pieces the readers share), `plot` (what every plot shares) and `tables`
/// (the data formats after characterization) follow: the stages on both
/// sides of those use them.
const PIPELINE: [&str; 14] = [
    "outfile",
    "located",
    "plot",
    "tables",
    "liberty",
    "verilog",
    "netlist",
    "timing",
    "sdc",
    "sim",
    "characterize",
    "prune",
    "nn",
    "powerprune",
];

/// Workspace crates that exist only for tests.
const TEST_ONLY: [&str; 2] = ["testdata", "fuzz"];

/// The crates that read netlists, libraries or simulate them: the
/// pipeline from `liberty` to `characterize`.
fn netlist_side() -> &'static [&'static str] {
    let at = |name: &str| PIPELINE.iter().position(|&p| p == name).unwrap();
    &PIPELINE[at("liberty")..=at("characterize")]
}

/// The library crates whose sources must not spell a CLI flag: every
/// pipeline stage but the CLI itself (the last).
const LIBRARIES: &[&str] = match PIPELINE.split_last() {
    Some((_cli, libraries)) => libraries,
    None => &[],
};

/// Exceptions to the no-flag rule, as (file relative to the repository
/// root, flag); none today. An entry needs a comment saying why.
const FLAG_ALLOWED: [(&str, &str); 0] = [];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `cargo metadata` of the workspace members.
fn metadata() -> serde_json::Value {
    // Cargo sets CARGO for the tests it runs; the compile-time value is the
    // fallback when the test binary is started by hand.
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| env!("CARGO").to_string());
    let out = Command::new(cargo)
        .args([
            "metadata",
            "--format-version",
            "1",
            "--no-deps",
            "--offline",
        ])
        .arg("--manifest-path")
        .arg(root().join("Cargo.toml"))
        .output()
        .expect("running cargo metadata");
    assert!(
        out.status.success(),
        "cargo metadata: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("cargo metadata prints JSON")
}

/// (package, dependency, kind) for every dependency of a workspace member
/// on another workspace member; kind is "normal", "dev" or "build".
fn workspace_edges() -> Vec<(String, String, String)> {
    let meta = metadata();
    let packages = meta["packages"].as_array().expect("packages");
    let members: BTreeSet<String> = packages
        .iter()
        .map(|p| p["name"].as_str().unwrap().to_string())
        .collect();
    let mut edges = Vec::new();
    for p in packages {
        let name = p["name"].as_str().unwrap();
        for d in p["dependencies"].as_array().unwrap() {
            let dep = d["name"].as_str().unwrap();
            // Only path dependencies on members; a crates.io crate of the
            // same name would be a different crate.
            if !members.contains(dep) || d["path"].is_null() {
                continue;
            }
            let kind = d["kind"].as_str().unwrap_or("normal").to_string();
            edges.push((name.to_string(), dep.to_string(), kind));
        }
    }
    edges
}

#[test]
fn every_workspace_crate_has_a_place_in_the_pipeline() {
    let meta = metadata();
    for p in meta["packages"].as_array().unwrap() {
        let name = p["name"].as_str().unwrap();
        assert!(
            PIPELINE.contains(&name) || TEST_ONLY.contains(&name),
            "workspace crate `{name}` is neither a pipeline stage nor test-only; \
             give it a place in ARCHITECTURE.md and in this test"
        );
    }
}

#[test]
fn dependencies_point_one_way() {
    let pos = |c: &str| PIPELINE.iter().position(|p| *p == c);
    let mut wrong = Vec::new();
    for (from, to, kind) in workspace_edges() {
        if kind != "normal" && kind != "build" {
            continue; // tests may use anything
        }
        match (pos(&from), pos(&to)) {
            (Some(a), Some(b)) if b >= a => wrong.push(format!(
                "{from} -> {to}: `{to}` is not to the left of `{from}`"
            )),
            (Some(_), None) => wrong.push(format!(
                "{from} -> {to}: a test-only crate as a normal dependency"
            )),
            _ => {}
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// "prune and nn never read a netlist": neither names a netlist-side crate
/// (`characterize` included) as a dependency of any kind, and none is in
/// their build at all: the workspace crates they depend on, directly or
/// through others, are netlist-free too. What they read of
/// characterization comes through `tables`.
#[test]
fn prune_and_nn_never_read_a_netlist() {
    let edges = workspace_edges();
    let mut wrong = Vec::new();
    for (from, to, kind) in &edges {
        if (from == "prune" || from == "nn") && netlist_side().contains(&to.as_str()) {
            wrong.push(format!("{from} -> {to} ({kind})"));
        }
    }
    for krate in ["prune", "nn"] {
        // Normal and build dependencies, followed to the end.
        let mut seen: BTreeSet<&str> = BTreeSet::new();
        let mut stack = vec![krate];
        while let Some(c) = stack.pop() {
            for (from, to, kind) in &edges {
                if from == c && kind != "dev" && seen.insert(to.as_str()) {
                    stack.push(to.as_str());
                }
            }
        }
        for dep in seen {
            if netlist_side().contains(&dep) {
                wrong.push(format!("{krate} builds {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// Every long flag of `powerprune` and its subcommands, from `--help`.
fn cli_flags() -> BTreeSet<String> {
    fn help(args: &[&str]) -> String {
        let out = Command::new(env!("CARGO_BIN_EXE_powerprune"))
            .args(args)
            .arg("--help")
            .output()
            .unwrap();
        assert!(out.status.success(), "{args:?} --help");
        String::from_utf8(out.stdout).unwrap()
    }
    fn walk(args: Vec<&str>, flags: &mut BTreeSet<String>) {
        let text = help(&args);
        let mut in_commands = false;
        let mut subcommands = Vec::new();
        for line in text.lines() {
            if line.ends_with(':') && !line.starts_with(' ') {
                in_commands = line == "Commands:";
                continue;
            }
            let trimmed = line.trim_start();
            if in_commands && line.starts_with("  ") {
                let name = trimmed.split_whitespace().next().unwrap_or("");
                if !name.is_empty() && name != "help" {
                    subcommands.push(name.to_string());
                }
            }
            // Option lines: `  -o, --output <FILE>`, `      --keep <N>`.
            if trimmed.starts_with('-') {
                for word in trimmed.split(|c: char| c.is_whitespace() || c == ',') {
                    let word = word.split(['=', '[', '<']).next().unwrap();
                    if word.starts_with("--") && word.len() > 2 {
                        flags.insert(word.to_string());
                    }
                }
            }
        }
        for sub in &subcommands {
            let mut next = args.clone();
            next.push(sub);
            walk(next, flags);
        }
    }
    let mut flags = BTreeSet::new();
    walk(Vec::new(), &mut flags);
    flags
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(p);
            }
        }
    }
    files.sort();
    files
}

fn block_comment_end(b: &[u8], mut i: usize) -> usize {
    let mut depth = 0;
    while i < b.len() {
        if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
            depth += 1;
            i += 2;
        } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
            depth -= 1;
            i += 2;
            if depth == 0 {
                return i;
            }
        } else {
            i += 1;
        }
    }
    i
}

/// Byte ranges of the string literals ("…", r#"…"#, b"…") of Rust source,
/// skipping comments and char literals.
fn literals(src: &str) -> Vec<(usize, usize)> {
    let b = src.as_bytes();
    let ident = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut found = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => i = block_comment_end(b, i),
            b'\'' => {
                // A char literal ('x', '\n', '"') or a lifetime ('a).
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                    i += 1;
                } else {
                    let c = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    if b.get(i + 1 + c) == Some(&b'\'') {
                        i += 2 + c;
                    } else {
                        i += 1;
                    }
                }
            }
            b'r' | b'b' if i == 0 || !ident(b[i - 1]) => {
                // r"…", r#"…"#, br"…", b"…"
                let mut j = i + 1;
                if b[i] == b'b' && b.get(j) == Some(&b'r') {
                    j += 1;
                }
                let raw = b[i] == b'r' || b.get(i + 1) == Some(&b'r');
                let mut hashes = 0;
                while raw && b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&b'"') {
                    i += 1;
                    while i < b.len() && ident(b[i]) {
                        i += 1;
                    }
                    continue;
                }
                let start = i;
                if raw {
                    let close = format!("\"{}", "#".repeat(hashes));
                    let end = src[j + 1..]
                        .find(&close)
                        .map_or(b.len(), |k| j + 1 + k + close.len());
                    found.push((start, end));
                    i = end;
                } else {
                    i = quoted_end(b, j);
                    found.push((start, i));
                }
            }
            b'"' => {
                let end = quoted_end(b, i);
                found.push((i, end));
                i = end;
            }
            c if ident(c) => {
                while i < b.len() && ident(b[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
    }
    found
}

/// End (exclusive) of the escaped string literal whose `"` is at `i`.
fn quoted_end(b: &[u8], mut i: usize) -> usize {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    b.len()
}

/// `--name` words in a string literal (a letter right after the dashes).
fn dashed_words(lit: &str) -> Vec<String> {
    let b = lit.as_bytes();
    let mut words = Vec::new();
    let mut i = 0;
    while let Some(k) = lit[i..].find("--") {
        let s = i + k;
        let mut e = s + 2;
        let starts_word = s == 0 || !(b[s - 1].is_ascii_alphanumeric() || b[s - 1] == b'-');
        if starts_word && b.get(e).is_some_and(u8::is_ascii_alphabetic) {
            while e < b.len() && (b[e].is_ascii_alphanumeric() || b[e] == b'-') {
                e += 1;
            }
            words.push(lit[s..e].trim_end_matches('-').to_string());
        }
        i = e;
    }
    words
}

#[test]
fn the_literal_scanner_finds_strings_and_skips_the_rest() {
    let src = r####"
        // "--in-a-comment"
        /* "--in /* nested */ block" */
        let c = '"'; let l: &'static str = "--a-flag {x}";
        let r = r#"raw "--raw" text"#; let e = "esc \" --after-escape";
        let b = b"--bytes";
    "####;
    let lits: Vec<&str> = literals(src).iter().map(|&(s, e)| &src[s..e]).collect();
    assert_eq!(
        lits,
        [
            "\"--a-flag {x}\"",
            "r#\"raw \"--raw\" text\"#",
            "\"esc \\\" --after-escape\"",
            "b\"--bytes\""
        ]
    );
    assert_eq!(
        dashed_words("x --keep 3, a--b, --9, --psum-trace FILE"),
        ["--keep", "--psum-trace"]
    );
}

/// "Libraries never name CLI flags": a library error speaks of the value
/// (`clock period -1 ns`), the CLI, which owns the spelling, maps it to
/// the flag.
#[test]
fn libraries_never_name_cli_flags() {
    let flags = cli_flags();
    // A few the tools all have; if parsing the help broke, this says so.
    for f in ["--lib", "--keep", "--out", "--clock-period", "--psum-trace"] {
        assert!(
            flags.contains(f),
            "{f} not found in the --help texts: {flags:?}"
        );
    }
    let mut wrong = Vec::new();
    for &krate in LIBRARIES {
        for file in rust_files(&root().join("crates").join(krate).join("src")) {
            let rel = file
                .strip_prefix(root())
                .unwrap()
                .to_string_lossy()
                .to_string();
            let src = std::fs::read_to_string(&file).unwrap();
            for (s, e) in literals(&src) {
                for word in dashed_words(&src[s..e]) {
                    if flags.contains(&word)
                        && !FLAG_ALLOWED.contains(&(rel.as_str(), word.as_str()))
                    {
                        let line = src[..s].matches('\n').count() + 1;
                        wrong.push(format!("{rel}:{line}: {word}"));
                    }
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "library sources name CLI flags (say the value; let the CLI name the flag):\n{}",
        wrong.join("\n")
    );
}

/// The other half of the invariant: where a library rejects a value, the
/// user still reads the flag that set it (the CLI adds it).
#[test]
fn the_cli_names_the_flag_of_a_rejected_value() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("t");
    let out = out.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (
            &[
                "characterize",
                "x.v",
                "--lib",
                "x.lib",
                "--psum-samples",
                "0",
                "--out",
                out,
            ],
            "--psum-samples 0",
        ),
        (
            &[
                "characterize",
                "x.v",
                "--lib",
                "x.lib",
                "--psum-model",
                "traced",
                "--out",
                out,
            ],
            "--psum-trace",
        ),
        (
            &["sweep-voltage", "x.v", "--lib", "x.lib", "--vdd=-1"],
            "--vdd -1",
        ),
        (
            &["sweep-voltage", "x.v", "--lib", "x.lib", "--sample", "0"],
            "--sample 0",
        ),
    ];
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_powerprune"))
            .args(args)
            .output()
            .unwrap()
    };
    for (args, flag) in cases {
        let o = run(args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && stderr.contains(flag),
            "{args:?}: {stderr}"
        );
    }
    // Settings `prune` rejects (`PruneError::Setting`), on real tables.
    let netlist = root().join("netlists/mac2u_sg13g2.v");
    let lib = root().join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib");
    let o = run(&[
        "characterize",
        netlist.to_str().unwrap(),
        "--lib",
        lib.to_str().unwrap(),
        "--quiet",
        "--out",
        out,
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let tables = format!("1.2={out}");
    for (extra, flag) in [
        (&["--keep", "0"][..], "--keep"),
        (&["--keep", "2", "--clock-period=-1"][..], "--clock-period"),
        (&["--keep", "2", "--delay-target=-1"][..], "--delay-target"),
        (&["--keep", "2", "--alpha", "0.5"][..], "--alpha"),
    ] {
        let args = [&["select", "--tables", &tables][..], extra].concat();
        let o = run(&args);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            !o.status.success() && stderr.contains(&format!("error: {flag}: ")),
            "{args:?}: {stderr}"
        );
    }
}
