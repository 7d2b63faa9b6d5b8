//! Source files and byte spans.
//!
//! Every parser works on one [`SourceFile`] and reports byte ranges into its
//! text. A [`Span`] ties such a range to the file it belongs to. Line and
//! column numbers are computed only when a finding is rendered
//! ([`SourceFile::line_col`], from the file's [`lines::LineIndex`]).

pub mod finding;
pub mod lines;
pub mod mask;
pub mod paths;
pub mod read;
pub mod secret;

use std::ops::Range;
use std::path::{Path, PathBuf};

/// What kind of input a file is, as decided by discovery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// A `.env` file that a deployment reads.
    Dotenv,
    /// A `.env.example`, `.env.sample`, `*.dist` …: documentation of a `.env`.
    DotenvExample,
    /// A docker-compose file.
    Compose,
    /// Kubernetes manifests (one or more documents).
    Kubernetes,
    /// The `values.yaml` of a Helm chart (or an overlay given with `--values`).
    HelmValues,
    /// A chart's `Chart.yaml`.
    HelmChart,
    /// An INI-style app config: php.ini, grafana.ini, Gitea app.ini, airflow.cfg.
    Ini,
    /// Java `.properties` (Spring `application*.properties`).
    Properties,
    /// Spring `application*.yml`.
    SpringYaml,
    /// `redis.conf`.
    RedisConf,
    /// Symfony's `config/packages/framework.yaml`.
    SymfonyYaml,
    /// A Java servlet container's XML: `web.xml`, Tomcat's `context.xml`
    /// and `server.xml`.
    ServletXml,
    /// A Keycloak realm file (realm import/export JSON).
    KeycloakRealm,
    /// An htpasswd file (`.htpasswd`, `*.htpasswd`): `user:hash` lines.
    Htpasswd,
    /// An nginx configuration file (a whole `nginx.conf` or a snippet).
    Nginx,
    /// `haproxy.cfg`.
    Haproxy,
    /// Dokploy's `template.toml` beside a compose file: read as the
    /// project's `.env`, which Dokploy writes from it at deploy time.
    DokployTemplate,
    /// A shell script (`*.sh`, a Makefile): its `docker run` commands and
    /// `export`s.
    Shell,
    /// A Markdown document: the code blocks it holds are read as the kinds
    /// they are, each as a file of its own kind at the document's path (see
    /// [`SourceFile::embedded`]); the document itself is listed with no text.
    Markdown,
    /// The `environment:` of a compose service or the `env:` list of a
    /// container, alone in a Markdown code block.
    EnvFragment,
}

impl FileKind {
    /// An app's own config file.
    pub fn is_app_config(self) -> bool {
        matches!(
            self,
            FileKind::Ini
                | FileKind::Properties
                | FileKind::SpringYaml
                | FileKind::RedisConf
                | FileKind::ServletXml
                | FileKind::SymfonyYaml
                | FileKind::KeycloakRealm
        )
    }
}

impl FileKind {
    pub fn is_dotenv(self) -> bool {
        matches!(self, FileKind::Dotenv | FileKind::DotenvExample)
    }
}

/// Index of a file in a [`SourceMap`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId(pub u32);

/// A byte range in one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub file: FileId,
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(file: FileId, range: Range<usize>) -> Self {
        Span {
            file,
            start: range.start,
            end: range.end,
        }
    }

    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }

    /// A sub-range of this span, given relative to its start, clamped to it.
    pub fn sub(&self, rel: Range<usize>) -> Span {
        let start = (self.start + rel.start).min(self.end);
        let end = (self.start + rel.end).clamp(start, self.end);
        Span {
            file: self.file,
            start,
            end,
        }
    }
}

