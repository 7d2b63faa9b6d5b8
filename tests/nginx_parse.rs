//! `parse::nginx`: spans, comments, errors with their positions, Lua
//! bodies, the depth bound, and properties: no panic on any text, and
//! generated valid configs come back as generated, with exact spans.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use proptest::prelude::*;
use sessionlint::syntax::nginx::{self, Config, Directive, MAX_DEPTH};

fn fixture(path: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/fixtures/nginx/{path}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .expect("fixture")
}

fn only(cfg: &Config, name: &str) -> Directive {
    let mut found = nginx::find(&cfg.directives, name);
    let d = found.next().unwrap_or_else(|| panic!("no {name}")).clone();
    assert!(found.next().is_none(), "more than one {name}");
    d
}

/// `set $name value;` in escapes.conf.
fn set_of<'a>(cfg: &'a Config, var: &str) -> &'a Directive {
    nginx::find(&cfg.directives, "set")
        .find(|d| d.arg(0) == Some(var))
        .unwrap_or_else(|| panic!("no set {var}"))
}

/// Every span of the tree lies in the text, on char boundaries, in order.
fn check_spans(text: &str, cfg: &Config) {
    let ok = |r: &std::ops::Range<usize>| r.start <= r.end && text.get(r.clone()).is_some();
    for v in cfg.walk() {
        let d = v.directive;
        assert!(ok(&d.span) && ok(&d.name_span), "{d:?}");
        assert!(d.span.start == d.name_span.start && d.name_span.end <= d.span.end);
        for a in &d.args {
            assert!(ok(&a.span), "{a:?}");
            assert!(a.span.start >= d.name_span.end && a.span.end <= d.span.end);
        }
        for c in d.children() {
            assert!(c.span.start >= d.span.start && c.span.end <= d.span.end);
        }
        assert!(d.line >= 1);
    }
    for c in &cfg.comments {
        assert!(ok(&c.span), "{c:?}");
        assert!(text[c.span.clone()].starts_with('#'));
    }
    let lines = text.matches('\n').count() + 1;
    for e in &cfg.errors {
        assert!(ok(&e.span), "{e:?}");
        assert!(e.line >= 1 && e.column >= 1);
        assert!(e.line <= lines);
    }
}

// ---- spans and values ----

