//! The generic Liberty syntax tree: groups, simple and complex attributes.
//!
//! Every construct in a file is kept here, whether or not the model
//! interprets it, so the writer can reproduce what it did not understand.

/// A value in an attribute.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A number, as written (kept as text too so writing loses nothing).
    Number(f64, String),
    /// A double-quoted string, without the quotes.
    Quoted(String),
    /// A bare word or expression (e.g. `table_lookup`, `A1&A2`).
    Word(String),
}

impl Value {
    /// The value as text (numbers as written, strings unquoted).
    pub fn as_str(&self) -> &str {
        match self {
            Value::Number(_, s) | Value::Quoted(s) | Value::Word(s) => s,
        }
    }

    /// The value as a number, parsing quoted numbers too.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            Value::Number(v, _) => Some(*v),
            Value::Quoted(s) | Value::Word(s) => s.trim().parse().ok(),
        }
    }
}

/// An attribute: `name : value ;` (simple) or `name (v1, v2, ...) ;` (complex).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribute {
    /// The attribute name.
    pub name: String,
    /// Its values in order (one for the simple form).
    pub values: Vec<Value>,
    /// True for the `name : value` form.
    pub simple: bool,
    /// 1-based source line.
    pub line: u32,
    /// 1-based source column of the attribute name.
    pub column: u32,
}

/// A group: `kind (names) { attributes and subgroups }`.
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    /// The group kind, e.g. `cell`, `pin`, `timing`.
    pub kind: String,
    /// The names in parentheses after the kind (often one, sometimes none).
    pub names: Vec<Value>,
    /// Attributes in source order.
    pub attributes: Vec<Attribute>,
    /// Subgroups in source order.
    pub groups: Vec<Group>,
    /// Order of children as written, indexing `attributes` and `groups`.
    pub order: Vec<Child>,
    /// 1-based source line of the group header.
    pub line: u32,
    /// 1-based source column of the group kind.
    pub column: u32,
}

/// A child of a group, in source order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Child {
    /// Index into [`Group::attributes`].
    Attribute(usize),
    /// Index into [`Group::groups`].
    Group(usize),
}

impl Group {
    /// The first name, as text (e.g. the cell name of a `cell` group).
    pub fn name(&self) -> &str {
        self.names.first().map(Value::as_str).unwrap_or("")
    }

    /// The first attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        self.attributes.iter().find(|a| a.name == name)
    }

    /// The first value of the first attribute called `name`.
    pub fn value(&self, name: &str) -> Option<&Value> {
        self.attribute(name).and_then(|a| a.values.first())
    }

    /// Subgroups of a kind.
    pub fn groups_of<'a>(&'a self, kind: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups.iter().filter(move |g| g.kind == kind)
    }
}
