//! Streaming CSV records with their raw bytes, physical line numbers and field columns.
//!
//! A thin buffer around [`csv_core`]: unlike `csv::Reader` it keeps each record's raw
//! bytes (quotes and all) in its buffer, so a problem can be located at the exact line
//! and character column of the offending field even when quoted fields span lines, and
//! a quoted field left open at the end of the file (which `csv_core` accepts) is caught.

use crate::import::Limits;
use csv_core::{ReadRecordResult, Reader as CoreReader, ReaderBuilder as CoreBuilder};
use std::io::{self, Read};

/// Why a record could not be read.
#[derive(Debug)]
pub(crate) enum RawError {
    Io(io::Error),
    /// Over one of the [`Limits`], at this line and character column.
    Limit {
        line: u64,
        column: u64,
        message: String,
    },
}

impl From<io::Error> for RawError {
    fn from(e: io::Error) -> Self {
        RawError::Io(e)
    }
}

const INITIAL_BUF: usize = 256 * 1024;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// Where each field of a record starts in its raw bytes, and whether a quoted field is left open.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct RawScan {
    /// Offset of each field's first byte (its opening quote, if quoted) in the raw record.
    pub starts: Vec<usize>,
    /// Offset of the end of the record (its terminator, or the end of the bytes).
    pub end: usize,
    /// Offset of the opening quote of a field that is never closed.
    pub unterminated: Option<usize>,
}

/// Find field starts in one raw record, following `csv_core`'s default dialect:
/// a quote opens a quoted field only as the field's first byte, `""` inside quotes
/// is a literal quote, and anything after a closing quote joins the field.
pub(crate) fn scan_raw(raw: &[u8], delimiter: u8, quote: u8) -> RawScan {
    scan_raw_until(raw, delimiter, quote, usize::MAX)
}

/// [`scan_raw`], stopping once the start of field `last` is known.
pub(crate) fn scan_raw_until(raw: &[u8], delimiter: u8, quote: u8, last: usize) -> RawScan {
    #[derive(Clone, Copy)]
    enum S {
        FieldStart,
        Unquoted,
        Quoted,
        AfterQuote,
    }
    let mut scan = RawScan {
        starts: vec![0],
        end: raw.len(),
        unterminated: None,
    };
    let mut state = S::FieldStart;
    let mut field_start = 0;
    for (i, &b) in raw.iter().enumerate() {
        state = match state {
            S::FieldStart | S::Unquoted | S::AfterQuote if b == delimiter => {
                if scan.starts.len() > last {
                    scan.end = i;
                    return scan;
                }
                field_start = i + 1;
                scan.starts.push(field_start);
                S::FieldStart
            }
            S::FieldStart | S::Unquoted | S::AfterQuote if b == b'\n' || b == b'\r' => {
                scan.end = i;
                return scan;
            }
            S::FieldStart if b == quote => S::Quoted,
            S::FieldStart | S::Unquoted => S::Unquoted,
            S::Quoted if b == quote => S::AfterQuote,
            S::Quoted => S::Quoted,
            S::AfterQuote if b == quote => S::Quoted,
            S::AfterQuote => S::Unquoted,
        };
    }
    if let S::Quoted = state {
        scan.unterminated = Some(field_start);
    }
    scan
}

/// Line offset (number of `\n` before `at`) and 1-based character column of byte `at` in `raw`,
/// where `raw` starts at the beginning of a line.
pub(crate) fn line_col(raw: &[u8], at: usize) -> (u64, u64) {
    let at = at.min(raw.len());
    let before = &raw[..at];
    let lines = before.iter().filter(|&&b| b == b'\n').count() as u64;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    // Characters, not bytes: count every byte that does not continue a UTF-8 sequence.
    let chars = before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count() as u64;
    (lines, chars + 1)
}

