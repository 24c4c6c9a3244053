//! The timed models (sdf, unit): scheduling output transitions on the time
//! wheel with inertial or transport semantics (see the crate docs).
//!
//! Pending transitions live in a pool of [`Event`]s reused across steps; each
//! net keeps a singly linked list of its pending events in time order (at
//! most one in inertial mode). A cancelled event stays in the wheel, marked
//! dead, and is dropped when it comes up.

use crate::compile::NONE;
use crate::engine::{Observer, Simulator};

/// A scheduled output transition.
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

impl Simulator<'_> {
    /// A net transition in a timed model at `time_fs`, and its consequences
    /// for the load instances.
    pub(crate) fn commit_timed(
        &mut self,
        time_fs: u64,
        net: u32,
        value: u8,
        internal_fj: f32,
        observer: &mut impl Observer,
    ) {
        self.record_transition(time_fs, net, value, internal_fj, observer);
        let loads = self.d.fanout_start[net as usize] as usize
            ..self.d.fanout_start[net as usize + 1] as usize;
        for f in loads {
            let load = self.d.fanout[f];
            let inst = load.inst as usize;
            let s = self.toggle_input(inst, load.k, observer);
            let info = self.d.inst[inst];
            for o in 0..info.n_out as u32 {
                let out = self.d.out_net[(info.out_first + o) as usize];
                if out == NONE {
                    continue;
                }
                let new = self.d.eval(&info, o, s) as u8;
                let entry = *self.d.arc(&info, load.k, o, s);
                let at = time_fs + entry.delay_fs[new as usize] as u64;
                let energy = entry.energy_fj[new as usize];
                if self.options.transport {
                    self.schedule_transport(out, new, at, energy);
                } else {
                    self.schedule_inertial(out, new, at, energy);
                }
            }
        }
    }

    /// Inertial rule: at most one pending transition per output; a
    /// re-evaluation back to the current value cancels it, one to the pending
    /// value keeps the earlier time.
    #[inline]
    fn schedule_inertial(&mut self, net: u32, value: u8, at: u64, energy_fj: f32) {
        let n = net as usize;
        let pending = self.pend_head[n];
        if pending == NONE {
            if value != self.net_value[n] {
                self.push_event(net, value, at, energy_fj);
            }
            return;
        }
        if value == self.net_value[n] {
            self.cancel_from(net, pending, NONE);
        } else if at < self.events[pending as usize].time_fs {
            self.cancel_from(net, pending, NONE);
            self.push_event(net, value, at, energy_fj);
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
        self.wheel.push(at, id);
    }

    pub(crate) fn run_wheel(&mut self, observer: &mut impl Observer) {
        while let Some((time_fs, id)) = self.wheel.pop() {
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
                self.commit_timed(time_fs, ev.net, ev.value, ev.energy_fj, observer);
            }
        }
    }
}
