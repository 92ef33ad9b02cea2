//! The page's notes block: the researcher's free text (`MapSpec::notes`), wrapped to
//! the width of the map frame with the bundled font metrics and set under the frame
//! as real text, at most [`MAX_NOTE_LINES`] lines; text beyond that is cut with an
//! ellipsis and the heading says how many lines were left out.

use super::fonts::text_width;
use super::projection::Rect;
use super::svg::{esc, n};
use std::fmt::Write;

/// Most lines of notes on a page (A4 and larger; small pages may fit fewer).
pub const MAX_NOTE_LINES: usize = 6;

/// Font size (mm, on A4) of the notes.
const SIZE: f64 = 2.4;
/// Line height (mm, on A4).
const LINE: f64 = 3.3;
/// Heading line plus the padding above and below the block (mm, on A4).
const HEAD: f64 = 5.4;
const PAD: f64 = 1.6;
/// Extra space before a paragraph (mm, on A4).
const PARA: f64 = 1.0;

/// The notes as set on a page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct NoteLines {
    /// The lines drawn; the last ends in "…" when lines were cut.
    pub lines: Vec<String>,
    /// Lines of the wrapped text that did not fit.
    pub cut: usize,
    /// Indices of the drawn lines that start a paragraph (the first line excepted).
    pub paragraphs: Vec<usize>,
}

/// Wrap `text` into lines no wider than `width` mm at `size` mm: paragraphs (line
/// breaks in the text) start new lines, words longer than a line are broken.
///
/// ```
/// use atlas::export::notes::wrap_text;
/// let l = wrap_text("First paragraph.\nSecond one is a little longer than that.", 40.0, 2.4);
/// assert_eq!(l[0], "First paragraph.");
/// assert!(l.len() >= 3);
/// ```
pub fn wrap_text(text: &str, width: f64, size: f64) -> Vec<String> {
    wrap_paragraphs(text, width, size).0
}

/// [`wrap_text`] and the indices of the lines that start a paragraph after the first.
fn wrap_paragraphs(text: &str, width: f64, size: f64) -> (Vec<String>, Vec<usize>) {
    let mut lines = Vec::new();
    let mut starts = Vec::new();
    for para in text.lines() {
        if !lines.is_empty() && !para.trim().is_empty() {
            starts.push(lines.len());
        }
        let mut cur = String::new();
        for word in para.split_whitespace() {
            let cand = if cur.is_empty() {
                word.to_string()
            } else {
                format!("{cur} {word}")
            };
            if text_width(&cand, size, false) <= width {
                cur = cand;
                continue;
            }
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
            }
            // A word wider than the line: break it where it stops fitting.
            for ch in word.chars() {
                cur.push(ch);
                if text_width(&cur, size, false) > width && cur.chars().count() > 1 {
                    cur.pop();
                    lines.push(std::mem::replace(&mut cur, ch.to_string()));
                }
            }
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
    }
    (lines, starts)
}

/// The lines to draw: at most `max` of the wrapped text, the last cut with "…" when
/// more follow.
pub fn set_lines(text: &str, width: f64, size: f64, max: usize) -> NoteLines {
    let (mut lines, mut paragraphs) = wrap_paragraphs(text.trim(), width, size);
    if lines.len() <= max {
        return NoteLines {
            lines,
            cut: 0,
            paragraphs,
        };
    }
    let cut = lines.len() - max;
    lines.truncate(max);
    paragraphs.retain(|&i| i < max);
    if let Some(last) = lines.last_mut() {
        let mut t = last.trim_end().to_string();
        while !t.is_empty() && text_width(&format!("{t} …"), size, false) > width {
            t.pop();
        }
        *last = format!("{} …", t.trim_end());
    }
    NoteLines {
        lines,
        cut,
        paragraphs,
    }
}

/// The notes block planned for a page of size factor `s`, `width` mm wide, that may
/// take at most `room` mm of height.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NotesBlock {
    pub set: NoteLines,
    s: f64,
}

