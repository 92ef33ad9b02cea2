//! A pull tokenizer over a validated UTF-8 buffer that knows the byte offset of
//! every token, so problems can be located in the file.
//!
//! It never recurses except in [`Cursor::value`], whose depth is bounded by
//! [`MAX_DEPTH`]. Reaching the end of the buffer is reported as
//! [`Kind::Incomplete`]: the driver then reads more of the file (or, at the end
//! of the file, reports a truncation).

use std::borrow::Cow;

/// Deepest nesting of objects and arrays accepted, counting the top-level value as 1.
pub const MAX_DEPTH: u32 = 64;

/// What went wrong while reading a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// The buffer ended inside a value: more input is needed.
    Incomplete,
    /// The bytes are not JSON.
    Syntax,
    /// Well-formed JSON that is not valid GeoJSON or not a valid incident.
    Value,
    /// Over one of the import's [`Limits`](crate::import::Limits): the file is refused.
    Limit,
}

/// A problem at a byte offset of the buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PErr {
    pub at: usize,
    pub kind: Kind,
    pub msg: String,
}

impl PErr {
    pub fn syntax(at: usize, msg: impl Into<String>) -> Self {
        PErr {
            at,
            kind: Kind::Syntax,
            msg: msg.into(),
        }
    }
    pub fn value(at: usize, msg: impl Into<String>) -> Self {
        PErr {
            at,
            kind: Kind::Value,
            msg: msg.into(),
        }
    }
    pub fn limit(at: usize, msg: impl Into<String>) -> Self {
        PErr {
            at,
            kind: Kind::Limit,
            msg: msg.into(),
        }
    }
    pub fn incomplete(at: usize) -> Self {
        PErr {
            at,
            kind: Kind::Incomplete,
            msg: String::new(),
        }
    }
}

pub type PResult<T> = Result<T, PErr>;

/// Byte classes: 1 whitespace.
const WS: [bool; 256] = {
    let mut t = [false; 256];
    t[b' ' as usize] = true;
    t[b'\t' as usize] = true;
    t[b'\n' as usize] = true;
    t[b'\r' as usize] = true;
    t
};

/// Bytes that end the fast scan of a string: quote, backslash, control characters.
const STR_STOP: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = true;
        i += 1;
    }
    t[b'"' as usize] = true;
    t[b'\\' as usize] = true;
    t
};

/// What kind of JSON value starts with byte `c`, for "found …" messages.
pub fn found(c: u8) -> &'static str {
    match c {
        b'{' => "an object",
        b'[' => "an array",
        b'"' => "a string",
        b'-' | b'0'..=b'9' => "a number",
        b't' | b'f' => "a boolean",
        b'n' => "null",
        _ => "something that is not JSON",
    }
}

/// Printable form of a byte for messages.
fn show(c: u8) -> String {
    if c.is_ascii_graphic() {
        format!("'{}'", c as char)
    } else if c < 0x80 {
        format!("byte 0x{c:02X}")
    } else {
        "a non-ASCII character".into()
    }
}

/// A member name of at most 15 bytes packed with its length into one integer, so that
/// names compare without `memcmp`; longer names pack to 0 (compare those as strings).
#[inline]
pub const fn pack(s: &[u8]) -> u128 {
    if s.len() > 15 {
        return 0;
    }
    let mut v: u128 = s.len() as u128;
    let mut i = 0;
    while i < s.len() {
        v |= (s[i] as u128) << (8 * (i + 1));
        i += 1;
    }
    v
}

/// Exact powers of ten representable in an f64 (Clinger's fast path).
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// The limits the tokenizer enforces itself (from [`Limits`](crate::import::Limits)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Deepest nesting (at most [`MAX_DEPTH`]).
    pub depth: u32,
    /// Longest string, in bytes.
    pub string: usize,
    /// Most positions in one geometry (counted by the cursor, see [`Cursor::vertices`]).
    pub vertices: usize,
    /// Largest feature, in bytes (checked by the stream reader).
    pub record: usize,
}

