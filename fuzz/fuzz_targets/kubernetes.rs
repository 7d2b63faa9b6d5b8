#![no_main]
use libfuzzer_sys::fuzz_target;
use sessionlint_fuzz::{lint_files, text};

fuzz_target!(|data: &[u8]| {
    let text = text(data);

    lint_files(vec![(
        "deploy.yaml",
        sessionlint::source::FileKind::Kubernetes,
        text,
    )]);
});
