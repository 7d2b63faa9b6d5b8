//! The floor for `bench/run.py`: what any linter of the same files must at
//! least spend.
//!
//! `bench_floor read DIR...`: sessionlint's own walk
//! (`sessionlint::model::discover::walk`), then read every file it finds,
//! discarding the bytes.
//! `bench_floor yaml DIR...`: the same walk, then a bare granit-parser
//! event pass over every `.yaml`/`.yml` file read (no tree, no model).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;

/// The files sessionlint would read under `root` (its own walk); with
/// `yaml_only`, only the `.yaml`/`.yml` ones.
fn walk(root: &Path, yaml_only: bool) -> Vec<PathBuf> {
    let mut files = sessionlint::model::discover::walk(root);
    if yaml_only {
        files.retain(|p| p.extension().is_some_and(|x| x == "yaml" || x == "yml"));
    }
    files
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (mode, dirs) = args
        .split_first()
        .expect("usage: bench_floor read|yaml DIR...");
    let yaml = mode == "yaml";
    let files: Vec<PathBuf> = dirs.iter().flat_map(|d| walk(Path::new(d), yaml)).collect();
    let bytes = AtomicU64::new(0);
    let events = AtomicU64::new(0);
    let largest = AtomicU64::new(0);
    files.par_iter().for_each(|p| {
        let Ok(data) = std::fs::read(p) else { return };
        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        largest.fetch_max(data.len() as u64, Ordering::Relaxed);
        if yaml && let Ok(text) = std::str::from_utf8(&data) {
            // comments are validated but not emitted, as sessionlint asks
            let mut options = granit_parser::Options::default();
            options.emit_comments = false;
            let mut parser = granit_parser::Parser::new_from_str_with_options(text, options);
            let mut n = 0;
            while let Some(Ok(_)) = parser.next_event() {
                n += 1;
            }
            events.fetch_add(n, Ordering::Relaxed);
        }
    });
    println!(
        "{mode}: {} files, {} bytes, {} YAML events, largest file {} bytes",
        files.len(),
        bytes.load(Ordering::Relaxed),
        events.load(Ordering::Relaxed),
        largest.load(Ordering::Relaxed)
    );
}
