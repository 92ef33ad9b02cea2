//! Line and column (in characters) of byte offsets, for a file read in chunks.
//!
//! Only the chunk in memory is scanned: the tracker remembers the line and column
//! at the start of the buffer and moves forward as consumed bytes are dropped.
//! Lookups are incremental, so many problems in one chunk cost one pass over it.

/// Position tracker for the buffer of a chunked reader.
#[derive(Debug, Clone)]
pub struct Lines {
    /// File offset of buffer offset 0.
    pub base: u64,
    /// 1-based line of buffer offset 0.
    line0: u64,
    /// Characters between the start of that line and buffer offset 0.
    col0: u64,
    /// Cached lookup: buffer offset, its line and its column (0-based).
    cpos: usize,
    cline: u64,
    ccol: u64,
}

impl Default for Lines {
    fn default() -> Self {
        Lines {
            base: 0,
            line0: 1,
            col0: 0,
            cpos: 0,
            cline: 1,
            ccol: 0,
        }
    }
}

fn chars(b: &[u8]) -> u64 {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count() as u64
}

impl Lines {
    /// 1-based line and column of buffer offset `at` in `buf`.
    pub fn locate(&mut self, buf: &[u8], at: usize) -> (u64, u64) {
        let at = at.min(buf.len());
        if at < self.cpos {
            self.cpos = 0;
            self.cline = self.line0;
            self.ccol = self.col0;
        }
        let seg = &buf[self.cpos..at];
        let n = memchr::memchr_iter(b'\n', seg).count() as u64;
        if n > 0 {
            self.cline += n;
            let last = memchr::memrchr(b'\n', seg).map_or(0, |i| i + 1);
            self.ccol = chars(&seg[last..]);
        } else {
            self.ccol += chars(seg);
        }
        self.cpos = at;
        (self.cline, self.ccol + 1)
    }

    /// The first `n` bytes of `buf` are being dropped from the buffer.
    pub fn consume(&mut self, buf: &[u8], n: usize) {
        self.locate(buf, n);
        self.base += n as u64;
        self.line0 = self.cline;
        self.col0 = self.ccol;
        self.cpos = 0;
    }

    /// Drop `n` bytes that do not count as characters (a byte-order mark).
    pub fn skip_invisible(&mut self, n: usize) {
        self.base += n as u64;
        self.cpos = 0;
        self.cline = self.line0;
        self.ccol = self.col0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn across_chunks() {
        let text = "ab\ncdé\nfg";
        let b = text.as_bytes();
        let mut l = Lines::default();
        assert_eq!(l.locate(b, 0), (1, 1));
        assert_eq!(l.locate(b, 7), (2, 4)); // after "cdé"
        assert_eq!(l.locate(b, 3), (2, 1)); // backwards works
        l.consume(b, 5); // drop "ab\ncd"
        let rest = &b[5..];
        assert_eq!(l.locate(rest, 0), (2, 3));
        assert_eq!(l.locate(rest, 3), (3, 1));
        assert_eq!(l.base, 5);
    }
}
