//! Every input sessionlint reads goes through one reader: a FIFO, a device
//! (`/dev/zero`) or an oversized file is a clear error for each of them
//! (`--config`, `.sessionlint.toml`, `--values`, `--extra-secret-list`,
//! `--rules`, `--baseline`, standard input, a linted path), and the run
//! ends: a FIFO is never opened, a device never read to its end.

#![cfg(unix)]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use std::time::Duration;

const GOOD_ENV: &str = "SESSION_SECRET=changeme\n";
/// One byte over the fixed limit of configuration, rule, list and
/// baseline files (8 MiB), and over the default `--max-file-size`.
const OVER: u64 = 8 * 1024 * 1024 + 1;

/// What a bad input is.
#[derive(Debug, Clone, Copy)]
enum Bad {
    Fifo,
    DevZero,
    Oversized,
}

const ALL: [Bad; 3] = [Bad::Fifo, Bad::DevZero, Bad::Oversized];

impl Bad {
    /// Make `path` this kind of bad input.
    fn make(self, path: &Path) {
        match self {
            Bad::Fifo => {
                let ok = std::process::Command::new("mkfifo")
                    .arg(path)
                    .status()
                    .expect("mkfifo (coreutils) runs")
                    .success();
                assert!(ok, "mkfifo {path:?}");
            }
            Bad::DevZero => std::os::unix::fs::symlink("/dev/zero", path).expect("symlink"),
            Bad::Oversized => {
                // sparse: no disk space, but it measures over the limit
                let f = std::fs::File::create(path).expect("create");
                f.set_len(OVER).expect("set_len");
            }
        }
    }

    /// What the error says.
    fn says(self) -> &'static str {
        match self {
            Bad::Fifo => "is a FIFO, not a regular file",
            Bad::DevZero => "is a character device, not a regular file",
            Bad::Oversized => "over the limit of",
        }
    }
}

/// A repository with one `.env` that has a finding.
fn repo() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let repo = dir.path().join("repo");
    std::fs::create_dir(&repo).expect("mkdir");
    std::fs::write(repo.join(".env"), GOOD_ENV).expect("write");
    (dir, repo)
}

