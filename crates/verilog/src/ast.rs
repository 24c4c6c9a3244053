//! Syntax tree of a structural netlist.

/// A whole file: its modules in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    pub file: String,
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
    pub name: String,
    /// Port names in header order.
    pub ports: Vec<String>,
    /// Port and net declarations (ANSI header declarations included).
    pub decls: Vec<Decl>,
    pub instances: Vec<Instance>,
    pub assigns: Vec<Assign>,
    /// 1-based line of `module`.
    pub line: u32,
}

/// Kind of a declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeclKind {
    Input,
    Output,
    Inout,
    Wire,
}

/// `input [msb:lsb] name;` and friends (one per declared name).
#[derive(Debug, Clone, PartialEq)]
pub struct Decl {
    pub kind: DeclKind,
    pub name: String,
    /// `[msb:lsb]` as written; `None` for a scalar.
    pub range: Option<(i64, i64)>,
    pub line: u32,
}

/// One 4-state bit of a constant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bit {
    Zero,
    One,
    X,
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
    /// A constant, least significant bit first.
    Const(Vec<Bit>),
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
    pub connections: Connections,
    pub line: u32,
}

/// `assign lhs = rhs;`.
#[derive(Debug, Clone, PartialEq)]
pub struct Assign {
    pub lhs: Expr,
    pub rhs: Expr,
    pub line: u32,
}