#[test]
fn spans_slice_the_arguments_as_written() {
    let text = fixture("escapes.conf");
    let cfg = nginx::parse(&text);
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    check_spans(&text, &cfg);
    for v in cfg.walk() {
        let d = v.directive;
        assert_eq!(&text[d.name_span.clone()], d.name);
        let s = &text[d.span.clone()];
        assert!(s.ends_with(';') || s.ends_with('}'), "{s}");
        for a in &d.args {
            let written = &text[a.span.clone()];
            if a.quoted {
                let q = &written[..1];
                assert!(q == "\"" || q == "'");
                assert!(written.ends_with(q) && written.len() >= 2);
            } else {
                assert_eq!(written, a.value);
            }
        }
    }
    let cases = [
        ("$greeting", r#""say \"hi\"""#, r#"say "hi""#, r#"say "hi""#),
        ("$single", r"'it\'s'", "it's", "it's"),
        ("$backslash", r#""a\\b""#, r"a\\b", r"a\b"),
        ("$tab", r#""col1\tcol2""#, r"col1\tcol2", "col1\tcol2"),
        ("$semi", r#""a;b{c}d""#, "a;b{c}d", "a;b{c}d"),
        (
            "$braced",
            r#""${host}:${server_port}""#,
            "${host}:${server_port}",
            "${host}:${server_port}",
        ),
        ("$hash", "a#b", "a#b", "a#b"),
        ("$escaped_space", r"a\ b", r"a\ b", r"a\ b"),
        (
            "$unicode",
            "\"héllo wörld ✓\"",
            "héllo wörld ✓",
            "héllo wörld ✓",
        ),
        ("$empty", "\"\"", "", ""),
        ("$empty2", "''", "", ""),
    ];
    for (var, written, value, nginx_value) in cases {
        let d = set_of(&cfg, var);
        let a = &d.args[1];
        assert_eq!(&text[a.span.clone()], written, "{var}");
        assert_eq!(a.value, value, "{var}");
        assert_eq!(a.nginx_value(), nginx_value, "{var}");
    }
    let multi = nginx::find(&cfg.directives, "return")
        .find(|d| d.arg(1).is_some_and(|a| a.contains('\n')))
        .expect("multi-line return");
    assert_eq!(multi.arg(1), Some("line one\nline two"));
    let re = nginx::find(&cfg.directives, "location")
        .find(|d| d.arg(0) == Some("~"))
        .expect("regex location");
    assert_eq!(re.arg(1), Some(r"^/re/[a-z]{2,4}/(\d+)$"));
    assert_eq!(re.children().len(), 1);
}

#[test]
fn directive_spans_lines_and_blocks() {
    let text = "events {}\nhttp {\n  server {\n    listen 80;\n  }\n}\n";
    let cfg = nginx::parse(text);
    assert!(cfg.errors.is_empty());
    let http = only(&cfg, "http");
    assert_eq!(
        &text[http.span.clone()],
        "http {\n  server {\n    listen 80;\n  }\n}"
    );
    assert_eq!(http.line, 2);
    let listen = only(&cfg, "listen");
    assert_eq!(&text[listen.span.clone()], "listen 80;");
    assert_eq!(
        (listen.line, listen.arg(0), listen.arg(1)),
        (4, Some("80"), None)
    );
    assert_eq!(only(&cfg, "events").block, Some(vec![]));
    assert_eq!(listen.block, None);
    let contexts: Vec<Vec<&str>> = cfg.walk().map(|v| v.context().collect()).collect();
    assert_eq!(
        contexts,
        vec![vec![], vec![], vec!["http"], vec!["http", "server"]]
    );
}

#[test]
fn dollar_brace_is_part_of_the_word() {
    let text =
        "server_name ${HOST} www.${HOST};\nproxy_pass http://${A}:${B}/x;\nset $v a${b}{ c; }\n";
    let cfg = nginx::parse(text);
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    let d = &cfg.directives;
    assert_eq!(d[0].args.len(), 2);
    assert_eq!(d[0].arg(1), Some("www.${HOST}"));
    assert_eq!(d[1].arg(0), Some("http://${A}:${B}/x"));
    // after `${b}`, a `{` opens a block
    assert_eq!(d[2].arg(1), Some("a${b}"));
    assert_eq!(d[2].children()[0].name, "c");
}

#[test]
fn words_and_tokens_like_nginx() {
    let cfg = nginx::parse("a b\\;c d\\{e 'x'\t\"y\"\r\n  f;g{h;}");
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    let a = &cfg.directives[0];
    let values: Vec<&str> = a.args.iter().map(|x| x.value.as_str()).collect();
    assert_eq!(values, ["b\\;c", "d\\{e", "x", "y", "f"]);
    assert_eq!(cfg.directives[1].name, "g");
    assert_eq!(cfg.directives[1].children()[0].name, "h");
    // `}` inside a word belongs to it, as in nginx (crossplane splits)
    let cfg = nginx::parse("s { a b}; }");
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    assert_eq!(cfg.directives[0].children()[0].arg(0), Some("b}"));
    let cfg = nginx::parse("s { a b }");
    assert_eq!(cfg.errors.len(), 1);
    assert_eq!(cfg.errors[0].message, "unexpected \"}\"");
    // non-ASCII whitespace is not a separator (as nginx)
    let cfg = nginx::parse("a\u{a0}b;");
    assert_eq!(cfg.directives[0].name, "a\u{a0}b");
}

// ---- comments ----

#[test]
fn comments_are_kept_with_their_lines() {
    let text = "# head\r\nuser nginx; # trailing\nhttp { # open\n  a b#c;\n  d \"#e\" # in args\n  f;\n}\n#eof";
    let cfg = nginx::parse(text);
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    let got: Vec<(&str, usize)> = cfg
        .comments
        .iter()
        .map(|c| (c.text.as_str(), c.line))
        .collect();
    assert_eq!(
        got,
        [
            (" head", 1),
            (" trailing", 2),
            (" open", 3),
            (" in args", 5),
            ("eof", 8)
        ]
    );
    assert_eq!(&text[cfg.comments[0].span.clone()], "# head");
    let d = only(&cfg, "d");
    let values: Vec<&str> = d.args.iter().map(|a| a.value.as_str()).collect();
    assert_eq!(values, ["#e", "f"]);
    assert_eq!(only(&cfg, "a").arg(0), Some("b#c"));
}

// ---- errors ----

/// (text, message, line, column, text of the span)
const BROKEN: &[(&str, &str, usize, usize, &str)] = &[
    (
        "a b",
        "unexpected end of file, expecting \";\" or \"}\"",
        1,
        4,
        "a b",
    ),
    ("}", "unexpected \"}\"", 1, 1, "}"),
    (
        "http {\n  a;\n",
        "unexpected end of file, expecting \"}\"",
        3,
        1,
        "http {\n  a;\n",
    ),
    ("a;\n ;", "unexpected \";\"", 2, 2, ";"),
    ("{ a; }", "unexpected \"{\"", 1, 1, "{"),
    (
        "a \"b;\n",
        "unexpected end of file, expecting \";\" or \"}\"",
        2,
        1,
        "\"b;\n",
    ),
    (
        "a 'b;",
        "unexpected end of file, expecting \";\" or \"}\"",
        1,
        6,
        "'b;",
    ),
    ("a \"x\"y;", "unexpected \"y\"", 1, 6, "y"),
    ("s {\n  a b }", "unexpected \"}\"", 2, 7, "}"),
    ("x \"é\"ü;", "unexpected \"ü\"", 1, 6, "ü"),
    (
        "content_by_lua_block { if x then",
        "unexpected end of file, expecting \"}\"",
        1,
        33,
        "{ if x then",
    ),
];

#[test]
fn errors_have_nginx_words_and_positions() {
    for &(text, message, line, column, span) in BROKEN {
        let cfg = nginx::parse(text);
        check_spans(text, &cfg);
        assert_eq!(cfg.errors.len(), 1, "{text:?}: {:?}", cfg.errors);
        let e = &cfg.errors[0];
        assert_eq!(
            (e.message.as_str(), e.line, e.column, &text[e.span.clone()]),
            (message, line, column, span),
            "{text:?}"
        );
    }
}

#[test]
fn parsing_goes_on_after_errors() {
    let text = "a;;\nb \"x\"y;\nc { d e }\n}\nf { ; g; }\nh;";
    let cfg = nginx::parse(text);
    let messages: Vec<(&str, usize)> = cfg
        .errors
        .iter()
        .map(|e| (e.message.as_str(), e.line))
        .collect();
    assert_eq!(
        messages,
        [
            ("unexpected \";\"", 1),
            ("unexpected \"y\"", 2),
            ("unexpected \"}\"", 3),
            ("unexpected \"}\"", 4),
            ("unexpected \";\"", 5),
        ]
    );
    let names: Vec<&str> = cfg.walk().map(|v| v.directive.name.as_str()).collect();
    assert_eq!(names, ["a", "b", "c", "d", "f", "g", "h"]);
    assert_eq!(only(&cfg, "b").args.len(), 2);
    let d = only(&cfg, "d");
    assert_eq!(&text[d.span.clone()], "d e");
}

#[test]
fn broken_fixtures_give_errors() {
    let dir = format!("{}/fixtures/nginx/broken", env!("CARGO_MANIFEST_DIR"));
    let mut n = 0;
    for entry in std::fs::read_dir(dir).expect("dir") {
        let path = entry.expect("entry").path();
        let text = std::fs::read_to_string(&path).expect("read");
        let cfg = nginx::parse(&text);
        check_spans(&text, &cfg);
        assert!(!cfg.errors.is_empty(), "{}", path.display());
        n += 1;
    }
    assert!(n >= 5);
}

// ---- Lua ----

#[test]
fn lua_bodies_are_one_raw_argument() {
    let text = fixture("openresty/lua.conf");
    let cfg = nginx::parse(&text);
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    check_spans(&text, &cfg);
    let content = only(&cfg, "content_by_lua_block");
    assert_eq!(content.args.len(), 1);
    let body = &content.args[0];
    assert!(body.quoted && content.block.is_none());
    assert_eq!(&text[body.span.clone()], format!("{{{}}}", body.value));
    assert!(
        body.value
            .contains("-- braces in comments { and strings \"}\" don't count")
    );
    assert!(
        body.value
            .contains("ngx.say(\"hello, \", ngx.var.arg_name or \"world\", '{')")
    );
    assert!(text[content.span.clone()].ends_with('}'));
    let set = only(&cfg, "set_by_lua_block");
    assert_eq!(set.arg(0), Some("$doubled"));
    assert_eq!(
        set.arg(1),
        Some(" return tonumber(ngx.var.arg_n or 1) * 2 ")
    );
    // the directive after a Lua body is read normally
    let auth = nginx::find(&cfg.directives, "location")
        .find(|d| d.arg(0) == Some("/auth"))
        .expect("/auth");
    let names: Vec<&str> = auth.children().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(names, ["access_by_lua_block", "proxy_pass"]);
    assert_eq!(
        only(&cfg, "log_by_lua_block").arg(0),
        Some(" ngx.log(ngx.INFO, \"done\") ")
    );
    assert_eq!(only(&cfg, "init_by_lua_block").line, 2);

    // any *_by_lua_block, also without a space before `{`
    let cfg = nginx::parse("ssl_client_hello_by_lua_block{ a = {} }\nx;");
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    assert_eq!(cfg.directives[0].arg(0), Some(" a = {} "));
    assert_eq!(cfg.directives[1].name, "x");
    // no `{`: an ordinary directive
    let cfg = nginx::parse("content_by_lua_block x;");
    assert!(cfg.errors.is_empty());
    assert_eq!(cfg.directives[0].arg(0), Some("x"));
}

// ---- generic blocks ----

#[test]
fn map_geo_types_blocks_hold_key_value_lines() {
    let text = fixture("maps.conf");
    let cfg = nginx::parse(&text);
    assert!(cfg.errors.is_empty(), "{:?}", cfg.errors);
    let types = only(&cfg, "types");
    assert_eq!(types.children()[0].name, "text/plain");
    assert_eq!(types.children()[0].arg(1), Some("log"));
    let map = nginx::find(&cfg.directives, "map")
        .find(|d| d.arg(1) == Some("$session_id"))
        .expect("map");
    let keys: Vec<&str> = map.children().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(keys, ["default", "~*sessionid=(?<sid>[^;]+)", "volatile"]);
    assert_eq!(map.children()[1].arg(0), Some("$sid"));
    let quoted_key = &map.children()[1];
    assert_eq!(
        &text[quoted_key.name_span.clone()],
        "\"~*sessionid=(?<sid>[^;]+)\""
    );
    let geo = only(&cfg, "geo");
    assert_eq!(geo.children()[2].name, "127.0.0.1-127.0.0.255");
    let split = only(&cfg, "split_clients");
    assert_eq!(split.arg(0), Some("${http_user_agent}${remote_addr}"));
    assert_eq!(split.children()[2].name, "*");
    let include: Vec<&str> = nginx::find(&cfg.directives, "include")
        .filter_map(|d| d.arg(0))
        .collect();
    assert_eq!(include, ["map-extra.inc"]);
}

// ---- bounds ----

#[test]
fn nesting_is_bounded() {
    let depth = MAX_DEPTH + 50;
    let text = format!("{}x;{}", "a {".repeat(depth), "}".repeat(depth));
    let cfg = nginx::parse(&text);
    assert_eq!(cfg.errors.len(), 1, "{:?}", cfg.errors);
    assert!(cfg.errors[0].message.contains("nested"));
    assert_eq!(cfg.errors[0].column, 3 * MAX_DEPTH + 3);
    let max = cfg.walk().map(|v| v.parents.len() + 1).max();
    assert_eq!(max, Some(MAX_DEPTH));
    check_spans(&text, &cfg);
    // unclosed and very deep: one end-of-file error more
    let text = "a {".repeat(100_000);
    let cfg = nginx::parse(&text);
    assert_eq!(cfg.errors.len(), 2);
    assert_eq!(
        cfg.errors[1].message,
        "unexpected end of file, expecting \"}\""
    );
}

#[test]
fn large_and_hostile_inputs_are_linear() {
    let start = std::time::Instant::now();
    let big = "server { listen 80; location / { return 200 \"ok\"; } }\n".repeat(40_000);
    let cfg = nginx::parse(&big);
    assert!(cfg.errors.is_empty());
    assert_eq!(cfg.directives.len(), 40_000);
    // one long line full of errors
    let junk = "; \"a\"b } { ".repeat(100_000);
    let cfg = nginx::parse(&junk);
    assert!(cfg.errors.len() > 100_000);
    check_spans(&junk, &cfg);
    let long_word = "x".repeat(2_000_000);
    let cfg = nginx::parse(&long_word);
    assert_eq!(cfg.errors.len(), 1);
    let quote = format!("a \"{}", "\\\"".repeat(500_000));
    assert_eq!(nginx::parse(&quote).errors.len(), 1);
    let comments = "#\n".repeat(500_000);
    assert_eq!(nginx::parse(&comments).comments.len(), 500_000);
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn binary_junk_gives_errors() {
    let mut bytes = Vec::new();
    let mut x: u32 = 12345;
    for _ in 0..200_000 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        bytes.push((x >> 16) as u8);
    }
    let text = String::from_utf8_lossy(&bytes);
    let cfg = nginx::parse(&text);
    assert!(!cfg.errors.is_empty());
    check_spans(&text, &cfg);
    let nul = "\0\0\0{\0;\0}\u{feff}\"\\";
    check_spans(nul, &nginx::parse(nul));
}

// ---- properties ----

#[derive(Debug, Clone)]
enum GArg {
    /// Written as is.
    Word(String),
    /// Quoted with `q`: (written inside the quotes, value).
    Quoted(char, String, String),
}

#[derive(Debug, Clone)]
struct GDir {
    name: String,
    args: Vec<GArg>,
    block: Option<Vec<GDir>>,
    comment: bool,
}

fn word() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => "[a-zA-Z0-9_./:=~^*?!@%+-]{1,6}",
            1 => "\\$[a-z_]{1,6}",
            1 => "\\$\\{[a-z_]{1,6}\\}",
            1 => "[a-z]{1,3}[#'\"]",
            1 => "\\\\[ ;{}a\"'\\\\]",
            1 => "[é✓ü]{1,2}",
            1 => "[a-z]{1,2}\\}",
        ],
        1..4,
    )
    .prop_map(|parts| parts.concat())
}

fn quoted() -> impl Strategy<Value = GArg> {
    (
        prop::sample::select(vec!['"', '\'']),
        prop::collection::vec(
            prop_oneof![
                4 => "[a-zA-Z0-9 ;{}#$é\n\t]{1,5}",
                1 => Just("\\Q".to_string()),
                1 => Just("\\\\".to_string()),
                1 => Just("\\n".to_string()),
                1 => Just("OTHER".to_string()),
            ],
            0..5,
        ),
    )
        .prop_map(|(q, pieces)| {
            let other = if q == '"' { '\'' } else { '"' };
            let (mut written, mut value) = (String::new(), String::new());
            for p in pieces {
                match p.as_str() {
                    // `\"` in "…" (or `\'` in '…'): the quote
                    "\\Q" => {
                        written.push('\\');
                        written.push(q);
                        value.push(q);
                    }
                    // the other quote character needs no escape
                    "OTHER" => {
                        written.push(other);
                        value.push(other);
                    }
                    // other escapes are kept as written
                    _ => {
                        written.push_str(&p);
                        value.push_str(&p);
                    }
                }
            }
            GArg::Quoted(q, written, value)
        })
}

fn arg() -> impl Strategy<Value = GArg> {
    prop_oneof![3 => word().prop_map(GArg::Word), 1 => quoted()]
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z_0-9]{0,10}"
}

