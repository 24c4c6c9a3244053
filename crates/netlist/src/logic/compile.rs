//! Liberty Boolean functions → three-address code over `u64` lane slots.
//!
//! Each instruction reads one or two slots of the value array and writes
//! one. Negations are folded into the gate where possible (`!(a & b)` is one
//! `Nand`), so a NAND2 cell costs one instruction and a buffer one copy.

use liberty::Expr;

/// Operation of an [`Instr`]; unary ones ignore `b`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub(crate) enum Op {
    Copy,
    Not,
    And,
    Or,
    Xor,
    Nand,
    Nor,
    Xnor,
    /// `a & !b`.
    AndNot,
    /// `a | !b`.
    OrNot,
}

/// `values[dst] = op(values[a], values[b])`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Instr {
    pub op: Op,
    pub dst: u32,
    pub a: u32,
    pub b: u32,
}

/// Run a program over a value array (64 vectors per slot).
#[inline]
pub(crate) fn exec(program: &[Instr], v: &mut [u64]) {
    for ins in program {
        let a = v[ins.a as usize];
        let b = v[ins.b as usize];
        v[ins.dst as usize] = match ins.op {
            Op::Copy => a,
            Op::Not => !a,
            Op::And => a & b,
            Op::Or => a | b,
            Op::Xor => a ^ b,
            Op::Nand => !(a & b),
            Op::Nor => !(a | b),
            Op::Xnor => !(a ^ b),
            Op::AndNot => a & !b,
            Op::OrNot => a | !b,
        };
    }
}

/// Emits code for expressions; temporaries live in slots from `temp_base`
/// on and are reused by the next expression.
pub(crate) struct Emitter<'p> {
    pub program: &'p mut Vec<Instr>,
    /// Constant-0 and constant-1 slots.
    pub zero: u32,
    pub one: u32,
    pub temp_base: u32,
    next_temp: u32,
    /// Most temporaries any expression needed so far.
    pub max_temps: u32,
}

impl<'p> Emitter<'p> {
    /// An emitter appending to `program`.
    pub fn new(program: &'p mut Vec<Instr>, zero: u32, one: u32, temp_base: u32) -> Self {
        Emitter {
            program,
            zero,
            one,
            temp_base,
            next_temp: 0,
            max_temps: 0,
        }
    }

    /// Emit `dst = expr`, with `slot_of` giving each variable's slot.
    pub fn assign<E>(
        &mut self,
        dst: u32,
        expr: &Expr,
        slot_of: &impl Fn(&str) -> Result<u32, E>,
    ) -> Result<(), E> {
        self.next_temp = 0;
        let start = self.program.len();
        let r = self.emit(expr, slot_of)?;
        let emitted = self.program.len() > start;
        match self.program.last_mut() {
            // The last instruction computed the result into a temporary:
            // write it straight to `dst` instead.
            Some(last) if emitted && last.dst == r && r >= self.temp_base => last.dst = dst,
            _ => self.push(Op::Copy, dst, r, r),
        }
        Ok(())
    }

    fn push(&mut self, op: Op, dst: u32, a: u32, b: u32) {
        self.program.push(Instr { op, dst, a, b });
    }

    fn temp(&mut self) -> u32 {
        let t = self.temp_base + self.next_temp;
        self.next_temp += 1;
        self.max_temps = self.max_temps.max(self.next_temp);
        t
    }

    fn binary<E>(
        &mut self,
        op: Op,
        a: &Expr,
        b: &Expr,
        slot_of: &impl Fn(&str) -> Result<u32, E>,
    ) -> Result<u32, E> {
        // Fold a negated operand into the gate: a & !b, a | !b.
        let (op, a, b) = match (op, a, b) {
            (Op::And, a, Expr::Not(x)) | (Op::And, Expr::Not(x), a) => (Op::AndNot, a, &**x),
            (Op::Or, a, Expr::Not(x)) | (Op::Or, Expr::Not(x), a) => (Op::OrNot, a, &**x),
            _ => (op, a, b),
        };
        let sa = self.emit(a, slot_of)?;
        let sb = self.emit(b, slot_of)?;
        let t = self.temp();
        self.push(op, t, sa, sb);
        Ok(t)
    }

