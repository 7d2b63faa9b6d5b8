//! The docker compose interpolation dialect: `$VAR`, `${VAR}`,
//! `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
//! `${VAR:+alt}`, `${VAR+alt}`, `$$` for a literal `$`, and nested
//! templates inside the argument (`${A:-${B}}`).
//!
//! All ranges are byte offsets into the string given to [`parse_template`].

use std::ops::Range;

/// Nesting deeper than this is an error.
const MAX_DEPTH: usize = 32;

/// A part of a template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    /// Literal text (with `$$` already turned into `$`).
    Lit {
        text: String,
        span: Range<usize>,
    },
    Var(VarRef),
}

/// A variable reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VarRef {
    pub name: String,
    /// The whole `${...}` or `$NAME`.
    pub span: Range<usize>,
    pub name_span: Range<usize>,
    pub braced: bool,
    pub op: Op,
    pub arg: Option<Arg>,
}

/// The argument of `:-`, `-`, `:?`, `?`, `:+`, `+`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arg {
    /// The argument as written.
    pub raw: String,
    pub span: Range<usize>,
    pub pieces: Vec<Piece>,
}

/// What a reference does when the variable is unset or empty.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `$VAR`, `${VAR}`
    Plain,
    /// `:-` default when unset or empty
    DefaultIfUnsetOrEmpty,
    /// `-` default when unset
    DefaultIfUnset,
    /// `:?` error when unset or empty
    ErrorIfUnsetOrEmpty,
    /// `?` error when unset
    ErrorIfUnset,
    /// `:+` replacement when set and not empty
    AltIfSetNonEmpty,
    /// `+` replacement when set
    AltIfSet,
}

/// An invalid template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpError {
    pub span: Range<usize>,
    pub message: String,
}

/// Parse a template.
pub fn parse_template(s: &str) -> Result<Vec<Piece>, InterpError> {
    let mut p = P { s, pos: 0 };
    p.pieces(None, 0)
}

struct P<'a> {
    s: &'a str,
    pos: usize,
}

fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

