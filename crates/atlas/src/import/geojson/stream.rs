//! The chunked, parallel reader: finds the `features` array of the top-level
//! object, parses the features of each chunk on several threads, and hands them to
//! a [`Target`] in file order.
//!
//! The file is read in chunks of [`CHUNK`] bytes; a feature cut by the end of a
//! chunk is carried over to the next. Within a chunk, thread 0 parses from the
//! start; each other thread starts at a guessed feature boundary (`}` `,` `{`)
//! further on. A guess is used only if the thread before it ends exactly there,
//! so a wrong guess (say, inside a string) costs time, never correctness.

use super::cursor::{found, skip_structural, Caps, Cursor, Kind, PErr, PResult};
use super::lines::Lines;
use crate::import::{ImportError, ImportOptions, ImportReport, Limits};
use crate::problem::{Location, Mode, Problem, Record};
use std::io::Read;
use std::sync::atomic::Ordering;

/// Bytes read per chunk.
pub const CHUNK: usize = 16 << 20;
/// Below this many bytes a chunk is parsed on one thread.
const PARALLEL_MIN: usize = 1 << 20;

/// What the features are read into.
///
/// Each parser thread adds the features it parses to a batch of its own (for incidents,
/// a column store: the copying and string interning happen on every thread); the
/// batches are then accepted in file order.
pub trait Target {
    /// A parsed feature, possibly borrowing from the buffer.
    type Item<'a>;
    /// Features parsed by one thread, in file order.
    type Batch: Send + Default;
    /// Parse one feature at the cursor.
    fn parse<'a>(c: &mut Cursor<'a>) -> PResult<Self::Item<'a>>;
    /// The file is a bare geometry object starting at the cursor.
    fn bare_geometry<'a>(c: &mut Cursor<'a>) -> PResult<Self::Item<'a>>;
    /// Add a parsed feature to a batch; `ordinal` is its position among the features
    /// the batch's thread has seen (rejected ones included).
    fn add(batch: &mut Self::Batch, item: Self::Item<'_>, ordinal: u64);
    /// Keep a batch; `first` is the 0-based file index of its ordinal 0.
    fn accept(&mut self, batch: Self::Batch, first: u64, report: &mut ImportReport);
}

/// The parser state at a resume point inside the features array.
#[derive(Debug, Clone, Copy)]
enum St {
    /// Expecting a feature (or `]` if `first`); `comma` is the offset of the preceding comma.
    Element { first: bool, comma: Option<usize> },
    /// After a feature: expecting `,` or `]`.
    Separator,
}

enum End {
    /// Stopped before a feature starting at or after the limit, at this offset.
    Limit(usize),
    /// The features array closed; offset just after `]`.
    Closed(usize),
    /// The buffer ended; resume at `at` in state `st`. `pending` is an error found in a
    /// feature whose end could not be found yet.
    Incomplete {
        at: usize,
        st: St,
        pending: Option<PErr>,
    },
    /// Over a limit: the file is refused.
    Refused(PErr),
    /// The rest of the file cannot be read.
    Fatal(PErr),
    /// Strict mode stopped at the bad feature that ends the item list.
    Stopped,
}

/// What one thread parsed: its features in a batch, the problems of those it rejected
/// (with their ordinals), the offset where each feature starts, and where it stopped.
struct Seg<B> {
    batch: B,
    errs: Vec<(u64, PErr)>,
    starts: Vec<usize>,
    end: End,
}

impl<B> Seg<B> {
    fn count(&self) -> u64 {
        self.starts.len() as u64
    }
}