impl Caps {
    pub fn of(l: &crate::import::Limits) -> Caps {
        let l = l.effective();
        Caps {
            depth: l.max_depth.min(MAX_DEPTH),
            string: l.max_string_bytes,
            vertices: l.max_vertices,
            record: l.max_record_bytes,
        }
    }
}

impl Default for Caps {
    fn default() -> Self {
        Caps::of(&crate::import::Limits::default())
    }
}

/// A cursor over `s` at byte `pos`, at nesting `depth`.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    pub s: &'a str,
    pub pos: usize,
    pub depth: u32,
    pub caps: Caps,
    /// Geometry positions read so far by this cursor (against [`Caps::vertices`]).
    pub vertices: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor with the default limits.
    #[cfg(test)]
    pub fn new(s: &'a str, pos: usize, depth: u32) -> Self {
        Cursor::with_caps(s, pos, depth, Caps::default())
    }

    pub fn with_caps(s: &'a str, pos: usize, depth: u32, caps: Caps) -> Self {
        Cursor {
            s,
            pos,
            depth,
            caps,
            vertices: 0,
        }
    }

    #[inline]
    fn b(&self) -> &'a [u8] {
        self.s.as_bytes()
    }

    /// Skip whitespace and return the next byte (not consumed), or `None` at the end of the buffer.
    #[inline]
    pub fn peek_ws(&mut self) -> Option<u8> {
        let b = self.b();
        while let Some(&c) = b.get(self.pos) {
            if !WS[c as usize] {
                return Some(c);
            }
            self.pos += 1;
        }
        None
    }

    /// Like [`Cursor::peek_ws`] but the end of the buffer is an error.
    #[inline]
    pub fn next_ws(&mut self) -> PResult<u8> {
        self.peek_ws().ok_or_else(|| PErr::incomplete(self.pos))
    }

    /// Enter an object or array at the current position.
    #[inline]
    pub fn enter(&mut self) -> PResult<()> {
        self.depth += 1;
        if self.depth > self.caps.depth {
            return Err(PErr::limit(
                self.pos,
                format!("nesting deeper than {} levels", self.caps.depth),
            ));
        }
        self.pos += 1;
        Ok(())
    }

    /// Error for a byte that cannot start a value (NaN, Infinity, stray characters).
    pub fn bad_value_start(&self, at: usize) -> PErr {
        let rest = &self.b()[at..];
        for word in ["NaN", "Infinity", "-Infinity", "-NaN"] {
            let w = word.as_bytes();
            let n = w.len().min(rest.len());
            if rest[..n] == w[..n] {
                if n < w.len() {
                    return PErr::incomplete(at);
                }
                return PErr::syntax(at, format!("{word} is not valid JSON"));
            }
        }
        match rest.first() {
            Some(b']') | Some(b'}') => PErr::syntax(at, "expected a value, found ']'"),
            Some(&c) => PErr::syntax(at, format!("expected a value, found {}", show(c))),
            None => PErr::incomplete(at),
        }
        .fix_close(rest.first().copied())
    }

    /// Begin an object: expects `{` (after whitespace).
    pub fn object_start(&mut self, what: &str) -> PResult<usize> {
        let c = self.next_ws()?;
        let at = self.pos;
        if c != b'{' {
            return Err(self.type_error(c, &format!("{what} must be an object")));
        }
        self.enter()?;
        Ok(at)
    }

    /// Message for a value of the wrong type at the current position: `"{what}, found {kind}"`,
    /// or the syntax error if the value is not JSON at all.
    pub fn type_error(&self, c: u8, what: &str) -> PErr {
        let k = found(c);
        if k == "something that is not JSON" {
            return self.bad_value_start(self.pos);
        }
        PErr::value(self.pos, format!("{what}, found {k}"))
    }

    /// The next member key of an object, or `None` at its closing `}`.
    /// `first` is true for the first call after [`Cursor::object_start`].
    /// Returns the key and the offset of its opening quote; the cursor is then after the `:`.
    pub fn next_key(&mut self, first: &mut bool) -> PResult<Option<(Cow<'a, str>, usize)>> {
        let mut c = self.next_ws()?;
        if !*first {
            match c {
                b',' => {
                    let comma = self.pos;
                    self.pos += 1;
                    c = self.next_ws()?;
                    if c == b'}' {
                        return Err(PErr::syntax(comma, "trailing comma"));
                    }
                }
                b'}' => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(None);
                }
                _ => {
                    return Err(PErr::syntax(
                        self.pos,
                        format!(
                            "expected ',' or '}}' after an object member, found {}",
                            show(c)
                        ),
                    ))
                }
            }
        } else if c == b'}' {
            *first = false;
            self.pos += 1;
            self.depth -= 1;
            return Ok(None);
        }
        *first = false;
        if c != b'"' {
            return Err(PErr::syntax(
                self.pos,
                format!("expected a member name in double quotes, found {}", show(c)),
            ));
        }
        let at = self.pos;
        let key = self.string()?;
        let c = self.next_ws()?;
        if c != b':' {
            return Err(PErr::syntax(
                self.pos,
                format!("expected ':' after a member name, found {}", show(c)),
            ));
        }
        self.pos += 1;
        Ok(Some((key, at)))
    }

    /// Begin an array: expects `[` (after whitespace).
    pub fn array_start(&mut self, what: &str) -> PResult<usize> {
        let c = self.next_ws()?;
        let at = self.pos;
        if c != b'[' {
            return Err(self.type_error(c, &format!("{what} must be an array")));
        }
        self.enter()?;
        Ok(at)
    }

    /// Whether another element follows in an array (the cursor is then at it), or `false`
    /// after consuming the closing `]`.
    pub fn next_elem(&mut self, first: &mut bool) -> PResult<bool> {
        let c = self.next_ws()?;
        if *first {
            *first = false;
            if c == b']' {
                self.pos += 1;
                self.depth -= 1;
                return Ok(false);
            }
            return Ok(true);
        }
        match c {
            b',' => {
                let comma = self.pos;
                self.pos += 1;
                if self.next_ws()? == b']' {
                    return Err(PErr::syntax(comma, "trailing comma"));
                }
                Ok(true)
            }
            b']' => {
                self.pos += 1;
                self.depth -= 1;
                Ok(false)
            }
            _ => Err(PErr::syntax(
                self.pos,
                format!(
                    "expected ',' or ']' after an array element, found {}",
                    show(c)
                ),
            )),
        }
    }

    /// A string at the current position (after whitespace); borrowed when it has no escapes.
    /// A string longer than [`Caps::string`] bytes is refused as soon as that many bytes
    /// of it are in the buffer, complete or not.
    pub fn string(&mut self) -> PResult<Cow<'a, str>> {
        self.peek_ws();
        let open = self.pos;
        let max = self.caps.string;
        match self.string_any_length() {
            Ok(s) if s.len() > max => Err(PErr::limit(
                open,
                format!(
                    "a string of {} bytes exceeds the limit of {max} bytes",
                    s.len()
                ),
            )),
            Err(e) if e.kind == Kind::Incomplete && e.at.saturating_sub(open + 1) > max => {
                Err(PErr::limit(
                    open,
                    format!(
                        "a string of more than {} bytes exceeds the limit of {max} bytes",
                        e.at - open - 1
                    ),
                ))
            }
            r => r,
        }
    }

    fn string_any_length(&mut self) -> PResult<Cow<'a, str>> {
        let c = self.next_ws()?;
        if c != b'"' {
            return Err(self.type_error(c, "expected a string"));
        }
        let b = self.b();
        let start = self.pos + 1;
        let mut i = start;
        // Eight bytes at a time until a quote, backslash or control character may be near.
        const ONES: u64 = 0x0101_0101_0101_0101;
        const HIGH: u64 = 0x8080_8080_8080_8080;
        while let Some(chunk) = b.get(i..i + 8) {
            let mut w = [0u8; 8];
            w.copy_from_slice(chunk);
            let w = u64::from_le_bytes(w);
            let q = w ^ (ONES * b'"' as u64);
            let bs = w ^ (ONES * b'\\' as u64);
            let hit = ((q.wrapping_sub(ONES) & !q)
                | (bs.wrapping_sub(ONES) & !bs)
                | (w.wrapping_sub(ONES * 0x20) & !w))
                & HIGH;
            if hit != 0 {
                i += (hit.trailing_zeros() / 8) as usize;
                break;
            }
            i += 8;
        }
        loop {
            let Some(&c) = b.get(i) else {
                return Err(PErr::incomplete(i));
            };
            if !STR_STOP[c as usize] {
                i += 1;
                continue;
            }
            if c == b'"' {
                self.pos = i + 1;
                return Ok(Cow::Borrowed(&self.s[start..i]));
            }
            if c == b'\\' {
                return self.string_escaped(start, i);
            }
            return Err(control_char(i, c));
        }
    }

    /// Slow path of [`Cursor::string`]: unescape from the first backslash at `i`.
    fn string_escaped(&mut self, start: usize, mut i: usize) -> PResult<Cow<'a, str>> {
        let b = self.b();
        let mut out = String::with_capacity(i - start + 16);
        out.push_str(&self.s[start..i]);
        loop {
            let Some(&c) = b.get(i) else {
                return Err(PErr::incomplete(i));
            };
            match c {
                b'"' => {
                    self.pos = i + 1;
                    return Ok(Cow::Owned(out));
                }
                b'\\' => {
                    let Some(&e) = b.get(i + 1) else {
                        return Err(PErr::incomplete(i));
                    };
                    let simple = match e {
                        b'"' => Some('"'),
                        b'\\' => Some('\\'),
                        b'/' => Some('/'),
                        b'b' => Some('\u{8}'),
                        b'f' => Some('\u{c}'),
                        b'n' => Some('\n'),
                        b'r' => Some('\r'),
                        b't' => Some('\t'),
                        b'u' => None,
                        _ => {
                            let shown = self.s[i + 1..].chars().next().unwrap_or('?');
                            return Err(PErr::syntax(
                                i,
                                format!("invalid escape \\{shown} in a string"),
                            ));
                        }
                    };
                    if let Some(ch) = simple {
                        out.push(ch);
                        i += 2;
                        continue;
                    }
                    let hi = self.hex4(i)?;
                    i += 6;
                    let ch = if (0xD800..0xDC00).contains(&hi) {
                        let next = b.get(i..(i + 2).min(b.len())).unwrap_or_default();
                        if next.len() < 2 && (next.is_empty() || next[0] == b'\\') {
                            return Err(PErr::incomplete(i));
                        }
                        if next != b"\\u" {
                            return Err(PErr::syntax(
                                i - 6,
                                "lone surrogate \\u escape in a string (a high surrogate must be followed by a low one)",
                            ));
                        }
                        let lo = self.hex4(i)?;
                        if !(0xDC00..0xE000).contains(&lo) {
                            return Err(PErr::syntax(
                                i - 6,
                                "lone surrogate \\u escape in a string (a high surrogate must be followed by a low one)",
                            ));
                        }
                        i += 6;
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    } else {
                        char::from_u32(hi)
                    };
                    match ch {
                        Some(ch) => out.push(ch),
                        None => {
                            return Err(PErr::syntax(
                                i - 6,
                                "lone surrogate \\u escape in a string",
                            ))
                        }
                    }
                }
                c if c < 0x20 => return Err(control_char(i, c)),
                _ => {
                    // Copy a run of plain characters at once.
                    let run_end = b[i..]
                        .iter()
                        .position(|&c| STR_STOP[c as usize])
                        .map_or(b.len(), |n| i + n);
                    out.push_str(&self.s[i..run_end]);
                    i = run_end;
                }
            }
        }
    }

    /// The value of `\uXXXX` at `i` (the backslash).
    fn hex4(&self, i: usize) -> PResult<u32> {
        let b = self.b();
        let Some(h) = b.get(i + 2..i + 6) else {
            // Report a bad digit before waiting for more input.
            let avail = b.get(i + 2..).unwrap_or_default();
            if avail.iter().any(|c| !c.is_ascii_hexdigit()) {
                return Err(PErr::syntax(
                    i,
                    "invalid \\u escape in a string (needs 4 hex digits)",
                ));
            }
            return Err(PErr::incomplete(i));
        };
        let mut v = 0u32;
        for &c in h {
            let d = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => {
                    return Err(PErr::syntax(
                        i,
                        "invalid \\u escape in a string (needs 4 hex digits)",
                    ))
                }
            };
            v = v * 16 + d as u32;
        }
        Ok(v)
    }

    /// A number at the current position (after whitespace): its value and its text.
    pub fn number(&mut self) -> PResult<(f64, &'a str)> {
        let c = self.next_ws()?;
        if c != b'-' && !c.is_ascii_digit() {
            return Err(self.type_error(c, "expected a number"));
        }
        let b = self.b();
        let start = self.pos;
        let mut i = start;
        let neg = c == b'-';
        if neg {
            i += 1;
        }
        let mut mant: u64 = 0;
        let mut ndig = 0u32;
        let int_start = i;
        while let Some(&d) = b.get(i) {
            if !d.is_ascii_digit() {
                break;
            }
            if ndig < 19 {
                mant = mant * 10 + (d - b'0') as u64;
            }
            ndig += 1;
            i += 1;
        }
        if i == int_start {
            return match b.get(i) {
                None => Err(PErr::incomplete(start)),
                Some(b'I') | Some(b'N') => Err(self.bad_value_start(start)),
                Some(_) => Err(PErr::syntax(
                    start,
                    "invalid number: '-' must be followed by a digit",
                )),
            };
        }
        if b[int_start] == b'0' && i - int_start > 1 {
            return Err(PErr::syntax(
                start,
                "invalid number: leading zeros are not allowed",
            ));
        }
        let mut frac = 0u32;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let fs = i;
            while let Some(&d) = b.get(i) {
                if !d.is_ascii_digit() {
                    break;
                }
                if ndig < 19 {
                    mant = mant * 10 + (d - b'0') as u64;
                    frac += 1;
                }
                ndig += 1;
                i += 1;
            }
            if i == fs {
                return match b.get(i) {
                    None => Err(PErr::incomplete(start)),
                    Some(_) => Err(PErr::syntax(
                        start,
                        "invalid number: a digit must follow '.'",
                    )),
                };
            }
        }
        let mut has_exp = false;
        if matches!(b.get(i), Some(b'e') | Some(b'E')) {
            has_exp = true;
            i += 1;
            if matches!(b.get(i), Some(b'+') | Some(b'-')) {
                i += 1;
            }
            let es = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == es {
                return match b.get(i) {
                    None => Err(PErr::incomplete(start)),
                    Some(_) => Err(PErr::syntax(
                        start,
                        "invalid number: the exponent needs digits",
                    )),
                };
            }
        }
        if i >= b.len() {
            // The number may continue in the next chunk.
            return Err(PErr::incomplete(start));
        }
        let text = &self.s[start..i];
        self.pos = i;
        let v = if !has_exp && ndig <= 15 && (frac as usize) < POW10.len() {
            let m = mant as f64 / POW10[frac as usize];
            if neg {
                -m
            } else {
                m
            }
        } else {
            text.parse::<f64>()
                .map_err(|_| PErr::syntax(start, "invalid number"))?
        };
        if !v.is_finite() {
            return Err(PErr::value(start, format!("number {text} is out of range")));
        }
        Ok((v, text))
    }

    /// A literal (`true`, `false`, `null`) at the current position.
    fn literal(&mut self, word: &'static str) -> PResult<()> {
        let rest = &self.b()[self.pos..];
        let w = word.as_bytes();
        let n = w.len().min(rest.len());
        if rest[..n] != w[..n] {
            return Err(self.bad_value_start(self.pos));
        }
        if n < w.len() || rest.len() == n {
            return Err(PErr::incomplete(self.pos));
        }
        self.pos += w.len();
        Ok(())
    }

    /// Consume `null` if it is next; the end of the buffer is `Incomplete`.
    pub fn eat_null(&mut self) -> PResult<bool> {
        if self.next_ws()? == b'n' {
            self.literal("null")?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Skip any value, validating its syntax (iterative: no recursion).
    pub fn skip_value(&mut self) -> PResult<()> {
        let base = self.depth;
        // Per nesting level: is it an array (1) or an object (0)? Bit d-base-1.
        let mut stack: u128 = 0;
        let mut firsts: u128 = 0;
        let mut level = 0u32;
        loop {
            // At a value position.
            let c = self.next_ws()?;
            match c {
                b'{' | b'[' => {
                    self.enter()?;
                    let is_arr = c == b'[';
                    level = self.depth - base;
                    let bit = 1u128 << (level - 1);
                    if is_arr {
                        stack |= bit;
                    } else {
                        stack &= !bit;
                    }
                    firsts |= bit;
                }
                b'"' => {
                    self.string()?;
                }
                b't' => self.literal("true")?,
                b'f' => self.literal("false")?,
                b'n' => self.literal("null")?,
                _ => {
                    self.number()?;
                }
            }
            // After a value, or just inside a container: find the next value position.
            loop {
                if level == 0 {
                    return Ok(());
                }
                let bit = 1u128 << (level - 1);
                let mut first = firsts & bit != 0;
                firsts &= !bit;
                if stack & bit != 0 {
                    if self.next_elem(&mut first)? {
                        break;
                    }
                } else if self.next_key(&mut first)?.is_some() {
                    break;
                }
                level -= 1;
            }
        }
    }

    /// Any value as a `serde_json::Value` (recursion bounded by [`MAX_DEPTH`]).
    pub fn value(&mut self) -> PResult<serde_json::Value> {
        use serde_json::Value;
        let c = self.next_ws()?;
        Ok(match c {
            b'{' => {
                self.enter()?;
                let mut map = serde_json::Map::new();
                let mut first = true;
                while let Some((k, _)) = self.next_key(&mut first)? {
                    let v = self.value()?;
                    map.insert(k.into_owned(), v);
                }
                Value::Object(map)
            }
            b'[' => {
                self.enter()?;
                let mut v = Vec::new();
                let mut first = true;
                while self.next_elem(&mut first)? {
                    v.push(self.value()?);
                }
                Value::Array(v)
            }
            b'"' => Value::String(self.string()?.into_owned()),
            b't' => {
                self.literal("true")?;
                Value::Bool(true)
            }
            b'f' => {
                self.literal("false")?;
                Value::Bool(false)
            }
            b'n' => {
                self.literal("null")?;
                Value::Null
            }
            _ => {
                let (v, text) = self.number()?;
                // Keep integers as integers.
                if let Ok(i) = text.parse::<i64>() {
                    Value::from(i)
                } else if let Ok(u) = text.parse::<u64>() {
                    Value::from(u)
                } else {
                    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
                }
            }
        })
    }
}

impl PErr {
    /// Keep the message about a closing bracket accurate.
    fn fix_close(mut self, c: Option<u8>) -> Self {
        if c == Some(b'}') {
            self.msg = "expected a value, found '}'".into();
        }
        self
    }
}

fn control_char(at: usize, c: u8) -> PErr {
    PErr::syntax(
        at,
        format!("control character U+{c:04X} in a string (it must be escaped)"),
    )
}

/// Skip the value starting at `at` looking only at strings and brackets, to find where a
/// rejected feature ends. Returns the offset just after it. Fails on mismatched brackets,
/// too deep nesting or (as `Incomplete`) the end of the buffer.
pub fn skip_structural(s: &str, at: usize, depth: u32) -> PResult<usize> {
    let b = s.as_bytes();
    let mut stack: u128 = 0;
    let mut level = 0u32;
    let mut i = at;
    while let Some(&c) = b.get(i) {
        match c {
            b'"' => {
                i += 1;
                loop {
                    // An escape's backslash may be the buffer's last byte: then `i` is
                    // past the end (found by fuzzing; it panicked here).
                    let Some(rest) = b.get(i..) else {
                        return Err(PErr::incomplete(b.len()));
                    };
                    match memchr::memchr2(b'"', b'\\', rest) {
                        None => return Err(PErr::incomplete(i)),
                        Some(n) => {
                            i += n;
                            if b[i] == b'\\' {
                                i += 2;
                            } else {
                                i += 1;
                                break;
                            }
                        }
                    }
                }
                if level == 0 {
                    return Ok(i);
                }
                continue;
            }
            b'{' | b'[' => {
                level += 1;
                if depth + level > MAX_DEPTH {
                    return Err(PErr::syntax(
                        i,
                        format!("nesting deeper than {MAX_DEPTH} levels"),
                    ));
                }
                let bit = 1u128 << (level - 1);
                if c == b'[' {
                    stack |= bit;
                } else {
                    stack &= !bit;
                }
            }
            b'}' | b']' => {
                if level == 0 {
                    return Ok(i);
                }
                let is_arr = stack & (1u128 << (level - 1)) != 0;
                if is_arr != (c == b']') {
                    return Err(PErr::syntax(
                        i,
                        format!(
                            "mismatched '{}': expected '{}'",
                            c as char,
                            if is_arr { ']' } else { '}' }
                        ),
                    ));
                }
                level -= 1;
                if level == 0 {
                    return Ok(i + 1);
                }
            }
            b',' if level == 0 => return Ok(i),
            _ => {}
        }
        i += 1;
    }
    Err(PErr::incomplete(i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn num(s: &str) -> PResult<f64> {
        let t = format!("{s} ");
        Cursor::new(&t, 0, 0).number().map(|x| x.0)
    }

    #[test]
    fn numbers() {
        for s in [
            "0",
            "-0",
            "1",
            "71.123456",
            "-33.5",
            "1e3",
            "1.5E-2",
            "123456789012345678901234",
            "0.1",
            "34.727318",
            "1.7976931348623157e308",
        ] {
            assert_eq!(num(s).unwrap(), s.parse::<f64>().unwrap(), "{s}");
        }
        assert!(num("01").unwrap_err().msg.contains("leading zeros"));
        assert!(num("1.").is_err());
        assert!(num("-").is_err());
        assert!(num("1e").is_err());
        assert_eq!(num("1e999").unwrap_err().kind, Kind::Value);
        // At the end of the buffer a number may continue.
        assert_eq!(
            Cursor::new("12", 0, 0).number().unwrap_err().kind,
            Kind::Incomplete
        );
    }

    #[test]
    fn strings() {
        let mut c = Cursor::new(r#""a\"b\u00e9\ud83d\ude00c" "#, 0, 0);
        assert_eq!(c.string().unwrap(), "a\"b\u{e9}\u{1F600}c");
        let mut c = Cursor::new("\"a\nb\"", 0, 0);
        assert!(c.string().unwrap_err().msg.contains("U+000A"));
        let mut c = Cursor::new(r#""\ud800x" "#, 0, 0);
        assert!(c.string().unwrap_err().msg.contains("surrogate"));
        let mut c = Cursor::new(r#""abc"#, 0, 0);
        assert_eq!(c.string().unwrap_err().kind, Kind::Incomplete);
    }

    #[test]
    fn skip_and_value() {
        let s = r#"{"a":[1,2,{"b":null}],"c":"x}"} ,"#;
        let mut c = Cursor::new(s, 0, 0);
        c.skip_value().unwrap();
        assert_eq!(&s[c.pos..], " ,");
        assert_eq!(skip_structural(s, 0, 0).unwrap(), c.pos);
        let v = Cursor::new(s, 0, 0).value().unwrap();
        assert_eq!(v["a"][2]["b"], serde_json::Value::Null);
        let bad = "[1,2,] ";
        let e = Cursor::new(bad, 0, 0).skip_value().unwrap_err();
        assert_eq!((e.at, e.msg.as_str()), (4, "trailing comma"));
        let deep = "[".repeat(100_000);
        let e = Cursor::new(&deep, 0, 0).skip_value().unwrap_err();
        assert_eq!(e.at, 64);
        assert!(skip_structural(&deep, 0, 0).is_err());
    }
}
