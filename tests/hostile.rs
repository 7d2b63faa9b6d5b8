//! Hostile repositories: huge and sparse files, binary and mis-encoded
//! files, CRLF, symbolic link loops and links out of the tree, unreadable
//! files, FIFOs, nginx include cycles and escapes, catastrophic regexes in
//! rule files, and very wide directories. Each run must end (with a
//! timeout), report the bad file or ignore it, and still lint the rest.
//! `tests/bad_input.rs` holds the parse-level cases (broken YAML, alias
//! bombs, deep nesting, invalid UTF-8 in `.env`).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use std::fs;
use std::path::Path;
use std::time::Duration;

const GOOD_COMPOSE: &str =
    "services:\n  api:\n    image: example/api\n    environment:\n      JWT_SECRET: changeme\n";

/// Run `sessionlint check --format json --no-config` with a timeout and
/// (optionally) an address-space limit in KiB, so a run that reads a huge
/// file whole fails instead of passing.
fn run_limited(
    args: &[&str],
    dir: &Path,
    vmem_kib: Option<u64>,
) -> (i32, serde_json::Value, String) {
    let bin = assert_cmd::cargo::cargo_bin("sessionlint");
    let mut cmd = match vmem_kib {
        Some(kib) => {
            let mut c = Command::new("sh");
            c.arg("-c")
                .arg(format!("ulimit -v {kib} && exec \"$0\" \"$@\""))
                .arg(&bin)
                .env("MALLOC_ARENA_MAX", "2");
            c
        }
        None => Command::new(&bin),
    };
    let out = cmd
        .args(["check", "--format", "json", "--no-config"])
        .args(args)
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    let code = out.status.code().unwrap_or(-1);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        code == 0 || code == 1,
        "exit {:?} (a timeout or crash?): {stderr}",
        out.status
    );
    let doc = serde_json::from_slice(&out.stdout).expect("json");
    (code, doc, stderr)
}

fn run(dir: &Path) -> serde_json::Value {
    run_limited(&[], dir, None).1
}

fn findings(doc: &serde_json::Value) -> impl Iterator<Item = &serde_json::Value> {
    doc["findings"].as_array().expect("findings").iter()
}

fn path_of(f: &serde_json::Value) -> &str {
    f["location"]["path"].as_str().unwrap_or("")
}

/// Messages of the findings of `rule` in files whose path ends with `file`.
fn messages(doc: &serde_json::Value, rule: &str, file: &str) -> Vec<String> {
    findings(doc)
        .filter(|f| f["rule"] == rule && path_of(f).ends_with(file))
        .map(|f| f["message"].as_str().unwrap_or("").to_string())
        .collect()
}

fn has(doc: &serde_json::Value, rule: &str, file: &str) -> bool {
    !messages(doc, rule, file).is_empty()
}

/// A tree with a good compose project (whose weak secret must be found)
/// under `repo/good`; the hostile parts go beside it.
fn tree() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("repo/good")).expect("mkdir");
    fs::write(dir.path().join("repo/good/compose.yaml"), GOOD_COMPOSE).expect("write");
    dir
}

fn good_still_linted(doc: &serde_json::Value) {
    assert!(
        has(doc, "weak-secret", "good/compose.yaml"),
        "the good project was not linted: {doc}"
    );
}

/// A sparse file of `len` bytes that starts with `head`.
fn sparse(path: &Path, head: &[u8], len: u64) {
    let f = fs::File::create(path).expect("create");
    std::io::Write::write_all(&mut &f, head).expect("write");
    f.set_len(len).expect("set_len");
}

#[test]
fn huge_single_line_env_is_refused_by_size_without_reading_it() {
    let dir = tree();
    let repo = dir.path().join("repo");
    sparse(&repo.join(".env"), b"SESSION_SECRET=", 200 * 1024 * 1024);
    // 120 MiB of address space: reading the file whole cannot fit
    let (_, doc, _) = run_limited(&[], &repo, Some(120 * 1024));
    let errs = messages(&doc, "parse-error", "repo/.env");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("over the limit"), "{errs:?}");
    good_still_linted(&doc);
}

#[test]
fn sparse_gigabyte_compose_file() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("big")).expect("mkdir");
    sparse(&repo.join("big/compose.yaml"), b"services:\n", 1 << 30);
    let (_, doc, _) = run_limited(&[], &repo, Some(120 * 1024));
    let errs = messages(&doc, "parse-error", "big/compose.yaml");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("1073741824 bytes"), "{errs:?}");
    good_still_linted(&doc);
}

#[test]
fn max_file_size_is_configurable() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::write(repo.join(".env"), "SESSION_SECRET=changeme\n").expect("write");
    let (_, doc, _) = run_limited(&["--max-file-size", "10"], &repo, None);
    let errs = messages(&doc, "parse-error", "repo/.env");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("limit of 10 bytes"), "{errs:?}");
    // from the configuration file too
    fs::write(repo.join(".sessionlint.toml"), "max-file-size = 12\n").expect("write");
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--format", "json"])
        .arg(&repo)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let errs = messages(&doc, "parse-error", "repo/.env");
    assert!(
        errs.iter().any(|e| e.contains("limit of 12 bytes")),
        "{errs:?}"
    );
    // a bad value is a usage error
    Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--max-file-size", "lots"])
        .arg(&repo)
        .assert()
        .code(2);
}

#[test]
fn standard_input_over_the_limit_is_an_error_not_an_unbounded_read() {
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--max-file-size", "16"])
        .args(["--stdin-filename", ".env", "-"])
        .write_stdin("SESSION_SECRET=changeme\n".repeat(1000))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("standard input is over the limit of 16 bytes"),
        "{err}"
    );
    // within the limit it is linted
    Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--max-file-size", "100"])
        .args(["--stdin-filename", ".env", "-"])
        .write_stdin("SESSION_SECRET=changeme\n")
        .timeout(Duration::from_secs(60))
        .assert()
        .code(1)
        .stdout(predicates::str::contains("weak-secret"));
}