/// One input file: its path as shown to users, its text and its kind.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as given or found (relative to the working directory when it was
    /// given relative), with `/` separators when displayed.
    pub path: PathBuf,
    pub kind: FileKind,
    pub text: String,
    /// Where each line starts (32 bits: see [`MAX_FILE_SIZE`]).
    lines: lines::LineIndex,
    /// Set when the text was dropped to be read again from disk.
    set_aside: Option<SetAside>,
    /// A code block of a Markdown document at `path`: the text is the
    /// document's with everything but the block blanked (same length, same
    /// lines), and the language the block was read as.
    pub embedded: Option<String>,
    /// The file could not be read (too large, not text, unreadable): its
    /// text is empty, and what it sets is unknown, not unset.
    pub unread: bool,
    /// Where the text's private-key headers and end markers are, found on
    /// first use by masking (reset when the text is set aside or restored).
    key_marks: std::sync::OnceLock<mask::KeyMarks>,
}

/// What is kept of a file whose text was set aside: enough to know the
/// text again when it is read back.
#[derive(Debug, Clone, Copy)]
struct SetAside {
    len: usize,
    hash: u64,
    /// The text holds `sessionlint:` (an inline ignore comment, maybe).
    marker: bool,
}

fn hash_text(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

/// The largest file sessionlint reads (4 GiB - 1): line starts are kept in
/// 32 bits. `--max-file-size` is capped to it.
pub const MAX_FILE_SIZE: u64 = u32::MAX as u64;

impl SourceFile {
    pub fn new(path: PathBuf, kind: FileKind, text: String) -> Self {
        SourceFile {
            path,
            kind,
            lines: lines::LineIndex::new(&text),
            text,
            set_aside: None,
            embedded: None,
            unread: false,
            key_marks: std::sync::OnceLock::new(),
        }
    }

    /// The private-key headers and end markers of the text (see
    /// [`mask::KeyMarks`]), found once.
    pub fn key_marks(&self) -> &mask::KeyMarks {
        self.key_marks
            .get_or_init(|| mask::KeyMarks::of(&self.text))
    }

    /// Drop the text, keeping its line index and what is needed to know it
    /// again: for large files read from disk that the model reads once
    /// (Helm values) and a report shows only when a finding points there.
    ///
    /// An empty text (an empty file, or one that could not be decoded:
    /// binary, UTF-16) stays as it is: there is nothing to save, and the
    /// bound of a read-back is the text's length, which a lossy decoding
    /// never makes shorter than the bytes.
    pub fn set_aside(&mut self) {
        if self.set_aside.is_none() && !self.text.is_empty() {
            self.set_aside = Some(SetAside {
                len: self.text.len(),
                hash: hash_text(&self.text),
                marker: self.text.contains("sessionlint:"),
            });
            self.text = String::new();
            self.key_marks = std::sync::OnceLock::new();
        }
    }

    /// Is the text set aside (not in memory)?
    pub fn is_set_aside(&self) -> bool {
        self.set_aside.is_some() && self.text.is_empty()
    }

    /// Might the text hold an inline ignore comment? (True when in memory
    /// and it does, or when set aside and it did.)
    pub fn may_hold_ignores(&self) -> bool {
        match self.set_aside {
            Some(a) if self.text.is_empty() => a.marker,
            _ => self.text.contains("sessionlint:"),
        }
    }

    /// The text: the one in memory, or read again from disk when set aside.
    /// `None` when the file cannot be read again or is no longer the same.
    pub fn load(&self) -> Option<std::borrow::Cow<'_, str>> {
        let Some(a) = self.set_aside.filter(|_| self.text.is_empty()) else {
            return Some(std::borrow::Cow::Borrowed(&self.text));
        };
        // at most one byte more than it had: a file that grew is refused
        // without reading all of it
        let limit = crate::source::read::Limit::linted(a.len as u64);
        let text = crate::source::read::read_file(&self.path, limit).ok()?.text;
        (text.len() == a.len && hash_text(&text) == a.hash).then_some(std::borrow::Cow::Owned(text))
    }

    /// Read a set-aside text back into memory; false when it changed.
    pub fn restore(&mut self) -> bool {
        if !self.is_set_aside() {
            return true;
        }
        match self.load() {
            Some(t) => {
                self.text = t.into_owned();
                self.key_marks = std::sync::OnceLock::new();
                true
            }
            None => false,
        }
    }

    /// The path with forward slashes, as it appears in every output format.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// 1-based line and 1-based column (in characters) of a byte offset.
    /// Offsets past the end or inside a UTF-8 sequence are clamped.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        if self.is_set_aside() {
            // (the text is not at hand: the column is counted in bytes)
            let (line, col) = self.lines.byte_position(offset);
            return (line + 1, col + 1);
        }
        let p = self.position(offset);
        (p.line + 1, p.char + 1)
    }

    /// Line and columns (from 0; in bytes, code points and UTF-16 code
    /// units) of a byte offset, clamped as [`SourceFile::line_col`] does.
    /// The text must be in memory (not set aside) for the columns to count
    /// characters.
    pub fn position(&self, offset: usize) -> lines::Position {
        self.lines.position(&self.text, offset)
    }

    /// The line index of the text.
    pub fn lines(&self) -> &lines::LineIndex {
        &self.lines
    }

    /// Byte range of the 1-based line `line`, without its line break.
    pub fn line_range(&self, line: usize) -> Range<usize> {
        let line = line.saturating_sub(1);
        if self.is_set_aside() {
            let start = self.lines.line_start(line).unwrap_or(0);
            return start..start;
        }
        self.lines.line_range(&self.text, line)
    }

    pub fn line_count(&self) -> usize {
        self.lines.line_count()
    }

    /// The text of a range, or "" when the range is not valid for this file.
    pub fn slice(&self, range: Range<usize>) -> &str {
        self.text.get(range).unwrap_or("")
    }
}

