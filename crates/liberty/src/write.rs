//! Liberty writer: a library, or a subset of its cells, back to text.
