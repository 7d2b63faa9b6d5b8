//! Differential tests of `parse::nginx` against two oracles.
//!
//! 1. crossplane (`pip install crossplane`), through
//!    `scripts/nginx-oracle.py`, called once for all files: every file in
//!    `fixtures/nginx/` and the nginx files of `../shared/corpus`. Where
//!    both accept a file, the trees (directive, line, arguments, blocks)
//!    are equal. Where crossplane rejects a file, we report an error.
//!    Where crossplane accepts a file we reject, every error of ours is an
//!    `unexpected "…"` that nginx reports and crossplane lets through (a
//!    directive ended by `}`, `;` or `{` with no name, `"a"b`); see the
//!    module documentation of `parse::nginx`. Two normalizations on our
//!    side: crossplane strips the parentheses of `if` arguments (we keep
//!    arguments as written), and crossplane glues the word after a
//!    `${var}` and a space onto it (we follow nginx), so arguments of a
//!    directive holding `${` are compared as whitespace-separated words.
//! 2. nginx itself (`apt-get install nginx`), `nginx -t`, on the fixtures
//!    only (corpus files include files and name hosts we do not have):
//!    what nginx accepts we parse without errors; each file in
//!    `fixtures/nginx/broken/` is rejected by nginx with a syntax error,
//!    and we report the same message on the same line. Snippets are tested
//!    inside a generated `events {} http { … include <file>; … }`, except
//!    those of a directory with an `nginx.conf` that includes them.
//!    And on a few hundred generated token soups (quotes, escapes, braces,
//!    `${`, comments): where nginx's first error is a syntax error, ours
//!    is the same message on the same line; where it is another error (an
//!    unknown directive), we have no error before its line; where nginx
//!    reads the whole file, we have no error at all.
//!    Not run through nginx: Lua bodies (stock nginx has no Lua module),
//!    `match` (nginx Plus), `*.template` (envsubst input) and `*.inc`.
//!
//! Without python3+crossplane or nginx a test skips with a message, and
//! fails when `CI` is set.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;
use sessionlint::syntax::nginx::{self, Directive};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn skip_or_fail(what: &str) {
    if std::env::var_os("CI").is_some() {
        panic!("{what} (required when CI is set)");
    }
    eprintln!("SKIPPED: {what}");
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = rd.flatten().map(|e| e.path()).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files_under(&p, out);
        } else if p.is_file() {
            out.push(p);
        }
    }
}

fn fixtures() -> Vec<PathBuf> {
    let mut out = Vec::new();
    files_under(&root().join("fixtures/nginx"), &mut out);
    out
}

/// nginx files of the corpus: `nginx.conf`, `mime.types`, `*.conf.template`,
/// and `*.conf` / `*.conf.example` under a directory named like an nginx
/// one (`nginx`, `.nginx`, `*nginx*`, `openresty`, `conf.d`, `sites-*`,
/// `h5bp*`, `gixy*`).
fn corpus() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus");
    if !dir.is_dir() {
        return None;
    }
    let mut all = Vec::new();
    files_under(&dir, &mut all);
    let picked = all
        .into_iter()
        .filter(|p| {
            let rel = p.strip_prefix(&dir).unwrap_or(p);
            let name = rel
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_ascii_lowercase();
            let nginx_dir = rel.parent().is_some_and(|parent| {
                parent.components().any(|c| {
                    let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
                    c.contains("nginx")
                        || c == "openresty"
                        || c == "conf.d"
                        || c.starts_with("sites-")
                        || c.starts_with("h5bp")
                        || c.starts_with("gixy")
                })
            });
            name == "nginx.conf"
                || name.ends_with(".conf.template")
                || (nginx_dir
                    && (name == "mime.types"
                        || name.ends_with(".conf")
                        || name.ends_with(".conf.example")))
        })
        .collect();
    Some(picked)
}

fn read(path: &Path) -> String {
    String::from_utf8_lossy(&std::fs::read(path).expect("read")).into_owned()
}

// ---- crossplane ----