/// Run `sessionlint` with a timeout: a hang fails the test.
fn run(args: &[&std::ffi::OsStr]) -> (Option<i32>, String, String) {
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(args)
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// A tool input that is bad: exit 2, the path and the problem named.
fn assert_usage_error(bad: Bad, path: &Path, got: (Option<i32>, String, String)) {
    let (code, _, err) = got;
    assert_eq!(code, Some(2), "{bad:?}: {err}");
    assert!(err.contains(bad.says()), "{bad:?}: {err}");
    assert!(
        err.contains(&*path.to_string_lossy()),
        "{bad:?}: the path is named: {err}"
    );
    if let Bad::Oversized = bad {
        assert!(err.contains("8388608 bytes"), "the limit is named: {err}");
        assert!(err.contains("limit"), "{err}");
    }
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

#[test]
fn config_given_with_dash_dash_config() {
    for bad in ALL {
        let (_d, repo) = repo();
        let config = repo.join("odd.toml");
        bad.make(&config);
        let got = run(&[
            os("check"),
            os("--config"),
            config.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_usage_error(bad, &config, got);
    }
}

#[test]
fn config_found_in_the_linted_directory() {
    for bad in ALL {
        let (_d, repo) = repo();
        let config = repo.join(".sessionlint.toml");
        bad.make(&config);
        let got = run(&[os("check"), repo.as_os_str()]);
        assert_usage_error(bad, &config, got);
    }
}

#[test]
fn values_overlay() {
    for bad in ALL {
        let (_d, repo) = repo();
        let values = repo.join("values-prod.yaml");
        bad.make(&values);
        let got = run(&[
            os("check"),
            os("--no-config"),
            os("--values"),
            values.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_usage_error(bad, &values, got);
        if let Bad::Oversized = bad {
            // a linted input: `--max-file-size` is the limit and the way out
            let (_, _, err) = run(&[
                os("check"),
                os("--no-config"),
                os("--values"),
                values.as_os_str(),
                repo.as_os_str(),
            ]);
            assert!(err.contains("--max-file-size"), "{err}");
        }
    }
}

#[test]
fn extra_secret_list() {
    for bad in ALL {
        let (_d, repo) = repo();
        let list = repo.join("leaked.txt");
        bad.make(&list);
        let got = run(&[
            os("check"),
            os("--no-config"),
            os("--extra-secret-list"),
            list.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_usage_error(bad, &list, got);
    }
}

#[test]
fn extra_secret_list_named_in_the_configuration() {
    for bad in ALL {
        let (_d, repo) = repo();
        let list = repo.join("leaked.txt");
        bad.make(&list);
        std::fs::write(
            repo.join(".sessionlint.toml"),
            "extra-secret-list = [\"leaked.txt\"]\n",
        )
        .expect("write");
        let (code, _, err) = run(&[os("check"), repo.as_os_str()]);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
        // a link to /dev/zero leads out of the repository, which a
        // repository's configuration may not name
        let says = match bad {
            Bad::DevZero => "which is outside the folder of .sessionlint.toml",
            _ => bad.says(),
        };
        assert!(err.contains(says), "{bad:?}: {err}");
    }
}

#[test]
fn rule_file_in_a_rules_directory() {
    for bad in ALL {
        let (_d, repo) = repo();
        let rules = repo.join("rules");
        std::fs::create_dir(&rules).expect("mkdir");
        let rule = rules.join("rule.yaml");
        bad.make(&rule);
        let got = run(&[
            os("check"),
            os("--no-config"),
            os("--rules"),
            rules.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_usage_error(bad, &rule, got);
    }
}

#[test]
fn baseline() {
    for bad in ALL {
        let (_d, repo) = repo();
        let baseline = repo.join("baseline.json");
        bad.make(&baseline);
        let got = run(&[
            os("check"),
            os("--no-config"),
            os("--baseline"),
            baseline.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_usage_error(bad, &baseline, got);
    }
}

/// A FIFO or a device named on the command line is an error (exit 2),
/// never opened.
#[test]
fn special_file_named_explicitly() {
    for bad in [Bad::Fifo, Bad::DevZero] {
        let (_d, repo) = repo();
        let env = repo.join("special.env");
        bad.make(&env);
        let (code, _, err) = run(&[os("check"), os("--no-config"), env.as_os_str()]);
        assert_eq!(code, Some(2), "{bad:?}: {err}");
        assert!(
            err.contains(&env.display().to_string())
                && err.contains("not a regular file or a folder"),
            "{bad:?}: {err}"
        );
    }
}

/// A linted file that cannot be read is a finding on it, as before; the
/// rest of the run goes on.
#[test]
fn linted_path_named_explicitly() {
    // (a FIFO or device named so is an error: `special_file_named_explicitly`)
    #[allow(clippy::single_element_loop)]
    for bad in [Bad::Oversized] {
        let (_d, repo) = repo();
        let other = repo.join("other");
        std::fs::create_dir(&other).expect("mkdir");
        let env = other.join(".env");
        bad.make(&env);
        let (code, out, err) = run(&[
            os("check"),
            os("--no-config"),
            os("--format"),
            os("json"),
            env.as_os_str(),
            repo.as_os_str(),
        ]);
        assert_eq!(code, Some(1), "{bad:?}: {err}");
        let doc: serde_json::Value = serde_json::from_str(&out).expect("json");
        let findings = doc["findings"].as_array().expect("findings");
        assert!(
            findings.iter().any(|f| f["rule"] == "parse-error"
                && f["message"].as_str().unwrap_or("").contains(bad.says())),
            "{bad:?}: {out}"
        );
        assert!(
            findings.iter().any(|f| f["rule"] == "weak-secret"),
            "the rest is linted: {out}"
        );
    }
}

/// Standard input has no kind to check, but it is bounded: `/dev/zero`
/// on standard input ends with an error at the limit.
#[test]
fn standard_input_is_bounded() {
    let bin = assert_cmd::cargo::cargo_bin("sessionlint");
    let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
    let mut child = std::process::Command::new(bin)
        .args(["check", "--no-config", "--max-file-size", "1000000"])
        .args(["--stdin-filename", ".env", "-"])
        .stdin(zero)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    let start = std::time::Instant::now();
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait") {
            break s;
        }
        if start.elapsed() > Duration::from_secs(20) {
            child.kill().expect("kill");
            panic!("reading /dev/zero on standard input did not end");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let mut err = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err)
        .expect("read stderr");
    assert_eq!(status.code(), Some(2), "{err}");
    assert!(
        err.contains("standard input is over the limit of 1000000 bytes"),
        "{err}"
    );
    // an oversized text on standard input, the default limit
    let out = Command::cargo_bin("sessionlint")
        .unwrap()
        .args(["check", "--no-config", "--stdin-filename", ".env", "-"])
        .write_stdin(GOOD_ENV.repeat(400_000))
        .timeout(Duration::from_secs(20))
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("standard input is over the limit of 8388608 bytes"),
        "{err}"
    );
}

/// Files read after discovery (compose `env_file`, nginx `include`) are
/// read by the same reader, with the run's `--max-file-size`: over it,
/// they are not read (so the weak value in them is not reported).
#[test]
fn env_file_and_include_honour_max_file_size() {
    let (_d, repo) = repo();
    std::fs::remove_file(repo.join(".env")).expect("rm");
    std::fs::write(
        repo.join("compose.yaml"),
        "services:\n  api:\n    image: example/api\n    env_file: api.env\n",
    )
    .expect("write");
    let env = format!("{}JWT_SECRET=changeme\n", "# padding\n".repeat(30));
    std::fs::write(repo.join("api.env"), env).expect("write");
    let json = |max: &str| {
        let (code, out, err) = run(&[
            os("check"),
            os("--no-config"),
            os("--format"),
            os("json"),
            os("--max-file-size"),
            os(max),
            repo.join("compose.yaml").as_os_str(),
        ]);
        assert!(code == Some(0) || code == Some(1), "{err}");
        out
    };
    assert!(json("1000").contains("weak-secret"));
    assert!(!json("200").contains("weak-secret"));
}
