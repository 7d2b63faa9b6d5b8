//! Finding the files to lint, classifying them, and reading them.
//!
//! The walk honours `.gitignore` (and `.ignore`), skips hidden VCS folders,
//! `node_modules` and `target`, and does not follow symbolic links. Files
//! are classified by name; YAML files whose name says nothing are read and
//! classified by content. Files of no known kind are not read.

use crate::source::read::{Limit, ReadError, read_file as read_input};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use rayon::prelude::*;

use crate::source::finding::Finding;
use crate::source::{FileKind, SourceFile, SourceMap, Span};

/// Limits that keep a run bounded on hostile repositories.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Files larger than this are reported and not parsed.
    pub max_file_size: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size: crate::source::read::DEFAULT_MAX_FILE_SIZE,
        }
    }
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub sources: SourceMap,
    /// Files that were found but could not be read as text, as findings.
    pub findings: Vec<Finding>,
    /// Paths given explicitly that are of no kind sessionlint reads.
    pub skipped: Vec<PathBuf>,
    /// Files (and folders) the walk passed over, with why: special files
    /// and symbolic links with names sessionlint reads, the folders it
    /// never enters, files the configuration's `include`/`exclude` leave
    /// out, paths it could not walk. `--show-files` lists them.
    pub not_read: Vec<(PathBuf, String)>,
}

/// How a file name classifies, before its content is looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameKind {
    Known(FileKind),
    /// A YAML file: read it to decide.
    MaybeYaml,
    /// A `.conf` file: nginx when its text looks like nginx.
    MaybeNginx,
    /// A `.json` file: a Keycloak realm file when its text is one.
    MaybeJson,
    Unknown,
}

/// Classify a file by its name.
pub fn classify_name(path: &Path) -> NameKind {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return NameKind::Unknown;
    };
    let lower = name.to_ascii_lowercase();
    const EXAMPLE_WORDS: [&str; 6] = ["example", "sample", "template", "dist", "tmpl", "tpl"];
    let is_env = lower == ".env"
        || lower.starts_with(".env.")
        || lower.starts_with(".env-")
        || lower.ends_with(".env")
        // `api.env.example`
        || lower
            .rsplit_once(".env.")
            .is_some_and(|(_, ext)| EXAMPLE_WORDS.contains(&ext));
    if is_env {
        let example = EXAMPLE_WORDS
            .iter()
            .any(|w| lower.split(['.', '-', '_']).any(|part| part == *w));
        return NameKind::Known(if example {
            FileKind::DotenvExample
        } else {
            FileKind::Dotenv
        });
    }
    if lower.ends_with(".sh")
        || lower.ends_with(".bash")
        || lower.ends_with(".mk")
        || lower == "makefile"
        || lower == "gnumakefile"
    {
        return NameKind::Known(FileKind::Shell);
    }
    if lower.ends_with(".md") || lower.ends_with(".markdown") {
        return NameKind::Known(FileKind::Markdown);
    }
    let yaml = lower.ends_with(".yaml") || lower.ends_with(".yml");
    if let Some(k) = app_config_kind(path, &lower, yaml) {
        return NameKind::Known(k);
    }
    if yaml && (lower.starts_with("docker-compose") || lower.starts_with("compose.")) {
        return NameKind::Known(FileKind::Compose);
    }
    if yaml {
        return NameKind::MaybeYaml;
    }
    if let Some(k) = proxy_kind(path, &lower) {
        return k;
    }
    if lower.ends_with(".json") {
        return NameKind::MaybeJson;
    }
    NameKind::Unknown
}

/// Classify JSON text by its content: a Keycloak realm file or nothing.
pub fn classify_json_text(path: &Path, text: &str) -> Option<FileKind> {
    crate::model::realm::looks_like_realm(path, text, &crate::syntax::yaml::Limits::default())
        .then_some(FileKind::KeycloakRealm)
}

