//! The commit order of simultaneous transitions, shared by the levelized
//! probe ([`crate::levelized`]) and the reusing probe ([`crate::reuse`]).
//!
//! The time wheel commits transitions at equal times in the order they were
//! scheduled; the probes rebuild that order without a wheel: a transition
//! comes first if its cause does (recursively), and two scheduled by the
//! same cause go in pin order. Both probes must order identically to stay
//! bit-equal to the wheel, hence one definition.

/// A transition record as the ordering sees it.
pub(crate) trait Committed: Copy {
    /// Time of the transition, fs.
    fn time_fs(&self) -> u64;
    /// Index of the transition that scheduled it (`NONE` for a primary input).
    fn cause(&self) -> u32;
    /// Pin it was scheduled through (a primary input's commit rank).
    fn pin(&self) -> u32;
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
        let (x, y) = (arena[a as usize], arena[b as usize]);
        if x.time_fs() != y.time_fs() {
            return x.time_fs() < y.time_fs();
        }
        // Equal times > 0 have causes (primary inputs alone are at 0 and
        // share the NONE cause), and equal causes differ in pin.
        if x.cause() == y.cause() {
            return x.pin() < y.pin();
        }
        a = x.cause();
        b = y.cause();
    }
}

/// Whether a gate's pending output transition (`time_fs`, `cause`, `pin`)
/// comes before input transition `x`.
#[inline(always)]
pub(crate) fn pending_first<T: Committed>(
    arena: &[T],
    time_fs: u64,
    cause: u32,
    pin: u32,
    x: u32,
) -> bool {
    let t = arena[x as usize];
    if time_fs != t.time_fs() {
        return time_fs < t.time_fs();
    }
    if cause == t.cause() {
        pin < t.pin()
    } else {
        precedes(arena, cause, t.cause())
    }
}

/// Whether head `a` is due before head `b`: time, then commit order; the
/// same transition on two pins goes through the lower pin first.
#[inline(always)]
pub(crate) fn head_first<T: Committed>(arena: &[T], a: &Head, b: &Head) -> bool {
    let (ta, tb) = (
        arena[a.next as usize].time_fs(),
        arena[b.next as usize].time_fs(),
    );
    if ta != tb {
        ta < tb
    } else if a.next == b.next {
        a.k < b.k
    } else {
        precedes(arena, a.next, b.next)
    }
}
