//! The timed models (sdf, unit): scheduling output transitions on the time
//! wheel with inertial or transport semantics (see the crate docs).
//!
//! Inertial mode keeps at most one pending transition per net, so it lives
//! in a per-net [`Pending`] slot; its wheel entry carries a tag, and an entry
//! whose tag no longer matches its net's slot was cancelled and is dropped
//! when it comes up. Transport mode needs several per net: they live in a
//! pool of [`Event`]s reused across steps, each net keeping a singly linked
//! list of its pending events in time order; a cancelled event stays in the
//! wheel, marked dead. The mode is a const parameter so the hot loop has no
//! mode test.

use crate::compile::{Load, NONE};
use crate::engine::{Observer, Simulator};
use crate::wheel::Entry;

/// A scheduled output transition (transport mode).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Event {
    time_fs: u64,
    net: u32,
    /// Next pending event of the same net, or NONE.
    next: u32,
    /// Internal energy charged when it happens, fJ.
    energy_fj: f32,
    value: u8,
    live: bool,
}

/// The pending transition of a net (inertial mode). Its value is the
/// opposite of the net's current value: a transition is only scheduled when
/// it changes the net, and nothing else moves the net while it is pending.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pending {
    time_fs: u64,
    /// Internal energy charged when it happens, fJ.
    energy_fj: f32,
    /// Tag of its wheel entry; 0 = nothing pending.
    tag: u32,
}

