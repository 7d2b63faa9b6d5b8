//! Differential test: for `.env` text that dotenvy accepts, our parser
//! gives the same keys and values. The generator stays out of the places
//! where we follow docker compose on purpose (see `parse::dotenv`): `$$`,
//! a lone `$`, and an unbraced `$NAME` directly followed by a name
//! character or a quote.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use sessionlint::syntax::dotenv;

#[derive(Debug, Clone)]
enum Part {
    Plain(String),
    Single(String),
    Double(String),
    /// `${NAME}` or `$NAME`, by index into earlier keys (or undefined).
    Ref {
        key: usize,
        braced: bool,
    },
    Escape(char),
}

#[derive(Debug, Clone)]
struct Line {
    export: bool,
    key: String,
    space_before_eq: bool,
    space_after_eq: bool,
    parts: Vec<Part>,
    comment: Option<String>,
    crlf: bool,
}

fn key() -> impl Strategy<Value = String> {
    "SLT[A-Z]{1,5}".prop_map(|s| s)
}

fn part() -> impl Strategy<Value = Part> {
    prop_oneof![
        4 => "[A-Za-z0-9./:,=@%+-]{1,8}".prop_map(Part::Plain),
        2 => "[A-Za-z0-9 #$.\"\n=-]{0,10}".prop_map(|s| Part::Single(s.replace('$', "x"))),
        2 => "[A-Za-z0-9 #.'\n=-]{0,10}".prop_map(Part::Double),
        2 => (0usize..6, any::<bool>()).prop_map(|(key, braced)| Part::Ref { key, braced }),
        1 => prop::sample::select(vec!['\\', '\'', '"', '$', ' ', 'n']).prop_map(Part::Escape),
    ]
}

fn line() -> impl Strategy<Value = Line> {
    (
        any::<bool>(),
        key(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(part(), 0..4),
        prop::option::of("[a-z #]{0,8}"),
        any::<bool>(),
    )
        .prop_map(
            |(export, key, space_before_eq, space_after_eq, parts, comment, crlf)| Line {
                export,
                key,
                space_before_eq,
                space_after_eq,
                parts,
                comment,
                crlf,
            },
        )
}

/// Render lines as `.env` text.
fn render(lines: &[Line], filler: &[bool]) -> String {
    let mut out = String::new();
    let mut keys: Vec<String> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if filler.get(i).copied().unwrap_or(false) {
            out.push_str("# a comment line\n\n");
        }
        if l.export {
            out.push_str("export ");
        }
        out.push_str(&l.key);
        if l.space_before_eq {
            out.push(' ');
        }
        out.push('=');
        if l.space_after_eq {
            out.push(' ');
        }
        let mut prev_unbraced = false;
        for p in &l.parts {
            match p {
                Part::Plain(s) => {
                    if prev_unbraced {
                        // keep a name character from extending the name
                        out.push('-');
                    }
                    out.push_str(s);
                }
                Part::Single(s) => {
                    if prev_unbraced {
                        out.push('-');
                    }
                    out.push('\'');
                    out.push_str(s);
                    out.push('\'');
                }
                Part::Double(s) => {
                    if prev_unbraced {
                        out.push('-');
                    }
                    out.push('"');
                    out.push_str(s);
                    out.push('"');
                }
                Part::Ref { key, braced } => {
                    if prev_unbraced {
                        out.push('-');
                    }
                    let name = keys.get(*key).cloned().unwrap_or_else(|| "SLTUNDEF".into());
                    if *braced {
                        out.push_str(&format!("${{{name}}}"));
                    } else {
                        out.push('$');
                        out.push_str(&name);
                    }
                }
                Part::Escape(c) => {
                    if prev_unbraced {
                        out.push('-');
                    }
                    out.push('\\');
                    out.push(*c);
                }
            }
            prev_unbraced = matches!(p, Part::Ref { braced: false, .. });
        }
        if prev_unbraced {
            out.push('-');
        }
        if let Some(c) = &l.comment {
            out.push_str(" #");
            out.push_str(c);
        }
        out.push_str(if l.crlf { "\r\n" } else { "\n" });
        keys.push(l.key.clone());
    }
    out
}

fn dotenvy_pairs(text: &str) -> Option<Vec<(String, String)>> {
    dotenvy::from_read_iter(text.as_bytes())
        .collect::<Result<Vec<_>, _>>()
        .ok()
}

fn ours(text: &str) -> (Vec<(String, String)>, usize) {
    let f = dotenv::parse(text);
    for e in &f.entries {
        assert_eq!(&text[e.key_span.clone()], e.key, "key span in {text:?}");
        assert!(
            text.is_char_boundary(e.value_span.start) && text.is_char_boundary(e.value_span.end)
        );
        assert!(e.value_span.end <= text.len());
        for r in &e.refs {
            assert!(text[r.span.clone()].starts_with('$'), "{text:?} {r:?}");
        }
    }
    (
        f.entries.into_iter().map(|e| (e.key, e.value)).collect(),
        f.errors.len(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    #[test]
    fn same_pairs_as_dotenvy(lines in prop::collection::vec(line(), 1..8),
                             filler in prop::collection::vec(any::<bool>(), 8)) {
        let text = render(&lines, &filler);
        let (pairs, errors) = ours(&text);
        if let Some(expected) = dotenvy_pairs(&text) {
            prop_assert_eq!(errors, 0, "we reject what dotenvy accepts: {:?}", text);
            prop_assert_eq!(pairs, expected, "text: {:?}", text);
        }
    }

    #[test]
    fn never_panics_and_spans_stay_inside(text in "(?s).{0,200}") {
        let f = dotenv::parse(&text);
        for e in &f.errors {
            prop_assert!(e.span.end <= text.len());
            prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
        }
        for e in &f.entries {
            prop_assert_eq!(&text[e.key_span.clone()], e.key.as_str());
            prop_assert!(text.is_char_boundary(e.value_span.start) && text.is_char_boundary(e.value_span.end));
        }
    }
}

#[test]
fn the_generator_reaches_the_interesting_cases() {
    // a sanity check that the oracle compares real content: quotes,
    // multi-line values, escapes and references all occur and agree
    let text = "SLTA=a\nSLTB=\"x ${SLTA} \\\"q\\\"\nline\" # c\r\nSLTC='it''s'$SLTB-z\\ y\n";
    let expected = dotenvy_pairs(text).expect("dotenvy accepts");
    assert_eq!(ours(text).0, expected);
    assert_eq!(expected[1].1, "x a \"q\"\nline");
    assert_eq!(expected[2].1, "itsx a \"q\"\nline-z y");
}

#[test]
fn most_generated_files_are_accepted_by_dotenvy() {
    // the differential test only compares what dotenvy accepts: make sure
    // that is most of what the generator makes
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (
        prop::collection::vec(line(), 1..8),
        prop::collection::vec(any::<bool>(), 8),
    );
    let (mut accepted, total) = (0, 500);
    for _ in 0..total {
        let (lines, filler) = strategy.new_tree(&mut runner).unwrap().current();
        if dotenvy_pairs(&render(&lines, &filler)).is_some() {
            accepted += 1;
        }
    }
    assert!(accepted * 2 > total, "only {accepted} of {total} accepted");
    eprintln!("dotenvy accepted {accepted} of {total} generated files");
}
