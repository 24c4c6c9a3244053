//! Setup the `step` and `throughput` benches share: the 8-bit MAC
//! (`netlists/mac8u_sg13g2.v` with `liberty/sg13g2_stdcell_typ_1p20V_25C.lib`,
//! byte for byte the reference `ref_mac8u_sg13g2` netlist and the same
//! library figures), a fixed random weight and random activation
//! transitions, with psum 0, as `characterize` drives the simulator.

use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use sim::{DelayModel, SimOptions, Simulator};

/// The design under test and the stimulus.
pub struct Mac {
    pub netlist_path: PathBuf,
    pub lib: liberty::Library,
    pub netlist: netlist::Netlist,
    /// Index of the weight input port `w` in `netlist.inputs`.
    pub w: usize,
    /// Index of the activation input port `a` in `netlist.inputs`.
    pub a: usize,
    pub weight: u64,
    /// A random activation sequence: each step is one transition.
    pub activations: Vec<u64>,
}

impl Mac {
    /// Read the library and netlist, and draw the weight and `transitions`
    /// activations (seed 7).
    pub fn load(transitions: usize) -> Mac {
        let (netlist_path, lib_path) = design_paths();
        let lib = liberty::read_library(&lib_path).expect("library");
        let netlist = netlist::Netlist::read(&netlist_path, &lib, None).expect("netlist");
        let port = |name: &str| {
            netlist
                .inputs
                .iter()
                .position(|p| p.name == name)
                .unwrap_or_else(|| panic!("no port {name}"))
        };
        let (w, a) = (port("w"), port("a"));
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
        let weight: u64 = rng.gen_range(0..256);
        let activations = (0..transitions).map(|_| rng.gen_range(0..256)).collect();
        Mac {
            netlist_path,
            lib,
            netlist,
            w,
            a,
            weight,
            activations,
        }
    }

    /// A simulator with `model` (and transport or inertial delays), settled
    /// on the weight with activation and psum 0, and its input vector.
    pub fn settled(&self, model: DelayModel, transport: bool) -> (Simulator<'_>, Vec<u64>) {
        let options = SimOptions {
            delay_model: model,
            transport,
            ..SimOptions::default()
        };
        let mut sim = Simulator::new(&self.netlist, &self.lib, &options).expect("simulator");
        let mut inputs = vec![0u64; self.netlist.inputs.len()];
        inputs[self.w] = self.weight;
        sim.settle(&inputs).expect("settle");
        (sim, inputs)
    }
}

/// The netlist and library files (see the module documentation).
fn design_paths() -> (PathBuf, PathBuf) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    (
        root.join("netlists/mac8u_sg13g2.v"),
        root.join("liberty/sg13g2_stdcell_typ_1p20V_25C.lib"),
    )
}