/// Runs the oracle script; `None` when crossplane is not importable.
fn crossplane(paths: &[PathBuf]) -> Option<serde_json::Map<String, Value>> {
    let mut child = match Command::new("python3")
        .arg(root().join("scripts/nginx-oracle.py"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
    {
        Ok(c) => c,
        Err(_) => return None,
    };
    {
        let mut stdin = child.stdin.take().expect("stdin");
        for p in paths {
            writeln!(stdin, "{}", p.display()).expect("write");
        }
    }
    let out = child.wait_with_output().expect("oracle runs");
    if out.status.code() == Some(3) {
        return None;
    }
    assert!(
        out.status.success(),
        "oracle failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout).expect("oracle JSON") {
        Value::Object(m) => Some(m),
        other => panic!("oracle gave {other}"),
    }
}

/// crossplane's `_prepare_if_args`.
fn if_args(mut args: Vec<String>) -> Vec<String> {
    let n = args.len();
    if n > 0 && args[0].starts_with('(') && args[n - 1].ends_with(')') {
        args[0] = args[0][1..].trim_start().to_string();
        let last = &args[n - 1];
        args[n - 1] = last[..last.len() - 1].trim_end().to_string();
        let start = usize::from(args[0].is_empty());
        let end = n - usize::from(args[n - 1].is_empty());
        args = args
            .get(start..end)
            .map(<[String]>::to_vec)
            .unwrap_or_default();
    }
    args
}

fn words(args: &[String]) -> Vec<String> {
    args.join(" ")
        .split_ascii_whitespace()
        .map(str::to_string)
        .collect()
}

/// Compare our directives with crossplane's; differences go to `diffs`.
fn compare(ours: &[Directive], theirs: &[Value], at: &str, diffs: &mut Vec<String>) {
    if ours.len() != theirs.len() {
        let names = |v: Vec<String>| v.join(" ");
        diffs.push(format!(
            "{at}: {} directives [{}] vs crossplane {} [{}]",
            ours.len(),
            names(
                ours.iter()
                    .map(|d| format!("{}@{}", d.name, d.line))
                    .collect()
            ),
            theirs.len(),
            names(
                theirs
                    .iter()
                    .map(|t| format!("{}@{}", t["directive"].as_str().unwrap_or("?"), t["line"]))
                    .collect()
            ),
        ));
        return;
    }
    for (d, t) in ours.iter().zip(theirs) {
        let here = format!("{at} > {}@{}", d.name, d.line);
        let t_name = t["directive"].as_str().unwrap_or_default();
        let t_line = t["line"].as_u64().unwrap_or(0) as usize;
        if d.name != t_name || d.line != t_line {
            diffs.push(format!("{here}: crossplane has {t_name}@{t_line}"));
            continue;
        }
        let mut a: Vec<String> = d.args.iter().map(|a| a.value.clone()).collect();
        let mut b: Vec<String> = t["args"]
            .as_array()
            .map(|v| {
                v.iter()
                    .map(|s| s.as_str().unwrap_or("").to_string())
                    .collect()
            })
            .unwrap_or_default();
        if d.name == "if" {
            a = if_args(a);
        }
        if a.iter().any(|s| s.contains("${")) {
            a = words(&a);
            b = words(&b);
        }
        if a != b {
            diffs.push(format!("{here}: args {a:?} vs crossplane {b:?}"));
        }
        match (&d.block, t.get("block").and_then(Value::as_array)) {
            (Some(ours), Some(theirs)) => compare(ours, theirs, &here, diffs),
            (None, None) => {}
            (o, t) => diffs.push(format!(
                "{here}: block {} vs crossplane {}",
                o.is_some(),
                t.is_some()
            )),
        }
    }
}

/// Errors of ours that crossplane lets through on purpose: nginx's
/// `unexpected "X"` for a character (not end of file).
fn nginx_stricter(e: &nginx::ParseError) -> bool {
    e.message.starts_with("unexpected \"")
}

#[test]
fn same_trees_as_crossplane() {
    let fixtures = fixtures();
    assert!(
        fixtures.len() >= 10,
        "fixtures/nginx has {}",
        fixtures.len()
    );
    let corpus = corpus();
    if corpus.is_none() {
        eprintln!("skipping: ../shared/corpus not found (fixtures only)");
    }
    let corpus = corpus.unwrap_or_default();
    let all: Vec<PathBuf> = fixtures.iter().chain(&corpus).cloned().collect();
    let Some(oracle) = crossplane(&all) else {
        skip_or_fail("python3 with crossplane is not available (pip install crossplane)");
        return;
    };
    let (mut equal, mut both_reject, mut stricter) = (0, 0, 0);
    let mut diffs = Vec::new();
    for path in &all {
        let key = path.display().to_string();
        let cp = &oracle[&key];
        let ours = nginx::parse(&read(path));
        let cp_ok = cp["status"] == "ok";
        match (cp_ok, ours.errors.is_empty()) {
            (true, true) => {
                let before = diffs.len();
                compare(
                    &ours.directives,
                    cp["parsed"].as_array().expect("parsed"),
                    &key,
                    &mut diffs,
                );
                if diffs.len() == before {
                    equal += 1;
                }
            }
            (false, false) => both_reject += 1,
            (false, true) => diffs.push(format!(
                "{key}: crossplane rejects ({}), we accept",
                cp["errors"]
            )),
            (true, false) => {
                if ours.errors.iter().all(nginx_stricter) {
                    stricter += 1;
                } else {
                    diffs.push(format!(
                        "{key}: crossplane accepts, we report {:?}",
                        ours.errors
                    ));
                }
            }
        }
    }
    eprintln!(
        "crossplane: {} files ({} fixtures, {} corpus): {equal} equal trees, \
         {both_reject} rejected by both, {stricter} rejected by us as by nginx, \
         {} differences",
        all.len(),
        fixtures.len(),
        corpus.len(),
        diffs.len()
    );
    assert!(diffs.is_empty(), "differences:\n{}", diffs.join("\n"));
    assert!(equal >= 10);
}

// ---- nginx -t ----

fn nginx_binary() -> Option<PathBuf> {
    let candidates = [PathBuf::from("nginx"), PathBuf::from("/usr/sbin/nginx")];
    candidates.into_iter().find(|c| {
        Command::new(c)
            .arg("-v")
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// `nginx -t` on `conf`: `Ok(())` or the first `[emerg]` line.
fn nginx_test(bin: &Path, conf: &Path, prefix: &Path) -> Result<(), String> {
    let out = Command::new(bin)
        .arg("-t")
        .arg("-q")
        .arg("-e")
        .arg("stderr")
        .arg("-p")
        .arg(prefix)
        .arg("-c")
        .arg(conf)
        .arg("-g")
        .arg(format!("pid {};", prefix.join("nginx.pid").display()))
        .output()
        .expect("nginx runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    if out.status.success() {
        Ok(())
    } else {
        Err(stderr
            .lines()
            .find(|l| l.contains("[emerg]"))
            .unwrap_or(&stderr)
            .to_string())
    }
}

/// From `… [emerg] 12#12: MESSAGE in /path:LINE`: (MESSAGE, LINE).
fn emerg_message(line: &str, path: &Path) -> Option<(String, usize)> {
    let (_, rest) = line.split_once("[emerg] ")?;
    let (_, rest) = rest.split_once(": ")?;
    let (msg, n) = rest.rsplit_once(&format!(" in {}:", path.display()))?;
    Some((msg.to_string(), n.trim().parse().ok()?))
}

fn runs_under_stock_nginx(path: &Path, text: &str) -> bool {
    let name = path.to_string_lossy();
    name.ends_with(".conf")
        && !text.contains("_by_lua")
        && nginx::find(&nginx::parse(text).directives, "match")
            .next()
            .is_none()
}

#[test]
fn nginx_accepts_what_we_accept_and_rejects_where_we_do() {
    let Some(bin) = nginx_binary() else {
        skip_or_fail("nginx is not installed (apt-get install nginx)");
        return;
    };
    let prefix = tempfile::tempdir().expect("tempdir");
    let broken_dir = root().join("fixtures/nginx/broken");
    let (mut complete, mut wrapped, mut broken) = (0, 0, 0);
    for path in fixtures() {
        let text = read(&path);
        let ours = nginx::parse(&text);
        if path.starts_with(&broken_dir) {
            let err = nginx_test(&bin, &path, prefix.path())
                .expect_err(&format!("nginx accepts {}", path.display()));
            let (msg, line) = emerg_message(&err, &path)
                .unwrap_or_else(|| panic!("not a syntax error of the file: {err}"));
            assert!(
                ours.errors
                    .iter()
                    .any(|e| e.line == line && e.message == msg),
                "{}: nginx says `{msg}` on line {line}, we say {:?}",
                path.display(),
                ours.errors
            );
            broken += 1;
            continue;
        }
        if !runs_under_stock_nginx(&path, &text) {
            continue;
        }
        // conf.d/ files of a directory with an nginx.conf are tested
        // through it: they use its maps and upstreams
        let fixtures_dir = root().join("fixtures/nginx");
        let included = path.ancestors().skip(1).any(|dir| {
            dir.starts_with(&fixtures_dir)
                && dir != fixtures_dir
                && dir.join("nginx.conf").is_file()
                && dir.join("nginx.conf") != path
        });
        if included {
            continue;
        }
        let top = |name: &str| ours.directives.iter().any(|d| d.name == name);
        let conf = if top("events") || top("http") {
            complete += 1;
            path.clone()
        } else {
            let include = format!("include {};", path.display());
            let body = if top("location") {
                format!("server {{ listen 127.0.0.1:8199; {include} }}")
            } else {
                include
            };
            let wrapper = prefix.path().join(format!("wrapper-{wrapped}.conf"));
            std::fs::write(
                &wrapper,
                format!("events {{}}\nhttp {{\naccess_log off;\n{body}\n}}\n"),
            )
            .expect("write wrapper");
            wrapped += 1;
            wrapper
        };
        if let Err(e) = nginx_test(&bin, &conf, prefix.path()) {
            panic!("nginx -t rejects {}: {e}", path.display());
        }
        assert!(
            ours.errors.is_empty(),
            "{}: nginx accepts, we report {:?}",
            path.display(),
            ours.errors
        );
    }
    eprintln!(
        "nginx -t: {complete} complete configs and {wrapped} wrapped snippets accepted, \
         {broken} broken files rejected on the line we report"
    );
    assert!(complete >= 3 && wrapped >= 3 && broken >= 5);
}

/// Token soups: nginx's first syntax error is ours.
#[test]
fn first_syntax_error_is_nginx_s_on_token_soups() {
    let Some(bin) = nginx_binary() else {
        skip_or_fail("nginx is not installed (apt-get install nginx)");
        return;
    };
    const TOKENS: &[&str] = &[
        "a",
        "b c",
        "\"x y\"",
        "'q'",
        "\"a\\\"b\"",
        "'it\\'s'",
        "\"\\\\\"",
        "${v}",
        "$x",
        "{",
        "}",
        ";",
        " ",
        "\n",
        "# c\n",
        "a#b",
        "\\;",
        "\"é\"",
        "x}y",
        "if",
        "($a = b)",
        "x\"y",
        "\"p\"q",
        "\t",
        "\\\"",
        "map",
        "$h $v",
        "\r\n",
    ];
    let dir = tempfile::tempdir().expect("tempdir");
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut same, mut semantic, mut clean) = (0, 0, 0);
    for i in 0..400 {
        let mut text = String::new();
        for _ in 0..1 + next(20) {
            text.push_str(TOKENS[next(TOKENS.len())]);
            text.push_str([" ", "", "\n"][next(3)]);
        }
        let path = dir.path().join(format!("soup-{i}.conf"));
        std::fs::write(&path, &text).expect("write");
        let ours = nginx::parse(&text);
        let first = ours.errors.first().map(|e| (e.message.clone(), e.line));
        match nginx_test(&bin, &path, dir.path()) {
            Err(e) => match emerg_message(&e, &path) {
                Some((msg, line)) if msg.starts_with("unexpected") => {
                    assert_eq!(first, Some((msg, line)), "{text:?}");
                    same += 1;
                }
                Some((msg, line)) => {
                    assert!(
                        first.as_ref().is_none_or(|(_, l)| *l >= line),
                        "{text:?}: nginx stops at `{msg}` on line {line}, we report {first:?}"
                    );
                    semantic += 1;
                }
                // e.g. no "events" section: the whole file was read
                None => {
                    assert!(
                        ours.errors.is_empty(),
                        "{text:?}: nginx says {e}, we report {first:?}"
                    );
                    clean += 1;
                }
            },
            Ok(()) => panic!("nginx accepts {text:?}"),
        }
    }
    eprintln!(
        "token soups: {same} same first syntax error as nginx, {semantic} stopped by nginx \
         on a directive with no error of ours before, {clean} read whole without errors"
    );
    assert!(same > 100);
}
