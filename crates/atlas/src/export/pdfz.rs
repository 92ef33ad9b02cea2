//! Fast compression of a finished PDF's streams.
//!
//! svg2pdf deflates at a high level, which for 100,000 incident circles takes most of
//! the conversion time. Instead the PDF is written uncompressed and every stream without
//! a filter is deflated here at a fast level; objects are copied in order and the
//! cross-reference table is rebuilt. Only the simple layout pdf-writer produces is
//! handled (`N 0 obj`, direct `/Length`, one classic xref table); anything else gives
//! `None` and the caller keeps the uncompressed file, which is valid as it is.

use miniz_oxide::deflate::compress_to_vec_zlib;

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(|c| c.is_ascii_whitespace()) {
        i += 1;
    }
    i
}

/// End (exclusive) of the dictionary starting at `i` (`<<`), by nesting depth.
fn dict_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut depth = 0usize;
    while i + 1 < b.len() {
        match (b[i], b[i + 1]) {
            (b'<', b'<') => {
                depth += 1;
                i += 2;
            }
            (b'>', b'>') => {
                depth = depth.checked_sub(1)?;
                i += 2;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => i += 1,
        }
    }
    None
}

fn parse_usize(b: &[u8]) -> Option<usize> {
    std::str::from_utf8(b).ok()?.trim().parse().ok()
}

/// `/Length N` of a stream dictionary.
fn length_of(dict: &[u8]) -> Option<(usize, std::ops::Range<usize>)> {
    let k = find(dict, b"/Length ", 0)? + b"/Length ".len();
    let e = k + dict[k..].iter().position(|c| !c.is_ascii_digit())?;
    Some((parse_usize(&dict[k..e])?, k..e))
}