/// All files of one run, addressed by [`FileId`].
#[derive(Debug, Default, Clone)]
pub struct SourceMap {
    files: Vec<SourceFile>,
    /// Canonical directories the run may read from beyond the discovered
    /// files (nginx `include`, compose `env_file`). Empty: no confinement
    /// (files given in memory).
    roots: Vec<PathBuf>,
    /// The first file of each path, for [`SourceMap::find`].
    by_path: std::collections::HashMap<PathBuf, FileId>,
    canon: CanonCache,
    /// The `--max-file-size` of the run, for files read after discovery
    /// (`None`: the default).
    max_file_size: Option<u64>,
}

/// Answers about paths, each computed once per run and shared between
/// threads. The lock is not held while an answer is computed, so computing
/// one may ask for others (a folder's canonical form for its files').
#[derive(Debug)]
pub struct PathMemo<V>(std::sync::Mutex<std::collections::HashMap<PathBuf, V>>);

impl<V> Default for PathMemo<V> {
    fn default() -> Self {
        PathMemo(std::sync::Mutex::default())
    }
}

impl<V: Clone> PathMemo<V> {
    pub fn get_or(&self, path: &Path, compute: impl FnOnce() -> V) -> V {
        let lock = || {
            self.0
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        };
        if let Some(v) = lock().get(path) {
            return v.clone();
        }
        let v = compute();
        lock().insert(path.to_path_buf(), v.clone());
        v
    }
}

/// `std::fs::canonicalize`, remembered per path for one run: the model
/// compares where files live (mounts, includes, projects) many times over.
#[derive(Debug, Default)]
pub struct CanonCache(PathMemo<Option<PathBuf>>);

impl Clone for CanonCache {
    /// A new, empty cache: a copied map may be read after the files moved.
    fn clone(&self) -> Self {
        CanonCache::default()
    }
}

