//! What several test files share.

use std::path::PathBuf;

/// `../shared/corpus` beside the project, or `None` after saying, visibly,
/// that `test` is skipped because it is absent (a fresh clone has no
/// corpus beside it).
pub fn shared_corpus(test: &str) -> Option<PathBuf> {
    let corpus = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if corpus.is_dir() {
        Some(corpus)
    } else {
        eprintln!("SKIPPED {test}: {} is absent", corpus.display());
        None
    }
}