/// nginx and HAProxy configuration, by name and folder.
fn proxy_kind(path: &Path, lower: &str) -> Option<NameKind> {
    // a template of a config file is read as the file it renders to
    // (`nginx.conf.tmpl`, `site.conf.j2`, a Home Assistant add-on's
    // `ingress.gtpl`): its actions are blanked when it is parsed
    const TEMPLATE: [&str; 5] = [".tmpl", ".gtpl", ".j2", ".jinja", ".jinja2"];
    if let Some(base) = TEMPLATE.iter().find_map(|t| lower.strip_suffix(t)) {
        if base.is_empty() {
            return None;
        }
        if lower.ends_with(".gtpl") && !base.contains('.') {
            return Some(NameKind::MaybeNginx);
        }
        return proxy_kind(path, base);
    }
    if lower == "haproxy.cfg" || (lower.ends_with(".cfg") && lower.starts_with("haproxy")) {
        return Some(NameKind::Known(FileKind::Haproxy));
    }
    let in_nginx_dir = path.parent().is_some_and(|p| {
        p.components().any(|c| {
            let c = c.as_os_str().to_string_lossy().to_ascii_lowercase();
            c.contains("nginx") || c.starts_with("openresty")
        })
    });
    if lower == "nginx.conf"
        || lower.ends_with(".nginx")
        || lower.ends_with(".nginxconf")
        || (in_nginx_dir && (lower.ends_with(".conf") || lower.ends_with(".conf.template")))
    {
        return Some(NameKind::Known(FileKind::Nginx));
    }
    if lower.ends_with(".conf") || lower.ends_with(".conf.template") {
        return Some(NameKind::MaybeNginx);
    }
    None
}

/// Does this text look like nginx configuration? (`server {`, `http {`,
/// `upstream x {`, `location / {` at the start of a line.)
pub fn looks_like_nginx(text: &str) -> bool {
    text.lines().take(2000).any(|l| {
        let t = l.trim_start();
        let word = t.split([' ', '\t', '{']).next().unwrap_or("");
        matches!(word, "server" | "http" | "upstream" | "location" | "events")
            && t.trim_end().ends_with('{')
    })
}

/// App config files, by name (and, for generic names, by folder).
fn app_config_kind(path: &Path, lower: &str, yaml: bool) -> Option<FileKind> {
    let parent = path
        .parent()
        .and_then(|p| p.file_name())
        .and_then(|n| n.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let in_php_dir = path.components().any(|c| {
        c.as_os_str()
            .to_string_lossy()
            .to_ascii_lowercase()
            .contains("php")
    });
    if matches!(
        lower,
        "php.ini" | ".user.ini" | "grafana.ini" | "custom.ini" | "app.ini" | "airflow.cfg"
    ) || (lower.ends_with(".ini") && (in_php_dir || parent == "conf.d"))
        || (lower.ends_with(".conf") && matches!(parent.as_str(), "php-fpm.d" | "pool.d"))
    {
        return Some(FileKind::Ini);
    }
    if lower == "htpasswd" || lower.ends_with(".htpasswd") {
        return Some(FileKind::Htpasswd);
    }
    if lower.starts_with("redis") && lower.ends_with(".conf") {
        return Some(FileKind::RedisConf);
    }
    if (lower.starts_with("application") || lower.starts_with("bootstrap"))
        && lower.ends_with(".properties")
    {
        return Some(FileKind::Properties);
    }
    if yaml && lower.starts_with("application") {
        return Some(FileKind::SpringYaml);
    }
    if yaml && lower.starts_with("framework.") && path_has(path, "packages") {
        return Some(FileKind::SymfonyYaml);
    }
    let servlet_xml = match lower {
        "web.xml" | "tomcat-web.xml" => true,
        "context.xml" => matches!(parent.as_str(), "conf" | "meta-inf"),
        "server.xml" => parent == "conf",
        _ => false,
    };
    servlet_xml.then_some(FileKind::ServletXml)
}

/// Is a folder of this name (case-insensitive) among the folders of `path`?
fn path_has(path: &Path, folder: &str) -> bool {
    path.parent().is_some_and(|p| {
        p.components()
            .any(|c| c.as_os_str().eq_ignore_ascii_case(folder))
    })
}

/// Does this YAML text hold Kubernetes objects (a top-level `apiVersion:`
/// and `kind:` in some document)?
pub fn looks_like_kubernetes(text: &str) -> bool {
    let mut api = false;
    let mut kind = false;
    for line in text.lines() {
        if line.starts_with("---") {
            if api && kind {
                return true;
            }
            api = false;
            kind = false;
        } else if line.starts_with("apiVersion:") {
            api = true;
        } else if line.starts_with("kind:") {
            kind = true;
        }
    }
    api && kind
}

/// Classify YAML text that its name did not classify.
pub fn classify_yaml_text(text: &str) -> Option<FileKind> {
    if looks_like_compose(text) {
        Some(FileKind::Compose)
    } else if looks_like_kubernetes(text) {
        Some(FileKind::Kubernetes)
    } else {
        None
    }
}

/// Where a YAML file stands relative to a Helm chart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartPlace {
    /// Not in a chart.
    Outside,
    /// `Chart.yaml`.
    ChartFile,
    /// The chart's `values.yaml`.
    Values,
    /// A template, CI values, CRD or other chart file: Go templates are
    /// rendered by helm, not read as YAML.
    Other,
}