#[test]
fn binary_files_with_config_names() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let elf = b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0binary\xff\xfe";
    fs::create_dir_all(repo.join("bin/nginx")).expect("mkdir");
    fs::create_dir_all(repo.join("bin/php")).expect("mkdir");
    fs::create_dir_all(repo.join("bin/WEB-INF")).expect("mkdir");
    fs::create_dir_all(repo.join("bin/config/packages")).expect("mkdir");
    let names = [
        "bin/WEB-INF/web.xml",
        "bin/config/packages/framework.yaml",
        "bin/compose.yaml",
        "bin/nginx/site.conf",
        "bin/php/php.ini",
        "bin/redis.conf",
        "bin/application.properties",
        "bin/.env.production",
    ];
    for name in names {
        fs::write(repo.join(name), elf).expect("write");
    }
    let doc = run(&repo);
    for name in names {
        let errs = messages(&doc, "parse-error", name);
        assert_eq!(errs.len(), 1, "{name}: {errs:?}");
        assert!(errs[0].contains("binary"), "{name}: {errs:?}");
    }
    good_still_linted(&doc);
}

#[test]
fn invalid_utf8_in_yaml_and_nginx() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("bad/nginx")).expect("mkdir");
    fs::write(
        repo.join("bad/compose.yaml"),
        b"services:\n  web:\n    image: caf\xe9\n    environment:\n      SESSION_SECRET: changeme\n",
    )
    .expect("write");
    fs::write(
        repo.join("bad/nginx/site.conf"),
        b"server {\n  server_name caf\xc3;\n}\n",
    )
    .expect("write");
    let doc = run(&repo);
    let errs = messages(&doc, "parse-error", "bad/compose.yaml");
    assert!(errs.iter().any(|e| e.contains("UTF-8")), "{errs:?}");
    let errs = messages(&doc, "parse-error", "bad/nginx/site.conf");
    assert!(errs.iter().any(|e| e.contains("UTF-8")), "{errs:?}");
    // the rest of the file is still read
    assert!(has(&doc, "weak-secret", "bad/compose.yaml"), "{doc}");
    good_still_linted(&doc);
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for u in text.encode_utf16() {
        out.extend(if big_endian {
            u.to_be_bytes()
        } else {
            u.to_le_bytes()
        });
    }
    out
}

#[test]
fn utf16_with_bom() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("le")).expect("mkdir");
    fs::create_dir(repo.join("be")).expect("mkdir");
    fs::write(
        repo.join("le/.env"),
        utf16("SESSION_SECRET=changeme\r\n", false),
    )
    .expect("write");
    fs::write(
        repo.join("be/docker-compose.yml"),
        utf16("services:\n  a:\n    image: x\n", true),
    )
    .expect("write");
    let doc = run(&repo);
    for f in ["le/.env", "be/docker-compose.yml"] {
        let errs = messages(&doc, "parse-error", f);
        assert_eq!(errs.len(), 1, "{f}: {errs:?}");
        assert!(errs[0].contains("UTF-16"), "{f}: {errs:?}");
    }
    good_still_linted(&doc);
}

#[test]
fn crlf_values_do_not_keep_the_carriage_return() {
    // parsers
    let env = sessionlint::syntax::dotenv::parse(
        "A=1\r\nB='two'\r\nC=\"three\"\r\nD=four # c\r\nE=\r\nF=\"multi\r\nline\"\r\n",
    );
    assert!(env.errors.is_empty(), "{:?}", env.errors);
    let values: Vec<&str> = env.entries.iter().map(|e| e.value.as_str()).collect();
    assert_eq!(values[..5], ["1", "two", "three", "four", ""]);
    for e in &env.entries[..5] {
        assert!(!e.value.contains('\r'), "{e:?}");
    }
    let ini = sessionlint::syntax::ini::parse_ini(
        "[session]\r\nsession.gc_maxlifetime = 1440\r\nb=x\r\n",
    );
    assert!(
        ini.entries.iter().all(|e| !e.value.contains('\r')),
        "{:?}",
        ini.entries
    );
    let props = sessionlint::syntax::ini::parse_properties(
        "server.servlet.session.timeout=30m\r\na: b\r\n",
    );
    assert!(
        props.entries.iter().all(|e| !e.value.contains('\r')),
        "{:?}",
        props.entries
    );
    let redis = sessionlint::syntax::ini::parse_redis_conf("appendonly no\r\nsave \"\"\r\n");
    assert!(
        redis.entries.iter().all(|e| !e.value.contains('\r')),
        "{:?}",
        redis.entries
    );
    let yaml = sessionlint::syntax::yaml::parse(
        "services:\r\n  a:\r\n    image: x\r\n",
        &sessionlint::syntax::yaml::Limits::default(),
    );
    assert!(yaml.errors.is_empty());

    // end to end: a weak secret on a CRLF line is still recognised
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("win")).expect("mkdir");
    fs::write(repo.join("win/.env"), "A=1\r\nSESSION_SECRET=changeme\r\n").expect("write");
    fs::write(
        repo.join("win/compose.yaml"),
        GOOD_COMPOSE
            .replace('\n', "\r\n")
            .replace("JWT_SECRET", "API_JWT_SECRET"),
    )
    .expect("write");
    let doc = run(&repo);
    assert!(has(&doc, "weak-secret", "win/.env"), "{doc}");
    assert!(has(&doc, "weak-secret", "win/compose.yaml"), "{doc}");
    assert!(
        messages(&doc, "parse-error", "win/.env").is_empty(),
        "{doc}"
    );
}

