//! `.env` files, with byte spans for every key, value, reference and
//! comment.
//!
//! The semantics are those of dotenvy 0.15 for every file dotenvy accepts
//! (a property test compares the two), with the docker compose dialect on
//! top: `${VAR:-default}`, `${VAR-default}`, `${VAR:?err}`, `${VAR:+alt}`
//! and `$$`. References resolve against the entries above them; the
//! process environment is never read.
//!
//! Deliberate differences, all in input the compose dialect defines:
//! `$$` is a literal `$`; a `$` not followed by a name, `{` or `$` is
//! literal; an unbraced `$NAME` takes `[A-Za-z0-9_]` characters (dotenvy
//! stops at `_`) and the text after it is read normally.
//!
//! A malformed line is an error with its range; parsing goes on with the
//! next line. A quote that is never closed is reported at its line, and
//! parsing resumes on the line after it.

use std::collections::HashMap;
use std::ops::Range;

use crate::syntax::interp::{self, Op, Piece, VarRef};

/// A parsed `.env` file.
#[derive(Debug, Default, Clone)]
pub struct DotenvFile {
    pub entries: Vec<Entry>,
    /// `# …` comments, whole-line or trailing.
    pub comments: Vec<Range<usize>>,
    pub errors: Vec<DotenvError>,
}

/// One `KEY=value` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_span: Range<usize>,
    /// The value after unquoting, escapes and substitution.
    pub value: String,
    /// The value as written, quotes included, trailing comment and
    /// whitespace excluded. Empty (at the position after `=`) for `KEY=`.
    pub value_span: Range<usize>,
    pub refs: Vec<DotenvRef>,
    /// Written as `export KEY=…`.
    pub export: bool,
    /// 1-based line of the key.
    pub line: usize,
}

/// A `$VAR` or `${…}` reference in a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvRef {
    /// The reference, with ranges relative to the file.
    pub var: VarRef,
    pub span: Range<usize>,
    /// The variable was defined by an entry above.
    pub resolved: bool,
}

/// A line that is not a valid entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DotenvError {
    pub span: Range<usize>,
    pub message: String,
}

/// Parse `.env` text.
pub fn parse(text: &str) -> DotenvFile {
    let mut out = DotenvFile::default();
    let mut vars: HashMap<String, String> = HashMap::new();
    let lines = crate::source::lines::LineIndex::new(text);
    let mut pos = if text.starts_with('\u{feff}') { 3 } else { 0 };
    while pos < text.len() {
        let (logical, next) = match logical_line(text, pos) {
            Ok(x) => x,
            Err(open) => {
                // an unterminated quote: report the line, resume after it
                let line_end = text
                    .get(pos..)
                    .and_then(|r| r.find('\n'))
                    .map_or(text.len(), |i| pos + i);
                out.errors.push(DotenvError {
                    span: open..line_end.max(open),
                    message: "unterminated quote: the value is never closed".into(),
                });
                pos = (line_end + 1).min(text.len()).max(line_end);
                if line_end >= text.len() {
                    break;
                }
                continue;
            }
        };
        parse_line(text, &lines, logical, &mut vars, &mut out);
        pos = next;
    }
    out
}

