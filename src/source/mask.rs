//! Masking of secret values in excerpts and messages.
//!
//! Two kinds of ranges are starred out (keeping their byte length, so that
//! offsets into the line stay valid): the byte ranges the engine knows hold
//! secrets (the values of secret concepts and secret-like keys, values read
//! from Kubernetes Secrets), and whatever the shown text itself looks like
//! a secret in ([`content_ranges`]): the value of a secret-like key on any
//! line shown, URL credentials (`scheme://user:pass@`), `Authorization`,
//! `Basic` and `Bearer` values, JWTs and private-key blocks. Parse-error
//! excerpts are masked the same way. Messages mask through
//! [`crate::source::secret`] and [`mask_message`].

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

/// Replace every character of `text` with `*`, keeping its byte length so
/// that byte offsets into the surrounding line stay valid.
pub fn star_out(text: &str) -> String {
    text.chars().map(|c| "*".repeat(c.len_utf8())).collect()
}

/// How far back from a shown line a private-key header is looked for: a
/// PEM block of an 8192-bit RSA key is under 7 KiB.
const PEM_LOOKBACK: usize = 16 * 1024;

/// Sort `masks` and merge those that overlap or touch in one file, so
/// that [`masks_in`] finds the masks of a range by binary search. The
/// union of the ranges, which is what masking stars out, is unchanged.
pub fn normalize(masks: &mut Vec<crate::source::Span>) {
    masks.sort();
    let mut out: Vec<crate::source::Span> = Vec::with_capacity(masks.len());
    for m in masks.drain(..) {
        match out.last_mut() {
            Some(last) if last.file == m.file && m.start <= last.end => {
                last.end = last.end.max(m.end);
            }
            _ => out.push(m),
        }
    }
    *masks = out;
}

/// The masks of file `id` that overlap `range`, out of masks made by
/// [`normalize`] (sorted, disjoint): found by binary search, so an
/// excerpt costs the logarithm of the number of masks, not their number.
pub fn masks_in(
    masks: &[crate::source::Span],
    id: crate::source::FileId,
    range: std::ops::Range<usize>,
) -> &[crate::source::Span] {
    let from = masks.partition_point(|m| (m.file, m.end) <= (id, range.start));
    let rest = masks.get(from..).unwrap_or(&[]);
    let n = rest.partition_point(|m| m.file == id && m.start < range.end);
    rest.get(..n).unwrap_or(&[])
}

/// The text of `range` in `file`, with every secret range starred out
/// (same byte length, so offsets stay valid) unless secrets are shown:
/// the `masks` of the file, and what the text shown looks like a secret in.
pub fn masked_text(
    masks: &[crate::source::Span],
    show_secrets: bool,
    id: crate::source::FileId,
    file: &crate::source::SourceFile,
    range: std::ops::Range<usize>,
) -> String {
    let mut text = file.slice(range.clone()).to_string();
    if show_secrets {
        return text;
    }
    for m in masks_in(masks, id, range.clone()) {
        let s = m.start.max(range.start);
        let e = m.end.min(range.end);
        if s >= e {
            continue;
        }
        star_range(&mut text, s - range.start, e - range.start);
    }
    let at = range.start.min(file.text.len());
    let from = crate::source::floor_char_boundary(&file.text, at.saturating_sub(PEM_LOOKBACK));
    let in_key = file.key_marks().open_in(from..at);
    for r in ranges_from(&text, in_key, Scope::Excerpt) {
        star_range(&mut text, r.start, r.end);
    }
    text
}

/// The private-key headers and `-----END` markers of a text, in order:
/// whether a shown range starts inside a key block is then found by binary
/// search instead of a scan of the text before it for every excerpt.
#[derive(Debug, Clone, Default)]
pub struct KeyMarks {
    /// Byte ranges of the headers (`-----BEGIN … PRIVATE KEY-----`).
    begins: Vec<Range<usize>>,
    /// Byte offsets of each `-----END`.
    ends: Vec<usize>,
}