impl Simulator<'_> {
    /// A net transition in a timed model at `time_fs`, and its consequences
    /// for the load instances.
    #[inline(always)]
    pub(crate) fn commit_timed<const TRANSPORT: bool>(
        &mut self,
        time_fs: u64,
        net: u32,
        value: u8,
        internal_fj: f32,
        observer: &mut impl Observer,
    ) {
        self.record_transition(time_fs, net, value, internal_fj, observer);
        let info = self.d.nets[net as usize];
        for f in info.loads_start..info.loads_end {
            let load = self.d.loads[f as usize];
            let (s, fire) = self.toggle_input(&load, observer);
            if load.out0 != NONE {
                let at = time_fs + fire.delay_fs as u64;
                self.schedule::<TRANSPORT>(load.out0, fire.new, at, fire.energy_fj);
            }
            if load.extra != NONE {
                self.schedule_extra_outputs::<TRANSPORT>(&load, s, time_fs);
            }
        }
    }

    /// Outputs 1.. of a multi-output cell (none in the shipped libraries'
    /// common cells, so kept out of the hot loop).
    #[inline(never)]
    fn schedule_extra_outputs<const TRANSPORT: bool>(&mut self, load: &Load, s: u32, time_fs: u64) {
        let info = self.d.inst[load.inst as usize];
        for o in 1..info.n_out as u32 {
            let out = self.d.out_net[(info.out_first + o) as usize];
            if out == NONE {
                continue;
            }
            let idx = load.extra + ((o - 1) << info.n_in) + s;
            let arc = self.d.extra_arcs[idx as usize];
            self.schedule::<TRANSPORT>(out, arc.new, time_fs + arc.delay_fs as u64, arc.energy_fj);
        }
    }

    #[inline(always)]
    fn schedule<const TRANSPORT: bool>(&mut self, net: u32, value: u8, at: u64, energy_fj: f32) {
        if TRANSPORT {
            self.schedule_transport(net, value, at, energy_fj);
        } else {
            self.schedule_inertial(net, value, at, energy_fj);
        }
    }

    /// Inertial rule: at most one pending transition per output; a
    /// re-evaluation back to the current value cancels it, one to the pending
    /// value keeps the earlier time.
    #[inline(always)]
    fn schedule_inertial(&mut self, net: u32, value: u8, at: u64, energy_fj: f32) {
        let n = net as usize;
        let differs = value != self.net_value[n];
        let slot = &mut self.pend[n];
        let pending = slot.tag != 0;
        // Outcomes folded into two flags rather than nested branches (which
        // data decides, so they mispredict): back to the current value
        // cancels; a change schedules unless an earlier one is pending
        // (scheduling over a pending one replaces it).
        let push = differs & (!pending | (at < slot.time_fs));
        // Cancel without a branch: a tag times 0 is "nothing pending" (and
        // nothing pending stays so).
        slot.tag *= differs as u32;
        if push {
            let tag = self.next_tag;
            // Tag 0 means "none"; entries only live within one step, so a
            // wrapped tag cannot meet a stale entry of the same net.
            self.next_tag = self.next_tag.wrapping_add(1).max(1);
            *slot = Pending {
                time_fs: at,
                energy_fj,
                tag,
            };
            self.wheel.push(at, net, tag);
        }
    }

    /// Transport rule: drop pending transitions at or after `at`, then add
    /// this one if it changes the value the output would otherwise end at.
    #[inline]
    fn schedule_transport(&mut self, net: u32, value: u8, at: u64, energy_fj: f32) {
        let n = net as usize;
        let mut prev = NONE;
        let mut e = self.pend_head[n];
        while e != NONE && self.events[e as usize].time_fs < at {
            prev = e;
            e = self.events[e as usize].next;
        }
        if e != NONE {
            self.cancel_from(net, e, prev);
        }
        let projected = match self.pend_tail[n] {
            NONE => self.net_value[n],
            t => self.events[t as usize].value,
        };
        if value != projected {
            self.push_event(net, value, at, energy_fj);
        }
    }

    /// Cancel pending event `e` of `net` and all after it; `prev` is the
    /// event before `e` in the net's list (NONE if `e` is the head).
    fn cancel_from(&mut self, net: u32, mut e: u32, prev: u32) {
        let n = net as usize;
        while e != NONE {
            let ev = &mut self.events[e as usize];
            ev.live = false;
            e = ev.next;
        }
        if prev == NONE {
            self.pend_head[n] = NONE;
        } else {
            self.events[prev as usize].next = NONE;
        }
        self.pend_tail[n] = prev;
    }

    fn push_event(&mut self, net: u32, value: u8, at: u64, energy_fj: f32) {
        let ev = Event {
            time_fs: at,
            net,
            next: NONE,
            energy_fj,
            value,
            live: true,
        };
        let id = match self.free_events.pop() {
            Some(id) => {
                self.events[id as usize] = ev;
                id
            }
            None => {
                self.events.push(ev);
                (self.events.len() - 1) as u32
            }
        };
        let n = net as usize;
        match self.pend_tail[n] {
            NONE => self.pend_head[n] = id,
            t => self.events[t as usize].next = id,
        }
        self.pend_tail[n] = id;
        self.wheel.push(at, id, 0);
    }

    pub(crate) fn run_wheel(&mut self, observer: &mut impl Observer) {
        if self.options.transport {
            self.run_wheel_transport(observer);
        } else {
            self.run_wheel_inertial(observer);
        }
    }

    fn run_wheel_inertial(&mut self, observer: &mut impl Observer) {
        while let Some(Entry {
            time_fs,
            payload: net,
            tag,
        }) = self.wheel.pop()
        {
            let n = net as usize;
            let slot = self.pend[n];
            if slot.tag != tag {
                continue; // cancelled or replaced
            }
            self.pend[n].tag = 0;
            let value = self.net_value[n] ^ 1;
            self.commit_timed::<false>(time_fs, net, value, slot.energy_fj, observer);
        }
    }

    fn run_wheel_transport(&mut self, observer: &mut impl Observer) {
        while let Some(Entry {
            time_fs,
            payload: id,
            ..
        }) = self.wheel.pop()
        {
            let ev = self.events[id as usize];
            self.free_events.push(id);
            if !ev.live {
                continue;
            }
            // Live events leave their net's list from the front, in time order.
            let n = ev.net as usize;
            debug_assert_eq!(self.pend_head[n], id);
            self.pend_head[n] = ev.next;
            if ev.next == NONE {
                self.pend_tail[n] = NONE;
            }
            if ev.value != self.net_value[n] {
                self.commit_timed::<true>(time_fs, ev.net, ev.value, ev.energy_fj, observer);
            }
        }
    }
}
