#![no_main]
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sessionlint::model::discover::{MAX_BLOCKS, document};
use sessionlint::syntax::markdown::{blank_outside, code_blocks};
use sessionlint_fuzz::{check_span, lint_source_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    for b in code_blocks(&text, MAX_BLOCKS) {
        check_span(&text, &b.span, "block");
        for r in &b.content {
            check_span(&text, r, "content");
        }
        let kept = blank_outside(&text, &b.content);
        assert_eq!(kept.len(), text.len(), "blank_outside changed the length");
        for (i, (x, y)) in text.bytes().zip(kept.bytes()).enumerate() {
            let inside = b.content.iter().any(|r| r.contains(&i));
            if inside || x == b'\n' || x == b'\r' {
                assert_eq!(x, y, "byte {i} kept changed");
            } else {
                assert_eq!(y, b' ', "byte {i} outside the block not blanked");
            }
        }
    }
    lint_source_files(document(Path::new("README.md"), &text));
});