/// A lone carriage return ends a line: a finding after one points at the
/// line it is on, in every output format.
#[test]
fn lone_cr_line_endings_give_the_right_lines() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("mac")).expect("mkdir");
    // a quote never closed, on the second line; a weak secret on the
    // fourth of a compose file
    fs::write(repo.join("mac/.env"), "A=1\r\"open\r").expect("write");
    fs::write(
        repo.join("mac/compose.yaml"),
        GOOD_COMPOSE.replace('\n', "\r"),
    )
    .expect("write");
    let doc = run(&repo);
    let at = |rule: &str, file: &str| -> Vec<(u64, u64)> {
        findings(&doc)
            .filter(|f| f["rule"] == rule && path_of(f).ends_with(file))
            .map(|f| {
                let s = &f["location"]["start"];
                (s["line"].as_u64().unwrap(), s["column"].as_u64().unwrap())
            })
            .collect()
    };
    assert_eq!(at("parse-error", "mac/.env"), [(2, 1)], "{doc}");
    assert_eq!(at("weak-secret", "mac/compose.yaml"), [(5, 19)], "{doc}");
}

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_tree() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    let repo = dir.path().join("repo");
    // outside the linted tree: a weak secret and a broken nginx file
    fs::create_dir(dir.path().join("outside")).expect("mkdir");
    fs::write(dir.path().join("outside/.env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::write(dir.path().join("outside/x.conf"), "server {\n").expect("write");
    fs::write(
        dir.path().join("outside/shared.env"),
        "SESSION_SECRET=changeme\n",
    )
    .expect("write");
    // loops
    fs::create_dir_all(repo.join("a/b")).expect("mkdir");
    symlink("..", repo.join("a/b/up")).expect("symlink");
    symlink(&repo, repo.join("a/root")).expect("symlink");
    symlink("self", repo.join("a/self")).expect("symlink");
    // links out of the tree, as a file, as a folder and through nginx
    symlink(dir.path().join("outside/.env"), repo.join("a/.env")).expect("symlink");
    symlink(dir.path().join("outside"), repo.join("a/out")).expect("symlink");
    fs::create_dir(repo.join("nginx")).expect("mkdir");
    symlink(
        dir.path().join("outside/x.conf"),
        repo.join("nginx/link.conf.inc"),
    )
    .expect("symlink");
    fs::write(
        repo.join("nginx/nginx.conf"),
        "http {\n  include link.conf.inc;\n  include ../../outside/x.conf;\n  server { listen 80; }\n}\n",
    )
    .expect("write");
    // compose env_file out of the tree (directly and through the link)
    fs::create_dir(repo.join("app")).expect("mkdir");
    fs::write(
        repo.join("app/compose.yaml"),
        "services:\n  app:\n    image: example/app\n    env_file: [../../outside/shared.env, ../a/out/.env]\n",
    )
    .expect("write");
    // relative and absolute path to the tree: same result
    for target in [repo.clone(), std::path::absolute(&repo).unwrap()] {
        let doc = run(&target);
        for f in findings(&doc) {
            assert!(
                !path_of(f).contains("outside"),
                "read outside the tree: {f}"
            );
            assert!(!path_of(f).contains("a/out/"), "followed a link: {f}");
            assert!(!path_of(f).ends_with("a/.env"), "followed a link: {f}");
        }
        good_still_linted(&doc);
    }
}

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("locked")).expect("mkdir");
    fs::write(repo.join("locked/.env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::write(repo.join(".env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::set_permissions(repo.join(".env"), fs::Permissions::from_mode(0o000)).expect("chmod");
    fs::set_permissions(repo.join("locked"), fs::Permissions::from_mode(0o000)).expect("chmod");
    let restore = |_: ()| {
        let _ = fs::set_permissions(repo.join("locked"), fs::Permissions::from_mode(0o755));
        let _ = fs::set_permissions(repo.join(".env"), fs::Permissions::from_mode(0o644));
    };
    if fs::read(repo.join(".env")).is_ok() {
        restore(());
        eprintln!(
            "SKIPPED unreadable_files_and_directories: files stay readable after chmod 000 \
             (running as root?)"
        );
        return;
    }
    let doc = run(&repo);
    restore(());
    let errs = messages(&doc, "parse-error", "repo/.env");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("cannot read"), "{errs:?}");
    assert!(!has(&doc, "weak-secret", "locked/.env"));
    good_still_linted(&doc);
}

#[cfg(unix)]
#[test]
fn fifos_are_not_opened() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("nginx")).expect("mkdir");
    for name in [".env", "compose.yaml", "nginx/site.conf", "stack.yaml"] {
        let ok = std::process::Command::new("mkfifo")
            .arg(repo.join(name))
            .status()
            .expect("mkfifo (coreutils) runs")
            .success();
        assert!(ok, "mkfifo {name}");
    }
    // in a walk, and named explicitly: no hang (the run has a timeout)
    let doc = run(&repo);
    good_still_linted(&doc);
    for f in findings(&doc) {
        assert!(path_of(f).contains("good/"), "{f}");
    }
    // named on the command line, a FIFO is an error (exit 2), never a
    // silent "no problems"
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--format", "json", "--no-config"])
        .arg(repo.join(".env"))
        .arg(repo.join("good"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("a FIFO"),
        "{out:?}"
    );
}

#[test]
fn nginx_include_cycle_and_escapes() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("nginx")).expect("mkdir");
    fs::write(dir.path().join("x.conf"), "server {\n").expect("write");
    fs::write(
        repo.join("nginx/a.conf"),
        "include b.conf;\nserver { listen 80; }\n",
    )
    .expect("write");
    fs::write(repo.join("nginx/b.conf"), "include a.conf;\n").expect("write");
    fs::write(repo.join("nginx/self.conf"), "include self.conf;\n").expect("write");
    fs::write(
        repo.join("nginx/escape.conf"),
        "include /etc/passwd;\ninclude ../../x.conf;\ninclude ../../../../../../../../etc/passwd;\ninclude /etc/shadow;\n",
    )
    .expect("write");
    let doc = run(&repo);
    for f in ["nginx/a.conf", "nginx/b.conf", "nginx/self.conf"] {
        let errs = messages(&doc, "parse-error", f);
        assert!(
            errs.iter().any(|e| e.contains("include cycle")),
            "{f}: {errs:?}"
        );
    }
    for f in findings(&doc) {
        let p = path_of(f);
        assert!(p.contains("repo/"), "read outside the tree: {f}");
    }
    good_still_linted(&doc);
}