impl P<'_> {
    fn peek(&self, at: usize) -> Option<u8> {
        self.s.as_bytes().get(at).copied()
    }

    /// Parse pieces until the end, or until an unmatched `}` when `close`
    /// is `Some` (inside an argument).
    fn pieces(&mut self, close: Option<usize>, depth: usize) -> Result<Vec<Piece>, InterpError> {
        if depth > MAX_DEPTH {
            return Err(InterpError {
                span: self.pos..self.pos,
                message: format!("interpolation nested deeper than {MAX_DEPTH} levels"),
            });
        }
        let mut out = Vec::new();
        let mut lit = String::new();
        let mut lit_start = self.pos;
        let flush = |out: &mut Vec<Piece>, lit: &mut String, start: usize, end: usize| {
            if !lit.is_empty() {
                out.push(Piece::Lit {
                    text: std::mem::take(lit),
                    span: start..end,
                });
            }
        };
        while let Some(b) = self.peek(self.pos) {
            if b == b'}' && close.is_some() {
                break;
            }
            if b != b'$' {
                let ch_len = self
                    .s
                    .get(self.pos..)
                    .and_then(|r| r.chars().next())
                    .map_or(1, char::len_utf8);
                lit.push_str(self.s.get(self.pos..self.pos + ch_len).unwrap_or(""));
                self.pos += ch_len;
                continue;
            }
            match self.peek(self.pos + 1) {
                Some(b'$') => {
                    lit.push('$');
                    self.pos += 2;
                }
                Some(b'{') => {
                    flush(&mut out, &mut lit, lit_start, self.pos);
                    let v = self.braced(depth)?;
                    out.push(Piece::Var(v));
                    lit_start = self.pos;
                }
                Some(c) if is_name_start(c) => {
                    flush(&mut out, &mut lit, lit_start, self.pos);
                    let start = self.pos;
                    let mut end = start + 1;
                    while self.peek(end).is_some_and(is_name) {
                        end += 1;
                    }
                    let name = self.s.get(start + 1..end).unwrap_or("").to_string();
                    out.push(Piece::Var(VarRef {
                        name,
                        span: start..end,
                        name_span: start + 1..end,
                        braced: false,
                        op: Op::Plain,
                        arg: None,
                    }));
                    self.pos = end;
                    lit_start = self.pos;
                }
                _ => {
                    lit.push('$');
                    self.pos += 1;
                }
            }
        }
        flush(&mut out, &mut lit, lit_start, self.pos);
        Ok(out)
    }

    /// `${...}` starting at `self.pos`.
    fn braced(&mut self, depth: usize) -> Result<VarRef, InterpError> {
        let start = self.pos;
        let name_start = start + 2;
        let mut i = name_start;
        while self.peek(i).is_some_and(is_name) {
            i += 1;
        }
        let invalid = |end: usize, why: &str| InterpError {
            span: start..end,
            message: format!(
                "invalid interpolation format for \"{}\": {why}",
                self.s.get(start..end).unwrap_or("")
            ),
        };
        if i == name_start || !self.peek(name_start).is_some_and(is_name_start) {
            let end = self
                .s
                .get(start..)
                .and_then(|r| r.find('}'))
                .map_or(self.s.len(), |e| start + e + 1);
            return Err(invalid(
                end,
                "a variable name must start with a letter or `_`",
            ));
        }
        let name = self.s.get(name_start..i).unwrap_or("").to_string();
        let name_span = name_start..i;
        let op = match (self.peek(i), self.peek(i + 1)) {
            (Some(b'}'), _) => {
                self.pos = i + 1;
                return Ok(VarRef {
                    name,
                    span: start..self.pos,
                    name_span,
                    braced: true,
                    op: Op::Plain,
                    arg: None,
                });
            }
            (Some(b':'), Some(b'-')) => (Op::DefaultIfUnsetOrEmpty, 2),
            (Some(b':'), Some(b'?')) => (Op::ErrorIfUnsetOrEmpty, 2),
            (Some(b':'), Some(b'+')) => (Op::AltIfSetNonEmpty, 2),
            (Some(b'-'), _) => (Op::DefaultIfUnset, 1),
            (Some(b'?'), _) => (Op::ErrorIfUnset, 1),
            (Some(b'+'), _) => (Op::AltIfSet, 1),
            (None, _) => return Err(invalid(self.s.len(), "missing closing `}`")),
            _ => {
                let end = self
                    .s
                    .get(start..)
                    .and_then(|r| r.find('}'))
                    .map_or(self.s.len(), |e| start + e + 1);
                return Err(invalid(end, "unexpected character after the variable name"));
            }
        };
        let arg_start = i + op.1;
        self.pos = arg_start;
        let pieces = self.pieces(Some(start), depth + 1)?;
        if self.peek(self.pos) != Some(b'}') {
            return Err(invalid(self.s.len(), "missing closing `}`"));
        }
        let arg_end = self.pos;
        self.pos += 1;
        Ok(VarRef {
            name,
            span: start..self.pos,
            name_span,
            braced: true,
            op: op.0,
            arg: Some(Arg {
                raw: self.s.get(arg_start..arg_end).unwrap_or("").to_string(),
                span: arg_start..arg_end,
                pieces,
            }),
        })
    }
}

/// A template after substitution.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Evaluated {
    pub value: String,
    /// Names looked up, not found, and with no default.
    pub unresolved: Vec<String>,
    /// References whose argument (default or alternative) supplied the value.
    pub defaults_used: Vec<VarRef>,
    /// `:?`/`?` references that fail, with their message.
    pub errors: Vec<(VarRef, String)>,
}

/// Substitute variables with `lookup`.
pub fn evaluate(pieces: &[Piece], lookup: &dyn Fn(&str) -> Option<String>) -> Evaluated {
    let mut out = Evaluated::default();
    eval_into(pieces, lookup, &mut out);
    out
}

