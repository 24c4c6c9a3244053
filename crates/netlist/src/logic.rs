//! Zero-delay, bit-parallel logic evaluation from the Liberty functions.