fn segment<T: Target>(
    s: &str,
    mut pos: usize,
    mut st: St,
    limit: usize,
    strict: bool,
    caps: Caps,
) -> Seg<T::Batch> {
    let mut out = Seg {
        batch: T::Batch::default(),
        errs: Vec::new(),
        starts: Vec::new(),
        end: End::Stopped,
    };
    // The outcome, with what was parsed so far.
    macro_rules! done {
        ($end:expr) => {{
            out.end = $end;
            return out;
        }};
    }
    loop {
        let mut c = Cursor::with_caps(s, pos, 2, caps);
        match st {
            St::Separator => match c.peek_ws() {
                None => {
                    let end = End::Incomplete {
                        at: pos,
                        st,
                        pending: None,
                    };
                    done!(end);
                }
                Some(b',') => {
                    st = St::Element {
                        first: false,
                        comma: Some(c.pos),
                    };
                    pos = c.pos + 1;
                }
                Some(b']') => {
                    done!(End::Closed(c.pos + 1))
                }
                Some(ch) => {
                    let e = PErr::syntax(
                        c.pos,
                        format!("expected ',' or ']' after a feature, found {}", show(ch)),
                    );
                    done!(End::Fatal(e));
                }
            },
            St::Element { first, comma } => {
                let Some(ch) = c.peek_ws() else {
                    let end = End::Incomplete {
                        at: pos,
                        st,
                        pending: None,
                    };
                    done!(end);
                };
                if ch == b']' {
                    let end = if first {
                        End::Closed(c.pos + 1)
                    } else {
                        End::Fatal(PErr::syntax(comma.unwrap_or(c.pos), "trailing comma"))
                    };
                    done!(end);
                }
                let start = c.pos;
                if start >= limit {
                    done!(End::Limit(start));
                }
                match T::parse(&mut c) {
                    Ok(_) if c.pos - start > caps.record => {
                        let end = End::Refused(record_too_big(start, caps.record));
                        done!(end);
                    }
                    Ok(item) => {
                        T::add(&mut out.batch, item, out.starts.len() as u64);
                        out.starts.push(start);
                        pos = c.pos;
                        st = St::Separator;
                    }
                    Err(e) if e.kind == Kind::Limit => {
                        done!(End::Refused(e));
                    }
                    Err(e) if e.kind == Kind::Incomplete => {
                        let end = End::Incomplete {
                            at: pos,
                            st,
                            pending: None,
                        };
                        done!(end);
                    }
                    Err(e) if strict => {
                        out.errs.push((out.starts.len() as u64, e));
                        out.starts.push(start);
                        done!(End::Stopped);
                    }
                    Err(e) => match skip_structural(s, start, 2) {
                        Ok(end) => {
                            out.errs.push((out.starts.len() as u64, e));
                            out.starts.push(start);
                            pos = end;
                            st = St::Separator;
                        }
                        Err(e2) if e2.kind == Kind::Incomplete => {
                            let end = End::Incomplete {
                                at: pos,
                                st,
                                pending: Some(e),
                            };
                            done!(end);
                        }
                        Err(_) => {
                            done!(End::Fatal(e))
                        }
                    },
                }
            }
        }
    }
}

/// A feature over [`Caps::record`] bytes, starting at `at`.
fn record_too_big(at: usize, max: usize) -> PErr {
    PErr::limit(
        at,
        format!("a feature of more than {max} bytes exceeds the limit of {max} bytes"),
    )
}

fn show(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else {
        format!("byte 0x{c:02X}")
    }
}

/// A likely feature start at or after `from`: a `{` preceded by `,` preceded by `}`.
fn find_split(b: &[u8], from: usize, end: usize) -> Option<usize> {
    let stop = end.min(from.saturating_add(1 << 20));
    let mut i = from;
    while i < stop {
        let j = i + memchr::memchr(b'{', b.get(i..stop)?)?;
        let mut k = j;
        while k > 0 && b[k - 1].is_ascii_whitespace() {
            k -= 1;
        }
        if k > 0 && b[k - 1] == b',' {
            k -= 1;
            while k > 0 && b[k - 1].is_ascii_whitespace() {
                k -= 1;
            }
            if k > 0 && b[k - 1] == b'}' {
                return Some(j);
            }
        }
        i = j + 1;
    }
    None
}

/// The top-level object, as far as the start of the features array.
enum Header {
    /// `features` found: parsing continues at `pos` (just inside `[`).
    Features {
        open: usize,
        pos: usize,
        ty: Option<(String, usize)>,
    },
    /// No `features` member: the whole object is `open..end`.
    Whole {
        open: usize,
        end: usize,
        ty: Option<(String, usize)>,
    },
}

