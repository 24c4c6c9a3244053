//! Fashion-MNIST as shipped by Debian's `dataset-fashion-mnist`.
//!
//! 60,000 training and 10,000 test images of 28×28 grey bytes with labels
//! 0–9, in four gzip-compressed IDX files.

use std::path::{Path, PathBuf};

use crate::data::idx::read_idx_u8;
use crate::error::{NnError, Result};

/// Where Debian's `dataset-fashion-mnist` installs the files.
pub const DEFAULT_FASHION_DIR: &str = "/usr/share/datasets/fashion-mnist";

/// Number of classes (labels 0–9).
pub const CLASSES: usize = 10;

/// Training or test part of the data set.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// The 60,000 training images.
    Train,
    /// The 10,000 test images.
    Test,
}

impl Split {
    fn file_stems(self) -> (&'static str, &'static str) {
        match self {
            Split::Train => ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
            Split::Test => ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
        }
    }
}

/// Images and labels of one split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dataset {
    /// Image height, pixels.
    pub rows: usize,
    /// Image width, pixels.
    pub cols: usize,
    /// Pixels, image-major then row-major, 0 = background.
    pub pixels: Vec<u8>,
    /// Class of each image, 0–9.
    pub labels: Vec<u8>,
    /// Images in the file this was read from (all of them, not only those
    /// loaded).
    pub file_images: usize,
}

impl Dataset {
    /// Number of images.
    pub fn len(&self) -> usize {
        self.labels.len()
    }

    /// True when there is no image.
    pub fn is_empty(&self) -> bool {
        self.labels.is_empty()
    }

    /// Pixels of image `i`.
    pub fn image(&self, i: usize) -> &[u8] {
        let n = self.rows * self.cols;
        &self.pixels[i * n..(i + 1) * n]
    }

    /// The first `n` images (all if fewer).
    pub fn head(&self, n: usize) -> Dataset {
        self.range(0, n)
    }

    /// `n` images from image `first` on (fewer at the end, none past it).
    pub fn range(&self, first: usize, n: usize) -> Dataset {
        let first = first.min(self.len());
        let end = first + n.min(self.len() - first);
        let px = self.rows * self.cols;
        Dataset {
            rows: self.rows,
            cols: self.cols,
            pixels: self.pixels[first * px..end * px].to_vec(),
            labels: self.labels[first..end].to_vec(),
            file_images: self.file_images,
        }
    }
}

/// The Fashion-MNIST files in one directory.
#[derive(Debug, Clone)]
pub struct FashionMnist {
    dir: PathBuf,
}

impl FashionMnist {
    /// Use the files in `dir` (see [`DEFAULT_FASHION_DIR`]).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        FashionMnist { dir: dir.into() }
    }

    /// The directory searched.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// Path of a file, preferring the gzip version Debian ships and falling
    /// back to an uncompressed one.
    fn find(&self, stem: &str) -> Result<PathBuf> {
        for name in [format!("{stem}.gz"), stem.to_string()] {
            let p = self.dir.join(&name);
            if p.is_file() {
                return Ok(p);
            }
        }
        Err(NnError::DatasetMissing {
            dir: self.dir.clone(),
            missing: format!("{stem}.gz"),
        })
    }

    /// Load the first `max_images` images (all when `None`) of `split`.
    pub fn load(&self, split: Split, max_images: Option<usize>) -> Result<Dataset> {
        let (img_stem, lbl_stem) = split.file_stems();
        let img_path = self.find(img_stem)?;
        let lbl_path = self.find(lbl_stem)?;
        let images = read_idx_u8(&img_path, 3, max_images)?;
        let labels = read_idx_u8(&lbl_path, 1, max_images)?;
        if images.header_items != labels.header_items || images.dims[0] != labels.dims[0] {
            return Err(NnError::Format(located::ContentError::of_path(
                &lbl_path,
                format!(
                    "{} labels but {} has {} images",
                    labels.header_items,
                    img_path.display(),
                    images.header_items
                ),
            )));
        }
        if let Some(pos) = labels.data.iter().position(|&l| l as usize >= CLASSES) {
            return Err(NnError::Format(located::ContentError::of_path(
                &lbl_path,
                format!(
                    "label {} of item {pos} is not a class 0–9",
                    labels.data[pos]
                ),
            )));
        }
        Ok(Dataset {
            rows: images.dims[1],
            cols: images.dims[2],
            pixels: images.data,
            labels: labels.data,
            file_images: images.header_items,
        })
    }
}