/// Is `path` part of a Helm chart, and which part?
pub fn chart_place(path: &Path) -> ChartPlace {
    chart_place_with(path, &|d| d.join("Chart.yaml").is_file())
}

/// Which folders hold a `Chart.yaml`, asked of the file system once per
/// folder in a run (every YAML file asks about up to four folders above it).
#[derive(Default)]
struct ChartDirs(crate::source::PathMemo<bool>);

impl ChartDirs {
    fn place(&self, path: &Path) -> ChartPlace {
        chart_place_with(path, &|d| {
            self.0.get_or(d, || d.join("Chart.yaml").is_file())
        })
    }
}

fn chart_place_with(path: &Path, has_chart: &dyn Fn(&Path) -> bool) -> ChartPlace {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "Chart.yaml" {
        return ChartPlace::ChartFile;
    }
    let mut dir = path.parent();
    let mut depth = 0;
    while let Some(d) = dir {
        if has_chart(d) {
            return if depth == 0 && name == "values.yaml" {
                ChartPlace::Values
            } else {
                ChartPlace::Other
            };
        }
        depth += 1;
        if depth > 3 {
            break;
        }
        dir = d.parent().filter(|p| !p.as_os_str().is_empty());
    }
    ChartPlace::Outside
}

/// Does this YAML text look like a compose file (top-level `services:`
/// whose entries have `image:` or `build:`)? A cheap textual test; the
/// compose reader decides for good.
pub fn looks_like_compose(text: &str) -> bool {
    let mut in_services = false;
    for line in text.lines() {
        if line.starts_with("services:") {
            in_services = true;
            continue;
        }
        if in_services {
            let first = line.chars().next();
            if matches!(first, Some(c) if !c.is_whitespace() && c != '#') {
                in_services = false;
                continue;
            }
            let t = line.trim_start();
            if t.starts_with("image:") || t.starts_with("build:") {
                return true;
            }
        }
    }
    false
}

