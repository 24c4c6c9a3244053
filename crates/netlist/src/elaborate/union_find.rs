//! Union-find over bit ids, used to resolve `assign` aliases and port
//! connections into physical nets.

/// Disjoint sets of dense `u32` ids.
#[derive(Debug, Default, Clone)]
pub(crate) struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    /// Add a singleton set; returns its id.
    pub fn push(&mut self) -> u32 {
        let id = self.parent.len() as u32;
        self.parent.push(id);
        id
    }

    /// Representative of the set holding `x`.
    pub fn find(&mut self, mut x: u32) -> u32 {
        while self.parent[x as usize] != x {
            // Path halving keeps chains short without recursion.
            let grand = self.parent[self.parent[x as usize] as usize];
            self.parent[x as usize] = grand;
            x = grand;
        }
        x
    }

    /// Merge the sets of `a` and `b`; the smaller id becomes the root so
    /// results do not depend on merge order.
    pub fn union(&mut self, a: u32, b: u32) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi as usize] = lo;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chains_merge_into_one_set() {
        let mut uf = UnionFind::default();
        let ids: Vec<u32> = (0..5).map(|_| uf.push()).collect();
        uf.union(ids[3], ids[4]);
        uf.union(ids[1], ids[3]);
        assert_eq!(uf.find(ids[4]), ids[1]);
        assert_ne!(uf.find(ids[0]), uf.find(ids[4]));
        assert_eq!(uf.find(ids[2]), ids[2]);
    }
}