/// Reads records one at a time, keeping the current record's raw bytes.
pub(crate) struct RawReader<R> {
    input: R,
    core: CoreReader,
    delimiter: u8,
    buf: Vec<u8>,
    /// Next unconsumed byte in `buf`.
    pos: usize,
    /// End of valid data in `buf`.
    end: usize,
    /// Absolute file offset of `buf[0]`.
    base: u64,
    eof: bool,
    started: bool,
    fields: Vec<u8>,
    ends: Vec<usize>,
    nfields: usize,
    raw_start: usize,
    raw_end: usize,
    line: u64,
    at_eof: bool,
    utf16: bool,
    /// Length of the byte-order mark skipped at the start (0 or 3).
    bom_len: usize,
    /// Records read so far.
    records: u64,
    /// Limits on file, row and field size and on fields per row (defaults filled in).
    limits: Limits,
}

impl<R: Read> RawReader<R> {
    pub fn new(input: R, delimiter: u8) -> Self {
        RawReader {
            input,
            core: CoreBuilder::new().delimiter(delimiter).build(),
            delimiter,
            buf: vec![0; INITIAL_BUF],
            pos: 0,
            end: 0,
            base: 0,
            eof: false,
            started: false,
            fields: vec![0; 4096],
            ends: vec![0; 64],
            nfields: 0,
            raw_start: 0,
            raw_end: 0,
            line: 1,
            at_eof: false,
            utf16: false,
            bom_len: 0,
            records: 0,
            limits: Limits::default(),
        }
    }

    /// Enforce `limits` (their defaults for zeros) from now on.
    pub fn set_limits(&mut self, limits: &Limits) {
        self.limits = limits.effective();
    }

    /// The limit error for the record starting at `rec_start` (on line `line0`), whose
    /// raw bytes so far end at `self.pos`: at the start of field `field`, if given.
    fn limit_error(
        &self,
        rec_start: usize,
        line0: u64,
        field: Option<usize>,
        message: String,
    ) -> RawError {
        let raw = &self.buf[rec_start..self.pos];
        let lead = raw
            .iter()
            .position(|&b| b != b'\n' && b != b'\r')
            .unwrap_or(raw.len());
        let line = line0 + raw[..lead].iter().filter(|&&b| b == b'\n').count() as u64;
        let raw = &raw[lead..];
        let at = field.map_or(0, |f| {
            let scan = scan_raw_until(raw, self.delimiter, b'"', f);
            scan.starts.get(f).copied().unwrap_or(scan.end)
        });
        let (dl, column) = line_col(raw, at);
        RawError::Limit {
            line: line + dl,
            column,
            message,
        }
    }

