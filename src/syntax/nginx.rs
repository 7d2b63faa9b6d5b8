//! nginx configuration files, with byte spans for every directive name,
//! argument, block and comment.
//!
//! The tokenizer follows nginx's `ngx_conf_read_token` and crossplane's
//! lexer, which agree on real configurations: tokens are separated by
//! whitespace (space, tab, CR, LF); `;` and `{` end a word, `;`, `{` and
//! `}` are tokens of their own where a token starts; `#` starts a comment
//! only where a token would start; single- and double-quoted arguments may
//! hold any character; a `{` right after `$` (`${var}`) belongs to the
//! word. Argument values are what crossplane returns: in a quoted argument
//! `\` followed by the quote character gives the quote, every other escape
//! is kept as written (nginx itself also turns `\\`, `\'`, `\"`, `\t`,
//! `\r` and `\n` into one character, see [`Arg::nginx_value`]); unquoted
//! words are kept as written.
//! `*_by_lua_block { … }` bodies are one raw argument, as crossplane and
//! the Lua module read them. `map`, `geo`, `types`, `split_clients` and
//! `match` blocks are ordinary blocks whose lines are directives.
//!
//! Where the two disagree, nginx wins when crossplane accepts what nginx
//! rejects: a quoted argument directly followed by another character
//! (`"a"b`), a directive ended by `}` instead of `;`, `;` or `{` with no
//! directive name, and a quote left open where a directive would start
//! are errors, worded as nginx words them. Other
//! deliberate differences from crossplane: only ASCII whitespace separates
//! tokens (crossplane also splits on Unicode whitespace such as U+00A0,
//! nginx does not); a `${var}` followed by whitespace ends the word
//! (crossplane glues the next word to it); any directive whose name ends
//! in `_by_lua_block` has a Lua body, also when `{` follows the name
//! without a space (crossplane knows a fixed list and needs the space);
//! a `}` inside a word belongs to it, as in nginx (`a}b` is one word,
//! crossplane splits it in three tokens).
//!
//! `include` is not resolved: it is a directive like any other.
//!
//! Parsing never panics and always finishes in time linear in the text.
//! Every problem is a [`ParseError`]; parsing goes on after it. Blocks
//! nested deeper than [`MAX_DEPTH`] are an error and their contents are
//! left out of the tree.

use std::ops::Range;

/// Blocks nested deeper than this are reported and left out.
pub const MAX_DEPTH: usize = 100;

/// A parsed file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Config {
    /// Top-level directives, in file order.
    pub directives: Vec<Directive>,
    /// Every `# …` comment, in file order, wherever it appears.
    pub comments: Vec<Comment>,
    /// Syntax errors, in the order they were found.
    pub errors: Vec<ParseError>,
}

/// One directive: `name args…;` or `name args… { … }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// The name, unquoted like an argument.
    pub name: String,
    /// The name as written, quotes included.
    pub name_span: Range<usize>,
    pub args: Vec<Arg>,
    /// The directives inside `{ … }`; `None` for a directive ended by `;`
    /// and for a Lua block (whose body is an argument).
    pub block: Option<Vec<Directive>>,
    /// From the name to the `;` or `}` that ends the directive, both
    /// included. A directive cut short by an error ends with its last
    /// token (or at the end of the text for an unclosed block).
    pub span: Range<usize>,
    /// 1-based line of the name.
    pub line: usize,
}

/// One argument of a directive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The value, unquoted, escapes processed as crossplane does (see the
    /// module documentation). For a Lua block, the text between the
    /// braces.
    pub value: String,
    /// The argument as written, quotes (or a Lua block's braces) included.
    pub span: Range<usize>,
    /// Written in quotes, or a Lua block body.
    pub quoted: bool,
}

/// A `#` comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Comment {
    /// The text after `#`, without the line break (or a trailing CR).
    pub text: String,
    /// From `#` to the end of the line, line break excluded.
    pub span: Range<usize>,
    /// 1-based line.
    pub line: usize,
}

/// A syntax error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The offending text: a character, a token, or an unclosed construct
    /// up to the end of the text.
    pub span: Range<usize>,
    /// 1-based line where nginx would report the error: the start of
    /// `span`, or the end of the text for "unexpected end of file".
    pub line: usize,
    /// 1-based column (in characters) on `line`.
    pub column: usize,
    /// Worded like nginx: `unexpected "}"`, `unexpected end of file,
    /// expecting ";" or "}"`, …
    pub message: String,
}