/// Walk `paths` and read every file of a known kind.
/// Files for which `wants` is false are not read.
pub fn discover(
    paths: &[PathBuf],
    limits: Limits,
    wants: &(dyn Fn(&Path) -> bool + Sync),
) -> Discovered {
    let mut candidates: Vec<(PathBuf, bool)> = Vec::new();
    let mut skipped = Vec::new();
    let mut walked = Walked::default();
    for p in paths {
        // a path named that is not a directory is read as a file: a FIFO or
        // a device is then reported, not walked past
        if std::fs::metadata(p).is_ok_and(|m| !m.is_dir()) {
            match classify_name(p) {
                NameKind::Unknown => skipped.push(p.clone()),
                _ => candidates.push((p.clone(), true)),
            }
        } else {
            let w = walk_all(p);
            candidates.extend(w.files.into_iter().map(|f| (f, false)));
            walked.not_read.extend(w.not_read);
            walked.errors.extend(w.errors);
        }
    }
    candidates.retain(|(p, _)| {
        let keep = wants(p);
        if !keep {
            walked.not_read.push((
                p.clone(),
                "left out by include/exclude in .sessionlint.toml".to_string(),
            ));
        }
        keep
    });
    candidates.par_sort();
    candidates.dedup_by(|a, b| a.0 == b.0);

    let charts = ChartDirs::default();
    let read: Vec<Read> = candidates
        .par_iter()
        .map(|(path, explicit)| read_file(path, *explicit, limits, &charts))
        .collect();

    let mut out = Discovered {
        skipped,
        ..Default::default()
    };
    walked.not_read.sort();
    walked.not_read.dedup();
    walked.errors.sort();
    walked.errors.dedup();
    // a path the walk could not enter (too long, unreadable) is a finding
    // on it, never a silent gap
    for (path, problem) in &walked.errors {
        let kind = match classify_name(path) {
            NameKind::Known(k) => k,
            _ => FileKind::Dotenv,
        };
        let id = out
            .sources
            .add(SourceFile::new(path.clone(), kind, String::new()));
        out.findings.push(Finding::parse_error(
            Span::new(id, 0..0),
            format!("{problem}; nothing under it was read"),
        ));
    }
    out.not_read = walked.not_read;
    out.not_read.extend(
        walked
            .errors
            .into_iter()
            .map(|(p, problem)| (p, format!("{problem}: not walked"))),
    );
    out.sources.set_roots(roots(paths));
    out.sources.set_max_file_size(limits.max_file_size);
    for r in read {
        match r {
            Read::File(mut file, problems) => {
                file.unread = file.text.is_empty() && !problems.is_empty();
                let id = out.sources.add(*file);
                for (range, message) in problems {
                    out.findings
                        .push(Finding::parse_error(Span::new(id, range), message));
                }
            }
            Read::Document(files) => {
                for f in files {
                    out.sources.add(f);
                }
            }
            Read::NotOurs => {}
            Read::Skipped(path) => out.skipped.push(path),
        }
    }
    out
}

/// The directories a run may read from beyond the files it discovered
/// (nginx includes, compose `env_file`): each directory linted, and for a
/// file named explicitly the folder above its own (so `nginx/site.conf` may
/// include `../snippets/x.conf`). Canonical, so symbolic links cannot lead
/// out of them.
fn roots(paths: &[PathBuf]) -> Vec<PathBuf> {
    paths
        .iter()
        .filter_map(|p| {
            let canon = std::fs::canonicalize(p).ok()?;
            if canon.is_dir() {
                return Some(canon);
            }
            let dir = canon.parent()?;
            Some(dir.parent().unwrap_or(dir).to_path_buf())
        })
        .collect()
}

/// Folders the walk never enters: version control, installed
/// dependencies, build output.
const SKIPPED_DIRS: [&str; 5] = [".git", ".hg", ".svn", "node_modules", "target"];

/// What a walk found: the files to read, what it passed over and why, and
/// the paths it could not walk.
#[derive(Debug, Default)]
pub struct Walked {
    pub files: Vec<PathBuf>,
    pub not_read: Vec<(PathBuf, String)>,
    pub errors: Vec<(PathBuf, String)>,
}

/// Every regular file under `root` whose name sessionlint reads, found as
/// a run finds them (in parallel; VCS folders, `node_modules` and `target`
/// skipped; symbolic links not followed).
pub fn walk(root: &Path) -> Vec<PathBuf> {
    walk_all(root).files
}

/// [`walk`], with what it passed over.
///
/// Ignore files (`.gitignore`, `.ignore`, git's global and local
/// excludes) are not read: a config linter's main input is often ignored
/// (a `.env` is the most ignored file of all), and what is linted must not
/// depend on the settings of the user who runs it.
pub fn walk_all(root: &Path) -> Walked {
    let found = Mutex::new(Walked::default());
    let passed_over = std::sync::Arc::new(Mutex::new(Vec::new()));
    let passed = std::sync::Arc::clone(&passed_over);
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(false)
        .follow_links(false)
        .filter_entry(move |e| {
            let name = e.file_name().to_string_lossy();
            let skip =
                e.file_type().is_some_and(|t| t.is_dir()) && SKIPPED_DIRS.contains(&name.as_ref());
            if skip && let Ok(mut v) = passed.lock() {
                v.push((
                    e.path().to_path_buf(),
                    "folder of version control, dependencies or build output: not walked"
                        .to_string(),
                ));
            }
            !skip
        })
        .build_parallel();
    walker.run(|| {
        Box::new(|entry| {
            let Ok(mut w) = found.lock() else {
                return ignore::WalkState::Continue;
            };
            match entry {
                Ok(e) => {
                    let Some(t) = e.file_type() else {
                        return ignore::WalkState::Continue;
                    };
                    if t.is_dir() {
                        return ignore::WalkState::Continue;
                    }
                    if classify_name(e.path()) == NameKind::Unknown {
                        return ignore::WalkState::Continue;
                    }
                    if t.is_file() {
                        w.files.push(e.into_path());
                    } else if t.is_symlink() {
                        w.not_read
                            .push((e.into_path(), "a symbolic link: not followed".to_string()));
                    } else {
                        let what = crate::source::read::kind_of(t).unwrap_or("not a regular file");
                        w.not_read.push((
                            e.into_path(),
                            format!("{what}, not a regular file: not read"),
                        ));
                    }
                }
                Err(err) => {
                    let (path, problem) = walk_error(&err);
                    if let Some(path) = path {
                        w.errors.push((path, problem));
                    }
                }
            }
            ignore::WalkState::Continue
        })
    });
    let mut w = found.into_inner().unwrap_or_default();
    if let Ok(mut v) = passed_over.lock() {
        w.not_read.append(&mut v);
    }
    w
}