/// The logical line starting at `pos` (several physical lines while a
/// quote is open, as dotenvy joins them), as `(range without comment and
/// line break, start of the next line)`. `Err(offset of the opening
/// quote)` when a quote is never closed.
fn logical_line(text: &str, pos: usize) -> Result<(Range<usize>, usize), usize> {
    #[derive(Clone, Copy, PartialEq)]
    enum S {
        Complete,
        Escape,
        Strong,
        StrongEscape,
        Weak,
        WeakEscape,
        White,
    }
    let rest = text.get(pos..).unwrap_or("");
    let first_line_end = rest.find('\n').map_or(rest.len(), |i| i);
    if rest
        .get(..first_line_end)
        .is_some_and(|l| l.trim_start().starts_with('#'))
    {
        return Ok((pos..pos + first_line_end, pos + first_line_end + 1));
    }
    let mut s = S::Complete;
    let mut open_quote = pos;
    for (i, c) in rest.char_indices() {
        let at = pos + i;
        s = match s {
            S::White if c == '#' => {
                return Ok((pos..at, end_of_line(text, at)));
            }
            S::White | S::Complete if c == '\n' => {
                let mut end = at;
                if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') && end > pos {
                    end -= 1;
                }
                return Ok((pos..end, at + 1));
            }
            S::White | S::Complete => match c {
                '\\' => S::Escape,
                '"' => {
                    open_quote = at;
                    S::Weak
                }
                '\'' => {
                    open_quote = at;
                    S::Strong
                }
                c if c.is_whitespace() && c != '\r' => S::White,
                _ => S::Complete,
            },
            S::Escape => S::Complete,
            S::Weak => match c {
                '\\' => S::WeakEscape,
                '"' => S::Complete,
                _ => S::Weak,
            },
            S::WeakEscape => S::Weak,
            S::Strong => match c {
                '\\' => S::StrongEscape,
                '\'' => S::Complete,
                _ => S::Strong,
            },
            S::StrongEscape => S::Strong,
        };
    }
    match s {
        S::Complete => Ok((pos..text.len(), text.len())),
        // dotenvy rejects trailing whitespace at end of input without a
        // line break; we accept it
        S::White | S::Escape => Ok((pos..text.len(), text.len())),
        _ => Err(open_quote),
    }
}

fn end_of_line(text: &str, at: usize) -> usize {
    text.get(at..)
        .and_then(|r| r.find('\n'))
        .map_or(text.len(), |i| at + i + 1)
}

/// The length of a variable name at the start of `s`: a letter or `_`,
/// then letters, digits, `_` or `.`.
fn key_len(s: &str) -> Option<usize> {
    let first = s.chars().next()?;
    if !(first.is_ascii_alphabetic() || first == '_') {
        return None;
    }
    Some(
        s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(s.len()),
    )
}

/// The variable name of a line's `body`, after an optional `export`: its
/// offset in `body`, its length and whether `export` came first; or the
/// offset and message of an error.
fn parse_key(body: &str) -> Result<(usize, usize, bool), (usize, String)> {
    let ws = |s: &str| s.len() - s.trim_start().len();
    let Some(klen) = key_len(body) else {
        return Err((
            0,
            "expected a variable name (a letter or `_`, then letters, digits, `_` or `.`)".into(),
        ));
    };
    let rest = body.get(klen..).unwrap_or("");
    if body.get(..klen) == Some("export") {
        let after_ws = rest.get(ws(rest)..).unwrap_or("");
        if !after_ws.starts_with('=') {
            // `export KEY=…`
            let off = klen + ws(rest);
            let tail = body.get(off..).unwrap_or("");
            return match key_len(tail) {
                Some(l) => Ok((off, l, true)),
                None => Err((off, "expected a variable name after `export`".into())),
            };
        }
    }
    Ok((0, klen, false))
}