impl KeyMarks {
    pub fn of(text: &str) -> KeyMarks {
        if !text.contains("-----") {
            return KeyMarks::default();
        }
        KeyMarks {
            begins: KEY_BEGIN
                .as_ref()
                .map(|re| re.find_iter(text).map(|m| m.range()).collect())
                .unwrap_or_default(),
            ends: memchr::memmem::find_iter(text.as_bytes(), END_MARK).collect(),
        }
    }

    /// Does the text of `window` end inside a private-key block: a header
    /// wholly inside it with no end marker after it (as
    /// [`open_key_block`] of that text says)?
    pub fn open_in(&self, window: Range<usize>) -> bool {
        let n = self.begins.partition_point(|b| b.end <= window.end);
        let Some(last) = n.checked_sub(1).and_then(|i| self.begins.get(i)) else {
            return false;
        };
        if last.start < window.start {
            return false;
        }
        let e = self.ends.partition_point(|&e| e < last.end);
        self.ends
            .get(e)
            .is_none_or(|&e| e + END_MARK.len() > window.end)
    }
}

const END_MARK: &[u8] = b"-----END";

/// Lines longer than this many bytes are shown cut: this much around
/// the place a label points at, with `…` where text was left out.
pub const MAX_SHOWN_LINE: usize = 400;

/// How much of a cut line is shown before the place pointed at.
const SHOWN_BEFORE: usize = 120;

/// How far before a cut line's window the text is masked too, so that a
/// value whose key was cut off is still recognised.
const CUT_LOOKBACK: usize = 4096;

/// The part of the line `line` (a byte range of `file`, without its line
/// end) that is shown for a label at byte `focus`: the whole line when it is
/// at most [`MAX_SHOWN_LINE`] bytes, else a window of that size around
/// `focus`. Returns the window and whether text was cut before and after.
pub fn line_window(
    file: &crate::source::SourceFile,
    line: std::ops::Range<usize>,
    focus: usize,
) -> (std::ops::Range<usize>, bool, bool) {
    if line.end.saturating_sub(line.start) <= MAX_SHOWN_LINE {
        return (line, false, false);
    }
    let text = &file.text;
    let focus = focus.clamp(line.start, line.end);
    let start = crate::source::floor_char_boundary(
        text,
        focus.saturating_sub(SHOWN_BEFORE).max(line.start),
    )
    .max(line.start);
    let end =
        crate::source::floor_char_boundary(text, (start + MAX_SHOWN_LINE).min(line.end)).max(start);
    (start..end, start > line.start, end < line.end)
}

/// The text shown of `window` of a line of `file` (see [`line_window`]),
/// masked as [`masked_text`] masks, with `…` where the line was cut.
/// Returns the text and the length of the leading `…` (0 or 3 bytes).
pub fn shown_window(
    masks: &[crate::source::Span],
    show_secrets: bool,
    id: crate::source::FileId,
    file: &crate::source::SourceFile,
    line_start: usize,
    (window, cut_before, cut_after): (std::ops::Range<usize>, bool, bool),
) -> (String, usize) {
    // mask from a little before the window: a key cut off still hides its value
    let from = crate::source::floor_char_boundary(
        &file.text,
        window.start.saturating_sub(CUT_LOOKBACK).max(line_start),
    );
    let masked = masked_text(masks, show_secrets, id, file, from..window.end);
    let body = masked.get(window.start - from..).unwrap_or("");
    let mut out = String::with_capacity(body.len() + 6);
    if cut_before {
        out.push('…');
    }
    out.push_str(body);
    if cut_after {
        out.push('…');
    }
    (out, if cut_before { '…'.len_utf8() } else { 0 })
}

/// Star out `s..e` of `text`, snapped to character boundaries.
fn star_range(text: &mut String, s: usize, e: usize) {
    let (s, e) = (
        crate::source::floor_char_boundary(text, s),
        crate::source::floor_char_boundary(text, e),
    );
    if s >= e {
        return;
    }
    if let Some(secret) = text.get(s..e) {
        let stars = star_out(secret);
        text.replace_range(s..e, &stars);
    }
}

/// A message, label or help text with what looks like a secret in it
/// starred out: URL credentials, `Basic`/`Bearer` tokens, JWTs and
/// private keys. (Not the words after a secret-like key: a message names
/// keys in prose, ``weak secret: `KEY`: it is a placeholder``, and shows
/// the values it names as masked placeholders already.)
pub fn mask_message(text: &str) -> String {
    let mut out = text.to_string();
    for r in ranges(text, "", Scope::Message) {
        star_range(&mut out, r.start, r.end);
    }
    out
}

