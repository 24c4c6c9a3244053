//! Syntax tree of a structural netlist.

/// A 1-based position in the source text (line, and column in characters,
/// a tab counting as one), as in [`crate::Error::At`].
pub use located::Pos;

/// A whole file: its modules in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// The file name given to the parser (used in messages).
    pub file: String,
    /// Modules in file order.
    pub modules: Vec<Module>,
}

impl Source {
    /// The module called `name`.
    pub fn module(&self, name: &str) -> Option<&Module> {
        self.modules.iter().find(|m| m.name == name)
    }
}

/// A module.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    /// Module name (escaped names without the backslash).
    pub name: String,
    /// Port names in header order.
    pub ports: Vec<String>,
    /// Port and net declarations (ANSI header declarations included).
    pub decls: Vec<Decl>,
    /// Cell and submodule instances in written order.
    pub instances: Vec<Instance>,
    /// Continuous assigns in written order (`wire y = x;` included).
    pub assigns: Vec<Assign>,
    /// 1-based line of `module`.
    pub line: u32,
    /// 1-based column of `module`.
    pub col: u32,
}

impl Module {
    /// Where `module` is.
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// Kind of a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclKind {
    /// `input`.
    Input,
    /// `output`.
    Output,
    /// `inout`.
    Inout,
    /// `wire`.
    Wire,
}

/// `input [msb:lsb] name;` and friends (one per declared name).
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    /// Which keyword declared it.
    pub kind: DeclKind,
    /// Net or port name (escaped names without the backslash).
    pub name: String,
    /// `[msb:lsb]` as written; `None` for a scalar.
    pub range: Option<(i64, i64)>,
    /// 1-based line of the declared name.
    pub line: u32,
    /// 1-based column of the declared name.
    pub col: u32,
}

impl Decl {
    /// Where the declared name is.
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}

/// One 4-state bit of a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bit {
    /// Logic 0.
    Zero,
    /// Logic 1.
    One,
    /// Unknown.
    X,
    /// High impedance.
    Z,
}

/// A connection or assign operand.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    /// A whole net or port (escaped names without the backslash).
    Name(String),
    /// `name[i]`.
    BitSelect(String, i64),
    /// `name[msb:lsb]`.
    PartSelect(String, i64, i64),
    /// `{a, b, ...}`, most significant first as written.
    Concat(Vec<Expr>),
    /// A constant, least significant bit first, at its written width
    /// (unsized constants are 32 bits wide, or wider if the value needs it).
    /// Verilog extends it to a wider context with `X` when its top bit is
    /// `X`, `Z` when `Z`, and `Zero` otherwise.
    Const(Vec<Bit>),
    /// An unbased unsized literal (`'0`, `'1`, `'x`, `'z`): every bit of
    /// whatever it connects to takes this value, whatever the width.
    Fill(Bit),
    /// An empty positional or named connection: `.A()`.
    Unconnected,
}

/// Instance connections.
#[derive(Debug, Clone, PartialEq)]
pub enum Connections {
    /// `.PIN(expr)` in written order.
    Named(Vec<(String, Expr)>),
    /// By position.
    Positional(Vec<Expr>),
}

/// A cell or module instance.
#[derive(Debug, Clone, PartialEq)]
pub struct Instance {
    /// Cell or module name.
    pub cell: String,
    /// Instance name (escaped names without the backslash).
    pub name: String,
    /// Pin connections; `()` gives an empty positional list.
    pub connections: Connections,
    /// 1-based line where the instance statement starts (the cell name);
    /// later instances in one statement: the line of their name.
    pub line: u32,
    /// 1-based column of the same token as `line`.
    pub col: u32,
    /// Where each connection is, in the order of `connections`: the pin
    /// name of a named connection (`B` in `.B(b)`), the expression of a
    /// positional one (for an empty slot, the `,` or `)` that ends it), so
    /// that a message about one pin can point at it.
    pub connection_pos: Vec<Pos>,
}

impl Instance {
    /// Where the instance is (see [`Instance::line`]).
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }

    /// Where connection `k` is, else where the instance is.
    pub fn conn_pos(&self, k: usize) -> Pos {
        self.connection_pos.get(k).copied().unwrap_or(self.pos())
    }
}

/// `assign lhs = rhs;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    /// Left side: a net, select or concatenation (never a constant).
    pub lhs: Expr,
    /// Right side.
    pub rhs: Expr,
    /// 1-based line of the `assign` keyword (or of the declared name for
    /// `wire y = x;`).
    pub line: u32,
    /// 1-based column of the same token as `line`.
    pub col: u32,
}

impl Assign {
    /// Where the `assign` keyword (or the declared name) is.
    pub fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            col: self.col,
        }
    }
}