fn parse_line(
    text: &str,
    lines: &crate::source::lines::LineIndex,
    range: Range<usize>,
    vars: &mut HashMap<String, String>,
    out: &mut DotenvFile,
) {
    let raw = text.get(range.clone()).unwrap_or("");
    // a trailing comment removed by the logical-line split
    if let Some(after) = text.get(range.end..)
        && after.starts_with('#')
    {
        let end = after.find('\n').map_or(text.len(), |i| range.end + i);
        let end = if text.as_bytes().get(end.wrapping_sub(1)) == Some(&b'\r') {
            end - 1
        } else {
            end
        };
        out.comments.push(range.end..end.max(range.end));
    }
    let trimmed_end = raw.trim_end();
    let lead = raw.len() - raw.trim_start().len();
    let body = trimmed_end.get(lead..).unwrap_or("");
    let start = range.start + lead;
    if body.is_empty() {
        return;
    }
    if body.starts_with('#') {
        out.comments.push(start..start + body.len());
        return;
    }
    let line_no = lines.line_of(start) + 1;
    let err = |out: &mut DotenvFile, at: usize, message: String| {
        let line_end = range.start + trimmed_end.len();
        out.errors.push(DotenvError {
            span: at.min(line_end)..line_end,
            message,
        });
    };
    let (key_off, klen, export) = match parse_key(body) {
        Ok(k) => k,
        Err((at, message)) => {
            err(out, start + at, message);
            return;
        }
    };
    let key_start = start + key_off;
    let rest = body.get(key_off + klen..).unwrap_or("");
    let ws = |s: &str| s.len() - s.trim_start().len();
    let key = text
        .get(key_start..key_start + klen)
        .unwrap_or("")
        .to_string();
    let key_span = key_start..key_start + klen;
    let rest_off = key_start + klen;
    let w = ws(rest);
    let Some(after_eq) = rest.get(w..).and_then(|r| r.strip_prefix('=')) else {
        err(
            out,
            rest_off + w,
            format!("expected `=` after `{key}`: a line must be KEY=value"),
        );
        return;
    };
    let value_off = rest_off + w + 1 + ws(after_eq);
    let value_src = after_eq.get(ws(after_eq)..).unwrap_or("");
    if value_src.is_empty() || value_src.starts_with('#') {
        vars.insert(key.clone(), String::new());
        if value_src.starts_with('#') {
            out.comments.push(value_off..value_off + value_src.len());
        }
        out.entries.push(Entry {
            key,
            key_span,
            value: String::new(),
            value_span: value_off..value_off,
            refs: Vec::new(),
            export,
            line: line_no,
        });
        return;
    }
    match parse_value(value_src, value_off, vars) {
        Ok((value, value_len, refs)) => {
            if value_len < value_src.len() {
                out.comments.push(
                    value_off + value_len + ws(value_src.get(value_len..).unwrap_or(""))
                        ..value_off + value_src.len(),
                );
            }
            vars.insert(key.clone(), value.clone());
            out.entries.push(Entry {
                key,
                key_span,
                value,
                value_span: value_off..value_off + value_len,
                refs,
                export,
                line: line_no,
            });
        }
        Err((at, message)) => err(out, value_off + at, message),
    }
}

type Value = (String, usize, Vec<DotenvRef>);

/// Parse a value (text after `=` and spaces, trimmed at the end). Returns
/// the value, the length of the value text (before a trailing comment) and
/// the references; or the offset and message of an error.
fn parse_value(
    input: &str,
    base: usize,
    vars: &HashMap<String, String>,
) -> Result<Value, (usize, String)> {
    let mut out = String::new();
    let mut refs = Vec::new();
    let (mut strong, mut weak, mut escaped) = (false, false, false);
    // the last thing read was a closing quote
    let mut after_quote = false;
    let mut end_of_value: Option<usize> = None;
    let mut i = 0;
    while let Some(c) = input.get(i..).and_then(|r| r.chars().next()) {
        let len = c.len_utf8();
        if let Some(eov) = end_of_value {
            if c == ' ' || c == '\t' {
                i += len;
                continue;
            } else if c == '#' {
                break;
            }
            if after_quote {
                return Err((i, "unexpected text after the closing quote".into()));
            }
            // dotenvy rejects `A=a b`; docker compose reads `a b`
            out.push_str(input.get(eov..i).unwrap_or(""));
            end_of_value = None;
        }
        if escaped {
            match c {
                '\\' | '\'' | '"' | '$' | ' ' => out.push(c),
                'n' => out.push('\n'),
                _ => return Err((i, format!("unknown escape `\\{c}`"))),
            }
            escaped = false;
            i += len;
            continue;
        }
        if strong {
            if c == '\'' {
                strong = false;
                after_quote = true;
            } else {
                out.push(c);
            }
            i += len;
            continue;
        }
        if c == '$' {
            i = dollar(input, i, (base, vars), (&mut out, &mut refs))?;
            continue;
        }
        if weak {
            match c {
                '"' => {
                    weak = false;
                    after_quote = true;
                }
                '\\' => escaped = true,
                _ => out.push(c),
            }
        } else {
            match c {
                '\'' => strong = true,
                '"' => weak = true,
                '\\' => escaped = true,
                ' ' | '\t' => {
                    end_of_value = Some(i);
                    i += len;
                    continue;
                }
                _ => out.push(c),
            }
        }
        if !matches!(c, '\'' | '"') {
            after_quote = false;
        }
        i += len;
    }
    if strong || weak {
        let at = crate::source::floor_char_boundary(input, input.len().saturating_sub(1));
        return Err((at, "unterminated quote".into()));
    }
    let value_len = end_of_value.unwrap_or(input.len().min(i));
    Ok((out, value_len, refs))
}