/// The texts that masking hides in `range` of `file` (the `masks` of the
/// file and what the text looks like a secret in), at least three bytes
/// long: a message that quotes the input (`expected `=` after `…``) must
/// not show what the excerpt hides.
pub fn hidden_texts(
    masks: &[crate::source::Span],
    id: crate::source::FileId,
    file: &crate::source::SourceFile,
    range: std::ops::Range<usize>,
) -> Vec<String> {
    let raw = file.slice(range.clone());
    let masked = masked_text(masks, false, id, file, range);
    let mut out = Vec::new();
    let (raw_b, masked_b) = (raw.as_bytes(), masked.as_bytes());
    let mut i = 0;
    while i < raw_b.len().min(masked_b.len()) {
        if raw_b.get(i) != masked_b.get(i) {
            let start = i;
            while i < raw_b.len().min(masked_b.len()) && raw_b.get(i) != masked_b.get(i) {
                i += 1;
            }
            let (s, e) = (
                crate::source::floor_char_boundary(raw, start),
                crate::source::floor_char_boundary(raw, i),
            );
            if let Some(t) = raw.get(s..e).filter(|t| t.len() >= 3) {
                out.push(t.to_string());
            }
        }
        i += 1;
    }
    out
}

/// `text` with every occurrence of the `hidden` texts starred out.
/// (whole words only: a hidden `secret` leaves `SESSION_SECRET` alone).
pub fn hide_in(text: &str, hidden: &[String]) -> String {
    let word = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
    let mut out = text.to_string();
    for h in hidden {
        let mut from = 0;
        while let Some(i) = out.get(from..).and_then(|r| r.find(h.as_str())) {
            let (s, e) = (from + i, from + i + h.len());
            let before = out.get(..s).and_then(|b| b.chars().next_back());
            let after = out.get(e..).and_then(|a| a.chars().next());
            let starts = word(h.chars().next()) && word(before);
            let ends = word(h.chars().next_back()) && word(after);
            if !starts && !ends {
                out.replace_range(s..e, &star_out(h));
            }
            from = e;
        }
    }
    out
}

/// The byte ranges of `text` (one or more lines) that look like secrets.
/// `before` is the text that precedes it in its file (a bounded part):
/// a line inside a private-key block is masked whole.
pub fn content_ranges(text: &str, before: &str) -> Vec<Range<usize>> {
    ranges(text, before, Scope::Excerpt)
}

/// What text is masked: a source excerpt, or a message in prose.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Scope {
    Excerpt,
    Message,
}

fn ranges(text: &str, before: &str, scope: Scope) -> Vec<Range<usize>> {
    ranges_from(text, open_key_block(before), scope)
}

/// [`ranges`], starting inside a private-key block when `in_key`.
fn ranges_from(text: &str, mut in_key: bool, scope: Scope) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    // private-key blocks, across lines
    let mut at = 0;
    for line in text.split_inclusive(['\n', '\r']) {
        let body = line.trim_end_matches(['\n', '\r']);
        let base = at;
        at += line.len();
        let mut from = 0;
        loop {
            if in_key {
                match body.get(from..).and_then(|r| r.find("-----END")) {
                    Some(i) => {
                        out.push(base + from..base + from + i);
                        in_key = false;
                        from += i + "-----END".len();
                    }
                    None => {
                        out.push(base + from..base + body.len());
                        break;
                    }
                }
            } else {
                match body.get(from..).and_then(|r| KEY_BEGIN.as_ref()?.find(r)) {
                    Some(m) => {
                        in_key = true;
                        from += m.end();
                    }
                    None => break,
                }
            }
        }
        line_ranges(body, base, scope, &mut out);
    }
    out.retain(|r| r.start < r.end);
    out.sort_by_key(|r| (r.start, r.end));
    out
}

