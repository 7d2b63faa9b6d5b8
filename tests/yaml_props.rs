//! The YAML reader never panics, and every span it returns lies inside the
//! text on character boundaries.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::indexing_slicing)]

use proptest::prelude::*;
use sessionlint::syntax::yaml::{Limits, Node, NodeKind, parse};

fn check_node(text: &str, n: &Node, depth: usize) -> Result<(), TestCaseError> {
    prop_assert!(
        n.span.start <= n.span.end && n.span.end <= text.len(),
        "{:?}",
        n.span
    );
    prop_assert!(text.is_char_boundary(n.span.start) && text.is_char_boundary(n.span.end));
    let c = n.content_span();
    prop_assert!(text.is_char_boundary(c.start) && text.is_char_boundary(c.end));
    if depth > 300 {
        return Ok(());
    }
    match &n.kind {
        NodeKind::Scalar(_) => {}
        NodeKind::Seq(items) => {
            for i in items {
                check_node(text, i, depth + 1)?;
            }
        }
        NodeKind::Map(entries) => {
            for e in entries {
                check_node(text, &e.key, depth + 1)?;
                check_node(text, &e.value, depth + 1)?;
            }
        }
    }
    Ok(())
}

fn check(text: &str) -> Result<(), TestCaseError> {
    let s = parse(text, &Limits::default());
    for d in &s.docs {
        check_node(text, d, 0)?;
    }
    for e in &s.errors {
        prop_assert!(e.span.end <= text.len());
        prop_assert!(text.is_char_boundary(e.span.start) && text.is_char_boundary(e.span.end));
    }
    Ok(())
}

fn token() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a",
        "b: ",
        "- ",
        "\n",
        "  ",
        ":",
        "{",
        "}",
        "[",
        "]",
        ",",
        "&x ",
        "*x",
        "<<: ",
        "'q'",
        "\"d\\n\"",
        "|\n  t\n",
        ">\n  f\n",
        "---\n",
        "# c\n",
        "!!str ",
        "é",
        "\t",
        "? ",
        "...\n",
        "${V:-w}",
        "&y [*x, *x]\n",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn token_soup(tokens in prop::collection::vec(token(), 0..40)) {
        check(&tokens.concat())?;
    }

    #[test]
    fn random_text(text in "(?s).{0,120}") {
        check(&text)?;
    }
}
