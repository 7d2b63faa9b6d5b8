#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{lint_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    sessionlint_fuzz::check_config_file(&text, &sessionlint::syntax::ini::parse_properties(&text));
    lint_files(vec![(
        "application.properties",
        sessionlint::source::FileKind::Properties,
        text,
    )]);
});