/// Does `before` end inside a private-key block (a header with no end
/// marker after it)?
fn open_key_block(before: &str) -> bool {
    let Some(m) = KEY_BEGIN
        .as_ref()
        .and_then(|re| re.find_iter(before).last())
    else {
        return false;
    };
    !before.get(m.end()..).unwrap_or("").contains("-----END")
}

static KEY_BEGIN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY( BLOCK)?-----").ok());
static URL_CREDS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"[A-Za-z][A-Za-z0-9+.\-]*://[^\s/:@'"`]*:([^\s/'"`]*)@"#).ok());
static SCHEME_TOKEN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"(?i)\b(?:basic|bearer)\s+([A-Za-z0-9._~+/\-]+=*)").ok());
static AUTH_HEADER: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)\b(?:proxy-)?authorization["'`]?\s*[:=]?[ \t]*"#).ok());
static JWT: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"eyJ[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]{4,}\.[A-Za-z0-9_\-]*").ok()
});
static ASSIGN: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r#"(["'`]?)(\$?[A-Za-z_][A-Za-z0-9_.\-]*)(["'`]?)[ \t]*(=|:)"#).ok()
});
static DIRECTIVE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(
        r"(?i)\b(?:proxy_set_header|add_header|more_set_headers|fastcgi_param|uwsgi_param|scgi_param|grpc_set_header|http-request\s+set-header|set|env)\s+(\$?[A-Za-z_][A-Za-z0-9_.\-]*)\s+",
    )
    .ok()
});
static KEY_VALUE_LINE: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(requirepass|masterauth|password|secret|passphrase)\s+").ok()
});

/// The ranges of one line (no line end) that look like secrets.
fn line_ranges(line: &str, base: usize, scope: Scope, out: &mut Vec<Range<usize>>) {
    let mut push = |r: Range<usize>| out.push(base + r.start..base + r.end);
    // (a URL holds `://`: most lines do not, and the regex has no literal
    // to look for first)
    if let Some(re) = URL_CREDS.as_ref().filter(|_| line.contains("://")) {
        for c in re.captures_iter(line) {
            if let Some(m) = c.get(1) {
                push(m.range());
            }
        }
    }
    if let Some(re) = SCHEME_TOKEN.as_ref() {
        for c in re.captures_iter(line) {
            if let Some(m) = c.get(1).filter(|m| looks_like_token(m.as_str())) {
                push(m.range());
            }
        }
    }
    if let Some(re) = JWT.as_ref() {
        for m in re.find_iter(line) {
            push(m.range());
        }
    }
    if scope == Scope::Message {
        return;
    }
    if let Some(re) = AUTH_HEADER.as_ref() {
        for m in re.find_iter(line) {
            if let Some(v) = value_at(line, m.end()) {
                // the scheme stays: `Basic ****`
                let text = line.get(v.clone()).unwrap_or("");
                let scheme = text
                    .split_once(' ')
                    .filter(|(s, _)| {
                        ["basic", "bearer", "digest", "token", "negotiate"]
                            .contains(&s.to_ascii_lowercase().as_str())
                    })
                    .map_or(0, |(s, _)| s.len() + 1);
                push(v.start + scheme..v.end);
            }
        }
    }
    if let Some(re) = ASSIGN.as_ref() {
        for c in re.captures_iter(line) {
            let (Some(all), Some(key), Some(sep)) = (c.get(0), c.get(2), c.get(4)) else {
                continue;
            };
            let quoted = c.get(1).is_some_and(|q| !q.is_empty());
            // a key starts a word
            let prev = line.get(..all.start()).and_then(|p| p.chars().next_back());
            if prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '$') {
                continue;
            }
            // `key:` is YAML's only with a space after (or a quoted key)
            let after = line.get(sep.end()..).unwrap_or("");
            if sep.as_str() == ":"
                && !quoted
                && !(after.is_empty() || after.starts_with([' ', '\t']))
            {
                continue;
            }
            // in a flow mapping (`{KEY: v, B: w}`) a plain value ends at `,`
            let flow = line
                .get(..all.start())
                .and_then(|p| p.trim_end().chars().next_back())
                .is_some_and(|c| matches!(c, '{' | ',' | '['));
            if secret_like_key(key.as_str().trim_start_matches('$'))
                && let Some(v) = value_at(line, sep.end())
            {
                let v = if flow {
                    let text = line.get(v.clone()).unwrap_or("");
                    let quoted = line
                        .get(v.start.saturating_sub(1)..v.start)
                        .is_some_and(|q| q == "\"" || q == "'");
                    match flow_end(text).filter(|_| !quoted) {
                        Some(i) => {
                            let cut = text.get(..i).unwrap_or("").trim_end();
                            if cut.is_empty() || is_reference(cut) {
                                continue;
                            }
                            match reference_default(cut) {
                                Some(d) => v.start + d.start..v.start + d.end,
                                None => v.start..v.start + cut.len(),
                            }
                        }
                        None => v,
                    }
                } else {
                    v
                };
                push(v);
            }
        }
    }
    if let Some(re) = DIRECTIVE.as_ref() {
        for c in re.captures_iter(line) {
            let (Some(all), Some(key)) = (c.get(0), c.get(1)) else {
                continue;
            };
            if secret_like_key(key.as_str().trim_start_matches('$'))
                && let Some(v) = value_at(line, all.end())
            {
                push(v);
            }
        }
    }
    if let Some(m) = KEY_VALUE_LINE.as_ref().and_then(|re| re.find(line))
        && let Some(v) = value_at(line, m.end())
    {
        push(v);
    }
}