/// The path and the problem of a walk error.
fn walk_error(err: &ignore::Error) -> (Option<PathBuf>, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, problem) = walk_error(err);
            (Some(path.clone()), problem)
        }
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error(err)
        }
        ignore::Error::Loop { child, .. } => (
            Some(child.clone()),
            "a folder that loops back to one above it".to_string(),
        ),
        ignore::Error::Io(e) => {
            let problem = if e.raw_os_error() == Some(36) || e.to_string().contains("too long") {
                "path too long to open (past the system's path-length limit)".to_string()
            } else {
                format!("cannot read: {e}")
            };
            (None, problem)
        }
        other => (None, other.to_string()),
    }
}

enum Read {
    File(Box<SourceFile>, Vec<(std::ops::Range<usize>, String)>),
    /// A Markdown document (listed, with no text) and its code blocks.
    Document(Vec<SourceFile>),
    NotOurs,
    Skipped(PathBuf),
}

fn read_file(path: &Path, explicit: bool, limits: Limits, charts: &ChartDirs) -> Read {
    let kind = classify_name(path);
    let yaml_name = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    let place = if yaml_name || kind == NameKind::MaybeYaml {
        charts.place(path)
    } else {
        ChartPlace::Outside
    };
    if yaml_name && !explicit && place == ChartPlace::Other {
        return Read::NotOurs;
    }
    // a file that could not be read: empty, with the problem at its start
    let unread = |problem: String| {
        let kind = match kind {
            NameKind::Known(k) => k,
            _ => FileKind::Compose,
        };
        // (normalized as a file read is: mounts and includes find it)
        let file = SourceFile::new(crate::source::paths::normalize(path), kind, String::new());
        Read::File(Box::new(file), vec![(0..0, problem)])
    };
    let (text, problems) = match read_input(path, Limit::linted(limits.max_file_size)) {
        Ok(t) => (t.text, t.problems),
        Err(ReadError::TooLarge { size: Some(_), .. })
            if matches!(
                kind,
                NameKind::MaybeYaml | NameKind::MaybeNginx | NameKind::MaybeJson
            ) && !explicit =>
        {
            return Read::NotOurs;
        }
        Err(e) => return unread(e.problem()),
    };
    let kind = match kind {
        // `application.yaml` is Spring's name, but also a common manifest name
        NameKind::Known(FileKind::SpringYaml) => {
            classify_yaml_text(&text).unwrap_or(FileKind::SpringYaml)
        }
        NameKind::Known(k) => k,
        NameKind::MaybeYaml => match place {
            ChartPlace::ChartFile => FileKind::HelmChart,
            ChartPlace::Values => FileKind::HelmValues,
            ChartPlace::Other if !explicit => return Read::NotOurs,
            _ => match classify_yaml_text(&text) {
                Some(k) => k,
                None if explicit => return Read::Skipped(path.to_path_buf()),
                None => return Read::NotOurs,
            },
        },
        NameKind::MaybeNginx if looks_like_nginx(&text) => FileKind::Nginx,
        NameKind::MaybeNginx if explicit => return Read::Skipped(path.to_path_buf()),
        NameKind::MaybeNginx => return Read::NotOurs,
        NameKind::MaybeJson => match classify_json_text(path, &text) {
            Some(k) => k,
            None if explicit => return Read::Skipped(path.to_path_buf()),
            None => return Read::NotOurs,
        },
        NameKind::Unknown => return Read::Skipped(path.to_path_buf()),
    };
    if kind == FileKind::Markdown {
        return Read::Document(document(&crate::source::paths::normalize(path), &text));
    }
    let mut file = SourceFile::new(crate::source::paths::normalize(path), kind, text);
    if kind == FileKind::HelmValues {
        // often the largest files of a repository, and read once: the Helm
        // reader loads the text again, the report when a finding is there
        file.set_aside();
    }
    Read::File(Box::new(file), problems)
}