impl CanonCache {
    pub fn get(&self, path: &Path) -> Option<PathBuf> {
        self.0.get_or(path, || {
            // a path that is not a symbolic link is its canonical folder
            // plus its name: one `lstat` here, and each folder resolved once
            match std::fs::symlink_metadata(path) {
                Err(_) => None,
                Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).ok(),
                // (deep paths resolve in one call: the folders are not worth
                // a frame each)
                Ok(_) if path.components().nth(64).is_some() => std::fs::canonicalize(path).ok(),
                Ok(_) => match (path.parent(), path.file_name()) {
                    (Some(dir), Some(name)) if !matches!(name.to_str(), Some("." | "..")) => {
                        let dir = if dir.as_os_str().is_empty() {
                            Path::new(".")
                        } else {
                            dir
                        };
                        self.get(dir).map(|d| d.join(name))
                    }
                    _ => std::fs::canonicalize(path).ok(),
                },
            }
        })
    }
}

impl SourceMap {
    pub fn add(&mut self, file: SourceFile) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.by_path.entry(file.path.clone()).or_insert(id);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Confine later reads (includes, `env_file`) to these directories.
    pub fn set_roots(&mut self, roots: Vec<PathBuf>) {
        self.roots = roots;
    }

    /// Read later files (includes, `env_file`) with this size limit.
    pub fn set_max_file_size(&mut self, max: u64) {
        self.max_file_size = Some(max);
    }

    /// The limit for files read after discovery.
    pub fn read_limit(&self) -> read::Limit {
        read::Limit::linted(self.max_file_size.unwrap_or(read::DEFAULT_MAX_FILE_SIZE))
    }

    /// May a file at this canonical path be read? True when no roots are set.
    pub fn within_roots(&self, canonical: &Path) -> bool {
        self.roots.is_empty() || self.roots.iter().any(|r| canonical.starts_with(r))
    }

    /// The canonical form of a path (symbolic links resolved), remembered
    /// for the run; `None` when it does not exist.
    pub fn canonical(&self, path: &Path) -> Option<PathBuf> {
        self.canon.get(path)
    }

    /// Read back the set-aside texts of the files `want` names. Returns the
    /// files that changed on disk since they were read (their text stays
    /// out: a report shows their locations without excerpts).
    pub fn restore(&mut self, want: impl Fn(FileId, &SourceFile) -> bool) -> Vec<FileId> {
        let mut changed = Vec::new();
        for (i, f) in self.files.iter_mut().enumerate() {
            let id = FileId(u32::try_from(i).unwrap_or(u32::MAX));
            if f.is_set_aside() && want(id, f) && !f.restore() {
                changed.push(id);
            }
        }
        changed
    }

    /// Find a file by path (as stored).
    pub fn find(&self, path: &Path) -> Option<FileId> {
        self.by_path.get(path).copied()
    }
}

pub fn display_path(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    s.strip_prefix("./").map(str::to_string).unwrap_or(s)
}

/// The largest char boundary at or below `i`.
/// `path` made absolute with the symbolic links of the part of it that
/// exists resolved: what a root is compared with, whether the file itself
/// exists or not.
pub fn resolved(path: &Path) -> std::path::PathBuf {
    let abs = crate::source::paths::normalize(
        &std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf()),
    );
    let mut existing = abs.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(c) = std::fs::canonicalize(existing) {
            let mut out = c;
            for r in rest.iter().rev() {
                out.push(r);
            }
            return out;
        }
        match (existing.parent(), existing.file_name()) {
            (Some(p), Some(n)) => {
                rest.push(n.to_os_string());
                existing = p;
            }
            _ => return abs.clone(),
        }
    }
}

