//! The commit order of simultaneous transitions, shared by the levelized
//! probe ([`crate::levelized`]) and the reusing probe ([`crate::reuse`]).
//!
//! The time wheel commits transitions at equal times in the order they were
//! scheduled; the probes rebuild that order without a wheel: a transition
//! comes first if its cause does (recursively), and two scheduled by the
//! same cause go in pin order. Both probes must order identically to stay
//! bit-equal to the wheel, hence one definition.

/// A transition as the ordering sees it: when it happens, which
/// transition scheduled it and through which pin.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Link {
    /// Time of the transition, fs.
    pub time_fs: u64,
    /// Index of the transition that scheduled it (`NONE` for a primary input).
    pub cause: u32,
    /// Pin it was scheduled through (`Gate::pin_base + k`; a primary
    /// input's commit rank).
    pub pin: u32,
}

/// A transition record of a probe's arena: its [`Link`] and whatever else
/// the probe keeps beside it.
pub(crate) trait Committed: Copy {
    /// The transition's place in the commit order.
    fn link(&self) -> Link;
}

impl Committed for Link {
    #[inline(always)]
    fn link(&self) -> Link {
        *self
    }
}

/// A gate's pending output transition (the inertial slot, kept locally by
/// each probe), with its internal energy in the probe's unit `E`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Pending<E> {
    /// Whether a transition is pending.
    pub on: bool,
    /// When it would happen, fs.
    pub time_fs: u64,
    /// Its internal energy.
    pub energy: E,
    /// The input transition that scheduled it.
    pub cause: u32,
    /// The pin it was scheduled through.
    pub pin: u32,
}

/// One input's transitions in an arena, as a gate's merge walks them.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Head {
    /// Next transition to merge.
    pub next: u32,
    /// One past the input's last transition.
    pub end: u32,
    /// The gate's input (state bit).
    pub k: u32,
}

/// Whether transition `a` was committed before transition `b` (distinct
/// entries of `arena` at the same time): causes first, then pins.
#[inline(never)]
pub(crate) fn precedes<T: Committed>(arena: &[T], mut a: u32, mut b: u32) -> bool {
    loop {
        let (x, y) = (arena[a as usize].link(), arena[b as usize].link());
        if x.time_fs != y.time_fs {
            return x.time_fs < y.time_fs;
        }
        // Equal times > 0 have causes (primary inputs alone are at 0 and
        // share the NONE cause), and equal causes differ in pin.
        if x.cause == y.cause {
            return x.pin < y.pin;
        }
        a = x.cause;
        b = y.cause;
    }
}

impl<E> Pending<E> {
    /// The inertial rule for one input toggle, as the wheel's
    /// `schedule_inertial`: if the gate's output would now go to a value
    /// other than its present one (`differs`), at `at`, that transition
    /// becomes the pending one unless an earlier one is pending; if not,
    /// a pending transition is cancelled.
    #[inline(always)]
    pub fn schedule(&mut self, differs: bool, at: u64, energy: E, cause: u32, pin: u32) {
        let push = differs & (!self.on | (at < self.time_fs));
        self.on &= differs;
        if push {
            *self = Pending {
                on: true,
                time_fs: at,
                energy,
                cause,
                pin,
            };
        }
    }
}

/// Whether a gate's pending output transition comes before input
/// transition `x`.
#[inline(always)]
pub(crate) fn pending_first<T: Committed, E>(arena: &[T], p: &Pending<E>, x: u32) -> bool {
    let t = arena[x as usize].link();
    if p.time_fs != t.time_fs {
        return p.time_fs < t.time_fs;
    }
    if p.cause == t.cause {
        p.pin < t.pin
    } else {
        precedes(arena, p.cause, t.cause)
    }
}

/// Whether head `a` is due before head `b`: time, then commit order; the
/// same transition on two pins goes through the lower pin first.
#[inline(always)]
pub(crate) fn head_first<T: Committed>(arena: &[T], a: &Head, b: &Head) -> bool {
    let (ta, tb) = (
        arena[a.next as usize].link().time_fs,
        arena[b.next as usize].link().time_fs,
    );
    if ta != tb {
        ta < tb
    } else if a.next == b.next {
        a.k < b.k
    } else {
        precedes(arena, a.next, b.next)
    }
}