impl Directive {
    /// The value of the `i`-th argument.
    pub fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|a| a.value.as_str())
    }

    /// The directives of the block; empty when there is none.
    pub fn children(&self) -> &[Directive] {
        self.block.as_deref().unwrap_or(&[])
    }
}

impl Arg {
    /// The value as nginx itself sees it: `\"`, `\'` and `\\` give the
    /// character, `\t`, `\r` and `\n` a tab, CR and line feed; any other
    /// backslash is kept. (Not meaningful for Lua block bodies.)
    pub fn nginx_value(&self) -> String {
        let mut out = String::with_capacity(self.value.len());
        let mut chars = self.value.chars();
        while let Some(c) = chars.next() {
            if c != '\\' {
                out.push(c);
                continue;
            }
            match chars.next() {
                Some(e @ ('"' | '\'' | '\\')) => out.push(e),
                Some('t') => out.push('\t'),
                Some('r') => out.push('\r'),
                Some('n') => out.push('\n'),
                Some(other) => {
                    out.push('\\');
                    out.push(other);
                }
                None => out.push('\\'),
            }
        }
        out
    }
}

impl Config {
    /// Every directive, depth-first in file order, with its parents.
    pub fn walk(&self) -> Walk<'_> {
        walk(&self.directives)
    }
}

/// A directive met by [`walk`], with the directives whose blocks hold it.
#[derive(Debug, Clone)]
pub struct Visit<'a> {
    pub directive: &'a Directive,
    /// Outermost first; empty at the top level.
    pub parents: Vec<&'a Directive>,
}

impl<'a> Visit<'a> {
    /// The names of the enclosing blocks, outermost first: `["http",
    /// "server", "location"]`.
    pub fn context(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.parents.iter().map(|d| d.name.as_str())
    }
}

/// Depth-first iterator over directives and their blocks.
#[derive(Debug, Clone)]
pub struct Walk<'a> {
    stack: Vec<std::slice::Iter<'a, Directive>>,
    parents: Vec<&'a Directive>,
}

impl<'a> Iterator for Walk<'a> {
    type Item = Visit<'a>;

    fn next(&mut self) -> Option<Visit<'a>> {
        loop {
            let it = self.stack.last_mut()?;
            match it.next() {
                Some(d) => {
                    let visit = Visit {
                        directive: d,
                        parents: self.parents.clone(),
                    };
                    if let Some(block) = &d.block {
                        self.stack.push(block.iter());
                        self.parents.push(d);
                    }
                    return Some(visit);
                }
                None => {
                    self.stack.pop();
                    self.parents.pop();
                }
            }
        }
    }
}

/// Every directive in `dirs` and their blocks, depth-first in file order.
pub fn walk(dirs: &[Directive]) -> Walk<'_> {
    Walk {
        stack: vec![dirs.iter()],
        parents: Vec::new(),
    }
}

/// Every directive named `name` in `dirs` and their blocks, depth-first.
pub fn find<'a>(
    dirs: &'a [Directive],
    name: &str,
) -> impl Iterator<Item = &'a Directive> + use<'a> {
    let name = name.to_owned();
    walk(dirs)
        .map(|v| v.directive)
        .filter(move |d| d.name == name)
}

/// Parse nginx configuration text.
pub fn parse(text: &str) -> Config {
    let mut p = Parser {
        text,
        bytes: text.as_bytes(),
        pos: 0,
        lines: LineCounter::default(),
        comments: Vec::new(),
        errors: Vec::new(),
        eof_reported: false,
    };
    let directives = p.run();
    let errors = p.finish_errors();
    Config {
        directives,
        comments: p.comments,
        errors,
    }
}

/// A token.
enum Tok {
    Word(Arg),
    Semi(usize),
    Open(usize),
    Close(usize),
    Eof,
}

/// An error before its line and column are known.
struct RawError {
    /// Where nginx detects it.
    at: usize,
    span: Range<usize>,
    message: String,
}

/// A directive whose name and arguments have been read.
struct Pending {
    name: String,
    name_span: Range<usize>,
    line: usize,
    args: Vec<Arg>,
}

impl Pending {
    /// The end of its last token.
    fn end(&self) -> usize {
        self.args.last().map_or(self.name_span.end, |a| a.span.end)
    }

    fn finish(self, end: usize, block: Option<Vec<Directive>>) -> Directive {
        Directive {
            span: self.name_span.start..end.max(self.name_span.start),
            name: self.name,
            name_span: self.name_span,
            args: self.args,
            block,
            line: self.line,
        }
    }
}