#[test]
fn catastrophic_and_huge_regexes_in_rule_files() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let profile = |pattern: &str| {
        format!(
            "app: evil\nname: Evil\ndocs: https://example.com\ndetect:\n  env-keys: [EVIL_APP]\nsettings:\n  - env-pattern: '{pattern}'\n    concept: session.secret\n"
        )
    };
    let rules = dir.path().join("rules");
    fs::create_dir(&rules).expect("mkdir");
    fs::write(rules.join("evil.yaml"), profile("(a+)+$")).expect("write");
    fs::create_dir(repo.join("evil")).expect("mkdir");
    // the classic input that makes a backtracking engine take forever
    let key = format!("{}!", "a".repeat(5000));
    fs::write(
        repo.join("evil/.env"),
        format!("EVIL_APP=1\n{key}=x\n{}=y\n", "a".repeat(30_000)),
    )
    .expect("write");
    let rules_arg = rules.to_string_lossy().into_owned();
    let (_, doc, stderr) = run_limited(&["--rules", &rules_arg], &repo, None);
    assert!(!stderr.contains("error"), "{stderr}");
    good_still_linted(&doc);

    // a pattern over the compiled size limit is a clear error, exit 2
    fs::write(rules.join("evil.yaml"), profile("(?:a{1000}){1000}")).expect("write");
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--rules", &rules_arg])
        .arg(&repo)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("evil.yaml") && stderr.contains("size limit"),
        "{stderr}"
    );
}

#[test]
fn a_hundred_thousand_files_in_one_directory() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let wide = repo.join("wide");
    fs::create_dir(&wide).expect("mkdir");
    for i in 0..100_000 {
        fs::write(wide.join(format!("f{i}.txt")), b"x").expect("write");
    }
    for i in [0, 50_000, 99_999] {
        fs::write(wide.join(format!("s{i}.env")), "SESSION_SECRET=changeme\n").expect("write");
    }
    let started = std::time::Instant::now();
    let doc = run(&repo);
    eprintln!("100,000 files: lint took {:?}", started.elapsed());
    for i in [0, 50_000, 99_999] {
        assert!(
            has(&doc, "weak-secret", &format!("wide/s{i}.env")),
            "s{i}.env"
        );
    }
    good_still_linted(&doc);
}

/// Run `sessionlint check --no-config` in `format` (with more arguments)
/// under a timeout; the output as text.
fn output(format: &str, args: &[&str], dir: &Path) -> String {
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--format", format])
        .args(args)
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    assert!(code == 0 || code == 1, "exit {:?}: {out:?}", out.status);
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every output format of a run over `dir`, masked (the default).
fn all_formats(dir: &Path) -> Vec<(&'static str, String)> {
    ["text", "json", "sarif", "github"]
        .into_iter()
        .map(|f| (f, output(f, &[], dir)))
        .collect()
}

fn assert_hidden(dir: &Path, secrets: &[&str]) {
    for (format, out) in all_formats(dir) {
        for s in secrets {
            assert!(!out.contains(s), "{format} shows `{s}`:\n{out}");
        }
    }
}

#[test]
fn a_parse_error_in_dotenv_does_not_show_the_secret_on_its_line() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::write(
        repo.join(".env"),
        "SESSION_SECRET=q7Zabc \"unterminatedXYZ\n",
    )
    .expect("write");
    assert!(output("json", &[], &repo).contains("unterminated quote"));
    assert_hidden(&repo, &["q7Zabc", "unterminatedXYZ"]);
    let shown = output("text", &["--show-secrets"], &repo);
    assert!(
        shown.contains("SESSION_SECRET=q7Zabc \"unterminatedXYZ"),
        "{shown}"
    );
}

#[test]
fn a_compose_value_with_an_unclosed_quote_is_masked_in_its_excerpt() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("broken")).expect("mkdir");
    fs::write(
        repo.join("broken/compose.yaml"),
        "services:\n  api:\n    image: x\n    environment:\n      DB_PASSWORD: \"hunter2hunter2 \n",
    )
    .expect("write");
    assert!(output("text", &[], &repo).contains("unclosed quote"));
    assert_hidden(&repo, &["hunter2"]);
}

#[test]
fn an_authorization_header_on_the_line_of_another_finding_is_masked() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("nginx")).expect("mkdir");
    fs::write(
        repo.join("nginx/nginx.conf"),
        "http {\n  server {\n    listen 80;\n    location / {\n      proxy_set_header Authorization \"Basic dXNlcjpwYXNzd29yZA==\"; proxy_cookie_path / \"/; secure\"; proxy_pass http://app; }\n  }\n}\n",
    )
    .expect("write");
    let text = output("text", &[], &repo);
    assert!(text.contains("proxy-cookie-path"), "{text}");
    assert!(text.contains("Authorization \"Basic ****"), "{text}");
    assert_hidden(&repo, &["dXNlcjpw"]);
    assert!(output("text", &["--show-secrets"], &repo).contains("dXNlcjpwYXNzd29yZA=="));
}

#[test]
fn url_credentials_jwts_and_secret_keys_beside_a_finding_are_masked() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("flow")).expect("mkdir");
    fs::write(
        repo.join("flow/compose.yaml"),
        "services:\n  api:\n    image: example/api\n    environment: {JWT_SECRET: changeme, SESSION_SECRET: \"s3ss10nKEYq\", DATABASE_URL: \"postgres://app:Sup3rS3cret@db/app\", ANON: eyJhbGciOiJIUzI1NiJ9.eyJyb2xlIjoiYW5vbiJ9.c2lnbmF0dXJlX3NlY3JldA, MAIL_PASSWORD: Tr0ub4dor}\n",
    )
    .expect("write");
    let text = output("text", &[], &repo);
    assert!(text.contains("postgres://app:"), "{text}");
    assert_hidden(
        &repo,
        &[
            "Sup3rS3cret",
            "eyJhbGciOiJIUzI1NiJ9",
            "Tr0ub4dor",
            "s3ss10nKEYq",
        ],
    );
}