fn header(c: &mut Cursor<'_>) -> PResult<Header> {
    let ch = c.next_ws()?;
    if ch != b'{' {
        if found(ch) == "something that is not JSON" {
            return Err(c.bad_value_start(c.pos));
        }
        return Err(PErr::value(
            c.pos,
            format!(
                "the top-level value must be a GeoJSON object (FeatureCollection, Feature or geometry), found {}",
                found(ch)
            ),
        ));
    }
    let open = c.pos;
    c.enter()?;
    let mut ty = None;
    let mut first = true;
    while let Some((key, _)) = c.next_key(&mut first)? {
        match &*key {
            "features"
                if ty
                    .as_ref()
                    .is_none_or(|(t, _): &(String, usize)| t == "FeatureCollection") =>
            {
                let ch = c.next_ws()?;
                if ch != b'[' {
                    return Err(c.type_error(ch, "\"features\" must be an array"));
                }
                c.enter()?;
                return Ok(Header::Features {
                    open,
                    pos: c.pos,
                    ty,
                });
            }
            "type" => {
                let ch = c.next_ws()?;
                let at = c.pos;
                if ch != b'"' {
                    return Err(c.type_error(ch, "\"type\" must be a string"));
                }
                ty = Some((c.string()?.into_owned(), at));
            }
            _ => c.skip_value()?,
        }
    }
    Ok(Header::Whole {
        open,
        end: c.pos,
        ty,
    })
}

/// The file being read: its buffer.
struct Io<R> {
    rdr: R,
    buf: Vec<u8>,
    eof: bool,
    /// Bytes read from `rdr` so far (against [`Limits::max_file_bytes`]).
    total: u64,
}

/// Everything else about the import: positions, options, the report.
struct Ctx {
    lines: Lines,
    file: String,
    opts: ImportOptions,
    report: ImportReport,
    /// Features seen so far (the index of the next one).
    index: u64,
    /// The import's limits (defaults filled in), and those the tokenizer checks.
    limits: Limits,
    caps: Caps,
}

impl Ctx {
    fn problem(&mut self, buf: &[u8], at: usize, msg: String, record: Option<u64>) -> Problem {
        let (line, col) = self.lines.locate(buf, at);
        Problem::new(
            Location {
                file: self.file.clone(),
                line: Some(line),
                column: Some(col),
                record: record.map(Record::Feature),
            },
            msg,
        )
    }

    /// A limit exceeded at byte `at` of the buffer: the file is refused.
    fn refuse(&mut self, buf: &[u8], at: usize, msg: String, record: Option<u64>) -> ImportError {
        ImportError::Limit(self.problem(buf, at, msg, record))
    }

    fn strict(&self) -> bool {
        self.opts.mode == Mode::Strict
    }

    /// A problem with one feature (or the top-level object): strict mode fails, lenient reports.
    fn reject(&mut self, p: Problem, counts_as_rejected: bool) -> Result<(), ImportError> {
        if self.strict() {
            return Err(ImportError::Invalid(p));
        }
        if counts_as_rejected {
            self.report.rejected += 1;
        }
        let cap = self.opts.problem_cap();
        self.report.add_problem(p, cap);
        Ok(())
    }

    /// A problem after which the rest of the file cannot be read.
    fn fatal(&mut self, mut p: Problem) -> Result<(), ImportError> {
        if self.strict() {
            return Err(ImportError::Invalid(p));
        }
        p.message
            .push_str("; the rest of the file cannot be read, so loading stopped here");
        let cap = self.opts.problem_cap();
        self.report.add_problem(p, cap);
        Ok(())
    }
}