/// An open block: its directive (none after a `{` with no name) and the
/// directives read so far.
struct Frame {
    head: Option<Pending>,
    children: Vec<Directive>,
}

/// The directives read so far and the open blocks.
#[derive(Default)]
struct Tree {
    top: Vec<Directive>,
    stack: Vec<Frame>,
    /// Blocks open beyond [`MAX_DEPTH`]: counted, their contents dropped.
    overflow: usize,
}

impl Tree {
    fn depth(&self) -> usize {
        self.stack.len() + self.overflow
    }

    fn push(&mut self, d: Directive) {
        if self.overflow > 0 {
            return;
        }
        match self.stack.last_mut() {
            Some(f) => f.children.push(d),
            None => self.top.push(d),
        }
    }

    /// Open a block; true when it is the first one too deep.
    fn open(&mut self, head: Option<Pending>) -> bool {
        if self.overflow > 0 || self.stack.len() >= MAX_DEPTH {
            self.overflow += 1;
            return self.overflow == 1;
        }
        self.stack.push(Frame {
            head,
            children: Vec::new(),
        });
        false
    }

    /// Close the innermost block at `end`; false when none is open.
    fn close(&mut self, end: usize) -> bool {
        if self.overflow > 0 {
            self.overflow -= 1;
            return true;
        }
        let Some(frame) = self.stack.pop() else {
            return false;
        };
        if let Some(head) = frame.head {
            let d = head.finish(end, Some(frame.children));
            self.push(d);
        }
        true
    }
}

/// Line numbers of increasing positions, in linear time overall.
#[derive(Default)]
struct LineCounter {
    pos: usize,
    line: usize,
}

impl LineCounter {
    fn line(&mut self, bytes: &[u8], pos: usize) -> usize {
        if pos < self.pos {
            // never happens (positions increase); recount from the start
            *self = LineCounter::default();
        }
        let from = self.pos.min(bytes.len());
        let to = pos.min(bytes.len());
        self.line += bytes
            .get(from..to)
            .map_or(0, |s| s.iter().filter(|&&b| b == b'\n').count());
        self.pos = pos;
        self.line + 1
    }
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

struct Parser<'t> {
    text: &'t str,
    bytes: &'t [u8],
    pos: usize,
    lines: LineCounter,
    comments: Vec<Comment>,
    errors: Vec<RawError>,
    /// An "unexpected end of file" has been reported; nginx stops there.
    eof_reported: bool,
}

