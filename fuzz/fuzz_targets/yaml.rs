#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{check_span, check_yaml_node, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let s = sessionlint::syntax::yaml::parse(&text, &sessionlint::syntax::yaml::Limits::default());
    for d in &s.docs {
        check_yaml_node(&text, d);
    }
    for e in &s.errors {
        check_span(&text, &e.span, "error");
    }
    for d in &s.duplicate_keys {
        check_span(&text, &d.first, "duplicate");
        check_span(&text, &d.second, "duplicate");
    }
});