    /// Bytes of the input consumed so far (a byte-order mark included).
    pub fn consumed(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Read more input after `end`, moving the bytes from `keep` on to the front
    /// or growing the buffer when it is full. Returns the new position of `keep`.
    fn fill(&mut self, keep: usize) -> io::Result<usize> {
        let mut keep = keep;
        if self.end == self.buf.len() || keep >= self.buf.len() / 2 {
            if keep > 0 {
                self.buf.copy_within(keep..self.end, 0);
                self.pos -= keep;
                self.end -= keep;
                self.base += keep as u64;
                keep = 0;
            }
            if self.end == self.buf.len() {
                let n = self.buf.len() * 2;
                self.buf.resize(n, 0);
            }
        }
        loop {
            match self.input.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    break;
                }
                Ok(n) => {
                    self.end += n;
                    break;
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        }
        Ok(keep)
    }

    /// Skip a UTF-8 byte-order mark at the start of the input.
    fn skip_bom(&mut self) -> io::Result<()> {
        while self.end < BOM.len() && !self.eof {
            self.fill(0)?;
        }
        let head = &self.buf[..self.end];
        if head.starts_with(BOM) {
            self.pos = BOM.len();
            self.bom_len = BOM.len();
        }
        self.utf16 = head.starts_with(b"\xFF\xFE") || head.starts_with(b"\xFE\xFF");
        Ok(())
    }

    /// Read the next record; `Ok(false)` at the end of the input.
    pub fn next_record(&mut self) -> Result<bool, RawError> {
        if !self.started {
            self.started = true;
            self.skip_bom()?;
        }
        let mut rec_start = self.pos;
        let line0 = self.core.line();
        let (mut outlen, mut endlen) = (0usize, 0usize);
        loop {
            if self.pos == self.end && !self.eof {
                rec_start = self.fill(rec_start)?;
                continue;
            }
            let (res, nin, nout, nend) = self.core.read_record(
                &self.buf[self.pos..self.end],
                &mut self.fields[outlen..],
                &mut self.ends[endlen..],
            );
            self.pos += nin;
            outlen += nout;
            endlen += nend;
            let lim = self.limits;
            if self.base + self.end as u64 > lim.max_file_bytes {
                let max = lim.max_file_bytes;
                let msg = format!("the file is larger than the limit of {max} bytes");
                return Err(self.limit_error(rec_start, line0, None, msg));
            }
            if self.pos - rec_start > lim.max_record_bytes {
                let max = lim.max_record_bytes;
                let msg =
                    format!("a row of more than {max} bytes exceeds the limit of {max} bytes");
                return Err(self.limit_error(rec_start, line0, None, msg));
            }
            if endlen > lim.max_columns {
                let max = lim.max_columns;
                let msg =
                    format!("a row of more than {max} fields exceeds the limit of {max} fields");
                return Err(self.limit_error(rec_start, line0, Some(max), msg));
            }
            // Every field of a finished record, or the field being read.
            let long = if res == ReadRecordResult::Record {
                (0..endlen).find(|&i| {
                    let start = if i == 0 { 0 } else { self.ends[i - 1] };
                    self.ends[i] - start > lim.max_string_bytes
                })
            } else {
                let start = if endlen == 0 {
                    0
                } else {
                    self.ends[endlen - 1]
                };
                (outlen - start > lim.max_string_bytes).then_some(endlen)
            };
            if let Some(field) = long {
                let max = lim.max_string_bytes;
                let msg =
                    format!("a field of more than {max} bytes exceeds the limit of {max} bytes");
                return Err(self.limit_error(rec_start, line0, Some(field), msg));
            }
            match res {
                ReadRecordResult::InputEmpty => {
                    if self.eof {
                        // csv_core always finishes on empty input; never spin.
                        return Ok(false);
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.fields.len() * 2;
                    self.fields.resize(n, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                ReadRecordResult::Record => {
                    self.nfields = endlen;
                    // Skip the line terminators csv_core discarded before the record.
                    let raw = &self.buf[rec_start..self.pos];
                    let lead = raw
                        .iter()
                        .position(|&b| b != b'\n' && b != b'\r')
                        .unwrap_or(raw.len());
                    let skipped_lines = raw[..lead].iter().filter(|&&b| b == b'\n').count();
                    self.line = line0 + skipped_lines as u64;
                    self.raw_start = rec_start + lead;
                    self.raw_end = self.pos;
                    self.at_eof = self.eof && self.pos == self.end;
                    self.records += 1;
                    return Ok(true);
                }
                ReadRecordResult::End => return Ok(false),
            }
        }
    }

    /// Read the input again from the start with another delimiter. Only possible
    /// while the first record is the only one read; returns whether it restarted.
    pub fn restart_with_delimiter(&mut self, delimiter: u8) -> bool {
        if self.records != 1 || self.base > self.bom_len as u64 {
            return false;
        }
        self.pos = self.bom_len - self.base as usize;
        self.core = CoreBuilder::new().delimiter(delimiter).build();
        self.delimiter = delimiter;
        self.nfields = 0;
        self.records = 0;
        true
    }

    /// Whether the input starts with a UTF-16 byte-order mark (read after the first record).
    pub fn is_utf16(&self) -> bool {
        self.utf16
    }

    /// Number of fields of the current record.
    pub fn len(&self) -> usize {
        self.nfields
    }

    /// The current record's unescaped field bytes, back to back, and where each field ends.
    pub fn parts(&self) -> (&[u8], &[usize]) {
        let ends = &self.ends[..self.nfields];
        let total = ends.last().copied().unwrap_or(0);
        (&self.fields[..total], ends)
    }

    /// The unescaped bytes of field `i`.
    pub fn field(&self, i: usize) -> Option<&[u8]> {
        let end = *self.ends[..self.nfields].get(i)?;
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..end)
    }

    /// Raw bytes of the current record, from its first byte to (at most) its terminator.
    pub fn raw(&self) -> &[u8] {
        &self.buf[self.raw_start..self.raw_end]
    }

    /// Physical line (1-based) where the current record starts.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Whether the current record ended at the end of the input (so a quoted
    /// field may have been left open).
    pub fn at_eof(&self) -> bool {
        self.at_eof
    }

    /// Field starts of the current record.
    pub fn scan(&self) -> RawScan {
        scan_raw(self.raw(), self.delimiter, b'"')
    }

    /// Line and column where field `i` of the current record starts (scanning no further).
    pub fn field_position(&self, i: usize) -> Option<(u64, u64)> {
        let scan = scan_raw_until(self.raw(), self.delimiter, b'"', i);
        scan.starts.get(i).map(|&at| self.position(at))
    }

    /// Line and column of byte `at` of the current record's raw bytes.
    pub fn position(&self, at: usize) -> (u64, u64) {
        let (dl, col) = line_col(self.raw(), at);
        (self.line + dl, col)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(input: &[u8]) -> Vec<(u64, Vec<String>, String)> {
        let mut r = RawReader::new(input, b',');
        let mut out = Vec::new();
        while r.next_record().unwrap() {
            let fields = (0..r.len())
                .map(|i| String::from_utf8_lossy(r.field(i).unwrap()).into_owned())
                .collect();
            out.push((
                r.line(),
                fields,
                String::from_utf8_lossy(r.raw()).into_owned(),
            ));
        }
        out
    }

    #[test]
    fn lines_with_crlf_blank_lines_and_multiline_fields() {
        let got = records(b"a,b\r\n1,\"x\r\ny\"\r\n\r\n2,z");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].0, 1);
        assert_eq!(got[1].0, 2);
        assert_eq!(got[1].1, vec!["1", "x\r\ny"]);
        assert_eq!(got[2].0, 5);
        assert_eq!(got[2].2, "2,z");
    }

    #[test]
    fn restart_with_another_delimiter() {
        for input in [&b"a;b\n1;2\n"[..], b"\xEF\xBB\xBF\n\na;b\n1;2\n"] {
            let mut r = RawReader::new(input, b',');
            assert!(r.next_record().unwrap());
            assert_eq!(r.len(), 1);
            assert!(r.restart_with_delimiter(b';'));
            assert!(r.next_record().unwrap());
            assert_eq!((r.len(), r.field(1)), (2, Some(&b"b"[..])));
            assert!(r.next_record().unwrap());
            assert!(!r.restart_with_delimiter(b','));
            assert_eq!((r.len(), r.field(1)), (2, Some(&b"2"[..])));
        }
    }

    #[test]
    fn bom_is_skipped() {
        let got = records(b"\xEF\xBB\xBFlat,lon\n1,2\n");
        assert_eq!(got[0].1, vec!["lat", "lon"]);
    }

    #[test]
    fn tiny_buffer_growth_keeps_records_whole() {
        let mut big = b"h1,h2\n".to_vec();
        let long = "é".repeat(300_000);
        big.extend_from_slice(format!("\"{long}\",2\n3,4\n").as_bytes());
        let got = records(&big);
        assert_eq!(got[1].1[0], long);
        assert_eq!(got[2].0, 3);
    }

    #[test]
    fn scan_finds_fields_and_open_quotes() {
        let s = scan_raw(b"ab,\"c,d\"\"e\",f\n", b',', b'"');
        assert_eq!(s.starts, vec![0, 3, 12]);
        assert_eq!(s.unterminated, None);
        assert_eq!(
            scan_raw_until(b"ab,\"c,d\"\"e\",f\n", b',', b'"', 1).starts,
            vec![0, 3]
        );
        let s = scan_raw(b"ab,\"c,d\nmore", b',', b'"');
        assert_eq!(s.unterminated, Some(3));
        assert_eq!(line_col("é,\nxé,z".as_bytes(), 8), (1, 4));
    }
}