impl Parser<'_> {
    fn slice(&self, r: Range<usize>) -> &str {
        self.text.get(r).unwrap_or("")
    }

    fn byte(&self, i: usize) -> Option<u8> {
        self.bytes.get(i).copied()
    }

    /// The length of the character at `i` (1 past the end).
    fn char_len(&self, i: usize) -> usize {
        self.text
            .get(i..)
            .and_then(|s| s.chars().next())
            .map_or(1, char::len_utf8)
    }

    fn error(&mut self, at: usize, span: Range<usize>, message: String) {
        self.errors.push(RawError { at, span, message });
    }

    fn eof_error(&mut self, from: usize, message: &str) {
        if !self.eof_reported {
            self.eof_reported = true;
            let end = self.bytes.len();
            self.error(end, from.min(end)..end, message.to_string());
        }
    }

    // ---- tokens ----

    fn next_token(&mut self) -> Tok {
        loop {
            while self.byte(self.pos).is_some_and(is_space) {
                self.pos += 1;
            }
            let start = self.pos;
            let Some(b) = self.byte(start) else {
                return Tok::Eof;
            };
            match b {
                b'#' => self.comment(),
                b';' => {
                    self.pos += 1;
                    return Tok::Semi(start);
                }
                b'{' => {
                    self.pos += 1;
                    return Tok::Open(start);
                }
                b'}' => {
                    self.pos += 1;
                    return Tok::Close(start);
                }
                b'"' | b'\'' => return Tok::Word(self.quoted(b)),
                _ => return Tok::Word(self.word()),
            }
        }
    }

    fn comment(&mut self) {
        let start = self.pos;
        let end = self
            .bytes
            .get(start..)
            .and_then(|s| s.iter().position(|&b| b == b'\n'))
            .map_or(self.bytes.len(), |i| start + i);
        self.pos = end;
        let end = if self.byte(end.wrapping_sub(1)) == Some(b'\r') && end > start + 1 {
            end - 1
        } else {
            end
        };
        let line = self.lines.line(self.bytes, start);
        self.comments.push(Comment {
            text: self.slice(start + 1..end).to_string(),
            span: start..end,
            line,
        });
    }

    /// A quoted argument starting at `self.pos`.
    fn quoted(&mut self, q: u8) -> Arg {
        let start = self.pos;
        let mut value = String::new();
        let mut i = start + 1;
        let mut seg = i;
        loop {
            match self.byte(i) {
                None => {
                    value.push_str(self.slice(seg..i));
                    self.pos = self.bytes.len();
                    // nginx's words; the span shows where the quote opens
                    self.eof_error(start, "unexpected end of file, expecting \";\" or \"}\"");
                    return Arg {
                        value,
                        span: start..self.bytes.len(),
                        quoted: true,
                    };
                }
                Some(b'\\') => {
                    if self.byte(i + 1) == Some(q) {
                        value.push_str(self.slice(seg..i));
                        value.push(char::from(q));
                        i += 2;
                        seg = i;
                    } else if self.byte(i + 1).is_some() {
                        i += 1 + self.char_len(i + 1);
                    } else {
                        i += 1;
                    }
                }
                Some(b) if b == q => {
                    value.push_str(self.slice(seg..i));
                    self.pos = i + 1;
                    self.after_quote();
                    return Arg {
                        value,
                        span: start..i + 1,
                        quoted: true,
                    };
                }
                Some(_) => i += 1,
            }
        }
    }

    /// nginx wants a space, `;`, `{` or `)` after a closing quote (`}`
    /// is reported by the parser: the directive has no `;`).
    fn after_quote(&mut self) {
        let at = self.pos;
        match self.byte(at) {
            None | Some(b' ' | b'\t' | b'\r' | b'\n' | b';' | b'{' | b'}' | b')') => {}
            Some(_) => {
                let len = self.char_len(at);
                let c = self.slice(at..at + len).to_string();
                self.error(at, at..at + len, format!("unexpected \"{c}\""));
            }
        }
    }

    /// An unquoted word starting at `self.pos`.
    fn word(&mut self) -> Arg {
        let start = self.pos;
        let mut i = start;
        let mut dollar = false;
        while let Some(b) = self.byte(i) {
            match b {
                b'{' if dollar => {
                    // `${name}`: up to `}`, or what ends a word
                    i += 1;
                    while let Some(b) = self.byte(i) {
                        if is_space(b) || b == b';' || b == b'{' {
                            break;
                        }
                        i += 1;
                        if b == b'}' {
                            break;
                        }
                    }
                    dollar = false;
                }
                // as nginx, `}` does not end a word (crossplane splits there)
                b if is_space(b) || b == b';' || b == b'{' => break,
                b'\\' => {
                    i += 1;
                    if self.byte(i).is_some() {
                        i += self.char_len(i);
                    }
                    dollar = false;
                }
                b'$' => {
                    dollar = true;
                    i += 1;
                }
                _ => {
                    dollar = false;
                    i += 1;
                }
            }
        }
        self.pos = i;
        Arg {
            value: self.slice(start..i).to_string(),
            span: start..i,
            quoted: false,
        }
    }

    /// After a `*_by_lua_block` name (and `set_by_lua_block`'s argument):
    /// the body as one argument, if a `{` follows.
    fn lua_body(&mut self) -> Option<Arg> {
        let mut open = self.pos;
        while self.byte(open).is_some_and(is_space) {
            open += 1;
        }
        if self.byte(open) != Some(b'{') {
            return None;
        }
        let mut depth = 1usize;
        let mut i = open + 1;
        loop {
            let Some(b) = self.byte(i) else {
                self.pos = self.bytes.len();
                self.eof_error(open, "unexpected end of file, expecting \"}\"");
                return Some(Arg {
                    value: self.slice(open + 1..self.bytes.len()).to_string(),
                    span: open..self.bytes.len(),
                    quoted: true,
                });
            };
            match b {
                b'\\' => {
                    i += 1;
                    if self.byte(i).is_some() {
                        i += self.char_len(i);
                    }
                }
                b'-' if self.byte(i + 1) == Some(b'-') => {
                    // a Lua comment, to the end of the line
                    while self.byte(i).is_some_and(|b| b != b'\n') {
                        i += 1;
                    }
                }
                b'"' | b'\'' => {
                    i += 1;
                    while let Some(c) = self.byte(i) {
                        if c == b {
                            break;
                        }
                        i += if c == b'\\' && self.byte(i + 1).is_some() {
                            1 + self.char_len(i + 1)
                        } else {
                            1
                        };
                    }
                    i += 1;
                }
                b'{' => {
                    depth += 1;
                    i += 1;
                }
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos = i + 1;
                        return Some(Arg {
                            value: self.slice(open + 1..i).to_string(),
                            span: open..i + 1,
                            quoted: true,
                        });
                    }
                    i += 1;
                }
                _ => i += 1,
            }
        }
    }

    // ---- tree ----

    fn run(&mut self) -> Vec<Directive> {
        let mut tree = Tree::default();
        let mut pending: Option<Pending> = None;
        loop {
            match self.next_token() {
                Tok::Word(arg) => match &mut pending {
                    Some(p) => p.args.push(arg),
                    None => {
                        let line = self.lines.line(self.bytes, arg.span.start);
                        let mut p = Pending {
                            name: arg.value,
                            name_span: arg.span,
                            line,
                            args: Vec::new(),
                        };
                        if p.name.ends_with("_by_lua_block") {
                            if p.name == "set_by_lua_block" {
                                // its variable, when a word follows
                                let mut i = self.pos;
                                while self.byte(i).is_some_and(is_space) {
                                    i += 1;
                                }
                                if !matches!(self.byte(i), None | Some(b'#' | b';' | b'{' | b'}'))
                                    && let Tok::Word(a) = self.next_token()
                                {
                                    p.args.push(a);
                                }
                            }
                            if let Some(body) = self.lua_body() {
                                let end = body.span.end;
                                p.args.push(body);
                                tree.push(p.finish(end, None));
                                continue;
                            }
                        }
                        pending = Some(p);
                    }
                },
                Tok::Semi(at) => match pending.take() {
                    Some(p) => tree.push(p.finish(at + 1, None)),
                    None => self.error(at, at..at + 1, "unexpected \";\"".into()),
                },
                Tok::Open(at) => {
                    let head = pending.take();
                    if head.is_none() {
                        self.error(at, at..at + 1, "unexpected \"{\"".into());
                    }
                    if tree.open(head) {
                        self.error(
                            at,
                            at..at + 1,
                            format!("too deeply nested blocks (more than {MAX_DEPTH})"),
                        );
                    }
                }
                Tok::Close(at) => {
                    let mut reported = false;
                    if let Some(p) = pending.take() {
                        self.error(at, at..at + 1, "unexpected \"}\"".into());
                        reported = true;
                        let end = p.end();
                        tree.push(p.finish(end, None));
                    }
                    if !tree.close(at + 1) && !reported {
                        self.error(at, at..at + 1, "unexpected \"}\"".into());
                    }
                }
                Tok::Eof => {
                    let end = self.bytes.len();
                    if let Some(p) = pending.take() {
                        self.eof_error(
                            p.name_span.start,
                            "unexpected end of file, expecting \";\" or \"}\"",
                        );
                        let e = p.end();
                        tree.push(p.finish(e, None));
                    }
                    if tree.depth() > 0 {
                        let from = tree
                            .stack
                            .last()
                            .and_then(|f| f.head.as_ref())
                            .map_or(end, |h| h.name_span.start);
                        self.eof_error(from, "unexpected end of file, expecting \"}\"");
                    }
                    while tree.depth() > 0 {
                        tree.close(end);
                    }
                    return tree.top;
                }
            }
        }
    }

    /// Line and column of every error, in one pass over the text.
    fn finish_errors(&mut self) -> Vec<ParseError> {
        let raw = std::mem::take(&mut self.errors);
        let mut order: Vec<usize> = (0..raw.len()).collect();
        order.sort_by_key(|&i| raw.get(i).map_or(0, |e| e.at));
        let mut pos_of: Vec<(usize, usize)> = vec![(1, 1); raw.len()];
        let (mut line, mut col) = (1usize, 1usize);
        let mut chars = self.text.char_indices().peekable();
        for i in order {
            let at = raw.get(i).map_or(0, |e| e.at);
            while let Some(&(p, c)) = chars.peek() {
                if p >= at {
                    break;
                }
                chars.next();
                if c == '\n' {
                    line += 1;
                    col = 1;
                } else {
                    col += 1;
                }
            }
            if let Some(slot) = pos_of.get_mut(i) {
                *slot = (line, col);
            }
        }
        raw.into_iter()
            .zip(pos_of)
            .map(|(e, (line, column))| ParseError {
                span: e.span,
                line,
                column,
                message: e.message,
            })
            .collect()
    }
}
