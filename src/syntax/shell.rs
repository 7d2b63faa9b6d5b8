//! Simple commands of a shell script, with spans.
//!
//! Enough of the POSIX shell grammar to read the commands that deploy an
//! app (`docker run …`, `export NAME=value`): words with single and double
//! quotes and backslash escapes, `\`-newline continuations, comments, and
//! the operators that end a command (`;`, `&&`, `||`, `|`, `&`, newline).
//! `$(…)` and backquotes stay inside the word they are in. Here-documents,
//! functions and control flow are not interpreted: their lines are read as
//! commands like any other, which is what a deployment script needs. Linear
//! in the length of the text; nothing is expanded.

use std::ops::Range;

/// One word of a command: its text with quotes and escapes removed, the
/// byte range of the word as written, and where its text starts inside
/// that range (after an opening quote).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub span: Range<usize>,
    /// For each byte of `text`, its byte offset in the source: so that a
    /// part of the word (the value after `=`) maps back to the script.
    offsets: Vec<u32>,
    /// The word holds a `$` expansion outside single quotes.
    pub expands: bool,
}

impl Word {
    /// The source range of `text[rel]`: the bytes as written, quotes of a
    /// quoted part included when the part is whole.
    pub fn source_range(&self, rel: Range<usize>) -> Range<usize> {
        if rel.start >= self.text.len() || rel.is_empty() {
            let at = self
                .offsets
                .get(rel.start)
                .map_or(self.span.end, |o| *o as usize);
            return at..at;
        }
        let start = self
            .offsets
            .get(rel.start)
            .map_or(self.span.end, |o| *o as usize);
        let last = self
            .offsets
            .get(rel.end - 1)
            .or(self.offsets.last())
            .map_or(start, |o| *o as usize);
        start..last + 1
    }
}

/// A simple command: its words, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    pub words: Vec<Word>,
}

/// The commands of a script, in order.
pub fn commands(text: &str) -> Vec<Command> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut words: Vec<Word> = Vec::new();
    let mut cur: Option<Word> = None;
    let mut i = 0;
    let end_word = |cur: &mut Option<Word>, words: &mut Vec<Word>, at: usize| {
        if let Some(mut w) = cur.take() {
            w.span.end = at;
            words.push(w);
        }
    };
    let end_command = |words: &mut Vec<Word>, out: &mut Vec<Command>| {
        if !words.is_empty() {
            out.push(Command {
                words: std::mem::take(words),
            });
        }
    };
    fn push(cur: &mut Option<Word>, at: usize, c: &str, src: usize) {
        let w = cur.get_or_insert_with(|| Word {
            text: String::new(),
            span: at..at,
            offsets: Vec::new(),
            expands: false,
        });
        w.text.push_str(c);
        for k in 0..c.len() {
            w.offsets.push((src + k) as u32);
        }
    }
    fn start(cur: &mut Option<Word>, at: usize) {
        cur.get_or_insert_with(|| Word {
            text: String::new(),
            span: at..at,
            offsets: Vec::new(),
            expands: false,
        });
    }
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 2,
            b'\\' if bytes.get(i + 1) == Some(&b'\r') && bytes.get(i + 2) == Some(&b'\n') => i += 3,
            b'\\' => {
                let n = char_len(text, i + 1);
                if n == 0 {
                    i += 1;
                    continue;
                }
                push(&mut cur, i, text.get(i + 1..i + 1 + n).unwrap_or(""), i + 1);
                i += 1 + n;
            }
            b'#' if cur.is_none() => {
                // a comment runs to the end of the line
                i = memchr::memchr(b'\n', bytes.get(i..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + n);
            }
            b' ' | b'\t' | b'\r' => {
                end_word(&mut cur, &mut words, i);
                i += 1;
            }
            b'\n' | b';' | b'&' | b'|' | b'(' | b')' => {
                end_word(&mut cur, &mut words, i);
                end_command(&mut words, &mut out);
                i += 1;
            }
            b'\'' => {
                start(&mut cur, i);
                let close = memchr::memchr(b'\'', bytes.get(i + 1..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + 1 + n);
                push(&mut cur, i, text.get(i + 1..close).unwrap_or(""), i + 1);
                i = (close + 1).min(bytes.len());
            }
            b'"' => {
                start(&mut cur, i);
                i += 1;
                while let Some(&c) = bytes.get(i).filter(|c| **c != b'"') {
                    if c == b'\\' && matches!(bytes.get(i + 1), Some(b'"' | b'\\' | b'$' | b'`')) {
                        push(&mut cur, i, text.get(i + 1..i + 2).unwrap_or(""), i + 1);
                        i += 2;
                        continue;
                    }
                    if c == b'\\' && bytes.get(i + 1) == Some(&b'\n') {
                        i += 2;
                        continue;
                    }
                    if c == b'$'
                        && let Some(w) = cur.as_mut()
                    {
                        w.expands = true;
                    }
                    let n = char_len(text, i).max(1);
                    push(&mut cur, i, text.get(i..i + n).unwrap_or(""), i);
                    i += n;
                }
                i = (i + 1).min(bytes.len());
            }
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                // `$(…)`: kept whole inside the word, nesting counted
                let close = matching_paren(bytes, i + 1);
                push(&mut cur, i, text.get(i..close).unwrap_or(""), i);
                if let Some(w) = cur.as_mut() {
                    w.expands = true;
                }
                i = close;
            }
            b'`' => {
                let close = memchr::memchr(b'`', bytes.get(i + 1..).unwrap_or(&[]))
                    .map_or(bytes.len(), |n| i + 2 + n);
                let close = close.min(bytes.len());
                push(&mut cur, i, text.get(i..close).unwrap_or(""), i);
                if let Some(w) = cur.as_mut() {
                    w.expands = true;
                }
                i = close;
            }
            _ => {
                let n = char_len(text, i).max(1);
                push(&mut cur, i, text.get(i..i + n).unwrap_or(""), i);
                if b == b'$'
                    && let Some(w) = cur.as_mut()
                {
                    w.expands = true;
                }
                i += n;
            }
        }
    }
    end_word(&mut cur, &mut words, bytes.len());
    end_command(&mut words, &mut out);
    out
}

