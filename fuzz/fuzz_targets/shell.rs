#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{check_span, lint_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);
    for c in sessionlint::syntax::shell::commands(&text) {
        for w in &c.words {
            check_span(&text, &w.span, "word");
            // every part of the word's text maps back inside the word
            let cuts: Vec<usize> = (0..=w.text.len())
                .filter(|&i| w.text.is_char_boundary(i))
                .collect();
            for (k, &s) in cuts.iter().enumerate().take(8) {
                for &e in cuts.iter().skip(k).step_by(3).take(8) {
                    let r = w.source_range(s..e);
                    check_span(&text, &r, "word part");
                    assert!(
                        r.start >= w.span.start && r.end <= w.span.end,
                        "part {s}..{e} of {:?} maps to {r:?}, outside the word {:?}",
                        w.text,
                        w.span
                    );
                }
            }
            if let Some((name, at)) = sessionlint::syntax::shell::assignment(&w.text) {
                assert!(
                    at <= w.text.len() && w.text.is_char_boundary(at),
                    "{name}: {at}"
                );
            }
        }
    }
    lint_files(vec![("run.sh", sessionlint::source::FileKind::Shell, text)]);
});