/// Is this word after `Basic`/`Bearer` a credential rather than prose
/// ("Basic authentication")? A token has a digit, a `=`, `+`, `/` or
/// `.`, or a capital letter after its first character, and eight
/// characters at least.
fn looks_like_token(t: &str) -> bool {
    t.len() >= 8
        && (t
            .bytes()
            .any(|b| b.is_ascii_digit() || b"=+/.".contains(&b))
            || t.bytes().skip(1).any(|b| b.is_ascii_uppercase()))
}

/// The range of the value that starts at `at` in `line` (spaces skipped):
/// a quoted string to its closing quote (or the line's end when it is
/// never closed), else the rest of the line up to a ` #` comment or a
/// `;`, trailing spaces left out. `None` when there is nothing to hide:
/// no value, a reference (`${VAR}`, `$VAR`, `%env(VAR)%`, `{{ … }}`)
/// or a YAML block indicator; a reference's default (`${VAR:-default}`)
/// is a value, and is hidden.
fn value_at(line: &str, at: usize) -> Option<Range<usize>> {
    let rest = line.get(at..)?;
    let skip = rest.len() - rest.trim_start().len();
    let start = at + skip;
    let rest = rest.get(skip..)?;
    let mut chars = rest.char_indices();
    let (_, first) = chars.next()?;
    let range = if first == '"' || first == '\'' || first == '`' {
        let mut escaped = false;
        let mut end = rest.len();
        for (i, c) in chars {
            if escaped {
                escaped = false;
            } else if c == '\\' && first == '"' {
                escaped = true;
            } else if c == first {
                end = i;
                break;
            }
        }
        start + first.len_utf8()..start + end
    } else {
        let mut end = rest.len();
        if let Some(i) = rest.find(" #") {
            end = end.min(i);
        }
        if let Some(i) = rest.find(';') {
            end = end.min(i);
        }
        // (a closing quote of a string the value sits in stays)
        let v = rest
            .get(..end)
            .unwrap_or("")
            .trim_end()
            .trim_end_matches(['"', '\'', '`']);
        start..start + v.len()
    };
    let v = line.get(range.clone())?;
    if v.is_empty() || is_block_indicator(v) || v.starts_with("%env(") || v.starts_with("{{") {
        return None;
    }
    if let Some(d) = reference_default(v) {
        return Some(range.start + d.start..range.start + d.end);
    }
    if is_reference(v) {
        return None;
    }
    Some(range)
}

/// Where a plain value of a flow mapping ends: at the first `,`, `}` or
/// `]` outside a `${…}` reference.
fn flow_end(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut prev = '\0';
    for (i, c) in text.char_indices() {
        match c {
            '{' if prev == '$' => depth += 1,
            '}' if depth > 0 => depth -= 1,
            ',' | '}' | ']' if depth == 0 => return Some(i),
            _ => {}
        }
        prev = c;
    }
    None
}

