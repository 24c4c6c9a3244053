//! A time wheel: pending events bucketed by time, popped in (time, insertion)
//! order, with no allocation once the buckets have grown.
//!
//! Times are integer femtoseconds. A bucket spans `2^shift` fs; there are
//! enough buckets that every pending event lies within one turn of the wheel
//! (the caller promises `time - now <= horizon_fs`), so a bucket never mixes
//! two turns. Within a bucket, entries are kept sorted by time, ties in
//! insertion order, which makes the event order deterministic.

/// Bucket width: 2^10 fs ≈ 1 ps, close to the finest delay differences that
/// matter, so buckets hold few events and sorting them is cheap.
const BUCKET_SHIFT: u32 = 10;

/// One pending entry: a time, and two words the caller gives meaning to
/// (the timed models use an event or net id and a tag that tells stale
/// entries apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Entry {
    pub time_fs: u64,
    pub payload: u32,
    pub tag: u32,
}

/// The wheel.
pub(crate) struct TimeWheel {
    /// Buckets − 1 (a power of two minus one, so wrapping is a mask, not a division).
    mask: u64,
    buckets: Vec<Vec<Entry>>,
    /// Bit `b` set when bucket `b` is non-empty (skips empty buckets 64 at a time).
    occupied: Vec<u64>,
    len: usize,
    /// Absolute bucket number being drained.
    cursor: u64,
    /// Next entry to pop in the cursor's bucket.
    pos: usize,
}

impl TimeWheel {
    /// A wheel for events at most `horizon_fs` after the current time.
    pub fn new(horizon_fs: u64) -> TimeWheel {
        let needed = (horizon_fs >> BUCKET_SHIFT) + 2;
        let n = needed.next_power_of_two().max(64) as usize;
        TimeWheel {
            mask: n as u64 - 1,
            buckets: vec![Vec::new(); n],
            occupied: vec![0; n / 64],
            len: 0,
            cursor: 0,
            pos: 0,
        }
    }

    /// Whether no entries are pending.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Restart the clock at 0; the wheel must be empty.
    pub fn rewind(&mut self) {
        debug_assert!(self.is_empty());
        let b = (self.cursor & self.mask) as usize;
        self.buckets[b].clear();
        self.occupied[b / 64] &= !(1 << (b % 64));
        self.cursor = 0;
        self.pos = 0;
    }

    /// Schedule `payload` (with `tag`) at `time_fs` (not earlier than the
    /// last popped time).
    #[inline]
    pub fn push(&mut self, time_fs: u64, payload: u32, tag: u32) {
        debug_assert!(time_fs >> BUCKET_SHIFT >= self.cursor);
        debug_assert!((time_fs >> BUCKET_SHIFT) - self.cursor <= self.mask);
        let b = ((time_fs >> BUCKET_SHIFT) & self.mask) as usize;
        let bucket = &mut self.buckets[b];
        let entry = Entry {
            time_fs,
            payload,
            tag,
        };
        // Sorted insert from the back: events mostly arrive in time order, so
        // the common case is a plain append.
        match bucket.last() {
            Some(last) if last.time_fs > time_fs => {
                let mut at = bucket.len() - 1;
                while at > 0 && bucket[at - 1].time_fs > time_fs {
                    at -= 1;
                }
                bucket.insert(at, entry);
            }
            _ => bucket.push(entry),
        }
        self.occupied[b / 64] |= 1 << (b % 64);
        self.len += 1;
    }

    /// The earliest entry, removed.
    #[inline(always)]
    pub fn pop(&mut self) -> Option<Entry> {
        loop {
            let b = (self.cursor & self.mask) as usize;
            let bucket = &mut self.buckets[b];
            if let Some(&entry) = bucket.get(self.pos) {
                self.pos += 1;
                self.len -= 1;
                return Some(entry);
            }
            // Only now can the wheel be empty: the bucket being drained was.
            if self.len == 0 {
                return None;
            }
            bucket.clear();
            self.occupied[b / 64] &= !(1 << (b % 64));
            self.pos = 0;
            self.cursor += self.distance_to_next(b) as u64;
        }
    }

    /// Buckets from `b` to the next occupied one (circularly); the wheel is
    /// not empty, so one exists.
    #[inline(always)]
    fn distance_to_next(&self, b: usize) -> usize {
        // Buckets and words are powers of two: wrap with masks.
        let n_mask = self.mask as usize;
        let word_mask = self.occupied.len() - 1;
        let next = (b + 1) & n_mask;
        let mut word = next / 64;
        let mut bits = self.occupied[word] & (!0u64 << (next % 64));
        let mut scanned = 0;
        loop {
            if bits != 0 {
                let target = word * 64 + bits.trailing_zeros() as usize;
                return (target + n_mask + 1 - b) & n_mask;
            }
            scanned += 1;
            // Full circle: only bucket b itself could be occupied.
            if scanned > word_mask + 1 {
                return n_mask + 1;
            }
            word = (word + 1) & word_mask;
            bits = self.occupied[word];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pops_in_time_then_insertion_order() {
        let mut w = TimeWheel::new(10_000);
        w.push(5_000, 1, 0);
        w.push(1_500, 2, 0);
        w.push(1_500, 3, 0);
        w.push(1_024, 4, 0);
        w.push(9_999, 5, 0);
        let order: Vec<u32> = std::iter::from_fn(|| w.pop().map(|e| e.payload)).collect();
        assert_eq!(order, vec![4, 2, 3, 1, 5]);
    }

    #[test]
    fn wraps_around_the_wheel() {
        // 64 buckets of 1024 fs: horizon 60 ps; walk 1 ns in 50 ps hops.
        let mut w = TimeWheel::new(50_000);
        let mut t = 0;
        w.push(0, 0, 0);
        for i in 1..=20u32 {
            let now = w.pop().unwrap().time_fs;
            assert_eq!(now, t);
            t += 50_000;
            w.push(t, i, 0);
        }
        assert_eq!(
            w.pop().map(|e| (e.time_fs, e.payload)),
            Some((1_000_000, 20))
        );
        assert!(w.pop().is_none());
    }

    #[test]
    fn push_into_current_bucket_while_draining() {
        let mut w = TimeWheel::new(5_000);
        let pop = |w: &mut TimeWheel| w.pop().map(|e| (e.time_fs, e.payload));
        w.push(100, 1, 0);
        w.push(900, 2, 0);
        assert_eq!(pop(&mut w), Some((100, 1)));
        w.push(100, 3, 0); // same time as the event just popped
        w.push(500, 4, 0);
        assert_eq!(pop(&mut w), Some((100, 3)));
        assert_eq!(pop(&mut w), Some((500, 4)));
        assert_eq!(pop(&mut w), Some((900, 2)));
        assert_eq!(pop(&mut w), None);
    }
}