/// Length of the UTF-8 character at `i` (0 at the end).
fn char_len(text: &str, i: usize) -> usize {
    text.get(i..)
        .and_then(|s| s.chars().next())
        .map_or(0, char::len_utf8)
}

/// The byte after the `)` matching the `(` at `open` (or the end).
fn matching_paren(bytes: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    let mut i = open;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return i + 1;
                }
            }
            b'\\' => i += 1,
            _ => {}
        }
        i += 1;
    }
    bytes.len()
}

/// The variable a word refers to when it is exactly `$NAME` or `${NAME}`
/// (with the range of the name in the word's text).
pub fn whole_reference(text: &str) -> Option<&str> {
    let name = text
        .strip_prefix("${")
        .and_then(|t| t.strip_suffix('}'))
        .or_else(|| text.strip_prefix('$'))?;
    is_name(name).then_some(name)
}

/// A shell variable name.
pub fn is_name(s: &str) -> bool {
    let mut c = s.chars();
    c.next()
        .is_some_and(|f| f.is_ascii_alphabetic() || f == '_')
        && c.all(|x| x.is_ascii_alphanumeric() || x == '_')
}

/// `NAME=value` as an assignment: the name and where the value starts.
pub fn assignment(text: &str) -> Option<(&str, usize)> {
    let (name, _) = text.split_once('=')?;
    is_name(name).then_some((name, name.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<Vec<String>> {
        commands(src)
            .into_iter()
            .map(|c| c.words.into_iter().map(|w| w.text).collect())
            .collect()
    }

    #[test]
    fn reads_docker_run_with_continuations_and_quotes() {
        let src = "docker run -d \\\n  -e 'A=b c' \\\n  -e \"K=\\\"q\\\"\" img:1 # note\necho hi; ls && x";
        assert_eq!(
            texts(src),
            [
                vec![
                    "docker", "run", "-d", "-e", "A=b c", "-e", "K=\"q\"", "img:1"
                ],
                vec!["echo", "hi"],
                vec!["ls"],
                vec!["x"],
            ]
        );
    }

    #[test]
    fn maps_parts_of_words_back_to_the_source() {
        let src = "run -e \"SECRET=abc\"";
        let c = &commands(src)[0];
        let w = &c.words[2];
        assert_eq!(w.text, "SECRET=abc");
        let r = w.source_range(7..10);
        assert_eq!(&src[r], "abc");
        assert_eq!(&src[w.span.clone()], "\"SECRET=abc\"");
    }

    #[test]
    fn keeps_substitutions_in_their_word() {
        let t = texts("docker run -e K=$(openssl rand -hex 32) -e X=`date` i");
        assert_eq!(t[0][3], "K=$(openssl rand -hex 32)");
        assert_eq!(t[0][5], "X=`date`");
        assert!(commands("x $HOME")[0].words[1].expands);
        assert!(!commands("x '$HOME'")[0].words[1].expands);
    }

    #[test]
    fn never_panics_on_broken_input() {
        for s in ["\"", "'", "\\", "$(", "`", "a\\\r", "é\\é", "$((", "\"\\"] {
            let _ = commands(s);
        }
    }

    #[test]
    fn names_and_references() {
        assert_eq!(whole_reference("${A_B}"), Some("A_B"));
        assert_eq!(whole_reference("$X"), Some("X"));
        assert_eq!(whole_reference("$X-y"), None);
        assert_eq!(assignment("FOO=bar"), Some(("FOO", 4)));
        assert_eq!(assignment("-e=x"), None);
    }
}