#[test]
fn private_key_lines_and_parse_errors_quoting_them_are_masked() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("pem")).expect("mkdir");
    fs::write(
        repo.join("pem/.env"),
        "CERT_DATA=\"-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEAsecretbodyline\nZZtopsecretline2\n",
    )
    .expect("write");
    let json = output("json", &[], &repo);
    assert!(json.contains("a line must be KEY=value"), "{json}");
    assert_hidden(&repo, &["MIIEowIBAAKCAQEA", "ZZtopsecret"]);
}

#[test]
fn masked_labels_show_the_length_and_no_character() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("long")).expect("mkdir");
    fs::write(
        repo.join("long/compose.yaml"),
        "services:\n  api:\n    image: example/api\n    environment:\n      JWT_SECRET: your-super-secret-jwt-token-with-at-least-32-characters-long\n",
    )
    .expect("write");
    let text = output("text", &[], &repo);
    assert!(
        text.contains("weak secret: ********** (60 chars)"),
        "{text}"
    );
    assert_hidden(&repo, &["yo***", "your-super"]);
}

/// `sessionlint check ARGS DIR` that must end within 10 seconds with
/// exit 2 and an error on standard error naming `named`.
#[cfg(unix)]
fn refused_in_time(args: &[&str], dir: &Path, named: &str) -> String {
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .arg("check")
        .args(args)
        .arg(dir)
        .timeout(Duration::from_secs(10))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "a hang or no error: {out:?}");
    assert!(
        stderr.contains(named),
        "the error does not name {named}: {stderr}"
    );
    stderr
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let ok = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo (coreutils) runs")
        .success();
    assert!(ok, "mkfifo {}", path.display());
}

#[cfg(unix)]
#[test]
fn a_fifo_or_dev_zero_as_config_is_an_error_not_a_hang() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let fifo = dir.path().join("config.fifo");
    mkfifo(&fifo);
    let f = fifo.to_string_lossy().into_owned();
    let e = refused_in_time(&["--config", &f], &repo, &f);
    assert!(e.contains("FIFO"), "{e}");
    let e = refused_in_time(&["--config", "/dev/zero"], &repo, "/dev/zero");
    assert!(e.contains("character device"), "{e}");
    // found by name in the tree
    mkfifo(&repo.join(".sessionlint.toml"));
    refused_in_time(&[], &repo, ".sessionlint.toml");
}

#[cfg(unix)]
#[test]
fn a_fifo_or_dev_zero_as_values_or_baseline_is_an_error_not_a_hang() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let fifo = dir.path().join("in.fifo");
    mkfifo(&fifo);
    let f = fifo.to_string_lossy().into_owned();
    for flag in ["--values", "--baseline"] {
        refused_in_time(&["--no-config", flag, &f], &repo, &f);
        refused_in_time(&["--no-config", flag, "/dev/zero"], &repo, "/dev/zero");
    }
}

#[cfg(unix)]
#[test]
fn a_fifo_or_dev_zero_as_secret_list_or_rules_is_an_error_not_a_hang() {
    let dir = tree();
    let repo = dir.path().join("repo");
    mkfifo(&repo.join("list.fifo"));
    std::os::unix::fs::symlink("/dev/zero", repo.join("zero.txt")).expect("symlink");
    fs::create_dir(repo.join("rules")).expect("mkdir");
    mkfifo(&repo.join("rules/app.yaml"));
    fs::create_dir(repo.join("fifo-rules")).expect("mkdir");
    mkfifo(&repo.join("fifo-rules/app.yaml"));
    std::os::unix::fs::symlink("/dev/zero", repo.join("rules/zero.yaml")).expect("symlink");
    // named by the repository's configuration
    for (toml, named) in [
        ("extra-secret-list = [\"list.fifo\"]\n", "list.fifo"),
        ("extra-secret-list = [\"zero.txt\"]\n", "zero.txt"),
        ("extra-rules = [\"fifo-rules\"]\n", "app.yaml"),
        // (a link out of the repository, which the configuration may not name)
        ("extra-rules = [\"rules\"]\n", "zero.yaml"),
    ] {
        fs::write(repo.join(".sessionlint.toml"), toml).expect("write");
        refused_in_time(&[], &repo, named);
    }
    fs::remove_file(repo.join(".sessionlint.toml")).expect("rm");
    // and on the command line
    let list = repo.join("list.fifo").to_string_lossy().into_owned();
    refused_in_time(&["--no-config", "--extra-secret-list", &list], &repo, &list);
    refused_in_time(
        &["--no-config", "--extra-secret-list", "/dev/zero"],
        &repo,
        "/dev/zero",
    );
    let rules = repo.join("rules").to_string_lossy().into_owned();
    refused_in_time(&["--no-config", "--rules", &rules], &repo, "app.yaml");
    refused_in_time(&["--no-config", "--rules", "/dev/zero"], &repo, "/dev/zero");
}

/// The error of a run that must refuse the repository's configuration.
fn config_refused(repo: &Path, toml: &str) -> String {
    fs::write(repo.join(".sessionlint.toml"), toml).expect("write");
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .arg("check")
        .arg(repo)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_repository_configuration_cannot_name_files_outside_the_repository() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::write(dir.path().join("guesses.txt"), "changeme\n").expect("write");
    fs::create_dir(dir.path().join("rules")).expect("mkdir");
    for (toml, key, path) in [
        (
            "extra-secret-list = [\"/etc/passwd\"]\n",
            "extra-secret-list",
            "/etc/passwd",
        ),
        (
            "extra-secret-list = [\"../guesses.txt\"]\n",
            "extra-secret-list",
            "../guesses.txt",
        ),
        ("extra-rules = [\"/etc\"]\n", "extra-rules", "/etc"),
        ("extra-rules = [\"../rules\"]\n", "extra-rules", "../rules"),
    ] {
        let e = config_refused(&repo, toml);
        assert!(
            e.contains(&format!("`{key}` names `{path}`")) && e.contains("outside"),
            "{toml}: {e}"
        );
    }
    // the same files on the command line are the user's choice
    fs::remove_file(repo.join(".sessionlint.toml")).expect("rm");
    let list = dir
        .path()
        .join("guesses.txt")
        .to_string_lossy()
        .into_owned();
    let (_, doc, _) = run_limited(&["--extra-secret-list", &list], &repo, None);
    good_still_linted(&doc);
}