fn directive() -> impl Strategy<Value = GDir> {
    let leaf = (name(), prop::collection::vec(arg(), 0..4), any::<bool>()).prop_map(
        |(name, args, comment)| GDir {
            name,
            args,
            block: None,
            comment,
        },
    );
    leaf.prop_recursive(4, 40, 6, |inner| {
        (
            name(),
            prop::collection::vec(arg(), 0..3),
            prop::collection::vec(inner, 0..6),
            any::<bool>(),
        )
            .prop_map(|(name, args, block, comment)| GDir {
                name,
                args,
                block: Some(block),
                comment,
            })
    })
}

/// Whitespace between tokens, chosen by `seps`.
fn sep(seps: &[u8], k: &mut usize, out: &mut String) {
    let s = seps.get(*k % seps.len().max(1)).copied().unwrap_or(0);
    *k += 1;
    out.push_str(match s % 4 {
        0 => " ",
        1 => "\t",
        2 => "\n  ",
        _ => " \r\n",
    });
}

/// Render as nginx text; the arguments as written go to `written`.
fn render(dirs: &[GDir], seps: &[u8], k: &mut usize, out: &mut String, written: &mut Vec<String>) {
    for d in dirs {
        if d.comment {
            out.push_str("# a comment; with { braces }\n");
        }
        out.push_str(&d.name);
        for a in &d.args {
            sep(seps, k, out);
            let w = match a {
                GArg::Word(w) => w.clone(),
                GArg::Quoted(q, inner, _) => format!("{q}{inner}{q}"),
            };
            out.push_str(&w);
            written.push(w);
        }
        match &d.block {
            None => out.push(';'),
            Some(children) => {
                sep(seps, k, out);
                out.push('{');
                sep(seps, k, out);
                render(children, seps, k, out, written);
                out.push('}');
            }
        }
        sep(seps, k, out);
    }
}

