//! Image data: the IDX file format and the Fashion-MNIST data set.

pub mod fashion;
pub mod idx;

pub use fashion::{Dataset, FashionMnist, Split, DEFAULT_FASHION_DIR};
pub use idx::{read_idx_u8, IdxU8};
