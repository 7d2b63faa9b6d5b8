//! The floor for `bench/run.sh`: what any linter of the same files must at
//! least spend.
//!
//! `bench_floor read DIR...`: walk as sessionlint does (the `ignore` crate,
//! in parallel, same skips), and read every file whose name sessionlint
//! would read, discarding the bytes.
//! `bench_floor yaml DIR...`: the same walk, then a bare granit-parser
//! event pass over every `.yaml`/`.yml` file read (no tree, no model).

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use rayon::prelude::*;
use sessionlint::discover::{NameKind, classify_name};

fn walk(root: &Path, yaml_only: bool) -> Vec<PathBuf> {
    let found = Mutex::new(Vec::new());
    ignore::WalkBuilder::new(root)
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .filter_entry(|e| {
            let name = e.file_name().to_string_lossy();
            !(e.file_type().is_some_and(|t| t.is_dir())
                && matches!(
                    name.as_ref(),
                    ".git" | ".hg" | ".svn" | "node_modules" | "target"
                ))
        })
        .build_parallel()
        .run(|| {
            Box::new(|entry| {
                if let Ok(e) = entry
                    && e.file_type().is_some_and(|t| t.is_file())
                {
                    let keep = if yaml_only {
                        e.path()
                            .extension()
                            .is_some_and(|x| x == "yaml" || x == "yml")
                    } else {
                        classify_name(e.path()) != NameKind::Unknown
                    };
                    if keep {
                        found.lock().unwrap().push(e.into_path());
                    }
                }
                ignore::WalkState::Continue
            })
        });
    found.into_inner().unwrap()
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
    files.par_iter().for_each(|p| {
        let Ok(data) = std::fs::read(p) else { return };
        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
        if yaml && let Ok(text) = std::str::from_utf8(&data) {
            let mut parser = granit_parser::Parser::new_from_str(text);
            let mut n = 0;
            while let Some(Ok(_)) = parser.next_event() {
                n += 1;
            }
            events.fetch_add(n, Ordering::Relaxed);
        }
    });
    println!(
        "{mode}: {} files, {} bytes, {} YAML events",
        files.len(),
        bytes.load(Ordering::Relaxed),
        events.load(Ordering::Relaxed)
    );
}