impl<R: Read> Io<R> {
    /// Read one more chunk (appending). Returns false at the end of the file.
    fn fill(&mut self, ctx: &mut Ctx) -> Result<bool, ImportError> {
        if self.eof {
            return Ok(false);
        }
        if let Some(p) = &ctx.opts.progress {
            if p.cancelled() {
                return Err(ImportError::Cancelled);
            }
        }
        self.buf.reserve(CHUNK);
        let before = self.buf.len();
        let n = (&mut self.rdr)
            .take(CHUNK as u64)
            .read_to_end(&mut self.buf)
            .map_err(|e| ImportError::Io {
                file: ctx.file.clone(),
                source: e,
            })?;
        if n == 0 {
            self.eof = true;
        }
        self.total += n as u64;
        let max = ctx.limits.max_file_bytes;
        if self.total > max {
            let over = (self.total - max).min(self.buf.len() as u64) as usize;
            let at = self.buf.len() - over;
            let msg = format!("the file is larger than the limit of {max} bytes");
            return Err(ctx.refuse(&self.buf, at, msg, None));
        }
        if before == 0 && ctx.lines.base == 0 && self.buf.starts_with(b"\xEF\xBB\xBF") {
            self.buf.drain(..3);
            ctx.lines.skip_invisible(3);
        }
        if let Some(p) = &ctx.opts.progress {
            p.bytes_read.fetch_add(n as u64, Ordering::Relaxed);
        }
        Ok(n > 0)
    }

    /// Drop the first `n` bytes of the buffer.
    fn consume(&mut self, ctx: &mut Ctx, n: usize) {
        let n = n.min(self.buf.len());
        ctx.lines.consume(&self.buf, n);
        self.buf.drain(..n);
    }

    /// The valid UTF-8 prefix of the buffer, and the offset of an invalid byte if there
    /// is one (or of an incomplete character at the end of the file).
    fn text(&self) -> (&str, Option<usize>) {
        // The SIMD check is several times faster on valid text; std says where it is not.
        if let Ok(s) = simdutf8::basic::from_utf8(&self.buf) {
            return (s, None);
        }
        match std::str::from_utf8(&self.buf) {
            Ok(s) => (s, None),
            Err(e) => {
                let v = e.valid_up_to();
                let s = std::str::from_utf8(&self.buf[..v]).unwrap_or_default();
                if e.error_len().is_some() || self.eof {
                    (s, Some(v))
                } else {
                    (s, None)
                }
            }
        }
    }

    /// The input ran out with nothing more to read: explain why.
    fn end_problem(&self, ctx: &mut Ctx, bad: Option<usize>, context: &str) -> Problem {
        if let Some(b) = bad {
            let byte = ctx.lines.base + b as u64;
            let idx = ctx.index;
            return ctx.problem(
                &self.buf,
                b,
                format!("invalid UTF-8 at byte {byte}"),
                Some(idx),
            );
        }
        if ctx.lines.base <= 3 && self.buf.iter().all(|c| c.is_ascii_whitespace()) {
            return ctx.problem(&self.buf, 0, "file is empty".into(), None);
        }
        ctx.problem(
            &self.buf,
            self.buf.len(),
            format!("unexpected end of file: the file is truncated{context}"),
            None,
        )
    }
}

