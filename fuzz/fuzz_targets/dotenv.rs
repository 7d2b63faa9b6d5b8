#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{check_span, lint_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let env = sessionlint::syntax::dotenv::parse(&text);
    for e in &env.entries {
        check_span(&text, &e.key_span, "key");
        check_span(&text, &e.value_span, "value");
        for r in &e.refs {
            check_span(&text, &r.span, "ref");
        }
    }
    for c in &env.comments {
        check_span(&text, c, "comment");
    }
    for e in &env.errors {
        check_span(&text, &e.span, "error");
    }
    lint_files(vec![(".env", sessionlint::source::FileKind::Dotenv, text)]);
});
