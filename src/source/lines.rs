//! The line index: where each line of a text starts, built once per text.
//!
//! A line ends at `\n`, at `\r\n` (one break, not two) or at a lone `\r`.
//! Lookups are binary searches: an offset gives its line and its column,
//! counted in bytes, in code points (what the reports show) and in UTF-16
//! code units (what a language server speaks); a line gives its byte range.

use std::ops::Range;

/// Where each line of one text starts.
///
/// Offsets are kept in 32 bits (files are capped at 4 GiB - 1, see
/// [`crate::source::MAX_FILE_SIZE`]); past that, a text given in memory
/// maps every later offset to the last line that fits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineIndex {
    /// Byte offset of each line's start; the first is 0.
    starts: Vec<u32>,
    /// Length of the text the index was built from.
    len: usize,
}

/// A place in a text, every count from 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub line: usize,
    /// Column in bytes from the line's start.
    pub byte: usize,
    /// Column in code points (Unicode scalar values).
    pub char: usize,
    /// Column in UTF-16 code units.
    pub utf16: usize,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0u32];
        for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
            // the `\r` of a `\r\n` is not a break of its own
            if bytes.get(i) == Some(&b'\r') && bytes.get(i + 1) == Some(&b'\n') {
                continue;
            }
            match u32::try_from(i + 1) {
                Ok(s) => starts.push(s),
                Err(_) => break,
            }
        }
        LineIndex {
            starts,
            len: text.len(),
        }
    }

    /// Number of lines: one more than the line breaks.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// Length of the text indexed.
    pub fn text_len(&self) -> usize {
        self.len
    }

    /// The line (from 0) holding byte `offset`; past the end, the last.
    /// An offset on a line break belongs to the line it ends.
    pub fn line_of(&self, offset: usize) -> usize {
        let key = u32::try_from(offset.min(self.len)).unwrap_or(u32::MAX);
        match self.starts.binary_search(&key) {
            Ok(i) => i,
            Err(i) => i.saturating_sub(1),
        }
    }

    /// Byte offset where line `line` (from 0) starts; `None` past the last.
    pub fn line_start(&self, line: usize) -> Option<usize> {
        self.starts.get(line).map(|&s| s as usize)
    }

    /// Byte range of line `line` (from 0) without its line break, in
    /// `text` (the text the index was built from). Past the last line: the
    /// empty range at the end.
    pub fn line_range(&self, text: &str, line: usize) -> Range<usize> {
        let Some(start) = self.line_start(line) else {
            return self.len..self.len;
        };
        let end = match self.line_start(line + 1) {
            None => self.len,
            Some(next) => {
                let bytes = text.as_bytes();
                let crlf = next >= 2
                    && bytes.get(next - 2) == Some(&b'\r')
                    && bytes.get(next - 1) == Some(&b'\n');
                next.saturating_sub(if crlf { 2 } else { 1 })
            }
        };
        start..end.max(start)
    }

    /// Line and columns of byte `offset` in `text` (the text the index was
    /// built from). Offsets past the end are the end; an offset inside a
    /// UTF-8 sequence is the start of its character.
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = crate::source::floor_char_boundary(text, offset.min(self.len));
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0).min(offset);
        let before = text.get(start..offset).unwrap_or("");
        let (char, utf16) = before
            .chars()
            .fold((0, 0), |(c, u), ch| (c + 1, u + ch.len_utf16()));
        Position {
            line,
            byte: offset - start,
            char,
            utf16,
        }
    }

    /// Line (from 0) and byte column of `offset` without the text at hand.
    pub fn byte_position(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.len);
        let line = self.line_of(offset);
        let start = self.line_start(line).unwrap_or(0).min(offset);
        (line, offset - start)
    }
}