impl NotesBlock {
    /// `None` when there are no notes (or no room for a single line).
    pub fn plan(text: &str, width: f64, room: f64, s: f64) -> Option<NotesBlock> {
        if text.trim().is_empty() {
            return None;
        }
        // Paragraph gaps are not known before wrapping: count them as a line each at worst.
        let fit = ((room - (HEAD + PAD) * s) / ((LINE + PARA) * s)).floor();
        if fit < 1.0 {
            return None;
        }
        let set = set_lines(text, width, SIZE * s, (fit as usize).min(MAX_NOTE_LINES));
        if set.lines.is_empty() {
            return None;
        }
        Some(NotesBlock { set, s })
    }

    /// Height of the block (mm), its padding above included.
    pub fn height(&self) -> f64 {
        let lines = self.set.lines.len() as f64;
        (HEAD + PAD + LINE * lines + PARA * self.set.paragraphs.len() as f64) * self.s
    }

    /// Draw the block into `r` (from [`NotesBlock::height`]): a "Notes" heading, a
    /// marker when lines were cut, the lines.
    pub fn draw(&self, o: &mut String, r: Rect) {
        let s = self.s;
        let mut y = r.y + PAD * s + 3.0 * s;
        let _ = write!(
            o,
            r##"<g id="notes"><text x="{}" y="{}" font-size="{}" font-weight="bold" fill="#1a1a1a">Notes</text>"##,
            n(r.x),
            n(y),
            n(3.0 * s)
        );
        if self.set.cut > 0 {
            let marker = format!(
                "[shortened to fit the page: {} more line{} not shown]",
                self.set.cut,
                if self.set.cut == 1 { "" } else { "s" }
            );
            let _ = write!(
                o,
                r##"<text x="{}" y="{}" font-size="{}" font-style="italic" fill="#8a1c1c">{}</text>"##,
                n(r.x + text_width("Notes", 3.0 * s, true) + 2.0 * s),
                n(y),
                n(2.2 * s),
                esc(&marker)
            );
        }
        y += (HEAD - 3.0) * s;
        for (i, l) in self.set.lines.iter().enumerate() {
            if self.set.paragraphs.contains(&i) {
                y += PARA * s;
            }
            y += LINE * s;
            let _ = write!(
                o,
                r##"<text x="{}" y="{}" font-size="{}" fill="#1a1a1a">{}</text>"##,
                n(r.x),
                n(y - 0.9 * s),
                n(SIZE * s),
                esc(l)
            );
        }
        o.push_str("</g>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_to_width_and_keeps_paragraphs() {
        let text = "Incidents near Torkham rose after the crossing closed.\n\nSecond paragraph: https://example.org/a-very-long-address-without-spaces-that-must-break";
        let lines = wrap_text(text, 45.0, 2.4);
        assert!(lines.len() >= 4, "{lines:?}");
        assert!(lines.iter().all(|l| text_width(l, 2.4, false) <= 45.0));
        assert_eq!(lines[0].split_whitespace().next(), Some("Incidents"));
        assert!(lines.iter().any(|l| l.starts_with("Second")));
        let set = set_lines(text, 45.0, 2.4, 10);
        assert_eq!(set.paragraphs.len(), 1);
        assert!(set.lines[set.paragraphs[0]].starts_with("Second"));
        let joined: String = lines.concat();
        assert!(joined.contains("without-spaces"));
    }

    #[test]
    fn cuts_with_an_ellipsis_and_counts_the_rest() {
        let text = "word ".repeat(400);
        let set = set_lines(&text, 60.0, 2.4, 3);
        assert_eq!(set.lines.len(), 3);
        assert!(set.cut > 0);
        assert!(set.lines[2].ends_with(" …"));
        assert!(text_width(&set.lines[2], 2.4, false) <= 60.0);
        let short = set_lines("one line", 60.0, 2.4, 3);
        assert_eq!((short.lines.len(), short.cut), (1, 0));
    }

    #[test]
    fn plans_no_block_without_text_or_room() {
        assert!(NotesBlock::plan("  \n ", 100.0, 50.0, 1.0).is_none());
        assert!(NotesBlock::plan("text", 100.0, 3.0, 1.0).is_none());
        let b = NotesBlock::plan(&"long ".repeat(500), 100.0, 1000.0, 1.0).unwrap();
        assert_eq!(b.set.lines.len(), MAX_NOTE_LINES);
    }
}
