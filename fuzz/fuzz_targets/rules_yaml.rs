#![no_main]
use libfuzzer_sys::fuzz_target;

// One extra rule file (app profile or check) loaded beside the builtin
// rules; when it loads, lint a small repository with it.
fuzz_target!(|data: &[u8]| {
    let text = sessionlint_fuzz::text(data);
    let path = std::path::PathBuf::from("extra/fuzz.yaml");
    let mut files = sessionlint::rules::builtin_files();
    files.push((path, text));
    let Ok(rules) = sessionlint::rules::RuleSet::from_files(files) else {
        return;
    };
    let mut sources = sessionlint::source::SourceMap::default();
    sources.set_roots(vec![std::path::PathBuf::from(
        "/nonexistent/sessionlint-fuzz",
    )]);
    sources.add(sessionlint::source::SourceFile::new(
        ".env".into(),
        sessionlint::source::FileKind::Dotenv,
        "SESSION_SECRET=changeme\nSESSION_LIFETIME=5\nREDIS_URL=redis://r\n".into(),
    ));
    let _ = sessionlint::lint_sources(sources, &rules, &sessionlint::Options::default());
});
