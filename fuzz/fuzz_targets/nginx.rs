#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint::syntax::nginx::Directive;
use sessionlint_fuzz::{check_span, lint_files, text};

fn check(text: &str, dirs: &[Directive]) {
    for d in dirs {
        check_span(text, &d.name_span, "name");
        check_span(text, &d.span, "directive");
        for a in &d.args {
            check_span(text, &a.span, "arg");
        }
        if let Some(b) = &d.block {
            check(text, b);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let cfg = sessionlint::syntax::nginx::parse(&text);
    check(&text, &cfg.directives);
    for c in &cfg.comments {
        check_span(&text, &c.span, "comment");
    }
    for e in &cfg.errors {
        check_span(&text, &e.span, "error");
    }
    lint_files(vec![(
        "nginx/nginx.conf",
        sessionlint::source::FileKind::Nginx,
        text,
    )]);
});