    fn emit<E>(&mut self, e: &Expr, slot_of: &impl Fn(&str) -> Result<u32, E>) -> Result<u32, E> {
        Ok(match e {
            Expr::Const(false) => self.zero,
            Expr::Const(true) => self.one,
            Expr::Var(name) => slot_of(name)?,
            Expr::Not(inner) => match &**inner {
                Expr::Not(x) => self.emit(x, slot_of)?,
                Expr::Const(b) => {
                    if *b {
                        self.zero
                    } else {
                        self.one
                    }
                }
                Expr::And(a, b) => self.binary(Op::Nand, a, b, slot_of)?,
                Expr::Or(a, b) => self.binary(Op::Nor, a, b, slot_of)?,
                Expr::Xor(a, b) => self.binary(Op::Xnor, a, b, slot_of)?,
                Expr::Var(_) => {
                    let s = self.emit(inner, slot_of)?;
                    let t = self.temp();
                    self.push(Op::Not, t, s, s);
                    t
                }
            },
            Expr::And(a, b) => self.binary(Op::And, a, b, slot_of)?,
            Expr::Or(a, b) => self.binary(Op::Or, a, b, slot_of)?,
            Expr::Xor(a, b) => self.binary(Op::Xor, a, b, slot_of)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Compile `e` over variables A, B, C (slots 0..3) into slot 3 and
    /// compare every row of its truth table with `Expr::eval`.
    fn check(e: &Expr) {
        let mut program = Vec::new();
        let (zero, one, out, temp_base) = (4, 5, 3, 6);
        let mut em = Emitter::new(&mut program, zero, one, temp_base);
        let slot_of = |n: &str| -> Result<u32, String> {
            ["A", "B", "C"]
                .iter()
                .position(|v| *v == n)
                .map(|p| p as u32)
                .ok_or(n.to_string())
        };
        em.assign(out, e, &slot_of).unwrap();
        let temps = em.max_temps as usize;
        let mut v = vec![0u64; temp_base as usize + temps];
        // Lane r holds row r: A = bit 0, B = bit 1, C = bit 2.
        for (k, slot) in v.iter_mut().take(3).enumerate() {
            *slot = (0..8)
                .filter(|r| r >> k & 1 == 1)
                .fold(0, |w, r| w | 1 << r);
        }
        v[one as usize] = !0;
        exec(&program, &mut v);
        for r in 0..8u64 {
            let expect = e.eval(&|n: &str| match n {
                "A" => r & 1 == 1,
                "B" => r & 2 == 2,
                _ => r & 4 == 4,
            });
            assert_eq!(v[out as usize] >> r & 1 == 1, expect, "{e:?} row {r}");
        }
    }

    #[test]
    fn gates_match_their_truth_tables() {
        let [a, b, c] = ["A", "B", "C"].map(Expr::var);
        check(&a);
        check(&!a.clone());
        check(&!!b.clone());
        check(&Expr::Const(true));
        check(&!Expr::Const(true));
        check(&!(a.clone() & b.clone()));
        check(&!(a.clone() | (b.clone() & c.clone())));
        check(&(a.clone() ^ b.clone() ^ c.clone()));
        check(&!(a.clone() ^ b.clone()));
        check(&(a.clone() & !b.clone()));
        check(&(!a.clone() & b.clone()));
        check(&(!c.clone() | a.clone()));
        // mux: (A & !C) | (B & C)
        check(&((a & !c.clone()) | (b & c)));
    }

    #[test]
    fn nand_is_one_instruction() {
        let mut program = Vec::new();
        let mut em = Emitter::new(&mut program, 10, 11, 12);
        let e = !(Expr::var("A") & Expr::var("B"));
        em.assign(7, &e, &|n: &str| {
            Ok::<u32, ()>(if n == "A" { 0 } else { 1 })
        })
        .unwrap();
        assert_eq!(program.len(), 1);
        assert_eq!((program[0].op, program[0].dst), (Op::Nand, 7));
    }
}
