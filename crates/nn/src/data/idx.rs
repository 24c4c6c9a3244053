//! Reader for the IDX format of (Fashion-)MNIST.
//!
//! An IDX file is a 4-byte magic `00 00 TT DD` (TT = element type, 0x08 for
//! unsigned bytes; DD = number of dimensions), then DD big-endian u32 sizes,
//! then the elements in row-major order. Files may be gzip-compressed (the
//! Debian package ships them so); compression is detected by the gzip magic,
//! not by the file name.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::GzDecoder;

use crate::error::{NnError, Result};

/// IDX element type code of unsigned bytes.
const TYPE_U8: u8 = 0x08;

/// An IDX array of unsigned bytes, possibly cut to its first items.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdxU8 {
    /// Sizes of the dimensions as read (the first one cut to the items read).
    pub dims: Vec<usize>,
    /// Items along the first dimension according to the header.
    pub header_items: usize,
    /// Elements, row-major.
    pub data: Vec<u8>,
}

/// Read an IDX file of unsigned bytes with `expected_dims` dimensions,
/// keeping at most `max_items` entries along the first dimension.
///
/// Errors name the file and say what was expected: a wrong magic, a wrong
/// element type or dimension count, or data shorter than the header promises.
pub fn read_idx_u8(path: &Path, expected_dims: usize, max_items: Option<usize>) -> Result<IdxU8> {
    let file = File::open(path).map_err(|e| NnError::Io(located::FileError::of_path(path, e)))?;
    let file_len = file
        .metadata()
        .map_err(|e| NnError::Io(located::FileError::of_path(path, e)))?
        .len();
    let mut buf = BufReader::new(file);
    let mut head = [0u8; 2];
    let gz = {
        // Peek at the first two bytes to tell gzip from raw without relying on names.
        let filled = std::io::BufRead::fill_buf(&mut buf)
            .map_err(|e| NnError::Io(located::FileError::of_path(path, e)))?;
        if filled.len() >= 2 {
            head.copy_from_slice(&filled[..2]);
        }
        head == [0x1f, 0x8b]
    };
    let (mut reader, raw_len): (Box<dyn Read>, _) = if gz {
        (Box::new(GzDecoder::new(buf)), None)
    } else {
        (Box::new(buf), Some(file_len))
    };
    parse(path, &mut reader, raw_len, expected_dims, max_items)
}

fn read_exact(path: &Path, r: &mut dyn Read, out: &mut [u8], what: &str) -> Result<()> {
    r.read_exact(out).map_err(|e| {
        if e.kind() == std::io::ErrorKind::UnexpectedEof {
            NnError::Format(located::ContentError::of_path(
                path,
                format!("file ends inside the {what}"),
            ))
        } else {
            NnError::Io(located::FileError::of_path(path, e))
        }
    })
}

/// Parses the IDX stream `r`. `raw_len` is the file's length when `r` reads
/// it uncompressed: then a header that promises more data than the file
/// holds is refused before anything is allocated. Either way the data
/// buffer grows only as bytes arrive, so a lying header costs no memory.
fn parse(
    path: &Path,
    r: &mut dyn Read,
    raw_len: Option<u64>,
    expected_dims: usize,
    max_items: Option<usize>,
) -> Result<IdxU8> {
    let mut magic = [0u8; 4];
    read_exact(path, r, &mut magic, "4-byte IDX magic")?;
    let expected_magic = [0, 0, TYPE_U8, expected_dims as u8];
    if magic != expected_magic {
        return Err(NnError::Format(located::ContentError::of_path(
            path,
            format!(
                "IDX magic is 0x{:08x}, expected 0x{:08x} (unsigned bytes, {expected_dims} dimensions)",
                u32::from_be_bytes(magic),
                u32::from_be_bytes(expected_magic)
            ),
        )));
    }
    let mut dims = Vec::with_capacity(expected_dims);
    for i in 0..expected_dims {
        let mut d = [0u8; 4];
        read_exact(path, r, &mut d, &format!("size of dimension {i}"))?;
        dims.push(u32::from_be_bytes(d) as usize);
    }
    let items = max_items.map_or(dims[0], |m| m.min(dims[0]));
    let item_len: usize = dims[1..].iter().product();
    let len = items.checked_mul(item_len).ok_or_else(|| {
        NnError::Format(located::ContentError::of_path(
            path,
            format!("dimensions {dims:?} overflow"),
        ))
    })?;
    let ends_early = |have: u64| {
        NnError::Format(located::ContentError::of_path(
            path,
            format!(
                "header promises {items} items of {item_len} bytes but the data ends early \
                 ({have} bytes of data)"
            ),
        ))
    };
    let header_len = 4 + 4 * expected_dims as u64;
    if let Some(raw_len) = raw_len {
        if header_len + len as u64 > raw_len {
            return Err(ends_early(raw_len.saturating_sub(header_len)));
        }
    }
    let mut data = Vec::new();
    r.take(len as u64)
        .read_to_end(&mut data)
        .map_err(|e| NnError::Io(located::FileError::of_path(path, e)))?;
    if data.len() < len {
        return Err(ends_early(data.len() as u64));
    }
    if items == dims[0] {
        // Trailing bytes mean the header and the data disagree.
        let mut extra = [0u8; 1];
        let n = r
            .read(&mut extra)
            .map_err(|e| NnError::Io(located::FileError::of_path(path, e)))?;
        if n != 0 {
            return Err(NnError::Format(located::ContentError::of_path(
                path,
                format!("data is longer than the header's {} items", dims[0]),
            )));
        }
    }
    let header_items = dims[0];
    dims[0] = items;
    Ok(IdxU8 {
        dims,
        header_items,
        data,
    })
}