#[cfg(unix)]
#[test]
fn a_repository_configuration_cannot_reach_out_through_symbolic_links() {
    use std::os::unix::fs::symlink;
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::write(dir.path().join("guesses.txt"), "changeme\n").expect("write");
    symlink(dir.path().join("guesses.txt"), repo.join("list.txt")).expect("symlink");
    fs::create_dir(repo.join("rules")).expect("mkdir");
    symlink("/etc/passwd", repo.join("rules/passwd.yaml")).expect("symlink");
    symlink(dir.path(), repo.join("up")).expect("symlink");
    let e = config_refused(&repo, "extra-secret-list = [\"list.txt\"]\n");
    assert!(e.contains("`extra-secret-list` names `list.txt`"), "{e}");
    let e = config_refused(&repo, "extra-rules = [\"rules\"]\n");
    assert!(
        e.contains("`extra-rules` names `rules`") && e.contains("passwd.yaml"),
        "{e}"
    );
    let e = config_refused(&repo, "extra-secret-list = [\"up/guesses.txt\"]\n");
    assert!(e.contains("`up/guesses.txt`"), "{e}");
}

#[test]
fn nginx_includes_that_leave_the_tree_give_a_note_and_are_not_followed() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("nginx")).expect("mkdir");
    fs::write(dir.path().join("x.conf"), "server {\n").expect("write");
    fs::write(dir.path().join("y.conf"), "server {\n").expect("write");
    fs::write(
        repo.join("nginx/nginx.conf"),
        "include /etc/passwd;\ninclude ../../x.conf;\ninclude ../../*.conf;\ninclude /etc/nginx/mime.types;\nhttp { server { listen 80; } }\n",
    )
    .expect("write");
    let doc = run(&repo);
    let notes: Vec<(u64, String)> = findings(&doc)
        .filter(|f| path_of(f).ends_with("nginx/nginx.conf"))
        .map(|f| {
            (
                f["location"]["start"]["line"].as_u64().unwrap(),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for line in [1, 2, 3] {
        assert!(
            notes.iter().any(|(l, m)| *l == line
                && m.contains("outside the linted tree")
                && m.contains("not followed")),
            "line {line}: {notes:?}"
        );
    }
    // the image's own files are no news
    assert!(!notes.iter().any(|(l, _)| *l == 4), "{notes:?}");
    for f in findings(&doc) {
        assert!(path_of(f).contains("repo/"), "read outside the tree: {f}");
    }
    good_still_linted(&doc);
}

#[cfg(unix)]
#[test]
fn an_env_file_outside_the_tree_or_not_regular_is_said_so_not_not_found() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::write(dir.path().join("shared.env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::create_dir(repo.join("app")).expect("mkdir");
    mkfifo(&repo.join("app/pipe.env"));
    fs::write(
        repo.join("app/compose.yaml"),
        "services:\n  app:\n    image: example/app\n    env_file: [../../shared.env, ../../nothing.env, pipe.env, missing.env]\n",
    )
    .expect("write");
    let doc = run(&repo);
    let msgs = messages(&doc, "parse-error", "app/compose.yaml");
    let about = |name: &str| {
        msgs.iter()
            .find(|m| m.contains(&format!("`{name}`")))
            .cloned()
            .unwrap_or_else(|| panic!("no finding about {name}: {msgs:?}"))
    };
    // outside, whether the file exists or not: the same words
    for name in ["../../shared.env", "../../nothing.env"] {
        let m = about(name);
        assert!(
            m.contains("outside the linted tree") && m.contains("not followed"),
            "{m}"
        );
    }
    assert!(about("pipe.env").contains("FIFO"), "{msgs:?}");
    assert!(about("missing.env").contains("was not found"), "{msgs:?}");
    for f in findings(&doc) {
        assert!(!path_of(f).contains("shared.env"), "{f}");
    }
}

#[test]
fn user_level_git_ignore_settings_do_not_change_what_is_linted() {
    let dir = tree();
    let repo = dir.path().join("repo");
    let home = dir.path().join("home");
    fs::create_dir_all(home.join(".config/git")).expect("mkdir");
    fs::write(home.join(".config/git/ignore"), ".env\n").expect("write");
    fs::write(home.join("excludes"), "compose.yaml\n").expect("write");
    fs::write(
        home.join(".gitconfig"),
        format!(
            "[core]\n\texcludesFile = {}\n",
            home.join("excludes").display()
        ),
    )
    .expect("write");
    fs::create_dir_all(repo.join(".git/info")).expect("mkdir");
    fs::write(repo.join(".git/info/exclude"), "*.env\n").expect("write");
    fs::create_dir(repo.join("app")).expect("mkdir");
    fs::write(repo.join("app/.env"), "SESSION_SECRET=changeme\n").expect("write");
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--format", "json", "--no-config"])
        .arg(&repo)
        .env("HOME", &home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(has(&doc, "weak-secret", "app/.env"), "{doc}");
    good_still_linted(&doc);
}

#[test]
fn env_and_config_files_are_read_even_when_ignore_files_name_them() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("app/secrets")).expect("mkdir");
    fs::create_dir_all(repo.join("svc")).expect("mkdir");
    // outside a git repository and inside one
    fs::write(repo.join(".gitignore"), ".env\nsecrets/\n*.yaml\n").expect("write");
    fs::write(repo.join("svc/.ignore"), "*\n").expect("write");
    fs::write(repo.join("app/.env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::write(repo.join("app/secrets/.env"), "SESSION_SECRET=changeme\n").expect("write");
    fs::write(repo.join("svc/compose.yaml"), GOOD_COMPOSE).expect("write");
    for git in [false, true] {
        if git {
            fs::create_dir(repo.join(".git")).expect("mkdir");
        }
        let doc = run(&repo);
        assert!(has(&doc, "weak-secret", "app/.env"), "git {git}: {doc}");
        assert!(
            has(&doc, "weak-secret", "app/secrets/.env"),
            "git {git}: {doc}"
        );
        assert!(
            has(&doc, "weak-secret", "svc/compose.yaml"),
            "git {git}: {doc}"
        );
        good_still_linted(&doc);
    }
}

#[cfg(unix)]
#[test]
fn show_files_names_every_file_skipped_and_why() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir_all(repo.join("node_modules/pkg")).expect("mkdir");
    fs::write(repo.join("node_modules/pkg/.env"), "A=1\n").expect("write");
    fs::create_dir(repo.join("vendor")).expect("mkdir");
    fs::write(repo.join("vendor/.env"), "A=1\n").expect("write");
    mkfifo(&repo.join("pipe.env"));
    std::os::unix::fs::symlink("/etc/hostname", repo.join("link.env")).expect("symlink");
    fs::write(
        repo.join(".sessionlint.toml"),
        "exclude = [\"vendor/**\"]\n",
    )
    .expect("write");
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--show-files"])
        .arg(&repo)
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    for (path, why) in [
        ("node_modules", "dependencies"),
        ("vendor/.env", "include/exclude"),
        ("pipe.env", "FIFO"),
        ("link.env", "symbolic link"),
    ] {
        assert!(
            text.lines()
                .any(|l| l.starts_with("skipped") && l.contains(path) && l.contains(why)),
            "{path}: {text}"
        );
    }
    assert!(text.contains("good/compose.yaml"), "{text}");
    assert!(text.contains("4 paths skipped"), "{text}");
}

#[cfg(unix)]
#[test]
fn special_files_named_on_the_command_line_are_errors() {
    let dir = tree();
    let repo = dir.path().join("repo");
    mkfifo(&repo.join("pipe"));
    let pipe = repo.join("pipe").to_string_lossy().into_owned();
    let e = refused_in_time(&["--no-config", &pipe], &repo.join("good"), &pipe);
    assert!(e.contains("a FIFO, not a regular file or a folder"), "{e}");
    let e = refused_in_time(&["--no-config"], Path::new("/dev/null"), "/dev/null");
    assert!(e.contains("character device"), "{e}");
    // a socket
    let sock = repo.join("s.sock");
    let _listener = std::os::unix::net::UnixListener::bind(&sock).expect("bind");
    let e = refused_in_time(&["--no-config"], &sock, "s.sock");
    assert!(e.contains("a socket"), "{e}");
}

#[test]
fn paths_past_the_length_limit_are_findings_not_silent_skips() {
    let dir = tree();
    let repo = dir.path().join("repo");
    // 25 levels of 200 characters: past PATH_MAX (4096) on Linux. Made
    // with short names, then renamed from the bottom up, so that no call
    // needs the long path; a weak secret at the bottom.
    let name = "d".repeat(200);
    let mut short = repo.join("deep");
    for _ in 0..25 {
        short.push("1");
    }
    fs::create_dir_all(&short).expect("mkdir");
    fs::write(short.join(".env"), "SESSION_SECRET=changeme\n").expect("write");
    for level in (1..=25).rev() {
        let mut p = repo.join("deep");
        for _ in 0..level {
            p.push("1");
        }
        fs::rename(&p, p.with_file_name(&name)).expect("rename");
    }
    let doc = run(&repo);
    let long: Vec<_> = findings(&doc)
        .filter(|f| f["rule"] == "parse-error" && path_of(f).contains("deep/ddd"))
        .collect();
    assert!(!long.is_empty(), "{doc}");
    assert!(
        long.iter()
            .any(|f| f["message"].as_str().unwrap().contains("path too long")),
        "{long:?}"
    );
    good_still_linted(&doc);
}

/// `helm template` output: three documents of 100,000 values each, then a
/// Secret with a weak value. Ordinary values are not alias expansion: the
/// file parses whole and the Secret's value is found.
#[test]
fn a_large_multi_document_manifest_is_not_an_alias_bomb() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("rendered")).expect("mkdir");
    let mut text = String::new();
    for d in 0..3 {
        text.push_str(&format!(
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {{name: big{d}}}\ndata:\n"
        ));
        for i in 0..100_000 {
            text.push_str(&format!("  k{i}: v{i}\n"));
        }
        text.push_str("---\n");
    }
    text.push_str(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  JWT_SECRET: changeme\n",
    );
    fs::write(repo.join("rendered/all.yaml"), text).expect("write");
    let doc = run(&repo);
    assert!(has(&doc, "weak-secret", "rendered/all.yaml"), "{doc}");
    assert!(
        !messages(&doc, "parse-error", "rendered/all.yaml")
            .iter()
            .any(|m| m.contains("alias")),
        "{doc}"
    );
    good_still_linted(&doc);
}

/// A million empty documents: one finding, not one per document, and
/// memory bounded (512 MiB of address space for the whole run).
#[test]
fn a_million_empty_documents_give_one_finding_in_bounded_memory() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("empty")).expect("mkdir");
    let mut text = String::from(
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData:\n  JWT_SECRET: changeme\n",
    );
    text.push_str(&"---\n".repeat(1_000_000));
    fs::write(repo.join("empty/many.yaml"), text).expect("write");
    let (_, doc, _) = run_limited(&[], &repo, Some(512 * 1024));
    let errs = messages(&doc, "parse-error", "empty/many.yaml");
    assert_eq!(errs.len(), 1, "{errs:?}");
    assert!(errs[0].contains("documents"), "{errs:?}");
    assert!(has(&doc, "weak-secret", "empty/many.yaml"), "{doc}");
    good_still_linted(&doc);
}