fn eval_into(pieces: &[Piece], lookup: &dyn Fn(&str) -> Option<String>, out: &mut Evaluated) {
    for p in pieces {
        match p {
            Piece::Lit { text, .. } => out.value.push_str(text),
            Piece::Var(v) => {
                let val = lookup(&v.name);
                let set = val.is_some();
                let non_empty = val.as_deref().is_some_and(|x| !x.is_empty());
                let use_arg = |out: &mut Evaluated| {
                    if let Some(a) = &v.arg {
                        eval_into(&a.pieces, lookup, out);
                    }
                    out.defaults_used.push(v.clone());
                };
                match v.op {
                    Op::Plain => match val {
                        Some(x) => out.value.push_str(&x),
                        None => out.unresolved.push(v.name.clone()),
                    },
                    Op::DefaultIfUnsetOrEmpty if !non_empty => use_arg(out),
                    Op::DefaultIfUnset if !set => use_arg(out),
                    Op::ErrorIfUnsetOrEmpty if !non_empty => {
                        let msg = v.arg.as_ref().map(|a| a.raw.clone()).unwrap_or_default();
                        out.errors.push((v.clone(), msg));
                    }
                    Op::ErrorIfUnset if !set => {
                        let msg = v.arg.as_ref().map(|a| a.raw.clone()).unwrap_or_default();
                        out.errors.push((v.clone(), msg));
                    }
                    Op::AltIfSetNonEmpty if non_empty => use_arg(out),
                    Op::AltIfSet if set => use_arg(out),
                    Op::AltIfSetNonEmpty | Op::AltIfSet => {}
                    _ => out.value.push_str(val.as_deref().unwrap_or("")),
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(t: &str, vars: &[(&str, &str)]) -> Evaluated {
        let pieces = parse_template(t).expect("valid");
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect();
        evaluate(&pieces, &|n| {
            vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn plain_and_braced() {
        assert_eq!(eval("a$X-${Y}b", &[("X", "1"), ("Y", "2")]).value, "a1-2b");
        let e = eval("$NOPE", &[]);
        assert_eq!(e.unresolved, ["NOPE"]);
        assert_eq!(e.value, "");
    }

    #[test]
    fn defaults_distinguish_unset_and_empty() {
        assert_eq!(eval("${X:-d}", &[("X", "")]).value, "d");
        assert_eq!(eval("${X-d}", &[("X", "")]).value, "");
        assert_eq!(eval("${X-d}", &[]).value, "d");
        assert_eq!(eval("${X:-d}", &[("X", "v")]).value, "v");
        let e = eval("${X:-d}", &[]);
        assert_eq!(e.defaults_used.len(), 1);
        assert!(e.unresolved.is_empty());
    }

    #[test]
    fn alternatives_and_errors() {
        assert_eq!(eval("${X:+alt}", &[("X", "v")]).value, "alt");
        assert_eq!(eval("${X:+alt}", &[("X", "")]).value, "");
        assert_eq!(eval("${X+alt}", &[("X", "")]).value, "alt");
        let e = eval("${X:?must be set}", &[]);
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].1, "must be set");
        assert!(eval("${X?m}", &[("X", "")]).errors.is_empty());
    }

    #[test]
    fn dollar_dollar_and_lone_dollar_are_literal() {
        assert_eq!(eval("$$HOME $ 5$", &[]).value, "$HOME $ 5$");
    }

    #[test]
    fn nested_defaults() {
        assert_eq!(eval("${A:-${B:-x}y}", &[]).value, "xy");
        assert_eq!(eval("${A:-${B}}", &[("B", "b")]).value, "b");
    }

    #[test]
    fn spans_slice_the_input() {
        let t = "é=${JWT_SECRET:-changeme}!";
        let p = parse_template(t).expect("valid");
        let Piece::Var(v) = &p[1] else {
            panic!("{p:?}")
        };
        assert_eq!(&t[v.span.clone()], "${JWT_SECRET:-changeme}");
        assert_eq!(&t[v.name_span.clone()], "JWT_SECRET");
        let a = v.arg.as_ref().expect("arg");
        assert_eq!(&t[a.span.clone()], "changeme");
        assert_eq!(a.raw, "changeme");
    }

    #[test]
    fn errors() {
        for bad in ["${", "${X", "${X:-a", "${1X}", "${}", "${X*}"] {
            let e = parse_template(bad).expect_err(bad);
            assert!(e.message.contains("invalid interpolation"), "{bad}: {e:?}");
        }
        let deep = "${A:-".repeat(100) + &"}".repeat(100);
        assert!(parse_template(&deep).is_err());
    }
}