/// Deflate (zlib, `level` 1–9) every unfiltered stream of `pdf` longer than 256 bytes.
///
/// ```
/// use atlas::export::raster::parse;
/// let tree = parse(r#"<svg xmlns="http://www.w3.org/2000/svg" width="10mm" height="10mm"><rect width="5" height="5"/></svg>"#).unwrap();
/// let opts = svg2pdf::ConversionOptions { compress: false, ..Default::default() };
/// let raw = svg2pdf::to_pdf(&tree, opts, svg2pdf::PageOptions { dpi: 96.0 }).unwrap();
/// let packed = atlas::export::pdfz::deflate_streams(&raw, 1).unwrap();
/// assert!(packed.starts_with(b"%PDF") && packed.ends_with(b"%%EOF\n"));
/// ```
pub fn deflate_streams(pdf: &[u8], level: u8) -> Option<Vec<u8>> {
    let xref_at = {
        let sx = pdf.windows(9).rposition(|w| w == b"startxref")?;
        let nl = skip_ws(pdf, sx + 9);
        let end = nl + pdf[nl..].iter().position(|c| !c.is_ascii_digit())?;
        parse_usize(&pdf[nl..end])?
    };
    let trailer_at = find(pdf, b"trailer", xref_at)?;
    let trailer_end = pdf.windows(9).rposition(|w| w == b"startxref")?;
    let first_obj = find(pdf, b" 0 obj", 0)?;
    let header_end = pdf[..first_obj].iter().rposition(|&c| c == b'\n')? + 1;
    let mut out = Vec::with_capacity(pdf.len() / 3);
    out.extend_from_slice(&pdf[..header_end]);
    let mut offsets: Vec<(usize, usize)> = Vec::new();
    let mut i = header_end;
    loop {
        i = skip_ws(pdf, i);
        if i >= xref_at {
            break;
        }
        let line_end = find(pdf, b"obj", i)? + 3;
        let head = std::str::from_utf8(&pdf[i..line_end]).ok()?;
        let id: usize = head.split_whitespace().next()?.parse().ok()?;
        offsets.push((id, out.len()));
        let body = skip_ws(pdf, line_end);
        let is_dict = pdf[body..].starts_with(b"<<");
        let after_dict = if is_dict { dict_end(pdf, body)? } else { body };
        let s = skip_ws(pdf, after_dict);
        if is_dict && pdf[s..].starts_with(b"stream") {
            let dict = &pdf[body..after_dict];
            let (len, num) = length_of(dict)?;
            let mut data_start = s + b"stream".len();
            if pdf.get(data_start) == Some(&b'\r') {
                data_start += 1;
            }
            if pdf.get(data_start) != Some(&b'\n') {
                return None;
            }
            data_start += 1;
            let data = pdf.get(data_start..data_start + len)?;
            let end = find(pdf, b"endobj", data_start + len)? + b"endobj".len();
            if len > 256 && find(dict, b"/Filter", 0).is_none() {
                let packed = compress_to_vec_zlib(data, level);
                out.extend_from_slice(&pdf[i..body]);
                out.extend_from_slice(&dict[..num.start]);
                out.extend_from_slice(packed.len().to_string().as_bytes());
                let close = dict.len() - 2;
                out.extend_from_slice(&dict[num.end..close]);
                out.extend_from_slice(b"  /Filter /FlateDecode\n>>\nstream\n");
                out.extend_from_slice(&packed);
                out.extend_from_slice(b"\nendstream\nendobj\n\n");
            } else {
                out.extend_from_slice(&pdf[i..end]);
                out.extend_from_slice(b"\n\n");
            }
            i = end;
        } else {
            let end = find(pdf, b"endobj", after_dict)? + b"endobj".len();
            out.extend_from_slice(&pdf[i..end]);
            out.extend_from_slice(b"\n\n");
            i = end;
        }
    }
    let size = offsets.iter().map(|(id, _)| id + 1).max()?;
    let mut table = vec![None; size];
    for (id, off) in offsets {
        *table.get_mut(id)? = Some(off);
    }
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {size}\n").as_bytes());
    for entry in &table {
        match entry {
            Some(off) => out.extend_from_slice(format!("{off:010} 00000 n\r\n").as_bytes()),
            None => out.extend_from_slice(b"0000000000 65535 f\r\n"),
        }
    }
    out.extend_from_slice(&pdf[trailer_at..trailer_end]);
    out.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_layouts_are_left_alone() {
        assert!(deflate_streams(b"not a pdf", 1).is_none());
        assert!(deflate_streams(b"%PDF-1.7\n1 0 obj\n<< /Length 99 >>\nstream\nabc", 1).is_none());
    }

    #[test]
    fn streams_round_trip() {
        let body = "0 0 m 10 10 l S\n".repeat(100);
        let pdf = format!(
            "%PDF-1.7\n\n1 0 obj\n<<\n  /Length {}\n>>\nstream\n{body}\nendstream\nendobj\n\nxref\n0 2\n0000000000 65535 f\r\n0000000010 00000 n\r\ntrailer\n<<\n  /Size 2\n>>\nstartxref\n{}\n%%EOF",
            body.len(),
            0
        );
        // startxref must point at the table.
        let at = pdf.find("xref\n0 2").unwrap();
        let pdf = pdf.replace("startxref\n0\n", &format!("startxref\n{at}\n"));
        let out = deflate_streams(pdf.as_bytes(), 1).unwrap();
        let s = &out[..];
        let start = find(s, b"stream\n", 0).unwrap() + 7;
        let end = find(s, b"\nendstream", start).unwrap();
        let data = miniz_oxide::inflate::decompress_to_vec_zlib(&s[start..end]).unwrap();
        assert_eq!(data, body.as_bytes());
        assert!(find(s, b"/Filter /FlateDecode", 0).is_some());
        let xref = find(s, b"xref\n", 0).unwrap();
        assert!(out.ends_with(format!("startxref\n{xref}\n%%EOF\n").as_bytes()));
        assert!(find(s, b"0000000010 00000 n", 0).is_some() || find(s, b" 00000 n", 0).is_some());
        let obj_at = find(s, b"1 0 obj", 0).unwrap();
        assert!(find(s, format!("{obj_at:010} 00000 n").as_bytes(), 0).is_some());
    }
}
