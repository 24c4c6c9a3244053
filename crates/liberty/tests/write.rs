//! The writer: written text reads back to the same model, a subset keeps
//! only the named cells, and Yosys accepts what we write.

mod common;

use common::{assert_same_model, repo_path, shared_path};
use liberty::{read_library, write_library, write_library_file, Library};

/// The libraries a writer test runs on: the in-repository copies of
/// `in_repo` always, the originals of `in_shared` when ../shared is there.
fn sources(in_repo: &[&str], in_shared: &[&str], case: &str) -> Vec<(String, String)> {
    let mut paths: Vec<(String, String)> = in_repo
        .iter()
        .map(|f| (format!("{f} (in repository)"), repo_path(f)))
        .collect();
    for f in in_shared {
        if let Some(p) = shared_path(f, case) {
            paths.push((f.to_string(), p));
        }
    }
    paths
}

#[test]
fn every_shared_library_round_trips() {
    for (file, path) in sources(
        &["nangate45_typ.lib.gz", "sg13g2_stdcell_typ_1p20V_25C.lib"],
        &[
            "nangate45_typ.lib.gz",
            "sg13g2_stdcell_typ_1p20V_25C.lib",
            "sky130hd_tt.lib.gz",
            "asap7_small_ff.lib.gz",
        ],
        "writer round trip",
    ) {
        let source = read_library(path).unwrap();
        let text = write_library(&source, None);
        let again =
            Library::from_text(&text, "written.lib").unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_same_model(&source, &again);
        // Unknown groups survive too: the syntax trees differ only in positions.
        assert_eq!(
            count_groups(&source.ast),
            count_groups(&again.ast),
            "{file}"
        );
    }
}

fn count_groups(g: &liberty::Group) -> (usize, usize) {
    g.groups
        .iter()
        .map(count_groups)
        .fold((1, g.attributes.len()), |(a, b), (c, d)| (a + c, b + d))
}

#[test]
fn subset_keeps_named_cells_and_library_settings() {
    let source = read_library(repo_path("nangate45_typ.lib.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("subset.lib");
    write_library_file(&source, Some(&["DFF_X1", "AND2_X1"]), &path).unwrap();
    let subset = read_library(&path).unwrap();
    // File order is kept: AND2_X1 comes before DFF_X1 in the source.
    let names: Vec<&str> = subset.cells.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, ["AND2_X1", "DFF_X1"]);
    assert!(subset.cell("AND2_X1").unwrap() == source.cell("AND2_X1").unwrap());
    assert!(subset.cell("DFF_X1").unwrap() == source.cell("DFF_X1").unwrap());
    assert_eq!(subset.units, source.units);
    // Only the final file is left behind, no temporary.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

#[test]
fn subset_with_an_unknown_cell_is_refused() {
    let source = read_library(repo_path("nangate45_typ.lib.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.lib");
    let err = write_library_file(&source, Some(&["OAI33_X"]), &path).unwrap_err();
    assert!(err.to_string().contains("did you mean OAI33_X1"), "{err}");
    assert!(!path.exists());
}

/// Yosys's view of a Liberty file: its cells as black-box Verilog modules
/// (header line dropped, since it names the Yosys version only).
fn yosys_blackboxes(lib: &std::path::Path, out: &std::path::Path) -> String {
    let script = format!(
        "read_liberty -lib {}; write_verilog -blackboxes -noattr {}",
        lib.display(),
        out.display()
    );
    let run = std::process::Command::new("yosys")
        .args(["-q", "-p", &script])
        .output()
        .expect("yosys must be installed (CI installs it)");
    assert!(
        run.status.success(),
        "yosys rejected {}:\n{}{}",
        lib.display(),
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
    let text = std::fs::read_to_string(out).unwrap();
    text.lines().skip(1).collect::<Vec<_>>().join("\n")
}

/// (module, inputs, outputs) from Yosys's black-box Verilog (inouts in both).
fn modules(verilog: &str) -> Vec<(String, Vec<String>, Vec<String>)> {
    let mut out: Vec<(String, Vec<String>, Vec<String>)> = Vec::new();
    for line in verilog.lines().map(str::trim) {
        let word = |prefix: &str| {
            line.strip_prefix(prefix)
                .map(|r| r.trim_end_matches(';').trim().to_string())
        };
        if let Some(rest) = word("module ") {
            out.push((
                rest.split('(').next().unwrap().to_string(),
                Vec::new(),
                Vec::new(),
            ));
        } else if let Some(name) = word("input ") {
            out.last_mut().unwrap().1.push(name);
        } else if let Some(name) = word("output ") {
            out.last_mut().unwrap().2.push(name);
        } else if let Some(name) = word("inout ") {
            // The model lists inout pins among both inputs and outputs.
            let m = out.last_mut().unwrap();
            m.1.push(name.clone());
            m.2.push(name);
        }
    }
    out.sort();
    out
}

#[test]
fn yosys_reads_what_we_write_as_it_reads_the_source() {
    let dir = tempfile::tempdir().unwrap();
    for (k, (file, path)) in sources(
        &["nangate45_typ.lib.gz", "sg13g2_stdcell_typ_1p20V_25C.lib"],
        &["nangate45_typ.lib.gz", "asap7_small_ff.lib.gz"],
        "Yosys reads our Liberty",
    )
    .into_iter()
    .enumerate()
    {
        let source = read_library(&path).unwrap();
        // Yosys reads plain text: hand it the source decompressed, byte for byte.
        let plain = dir.path().join(format!("src_{k}.lib"));
        std::fs::write(
            &plain,
            liberty::parse::read_text(std::path::Path::new(&path)).unwrap(),
        )
        .unwrap();
        let written = dir.path().join(format!("ours_{k}.lib"));
        write_library_file(&source, None, &written).unwrap();

        let from_source = yosys_blackboxes(&plain, &dir.path().join("a.v"));
        let from_written = yosys_blackboxes(&written, &dir.path().join("b.v"));
        assert_eq!(
            from_source, from_written,
            "{file}: Yosys sees different cells"
        );

        // And Yosys's cells and pin directions are the model's.
        let mut ours: Vec<(String, Vec<String>, Vec<String>)> = source
            .cells
            .iter()
            .map(|c| {
                let mut ins: Vec<String> = c.input_pins().map(|(_, p)| p.name.clone()).collect();
                let mut outs: Vec<String> = c.output_pins().map(|(_, p)| p.name.clone()).collect();
                ins.sort();
                outs.sort();
                (c.name.clone(), ins, outs)
            })
            .collect();
        ours.sort();
        let mut theirs = modules(&from_written);
        for m in &mut theirs {
            m.1.sort();
            m.2.sort();
        }
        assert_eq!(theirs, ours, "{file}");
    }
}

#[test]
fn failed_write_names_the_file_and_leaves_nothing_behind() {
    let source = read_library(repo_path("nangate45_typ.lib.gz")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no/such/dir/x.lib");
    let err = write_library_file(&source, None, &missing).unwrap_err();
    assert!(
        err.to_string().contains(&missing.display().to_string()),
        "{err}"
    );
    // A directory in the way: the rename fails, it stays, no temporary is left.
    let busy = dir.path().join("busy");
    std::fs::create_dir_all(busy.join("old")).unwrap();
    let err = write_library_file(&source, None, &busy).unwrap_err();
    assert!(
        err.to_string().contains(&busy.display().to_string()),
        "{err}"
    );
    assert!(busy.join("old").is_dir());
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