fn is_block_indicator(v: &str) -> bool {
    let mut b = v.bytes();
    matches!(b.next(), Some(b'|' | b'>')) && b.all(|c| c == b'-' || c == b'+' || c.is_ascii_digit())
}

/// `$VAR` or `${VAR}` and nothing else.
fn is_reference(v: &str) -> bool {
    let name = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'.')
    };
    match v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) {
        Some(inner) => name(inner),
        None => v.strip_prefix('$').is_some_and(name),
    }
}

/// The default of `${VAR:-default}` (and `-`, `:=`, `=`, `:?`, `?`,
/// `:+`, `+`), relative to `v`.
fn reference_default(v: &str) -> Option<Range<usize>> {
    let inner = v.strip_prefix("${")?;
    let name_len = inner
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    let ops = inner.get(name_len..)?;
    let op = [":-", ":=", ":?", ":+", "-", "=", "?", "+"]
        .into_iter()
        .find(|op| ops.starts_with(op))?;
    let start = 2 + name_len + op.len();
    let end = v.rfind('}').filter(|e| *e >= start).unwrap_or(v.len());
    Some(start..end)
}

/// Words of a key: split at `_`, `-`, `.` and other non-letters, and
/// where a lower-case letter meets a capital (`sessionSecret`),
/// lower-cased.
fn words(key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in key.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_ascii_digit();
        cur.extend(c.to_lowercase());
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Does the name of a key say that its value is a secret? (`SESSION_SECRET`,
/// `db_password`, `jwtSecret`, `API_KEY`, `tls.key`…, but not
/// `SESSION_SECRET_FILE`, `secretName` or `PASSWORD_MIN_LENGTH`: names
/// that end in a word of what is not the value itself.)
pub fn secret_like_key(key: &str) -> bool {
    const SECRET_WORDS: &[&str] = &[
        "secret",
        "secrets",
        "password",
        "passwd",
        "passphrase",
        "pwd",
        "pass",
        "token",
        "credential",
        "credentials",
        "apikey",
        "privatekey",
        "secretkey",
        "htpasswd",
        "requirepass",
        "masterauth",
    ];
    const KEY_OF: &[&str] = &[
        "api",
        "private",
        "access",
        "signing",
        "encryption",
        "enc",
        "crypto",
        "app",
        "session",
        "master",
        "role",
        "anon",
        "fernet",
        "tls",
        "license",
        "hmac",
        "cookie",
        "jwt",
    ];
    const NOT_THE_VALUE: &[&str] = &[
        "file",
        "path",
        "dir",
        "name",
        "ref",
        "id",
        "url",
        "uri",
        "host",
        "port",
        "user",
        "username",
        "length",
        "len",
        "size",
        "ttl",
        "timeout",
        "lifetime",
        "age",
        "expiry",
        "expires",
        "expire",
        "expiration",
        "algorithm",
        "alg",
        "type",
        "mode",
        "enabled",
        "enable",
        "required",
        "policy",
        "min",
        "max",
        "header",
        "field",
        "param",
        "prefix",
        "suffix",
        "hint",
        "source",
        "command",
        "cmd",
        "env",
        "var",
        "provider",
        "store",
        "backend",
        "rotation",
        "reset",
        "endpoint",
        "issuer",
        "method",
        "format",
        "hash",
        "hashing",
        "salt",
        "rounds",
        "cost",
        "seconds",
        "minutes",
        "hours",
        "days",
        "interval",
        "count",
        "limit",
        "version",
        "strength",
        "complexity",
        "policy",
        "change",
        "generated",
        "generate",
        "keyref",
        "keys",
        "auth",
    ];
    let w = words(key);
    let Some(last) = w.last() else {
        return false;
    };
    if NOT_THE_VALUE.contains(&last.as_str()) {
        return false;
    }
    w.iter().enumerate().any(|(i, word)| {
        SECRET_WORDS.contains(&word.as_str())
            || (word == "key"
                && i > 0
                && w.get(i - 1).is_some_and(|p| KEY_OF.contains(&p.as_str())))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};

    /// The key marks of a text say what a scan of the text before each
    /// window says, for every window of a text with headers, end markers
    /// and a header cut by a window's edge.
    #[test]
    fn key_marks_agree_with_a_scan_of_the_text_before() {
        let text = "A=1\n-----BEGIN RSA PRIVATE KEY-----\nMIIB\nQUJD\n-----END RSA PRIVATE KEY-----\n\
                    B=2\n-----BEGIN PRIVATE KEY-----\nZZZZ\n-----END\n-----BEGIN OPENSSH PRIVATE KEY-----\nYYYY\n";
        let marks = KeyMarks::of(text);
        for start in 0..text.len() {
            for end in start..=text.len() {
                let window = text.get(start..end).unwrap_or("");
                assert_eq!(
                    marks.open_in(start..end),
                    open_key_block(window),
                    "window {start}..{end}: {window:?}"
                );
            }
        }
        assert!(!KeyMarks::of("no key here").open_in(0..11));
    }

    #[test]
    fn normalize_merges_overlaps_and_keeps_files_apart() {
        let (a, b) = (FileId(0), FileId(1));
        let mut m = vec![
            Span::new(b, 5..9),
            Span::new(a, 10..20),
            Span::new(a, 0..4),
            Span::new(a, 3..6),
            Span::new(a, 12..14),
            Span::new(b, 0..5),
            Span::new(a, 0..4),
        ];
        normalize(&mut m);
        assert_eq!(
            m,
            vec![Span::new(a, 0..6), Span::new(a, 10..20), Span::new(b, 0..9)]
        );
    }

    /// An excerpt looks at the masks of its own range only: with one mask
    /// per line of a 100,000-line file, each line's lookup yields its own
    /// mask and no other, so the work of masking every excerpt grows with
    /// the number of findings, not with their product with the masks.
    #[test]
    fn masks_of_a_range_are_only_those_overlapping_it() {
        let (a, b) = (FileId(3), FileId(4));
        let line = 30;
        let mut masks: Vec<Span> = (0..100_000)
            .flat_map(|i| {
                let at = i * line;
                [Span::new(a, at + 16..at + 28), Span::new(b, at..at + 1)]
            })
            .collect();
        normalize(&mut masks);
        assert_eq!(masks.len(), 200_000);
        for i in [0usize, 1, 2, 500, 77_777, 99_999] {
            let at = i * line;
            let got = masks_in(&masks, a, at..at + line - 1);
            assert_eq!(got, &[Span::new(a, at + 16..at + 28)][..], "line {i}");
        }
        // a range between masks, and one touching a mask's end, see none
        assert!(masks_in(&masks, a, 28..46).is_empty());
        assert!(masks_in(&masks, a, 0..16).is_empty());
        // a range over three lines sees three masks; an unknown file none
        assert_eq!(masks_in(&masks, a, 20..3 * line).len(), 3);
        assert!(masks_in(&masks, FileId(9), 0..usize::MAX).is_empty());
        assert_eq!(masks_in(&masks, b, 0..usize::MAX).len(), 100_000);
    }

    fn masked(line: &str) -> String {
        let mut s = line.to_string();
        for r in content_ranges(line, "") {
            star_range(&mut s, r.start, r.end);
        }
        s
    }

    #[test]
    fn masks_keep_no_characters() {
        assert_eq!(
            crate::source::secret::Secret::new("changeme").masked(),
            "******** (8 chars)"
        );
        assert_eq!(crate::source::secret::Secret::new("").masked(), "(empty)");
        let m = crate::source::secret::Secret::new("sk_live_0123456789abcdef").masked();
        assert_eq!(m, "********** (24 chars)");
    }

    #[test]
    fn star_out_keeps_byte_length() {
        assert_eq!(star_out("aé").len(), "aé".len());
    }

    #[test]
    fn values_of_secret_like_keys_are_masked_in_every_syntax() {
        assert_eq!(
            masked("SESSION_SECRET=abc \"unterminated"),
            "SESSION_SECRET=*****************"
        );
        assert_eq!(
            masked("export DB_PASSWORD='x y'"),
            "export DB_PASSWORD='***'"
        );
        assert_eq!(
            masked("  jwtSecret: hunter2 # c"),
            "  jwtSecret: ******* # c"
        );
        assert_eq!(
            masked(r#"{"password":"p\"w","user":"u"}"#),
            r#"{"password":"****","user":"u"}"#
        );
        assert_eq!(masked("secret_key = abc"), "secret_key = ***");
        assert_eq!(
            masked("env: {JWT_SECRET: changeme, B: 1, PASSWORD: 'a,b'}"),
            "env: {JWT_SECRET: ********, B: 1, PASSWORD: '***'}"
        );
        for kept in ["{SECRET: ${SECRET}}", "{A: 1, SECRET: ${SECRET}, B: 2}"] {
            assert_eq!(masked(kept), kept);
        }
        assert_eq!(masked("{SECRET: ${S:-abc}}"), "{SECRET: ${S:-***}}");
        assert_eq!(masked("      - API_KEY=abc"), "      - API_KEY=***");
        assert_eq!(masked("requirepass foobared"), "requirepass ********");
        assert_eq!(
            masked("    fastcgi_param APP_SECRET s3cr3t;"),
            "    fastcgi_param APP_SECRET ******;"
        );
        assert_eq!(
            masked("X: ${DB_PASSWORD:-changeme}"),
            "X: ${DB_PASSWORD:-changeme}"
        );
        assert_eq!(
            masked("DB_PASSWORD: ${DB_PASSWORD:-changeme}"),
            "DB_PASSWORD: ${DB_PASSWORD:-********}"
        );
        for kept in [
            "SESSION_SECRET: ${SESSION_SECRET}",
            "SESSION_SECRET_FILE=/run/secrets/s",
            "secretName: tls-cert",
            "PASSWORD_MIN_LENGTH=8",
            "tls.key: |",
            "bypass=1",
            "proxy_pass http://app;",
            "SESSION_LIFETIME=120",
        ] {
            assert_eq!(masked(kept), kept);
        }
    }

    #[test]
    fn credentials_by_their_look_are_masked() {
        assert_eq!(
            masked("DATABASE_URL=postgres://app:s3cret@db/app"),
            "DATABASE_URL=postgres://app:******@db/app"
        );
        assert_eq!(
            masked(r#"proxy_set_header Authorization "Basic dXNlcjpwYXNzd29yZA==";"#),
            r#"proxy_set_header Authorization "Basic ********************";"#
        );
        assert_eq!(
            masked("curl -H 'Authorization: Bearer abc.def.ghi'"),
            "curl -H 'Authorization: Bearer ***********'"
        );
        assert_eq!(
            masked("use Basic authentication"),
            "use Basic authentication"
        );
        let jwt = "eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJl";
        assert!(!masked(&format!("note {jwt} here")).contains("eyJ"));
        let pem = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabcd\n-----END RSA PRIVATE KEY-----\nX=1";
        let m = masked(pem);
        assert!(
            !m.contains("MIIE") && !m.contains("abcd") && m.contains("X=1"),
            "{m}"
        );
        // a line inside a block, shown alone
        assert_eq!(
            content_ranges("MIIEowIBAAKCAQEA", "-----BEGIN PRIVATE KEY-----\n"),
            vec![0..16]
        );
        assert!(
            content_ranges(
                "MIIEowIBAAKCAQEA",
                "-----BEGIN PRIVATE KEY-----\nx\n-----END PRIVATE KEY-----\n"
            )
            .is_empty()
        );
    }

    #[test]
    fn messages_are_masked_by_their_look() {
        assert_eq!(
            mask_message("cannot reach redis://:hunter2@cache:6379"),
            "cannot reach redis://:*******@cache:6379"
        );
        let hidden = ["MIIEowIBAAKCAQEA".to_string(), "secret".to_string()];
        assert_eq!(
            hide_in("expected `=` after `MIIEowIBAAKCAQEA`", &hidden),
            "expected `=` after `****************`"
        );
        assert_eq!(
            hide_in("`SESSION_secret` is weak", &hidden),
            "`SESSION_secret` is weak"
        );
        for kept in [
            "`KEY` is weak",
            "weak secret: ******** (8 chars)",
            "`PGPASSWORD` falls back: it is a well-known placeholder",
        ] {
            assert_eq!(mask_message(kept), kept);
        }
    }
}