/// The most code blocks read from one Markdown document.
pub const MAX_BLOCKS: usize = 500;

/// A Markdown document as files: itself (no text: it is only listed) and
/// each code block of a kind sessionlint reads, as a file of that kind at
/// the document's path whose text is the document with all but the block
/// blanked, so that positions are the document's own.
pub fn document(path: &Path, text: &str) -> Vec<SourceFile> {
    let mut out = vec![SourceFile::new(
        path.to_path_buf(),
        FileKind::Markdown,
        String::new(),
    )];
    for block in crate::syntax::markdown::code_blocks(text, MAX_BLOCKS) {
        let content = block.text(text);
        let Some(kind) = block_kind(&block.lang, &content) else {
            continue;
        };
        let mut keep = block.content.clone();
        if kind == FileKind::Shell {
            // console transcripts: `$ docker run …`
            for r in &mut keep {
                let piece = text.get(r.clone()).unwrap_or("");
                let lead = piece.len() - piece.trim_start_matches([' ', '\t']).len();
                if piece[lead..].starts_with("$ ") {
                    r.start += lead + 2;
                }
            }
        }
        let mut file = SourceFile::new(
            path.to_path_buf(),
            kind,
            crate::syntax::markdown::blank_outside(text, &keep),
        );
        file.embedded = Some(if block.lang.is_empty() {
            "untagged".to_string()
        } else {
            block.lang.clone()
        });
        out.push(file);
    }
    out
}

/// What a code block is, from its language tag or, when it has none (or a
/// generic one), from its text.
pub fn block_kind(lang: &str, text: &str) -> Option<FileKind> {
    let sniffed_yaml = || {
        classify_yaml_text(text).or_else(|| {
            let first = text
                .lines()
                .map(str::trim)
                .find(|l| !l.is_empty() && !l.starts_with('#'))?;
            (first == "environment:" || first == "env:").then_some(FileKind::EnvFragment)
        })
    };
    match lang {
        "yaml" | "yml" | "docker-compose" | "compose" => sniffed_yaml(),
        "env" | "dotenv" => Some(FileKind::Dotenv),
        "sh" | "bash" | "shell" | "console" | "zsh" | "shell-session" | "shellsession"
        | "terminal" => Some(FileKind::Shell),
        "nginx" | "nginxconf" => Some(FileKind::Nginx),
        "conf" => looks_like_nginx(text).then_some(FileKind::Nginx),
        "" | "text" | "txt" | "plain" | "plaintext" | "ini" | "properties" | "config" => {
            if let Some(k) = sniffed_yaml() {
                return Some(k);
            }
            if looks_like_nginx(text) {
                return Some(FileKind::Nginx);
            }
            if text.contains("docker run")
                || text.lines().any(|l| l.trim_start().starts_with("export "))
            {
                return Some(FileKind::Shell);
            }
            looks_like_dotenv(text).then_some(FileKind::Dotenv)
        }
        _ => None,
    }
}

