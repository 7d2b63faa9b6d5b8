//! Files are read, parsed and checked in parallel; results are merged in
//! file and rule order. The output must not depend on how many threads ran
//! or in which order they finished: the same JSON with one thread and with
//! several, on every fixture together and on the shared corpus (skipped,
//! visibly, when it is absent).

#![allow(clippy::expect_used)]

mod common;

use assert_cmd::Command;
use std::path::Path;

fn json(dir: &Path, threads: usize) -> String {
    let out = Command::cargo_bin("sessionlint")
        .expect("binary")
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(["check", "--no-config", "--format", "json"])
        .arg(dir)
        .output()
        .expect("runs");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).expect("utf-8")
}

fn same_with_any_thread_count(dir: &Path) {
    let one = json(dir, 1);
    assert!(one.contains("\"rule\""), "no findings at all: {one}");
    for threads in [2, 3, 8] {
        // twice each: a scheduling difference may show only sometimes
        for _ in 0..2 {
            assert!(
                json(dir, threads) == one,
                "{}: output with {threads} threads differs from one thread",
                dir.display()
            );
        }
    }
}

#[test]
fn fixtures_give_the_same_output_with_any_thread_count() {
    same_with_any_thread_count(Path::new("fixtures"));
}

#[test]
fn corpus_gives_the_same_output_with_any_thread_count() {
    let Some(corpus) = common::shared_corpus("corpus_gives_the_same_output_with_any_thread_count")
    else {
        return;
    };
    same_with_any_thread_count(&corpus);
}

/// `sessions` lists what is in front of each service (Services, Ingresses)
/// in the same order every run, whatever the hashing of the run.
#[test]
fn sessions_output_is_the_same_every_run() {
    let run = || {
        let out = Command::cargo_bin("sessionlint")
            .expect("binary")
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .args(["sessions", "--no-config", "--format", "json", "fixtures"])
            .output()
            .expect("runs");
        String::from_utf8(out.stdout).expect("utf-8")
    };
    let first = run();
    assert!(first.contains("\"layers\""), "{first}");
    for _ in 0..5 {
        assert!(run() == first, "sessions output differs between runs");
    }
}