/// A `$` at `i` of a value outside single quotes: `$$`, `${…}`, `$NAME`
/// or a literal `$`. Appends what it stands for to `out` (and its
/// references to `refs`) and returns the offset after it.
fn dollar(
    input: &str,
    i: usize,
    (base, vars): (usize, &HashMap<String, String>),
    (out, refs): (&mut String, &mut Vec<DotenvRef>),
) -> Result<usize, (usize, String)> {
    let bytes = input.as_bytes();
    match bytes.get(i + 1) {
        Some(b'$') => {
            out.push('$');
            Ok(i + 2)
        }
        Some(b'{') => {
            let close = matching_brace(input, i + 1)
                .ok_or_else(|| (i, "unterminated `${`: missing `}`".to_string()))?;
            let src = input.get(i..=close).unwrap_or("");
            let (value, r) = substitute(src, base + i, vars);
            out.push_str(&value);
            refs.extend(r);
            Ok(close + 1)
        }
        Some(&b) if b.is_ascii_alphabetic() || b == b'_' => {
            let mut e = i + 1;
            while bytes
                .get(e)
                .is_some_and(|b| b.is_ascii_alphanumeric() || *b == b'_')
            {
                e += 1;
            }
            let src = input.get(i..e).unwrap_or("");
            let (value, r) = substitute(src, base + i, vars);
            out.push_str(&value);
            refs.extend(r);
            Ok(e)
        }
        _ => {
            out.push('$');
            Ok(i + 1)
        }
    }
}

/// The index of the `}` closing the `{` at `open`, counting nesting.
fn matching_brace(input: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, b) in input.bytes().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}

/// Substitute one reference (`$NAME` or `${…}`) written at `at`.
fn substitute(src: &str, at: usize, vars: &HashMap<String, String>) -> (String, Vec<DotenvRef>) {
    let lookup = |n: &str| vars.get(n).cloned();
    match interp::parse_template(src) {
        Ok(pieces) => {
            let ev = interp::evaluate(&pieces, &lookup);
            let refs = pieces
                .into_iter()
                .filter_map(|p| match p {
                    Piece::Var(v) => Some(v),
                    Piece::Lit { .. } => None,
                })
                .map(|v| {
                    let resolved = vars.contains_key(&v.name)
                        || !matches!(v.op, Op::Plain | Op::ErrorIfUnset | Op::ErrorIfUnsetOrEmpty);
                    DotenvRef {
                        span: at + v.span.start..at + v.span.end,
                        var: shift(v, at),
                        resolved,
                    }
                })
                .collect();
            (ev.value, refs)
        }
        // `${not a name}`: as dotenvy, an unknown variable: empty
        Err(_) => (String::new(), Vec::new()),
    }
}