pub fn floor_char_boundary(s: &str, i: usize) -> usize {
    let mut i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_counts_from_one_and_in_chars() {
        let f = SourceFile::new("a".into(), FileKind::Dotenv, "ab\né=x\n".into());
        assert_eq!(f.line_col(0), (1, 1));
        assert_eq!(f.line_col(3), (2, 1));
        // 'é' is two bytes; '=' is the second character of line 2
        assert_eq!(f.line_col(5), (2, 2));
        assert_eq!(f.line_col(100), (3, 1));
    }

    /// The cache resolves folder by folder; `std::fs::canonicalize` is the
    /// oracle, through symbolic links to folders and to files.
    #[cfg(unix)]
    #[test]
    fn canonical_paths_agree_with_the_file_system() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        std::fs::create_dir_all(root.join("real/conf.d")).expect("mkdir");
        std::fs::write(root.join("real/conf.d/site.conf"), "").expect("write");
        std::os::unix::fs::symlink(root.join("real"), root.join("link")).expect("link");
        std::os::unix::fs::symlink(
            root.join("real/conf.d/site.conf"),
            root.join("real/alias.conf"),
        )
        .expect("link");
        std::fs::create_dir_all(root.join("d/".repeat(70))).expect("mkdir");
        let cache = CanonCache::default();
        for p in [
            "real/conf.d/site.conf",
            "link/conf.d/site.conf",
            "link/alias.conf",
            "real/conf.d/../conf.d/./site.conf",
            "link/conf.d",
            "missing/file.conf",
            &"d/".repeat(70),
        ] {
            let p = root.join(p);
            assert_eq!(cache.get(&p), std::fs::canonicalize(&p).ok(), "{p:?}");
            // asked again: from the cache, same answer
            assert_eq!(cache.get(&p), std::fs::canonicalize(&p).ok(), "{p:?}");
        }
    }

    /// A set-aside text keeps its lines, comes back from disk as it was,
    /// and is refused once the file on disk is no longer the same.
    #[test]
    fn set_aside_text_comes_back_only_unchanged() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("values.yaml");
        let text = "a: 1\nb: é\n# sessionlint: ignore[weak-secret]\n";
        std::fs::write(&path, text).expect("write");
        let mut f = SourceFile::new(path.clone(), FileKind::HelmValues, text.into());
        let before: Vec<(usize, usize)> = (0..text.len()).map(|o| f.line_col(o)).collect();
        f.set_aside();
        assert!(f.is_set_aside() && f.text.is_empty() && f.may_hold_ignores());
        // lines stay exact; columns are counted in bytes while the text is away
        for (o, (line, _)) in before.iter().enumerate() {
            assert_eq!(f.line_col(o).0, *line, "offset {o}");
        }
        assert_eq!(f.load().as_deref(), Some(text));
        assert!(f.restore());
        assert_eq!(f.text, text);
        let after: Vec<(usize, usize)> = (0..text.len()).map(|o| f.line_col(o)).collect();
        assert_eq!(before, after);
        // changed on disk: refused, and the text stays away
        let mut g = SourceFile::new(path.clone(), FileKind::HelmValues, text.into());
        g.set_aside();
        std::fs::write(&path, "a: 2\nb: é\n# sessionlint: ignore[weak-secret]\n").expect("write");
        assert_eq!(g.load(), None);
        assert!(!g.restore());
        assert!(g.is_set_aside());
        std::fs::remove_file(&path).expect("remove");
        assert_eq!(g.load(), None);
        // invalid UTF-8 (read as U+FFFD) and UTF-16 (read as nothing) come
        // back as they were read
        for bytes in [&b"a: \xff\xfe\n"[..], &b"\xff\xfea\0:\0"[..]] {
            std::fs::write(&path, bytes).expect("write");
            let (text, _) = crate::source::read::decode(bytes.to_vec());
            let mut h = SourceFile::new(path.clone(), FileKind::HelmValues, text.clone());
            h.set_aside();
            assert_eq!(h.load().as_deref(), Some(text.as_str()));
            assert!(h.restore());
            assert_eq!(h.text, text);
        }
    }

    #[test]
    fn line_range_strips_crlf() {
        let f = SourceFile::new("a".into(), FileKind::Dotenv, "A=1\r\nB=2".into());
        assert_eq!(f.slice(f.line_range(1)), "A=1");
        assert_eq!(f.slice(f.line_range(2)), "B=2");
        assert_eq!(f.slice(f.line_range(9)), "");
    }
}