/// An alias bomb spread over documents is caught in each one, and the
/// documents after it are read.
#[test]
fn the_alias_budget_is_per_document() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("bombs")).expect("mkdir");
    let mut bomb = String::from(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: b}\nx-a: &a [l, l, l, l, l, l, l, l, l]\n",
    );
    let names = ["a", "b", "c", "d", "e", "f", "g", "h"];
    for w in names.windows(2) {
        let (p, n) = (w[0], w[1]);
        bomb.push_str(&format!(
            "x-{n}: &{n} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
        ));
    }
    let text = format!(
        "{bomb}---\n{bomb}---\napiVersion: v1\nkind: Secret\nmetadata: {{name: s}}\nstringData:\n  JWT_SECRET: changeme\n"
    );
    fs::write(repo.join("bombs/k.yaml"), text).expect("write");
    let doc = run(&repo);
    let errs = messages(&doc, "parse-error", "bombs/k.yaml");
    assert_eq!(
        errs.iter().filter(|m| m.contains("alias")).count(),
        2,
        "{errs:?}"
    );
    assert!(has(&doc, "weak-secret", "bombs/k.yaml"), "{doc}");
}

/// Lone carriage returns: the same line and column in text, SARIF and
/// GitHub output as in JSON, and an excerpt that shows the line.
#[test]
fn lone_cr_positions_agree_in_every_format() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("mac")).expect("mkdir");
    fs::write(
        repo.join("mac/compose.yaml"),
        GOOD_COMPOSE.replace('\n', "\r"),
    )
    .expect("write");
    let target = repo.join("mac");
    let text = output("text", &[], &target);
    assert!(text.contains("compose.yaml:5:19"), "{text}");
    assert!(text.contains("5 |       JWT_SECRET: ********"), "{text}");
    let sarif = output("sarif", &[], &target);
    assert!(
        sarif.contains("\"startLine\": 5") && sarif.contains("\"startColumn\": 19"),
        "{sarif}"
    );
    let github = output("github", &[], &target);
    assert!(github.contains("line=5,col=19"), "{github}");
}