/// Every line that is not blank or a comment is `NAME=value`, and there
/// is one.
fn looks_like_dotenv(text: &str) -> bool {
    let mut any = false;
    for l in text.lines() {
        let t = l.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        if crate::syntax::shell::assignment(t).is_none() {
            return false;
        }
        any = true;
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_env_files_and_examples() {
        let k = |n: &str| classify_name(Path::new(n));
        assert_eq!(k(".env"), NameKind::Known(FileKind::Dotenv));
        assert_eq!(k("x/.env.production"), NameKind::Known(FileKind::Dotenv));
        assert_eq!(k("app.env"), NameKind::Known(FileKind::Dotenv));
        assert_eq!(k(".env.example"), NameKind::Known(FileKind::DotenvExample));
        assert_eq!(k(".env.sample"), NameKind::Known(FileKind::DotenvExample));
        assert_eq!(k(".env.dist"), NameKind::Known(FileKind::DotenvExample));
        assert_eq!(k("example.env"), NameKind::Known(FileKind::DotenvExample));
        assert_eq!(
            k("api.env.example"),
            NameKind::Known(FileKind::DotenvExample)
        );
        assert_eq!(k("app.env.js"), NameKind::Unknown);
        assert_eq!(
            k("docker-compose.prod.yml"),
            NameKind::Known(FileKind::Compose)
        );
        assert_eq!(k("compose.yaml"), NameKind::Known(FileKind::Compose));
        assert_eq!(k("stack.yaml"), NameKind::MaybeYaml);
        assert_eq!(k("README.md"), NameKind::Known(FileKind::Markdown));
        assert_eq!(k("deploy.sh"), NameKind::Known(FileKind::Shell));
        assert_eq!(k("Makefile"), NameKind::Known(FileKind::Shell));
        assert_eq!(k("notes.txt"), NameKind::Unknown);
        assert_eq!(k("nginx/site.conf.tmpl"), NameKind::Known(FileKind::Nginx));
        assert_eq!(k("ingress.gtpl"), NameKind::MaybeNginx);
        assert_eq!(k("php/conf.d/sessions.ini"), NameKind::Known(FileKind::Ini));
        assert_eq!(k("grafana/grafana.ini"), NameKind::Known(FileKind::Ini));
        assert_eq!(k("php-fpm.d/www.conf"), NameKind::Known(FileKind::Ini));
        assert_eq!(k("redis/redis.conf"), NameKind::Known(FileKind::RedisConf));
        assert_eq!(
            k("src/main/resources/application-prod.properties"),
            NameKind::Known(FileKind::Properties)
        );
        assert_eq!(k("application.yml"), NameKind::Known(FileKind::SpringYaml));
        assert_eq!(k("tox.ini"), NameKind::Unknown);
        assert_eq!(
            k("src/main/webapp/WEB-INF/web.xml"),
            NameKind::Known(FileKind::ServletXml)
        );
        assert_eq!(k("conf/server.xml"), NameKind::Known(FileKind::ServletXml));
        assert_eq!(
            k("META-INF/context.xml"),
            NameKind::Known(FileKind::ServletXml)
        );
        assert_eq!(k("src/main/liberty/config/server.xml"), NameKind::Unknown);
        assert_eq!(k("pom.xml"), NameKind::Unknown);
        assert_eq!(
            k("config/packages/framework.yaml"),
            NameKind::Known(FileKind::SymfonyYaml)
        );
        assert_eq!(
            k("config/packages/prod/framework.yaml"),
            NameKind::Known(FileKind::SymfonyYaml)
        );
        assert_eq!(k("framework.yaml"), NameKind::MaybeYaml);
        assert_eq!(k("environment.ts"), NameKind::Unknown);
        assert_eq!(k("import/demo-realm.json"), NameKind::MaybeJson);
    }

    #[test]
    fn sniffs_kubernetes_by_content() {
        assert!(looks_like_kubernetes("apiVersion: v1\nkind: Service\n"));
        assert!(looks_like_kubernetes(
            "# c\n---\napiVersion: apps/v1\nkind: Deployment\n"
        ));
        assert!(!looks_like_kubernetes("apiVersion: v2\nname: chart\n"));
        assert!(!looks_like_kubernetes(
            "spec:\n  kind: x\n  apiVersion: y\n"
        ));
    }

    #[test]
    fn sniffs_compose_by_content() {
        assert!(looks_like_compose("services:\n  web:\n    image: nginx\n"));
        assert!(looks_like_compose(
            "version: '3'\nservices:\n  app:\n    build: .\n"
        ));
        assert!(!looks_like_compose("apiVersion: v1\nkind: Service\n"));
        assert!(!looks_like_compose(
            "services:\n  - a\nother:\n  image: x\n"
        ));
    }
}