/// Read a GeoJSON file into `target`.
pub fn read<R: Read, T: Target>(
    rdr: R,
    file: &str,
    opts: &ImportOptions,
    target: &mut T,
) -> Result<ImportReport, ImportError> {
    let mut io = Io {
        rdr,
        buf: Vec::new(),
        eof: false,
        total: 0,
    };
    let mut ctx = Ctx {
        lines: Lines::default(),
        file: file.to_string(),
        opts: opts.clone(),
        report: ImportReport {
            file: file.to_string(),
            ..Default::default()
        },
        index: 0,
        limits: opts.limits.effective(),
        caps: Caps::of(&opts.limits),
    };
    io.fill(&mut ctx)?;
    // The top-level object up to its features array.
    let hdr = loop {
        let (s, bad) = io.text();
        match header(&mut Cursor::with_caps(s, 0, 0, ctx.caps)) {
            Ok(h) => break h,
            Err(e) if e.kind == Kind::Incomplete => {
                let max = ctx.caps.record;
                if io.buf.len() > max {
                    let msg = format!("more than {max} bytes before the first feature (or in a single Feature or geometry) exceed the limit of {max} bytes");
                    return Err(ctx.refuse(&io.buf, 0, msg, None));
                }
                if bad.is_none() && io.fill(&mut ctx)? {
                    continue;
                }
                let p = io.end_problem(&mut ctx, bad, "");
                return Err(ImportError::Invalid(p));
            }
            Err(e) if e.kind == Kind::Limit => {
                return Err(ctx.refuse(&io.buf, e.at, e.msg, None));
            }
            Err(e) => {
                let p = ctx.problem(&io.buf, e.at, e.msg, None);
                return Err(ImportError::Invalid(p));
            }
        }
    };
    match hdr {
        Header::Whole { open, end, ty } => whole(&mut io, &mut ctx, target, open, end, ty)?,
        Header::Features { open, pos, ty } => {
            let top = ctx.problem(&io.buf, open, String::new(), None).location;
            // A "type" seen before "features" is checked now; one after it, at the end.
            if let Some((t, at)) = &ty {
                if t != "FeatureCollection" {
                    let msg = format!("top-level \"type\" must be \"FeatureCollection\" for an object with \"features\", found {t:?}");
                    let p = ctx.problem(&io.buf, *at, msg, None);
                    ctx.reject(p, false)?;
                }
            }
            if let Some(after) = features(&mut io, &mut ctx, target, pos)? {
                trailer(&mut io, &mut ctx, after, ty.is_some(), top)?;
            }
        }
    }
    if let Some(p) = &opts.progress {
        p.records.store(ctx.index, Ordering::Relaxed);
    }
    Ok(ctx.report)
}