fn same_tree(text: &str, got: &[Directive], want: &[GDir]) {
    assert_eq!(got.len(), want.len());
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.name, w.name);
        assert_eq!(&text[g.name_span.clone()], w.name);
        assert_eq!(g.args.len(), w.args.len(), "{}", g.name);
        for (ga, wa) in g.args.iter().zip(&w.args) {
            match wa {
                GArg::Word(s) => {
                    assert!(!ga.quoted);
                    assert_eq!(&ga.value, s);
                    assert_eq!(&text[ga.span.clone()], s);
                }
                GArg::Quoted(q, inner, value) => {
                    assert!(ga.quoted);
                    assert_eq!(&ga.value, value);
                    assert_eq!(text[ga.span.clone()], format!("{q}{inner}{q}"));
                }
            }
        }
        match (&g.block, &w.block) {
            (Some(gb), Some(wb)) => same_tree(text, gb, wb),
            (None, None) => {}
            _ => panic!("block mismatch at {}", g.name),
        }
        let last = if w.block.is_some() { '}' } else { ';' };
        assert!(text[g.span.clone()].ends_with(last));
    }
}

const MUTATIONS: &[&str] = &[
    "{",
    "}",
    ";",
    "\"",
    "'",
    "#",
    "\\",
    "$",
    "${",
    " ",
    "\n",
    "é",
    "\0",
    "_by_lua_block {",
];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_any_text(text in any::<String>()) {
        let cfg = nginx::parse(&text);
        check_spans(&text, &cfg);
    }

    #[test]
    fn never_panics_on_config_like_text(text in "[a-z {};\"'#\\\\$\n\t✓]{0,200}") {
        let cfg = nginx::parse(&text);
        check_spans(&text, &cfg);
    }

    #[test]
    fn never_panics_on_mutated_configs(
        file in prop::sample::select(vec![
            "basic/nginx.conf", "basic/conf.d/app.conf", "escapes.conf", "maps.conf",
            "openresty/lua.conf", "snippets/locations.conf", "templates/default.conf.template",
        ]),
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0usize..MUTATIONS.len(), 0usize..4, any::<bool>()), 1..8),
    ) {
        let mut text = fixture(file);
        for (at, m, del, insert) in edits {
            let mut i = at.index(text.len() + 1);
            while !text.is_char_boundary(i) {
                i -= 1;
            }
            if insert {
                text.insert_str(i, MUTATIONS[m]);
            } else {
                let mut j = (i + del).min(text.len());
                while !text.is_char_boundary(j) {
                    j += 1;
                }
                text.replace_range(i..j, "");
            }
        }
        let cfg = nginx::parse(&text);
        check_spans(&text, &cfg);
    }

    #[test]
    fn generated_configs_come_back_with_exact_spans(
        dirs in prop::collection::vec(directive(), 0..6),
        seps in prop::collection::vec(any::<u8>(), 1..16),
    ) {
        let (mut text, mut written, mut k) = (String::new(), Vec::new(), 0);
        render(&dirs, &seps, &mut k, &mut text, &mut written);
        let cfg = nginx::parse(&text);
        prop_assert!(cfg.errors.is_empty(), "{:?}\n{}", cfg.errors, text);
        check_spans(&text, &cfg);
        same_tree(&text, &cfg.directives, &dirs);
        let args: Vec<String> = cfg
            .walk()
            .flat_map(|v| v.directive.args.iter().map(|a| text[a.span.clone()].to_string()))
            .collect();
        prop_assert_eq!(args, written);
    }
}
