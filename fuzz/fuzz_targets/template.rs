#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{lint_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    let blanked = sessionlint::syntax::template::blank_actions(&text);
    // same length and the same line breaks: positions are the template's
    assert_eq!(
        blanked.len(),
        text.len(),
        "blank_actions changed the length"
    );
    for (i, (x, y)) in text.bytes().zip(blanked.bytes()).enumerate() {
        assert_eq!(x == b'\n', y == b'\n', "line break at byte {i} moved");
    }
    lint_files(vec![(
        "nginx/nginx.conf.tmpl",
        sessionlint::source::FileKind::Nginx,
        text,
    )]);
});