#[test]
fn utf32_is_named_utf32() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("u32")).expect("mkdir");
    let mut le = vec![0xFF, 0xFE, 0, 0];
    let mut be = vec![0, 0, 0xFE, 0xFF];
    for c in "SESSION_SECRET=changeme\n".chars() {
        le.extend((c as u32).to_le_bytes());
        be.extend((c as u32).to_be_bytes());
    }
    fs::write(repo.join("u32/.env"), &le).expect("write");
    fs::write(repo.join("u32/.env.production"), &be).expect("write");
    let doc = run(&repo);
    for f in ["u32/.env", "u32/.env.production"] {
        let errs = messages(&doc, "parse-error", f);
        assert_eq!(errs.len(), 1, "{f}: {errs:?}");
        assert!(
            errs[0].contains("UTF-32") && !errs[0].contains("UTF-16"),
            "{errs:?}"
        );
    }
}

#[test]
fn an_absurdly_long_duration_is_shown_sanely() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("n8n")).expect("mkdir");
    fs::write(
        repo.join("n8n/compose.yaml"),
        "services:\n  app:\n    image: n8nio/n8n\n    environment:\n      N8N_USER_MANAGEMENT_JWT_DURATION_HOURS: 999999999999999999\n",
    )
    .expect("write");
    let out = output("json", &[], &repo.join("n8n"));
    assert!(out.contains("more than 100 years"), "{out}");
    // no number of 20 digits or more (milliseconds computed in floating point)
    let digits = out
        .split(|c: char| !c.is_ascii_digit())
        .map(str::len)
        .max()
        .unwrap_or(0);
    assert!(digits < 20, "{out}");
}

#[test]
fn a_php_ini_that_was_not_read_yields_no_finding_from_its_defaults() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("php")).expect("mkdir");
    let mut ini =
        String::from("[Session]\nsession.gc_maxlifetime = 86400\nsession.cookie_secure = 1\n");
    ini.push_str(&";".repeat(4000));
    ini.push('\n');
    fs::write(repo.join("php/php.ini"), ini).expect("write");
    fs::write(
        repo.join("php/compose.yaml"),
        "services:\n  web:\n    image: php:8.3-apache\n    volumes:\n      - ./php.ini:/usr/local/etc/php/php.ini:ro\n",
    )
    .expect("write");
    // read: the file's values hold, no finding
    let (_, doc, _) = run_limited(&[], &repo.join("php"), None);
    assert!(findings(&doc).next().is_none(), "with php.ini read: {doc}");
    // too large to read: one parse error, nothing from PHP's defaults
    let (_, doc, _) = run_limited(&["--max-file-size", "1000"], &repo.join("php"), None);
    let rules: Vec<&str> = findings(&doc)
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert_eq!(rules, ["parse-error"], "{doc}");
}

#[test]
fn a_very_long_line_is_never_shown_whole() {
    let dir = tree();
    let repo = dir.path().join("repo");
    fs::create_dir(repo.join("wide")).expect("mkdir");
    let filler = |p: &str| {
        (0..60_000)
            .map(|i| format!("{p}{i}: v{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let line = format!(
        "    environment: {{{}, JWT_SECRET: changeme, {}}}",
        filler("K"),
        filler("Z")
    );
    let column = line.find("changeme").unwrap() + 1;
    fs::write(
        repo.join("wide/compose.yaml"),
        format!("services:\n  api:\n    image: example/api\n{line}\n"),
    )
    .expect("write");
    let target = repo.join("wide");
    let text = output("text", &[], &target);
    assert!(text.len() < 5_000, "{} bytes of text output", text.len());
    assert!(text.contains(&format!("compose.yaml:4:{column}")), "{text}");
    assert!(text.contains("JWT_SECRET: ********"), "{text}");
    for format in ["json", "sarif"] {
        let out = output(format, &[], &target);
        let doc: serde_json::Value = serde_json::from_str(&out).unwrap();
        let snippet = if format == "json" {
            doc["findings"][0]["location"]["snippet"]
                .as_str()
                .unwrap()
                .to_string()
        } else {
            doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["snippet"]
                ["text"]
                .as_str()
                .unwrap()
                .to_string()
        };
        assert!(snippet.len() < 1_000, "{format}: {} bytes", snippet.len());
        assert!(
            snippet.starts_with('…') && snippet.ends_with('…'),
            "{snippet}"
        );
        assert!(snippet.contains("JWT_SECRET: ********"), "{snippet}");
    }
}