fn shift(mut v: VarRef, by: usize) -> VarRef {
    v.span = v.span.start + by..v.span.end + by;
    v.name_span = v.name_span.start + by..v.name_span.end + by;
    if let Some(a) = &mut v.arg {
        a.span = a.span.start + by..a.span.end + by;
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kv(text: &str) -> Vec<(String, String)> {
        let f = parse(text);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        f.entries.into_iter().map(|e| (e.key, e.value)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    #[test]
    fn the_dotenvy_examples() {
        let text = "\nKEY=1\nKEY2=\"2\"\nKEY3='3'\nKEY4='fo ur'\nKEY5=\"fi ve\"\nKEY6=s\\ ix\nKEY7=\nKEY8=     \nKEY9=   # foo\nKEY10  =\"whitespace before =\"\nKEY11=    \"whitespace after =\"\nexport=\"export as key\"\nexport   SHELL_LOVER=1\n";
        assert_eq!(
            kv(text),
            pairs(&[
                ("KEY", "1"),
                ("KEY2", "2"),
                ("KEY3", "3"),
                ("KEY4", "fo ur"),
                ("KEY5", "fi ve"),
                ("KEY6", "s ix"),
                ("KEY7", ""),
                ("KEY8", ""),
                ("KEY9", ""),
                ("KEY10", "whitespace before ="),
                ("KEY11", "whitespace after ="),
                ("export", "export as key"),
                ("SHELL_LOVER", "1"),
            ])
        );
    }

    #[test]
    fn spans_point_at_key_and_raw_value() {
        let t = "# c\nA=1\nexport B=\"two words\"  # note\nC='x'\n";
        let f = parse(t);
        let b = &f.entries[1];
        assert_eq!(&t[b.key_span.clone()], "B");
        assert_eq!(&t[b.value_span.clone()], "\"two words\"");
        assert!(b.export);
        assert_eq!(b.line, 3);
        assert_eq!(f.comments.len(), 2, "{:?}", f.comments);
        assert_eq!(&t[f.comments[1].clone()], "# note");
    }

    #[test]
    fn substitution_from_earlier_entries_and_compose_dialect() {
        let t = "A=x\nB=${A}-$A\nC=\"${NOPE:-dflt}\"\nD='$A'\nE=$$A\nF=${A:+alt}\n";
        assert_eq!(
            kv(t),
            pairs(&[
                ("A", "x"),
                ("B", "x-x"),
                ("C", "dflt"),
                ("D", "$A"),
                ("E", "$A"),
                ("F", "alt"),
            ])
        );
        let f = parse("B=${MISSING}\n");
        assert_eq!(f.entries[0].value, "");
        assert!(!f.entries[0].refs[0].resolved);
        assert_eq!(
            &"B=${MISSING}\n"[f.entries[0].refs[0].span.clone()],
            "${MISSING}"
        );
    }

    #[test]
    fn multi_line_quotes_crlf_and_bom() {
        let t = "\u{feff}A=\"line1\nline2\"\r\nB=2\r\n";
        assert_eq!(kv(t), pairs(&[("A", "line1\nline2"), ("B", "2")]));
        let f = parse(t);
        assert_eq!(&t[f.entries[1].value_span.clone()], "2");
    }

    #[test]
    fn bad_lines_are_errors_and_the_rest_is_read() {
        let t = "A=1\nTHIS IS WRONG\n1X=2\nB=\"a\" b\nC=\"\\q\"\nD=4\nE=run a  b # c\n";
        let f = parse(t);
        let lines: Vec<usize> = f
            .errors
            .iter()
            .map(|e| t[..e.span.start].matches('\n').count() + 1)
            .collect();
        assert_eq!(lines, [2, 3, 4, 5], "{:?}", f.errors);
        let keys: Vec<&str> = f.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["A", "D", "E"]);
        assert_eq!(f.entries[2].value, "run a  b");
    }

    #[test]
    fn unterminated_quote_reports_its_line_and_goes_on() {
        let t = "A=\"open\nB=2\nC=3\n";
        let f = parse(t);
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].span.start, 2);
        let keys: Vec<&str> = f.entries.iter().map(|e| e.key.as_str()).collect();
        assert_eq!(keys, ["B", "C"]);
    }

    #[test]
    fn comments_and_hashes_in_values() {
        assert_eq!(
            kv("A=1#x\nB=\"# not\" # yes\n  # indented\n"),
            pairs(&[("A", "1#x"), ("B", "# not")])
        );
    }
}