/// The features array from `pos`. Returns the offset after its `]`, or `None` if loading stopped.
fn features<R: Read, T: Target>(
    io: &mut Io<R>,
    ctx: &mut Ctx,
    target: &mut T,
    mut pos: usize,
) -> Result<Option<usize>, ImportError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8);
    let strict = ctx.strict();
    let caps = ctx.caps;
    let max_records = ctx.limits.max_records;
    let mut st = St::Element {
        first: true,
        comma: None,
    };
    loop {
        let (s, bad) = io.text();
        let end = s.len();
        // Segment starts: `pos`, then guessed feature boundaries.
        let mut starts = vec![pos];
        if threads > 1 && end - pos >= PARALLEL_MIN {
            let step = (end - pos) / threads;
            for k in 1..threads {
                if let Some(g) = find_split(&io.buf[..end], pos + k * step, end) {
                    if starts.last().is_some_and(|&l| g > l) {
                        starts.push(g);
                    }
                }
            }
        }
        let outcome = {
            let buf: &[u8] = &io.buf;
            let limit = |k: usize| starts.get(k + 1).copied().unwrap_or(usize::MAX);
            let after_elem = St::Element {
                first: false,
                comma: None,
            };
            let mut segs: Vec<Option<Seg<T::Batch>>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (1..starts.len())
                    .map(|k| {
                        let (a, l) = (starts[k], limit(k));
                        scope.spawn(move || segment::<T>(s, a, after_elem, l, strict, caps))
                    })
                    .collect();
                let mut v = vec![Some(segment::<T>(s, pos, st, limit(0), strict, caps))];
                for h in handles {
                    v.push(h.join().ok());
                }
                v
            });
            // Merge in file order, following the chain of segments that line up.
            let mut k = 0usize;
            let mut cur = segs.first_mut().and_then(Option::take);
            let outcome = loop {
                let Some(seg) = cur.take() else {
                    break End::Fatal(PErr::syntax(pos, "internal error: a parser thread failed"));
                };
                let first = ctx.index;
                // The ordinal of the first feature over the limit, if this segment has one.
                let over = (first + seg.count() > max_records).then(|| max_records - first);
                let refuse_over = |ctx: &mut Ctx, o: u64| {
                    let msg = format!("more than {max_records} features exceed the limit of {max_records} features");
                    let at = seg.starts.get(o as usize).copied().unwrap_or(0);
                    ctx.refuse(buf, at, msg, Some(first + o))
                };
                for (ord, e) in &seg.errs {
                    if let Some(o) = over.filter(|&o| o <= *ord) {
                        return Err(refuse_over(ctx, o));
                    }
                    let p = ctx.problem(buf, e.at, e.msg.clone(), Some(first + ord));
                    ctx.reject(p, true)?;
                }
                if let Some(o) = over {
                    return Err(refuse_over(ctx, o));
                }
                ctx.index += seg.count();
                let Seg { batch, end, .. } = seg;
                target.accept(batch, first, &mut ctx.report);
                match end {
                    End::Limit(p) => {
                        if let Some(j) = starts.iter().position(|&a| a == p).filter(|&j| j > k) {
                            k = j;
                            cur = segs.get_mut(j).and_then(Option::take);
                        } else {
                            // The guess was wrong: go on serially from `p`.
                            let next = starts.iter().position(|&a| a > p);
                            let l = next.map_or(usize::MAX, |j| starts[j]);
                            k = next.map_or(starts.len(), |j| j - 1);
                            cur = Some(segment::<T>(s, p, after_elem, l, strict, caps));
                        }
                    }
                    other => break other,
                }
            };
            outcome
        };
        if let Some(p) = &ctx.opts.progress {
            p.records.store(ctx.index, Ordering::Relaxed);
        }
        match outcome {
            End::Closed(after) => return Ok(Some(after)),
            End::Limit(_) | End::Stopped => return Ok(None),
            End::Refused(e) => {
                let idx = ctx.index;
                return Err(ctx.refuse(&io.buf, e.at, e.msg, Some(idx)));
            }
            End::Fatal(e) => {
                let idx = ctx.index;
                let p = ctx.problem(&io.buf, e.at, e.msg, Some(idx));
                ctx.fatal(p)?;
                return Ok(None);
            }
            End::Incomplete {
                at,
                st: st2,
                pending,
            } => {
                // Offsets in `pending` are of the buffer before `consume`.
                let mut shift = 0;
                if bad.is_none() && !io.eof {
                    io.consume(ctx, at);
                    shift = at;
                    pos = 0;
                    st = st2;
                    // What is left is one unfinished feature: bound it before reading on.
                    if io.buf.len() > caps.record {
                        let start = io.buf.iter().position(|c| !c.is_ascii_whitespace());
                        let e = record_too_big(start.unwrap_or(0), caps.record);
                        let idx = ctx.index;
                        return Err(ctx.refuse(&io.buf, e.at, e.msg, Some(idx)));
                    }
                    if io.fill(ctx)? {
                        continue;
                    }
                }
                let idx = ctx.index;
                let p = match pending {
                    Some(e) => ctx.problem(&io.buf, e.at.saturating_sub(shift), e.msg, Some(idx)),
                    None => {
                        let (_, bad) = io.text();
                        io.end_problem(ctx, bad, " (inside the features array)")
                    }
                };
                ctx.fatal(p)?;
                return Ok(None);
            }
        }
    }
}