/// The lines of `text` with their start offsets, without their line
/// breaks: the lines [`LineIndex`] counts, one after the other.
pub fn lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = text.as_bytes();
    let mut at = Some(0usize);
    std::iter::from_fn(move || {
        let start = at?;
        let rest = bytes.get(start..).unwrap_or_default();
        match memchr::memchr2(b'\n', b'\r', rest) {
            None => {
                at = None;
                Some((start, text.get(start..).unwrap_or("")))
            }
            Some(i) => {
                let brk = if rest.get(i) == Some(&b'\r') && rest.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                at = Some(start + i + brk);
                Some((start, text.get(start..start + i).unwrap_or("")))
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pos(text: &str, offset: usize) -> (usize, usize, usize, usize) {
        let p = LineIndex::new(text).position(text, offset);
        (p.line, p.byte, p.char, p.utf16)
    }

    fn ranges(text: &str) -> Vec<&str> {
        let ix = LineIndex::new(text);
        (0..ix.line_count())
            .map(|l| text.get(ix.line_range(text, l)).unwrap_or("?"))
            .collect()
    }

    #[test]
    fn lf() {
        let t = "ab\ncd\n";
        assert_eq!(LineIndex::new(t).line_count(), 3);
        assert_eq!(pos(t, 0), (0, 0, 0, 0));
        assert_eq!(pos(t, 2), (0, 2, 2, 2));
        assert_eq!(pos(t, 3), (1, 0, 0, 0));
        assert_eq!(pos(t, 4), (1, 1, 1, 1));
        assert_eq!(pos(t, 6), (2, 0, 0, 0));
        assert_eq!(ranges(t), ["ab", "cd", ""]);
    }

    #[test]
    fn crlf_counts_once() {
        let t = "ab\r\ncd\r\n";
        assert_eq!(LineIndex::new(t).line_count(), 3);
        assert_eq!(pos(t, 2), (0, 2, 2, 2));
        // the `\n` of a `\r\n` is still on the line it ends
        assert_eq!(pos(t, 3), (0, 3, 3, 3));
        assert_eq!(pos(t, 4), (1, 0, 0, 0));
        assert_eq!(ranges(t), ["ab", "cd", ""]);
    }

    #[test]
    fn lone_cr() {
        let t = "ab\rcd\re";
        assert_eq!(LineIndex::new(t).line_count(), 3);
        assert_eq!(pos(t, 3), (1, 0, 0, 0));
        assert_eq!(pos(t, 6), (2, 0, 0, 0));
        assert_eq!(pos(t, 7), (2, 1, 1, 1));
        assert_eq!(ranges(t), ["ab", "cd", "e"]);
    }

    #[test]
    fn mixed() {
        let t = "a\nb\r\nc\rd\n\r\n\re";
        assert_eq!(ranges(t), ["a", "b", "c", "d", "", "", "e"]);
        assert_eq!(pos(t, t.len() - 1), (6, 0, 0, 0));
        let split: Vec<(usize, &str)> = lines(t).collect();
        let ix = LineIndex::new(t);
        assert_eq!(split.len(), ix.line_count());
        for (i, (start, line)) in split.iter().enumerate() {
            assert_eq!(ix.line_start(i), Some(*start));
            assert_eq!(t.get(ix.line_range(t, i)), Some(*line));
        }
    }

    #[test]
    fn empty_text() {
        let ix = LineIndex::new("");
        assert_eq!(ix.line_count(), 1);
        assert_eq!(pos("", 0), (0, 0, 0, 0));
        assert_eq!(pos("", 10), (0, 0, 0, 0));
        assert_eq!(ranges(""), [""]);
        assert_eq!(lines("").collect::<Vec<_>>(), [(0, "")]);
    }

    #[test]
    fn no_trailing_newline() {
        let t = "a\nbc";
        assert_eq!(LineIndex::new(t).line_count(), 2);
        assert_eq!(pos(t, 4), (1, 2, 2, 2));
        assert_eq!(ranges(t), ["a", "bc"]);
    }

    #[test]
    fn multibyte_columns() {
        // é: 2 bytes, 1 code point, 1 UTF-16 unit; 😀: 4 bytes, 1 code
        // point, 2 UTF-16 units
        let t = "x\né😀=1\n";
        let eq = t.find('=').unwrap_or(0);
        assert_eq!(pos(t, eq), (1, 6, 2, 3));
        // inside a UTF-8 sequence: the start of its character
        assert_eq!(pos(t, 5), (1, 2, 1, 1));
    }

    #[test]
    fn offsets_past_the_end() {
        let t = "ab\ncd";
        assert_eq!(pos(t, 99), (1, 2, 2, 2));
        let ix = LineIndex::new(t);
        assert_eq!(ix.line_of(usize::MAX), 1);
        assert_eq!(ix.byte_position(99), (1, 2));
        assert_eq!(ix.line_range(t, 7), 5..5);
        assert_eq!(ix.line_start(2), None);
    }
}