/// After the features array: the rest of the top-level object, then nothing but whitespace.
fn trailer<R: Read>(
    io: &mut Io<R>,
    ctx: &mut Ctx,
    after: usize,
    mut has_type: bool,
    top: Location,
) -> Result<(), ImportError> {
    io.consume(ctx, after);
    loop {
        let (s, bad) = io.text();
        let mut c = Cursor::with_caps(s, 0, 1, ctx.caps);
        let mut first = false;
        let mut type_problem = None;
        let res: PResult<()> = (|| {
            while let Some((key, _)) = c.next_key(&mut first)? {
                if &*key == "type" {
                    let ch = c.next_ws()?;
                    let at = c.pos;
                    if ch != b'"' {
                        return Err(c.type_error(ch, "\"type\" must be a string"));
                    }
                    let t = c.string()?;
                    has_type = true;
                    if t != "FeatureCollection" {
                        type_problem = Some((at, format!("top-level \"type\" must be \"FeatureCollection\" for an object with \"features\", found {:?}", &*t)));
                    }
                } else {
                    c.skip_value()?;
                }
            }
            Ok(())
        })();
        match res {
            Ok(()) => {
                let done = c.pos;
                if let Some((at, msg)) = type_problem {
                    let p = ctx.problem(&io.buf, at, msg, None);
                    ctx.reject(p, false)?;
                }
                io.consume(ctx, done);
                break;
            }
            Err(e) if e.kind == Kind::Incomplete => {
                let max = ctx.caps.record;
                if io.buf.len() > max {
                    let msg = format!("more than {max} bytes after the features array exceed the limit of {max} bytes");
                    return Err(ctx.refuse(&io.buf, 0, msg, None));
                }
                if bad.is_none() && io.fill(ctx)? {
                    continue;
                }
                let p = io.end_problem(ctx, bad, " (after the features array)");
                return ctx.fatal(p);
            }
            Err(e) if e.kind == Kind::Limit => {
                return Err(ctx.refuse(&io.buf, e.at, e.msg, None));
            }
            Err(e) => {
                let p = ctx.problem(&io.buf, e.at, e.msg, None);
                return ctx.fatal(p);
            }
        }
    }
    if !has_type {
        let p = Problem::new(
            top,
            "the top-level object has no \"type\" member (expected \"FeatureCollection\")",
        );
        ctx.reject(p, false)?;
    }
    trailing_ws(io, ctx)
}

/// Only whitespace may follow the top-level object.
fn trailing_ws<R: Read>(io: &mut Io<R>, ctx: &mut Ctx) -> Result<(), ImportError> {
    loop {
        let (s, bad) = io.text();
        if let Some(i) = s.as_bytes().iter().position(|c| !c.is_ascii_whitespace()) {
            let msg = "unexpected data after the end of the top-level object".into();
            let p = ctx.problem(&io.buf, i, msg, None);
            return ctx.fatal(p);
        }
        if bad.is_some() {
            let p = io.end_problem(ctx, bad, "");
            return ctx.fatal(p);
        }
        let n = io.buf.len();
        io.consume(ctx, n);
        if !io.fill(ctx)? {
            return Ok(());
        }
    }
}

/// A top-level object without `features`: one Feature or a bare geometry.
fn whole<R: Read, T: Target>(
    io: &mut Io<R>,
    ctx: &mut Ctx,
    target: &mut T,
    open: usize,
    end: usize,
    ty: Option<(String, usize)>,
) -> Result<(), ImportError> {
    let feature = match &ty {
        Some((t, _)) if t == "Feature" => true,
        Some((t, _)) if super::geometry::is_geometry_type(t) => false,
        Some((t, at)) => {
            let msg = if t == "FeatureCollection" {
                "FeatureCollection has no \"features\" array".to_string()
            } else {
                format!("unknown GeoJSON type {t:?}")
            };
            return Err(ImportError::Invalid(ctx.problem(&io.buf, *at, msg, None)));
        }
        None => {
            let msg = "the top-level object has no \"type\" member".into();
            return Err(ImportError::Invalid(ctx.problem(&io.buf, open, msg, None)));
        }
    };
    let max = ctx.caps.record;
    if end - open > max {
        let msg = format!("more than {max} bytes before the first feature (or in a single Feature or geometry) exceed the limit of {max} bytes");
        return Err(ctx.refuse(&io.buf, open, msg, None));
    }
    {
        let s = io.text().0.get(..end).unwrap_or_default();
        let mut c = Cursor::with_caps(s, open, 0, ctx.caps);
        let item = if feature {
            T::parse(&mut c)
        } else {
            T::bare_geometry(&mut c)
        };
        ctx.index = 1;
        match item {
            Ok(it) => {
                let mut batch = T::Batch::default();
                T::add(&mut batch, it, 0);
                target.accept(batch, 0, &mut ctx.report);
            }
            Err(e) if e.kind == Kind::Limit => {
                return Err(ctx.refuse(&io.buf, e.at, e.msg, Some(0)));
            }
            Err(e) => {
                let p = ctx.problem(&io.buf, e.at, e.msg, Some(0));
                ctx.reject(p, true)?;
            }
        }
    }
    io.consume(ctx, end);
    trailing_ws(io, ctx)
}
