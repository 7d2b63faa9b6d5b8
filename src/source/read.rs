//! The one reader: every byte sessionlint takes in (linted files, standard
//! input, the configuration, rule files, secret lists, the baseline, nginx
//! includes, compose `env_file`s) comes through [`read_file`] or
//! [`read_stream`].
//!
//! Only regular files are opened: the kind of a path is looked at before
//! it is opened, so a FIFO, a socket or a device is an error and never a
//! wait or an endless read. At most `limit + 1` bytes are read, whatever
//! the file claims to measure. Decoding (UTF-8; binary, UTF-16 and invalid
//! UTF-8 detected) happens here too ([`decode`]).

use std::path::{Path, PathBuf};

/// The default `--max-file-size`: 8 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 8 * 1024 * 1024;

/// How far a read may go, and how a user raises it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub bytes: u64,
    pub raise: Raise,
}

/// Who sets a [`Limit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Raise {
    /// A linted input: `--max-file-size` (or `max-file-size` in the
    /// configuration) sets it.
    MaxFileSize,
    /// A file that tells sessionlint what to do (configuration, rules,
    /// secret lists, baseline): a fixed bound.
    Fixed,
}

impl Limit {
    /// The limit of a linted input.
    pub const fn linted(bytes: u64) -> Limit {
        Limit {
            bytes,
            raise: Raise::MaxFileSize,
        }
    }

    /// The fixed limit of configuration, rule, secret list and baseline
    /// files.
    pub const TOOL_INPUT: Limit = Limit {
        bytes: DEFAULT_MAX_FILE_SIZE,
        raise: Raise::Fixed,
    };
}

/// Text read and decoded, with the decoding problems found (binary,
/// UTF-16, invalid UTF-8) as byte ranges and messages.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Text {
    pub text: String,
    pub problems: Vec<(std::ops::Range<usize>, String)>,
}

impl Text {
    /// The text, or the first decoding problem as an error: for inputs
    /// that must be text as a whole (configuration, rules, values).
    pub fn strict(self, path: &Path) -> Result<String, ReadError> {
        match self.problems.into_iter().next() {
            None => Ok(self.text),
            Some((_, problem)) => Err(ReadError::Undecodable {
                path: path.to_path_buf(),
                // (the part after `;` tells how the text was read anyway)
                problem: format!(
                    "{}; it must be UTF-8 text",
                    problem.split("; ").next().unwrap_or_default()
                ),
            }),
        }
    }
}

/// Why an input could not be read.
#[derive(Debug)]
pub enum ReadError {
    /// A FIFO, socket, device or directory: not opened.
    NotRegular { path: PathBuf, what: &'static str },
    /// Over the limit: `size` when the file said so before it was read,
    /// `None` when the read itself went past the limit.
    TooLarge {
        path: PathBuf,
        size: Option<u64>,
        limit: Limit,
    },
    Io {
        path: PathBuf,
        error: std::io::Error,
    },
    /// Read, but not text (from [`Text::strict`]).
    Undecodable { path: PathBuf, problem: String },
}

impl ReadError {
    pub fn path(&self) -> &Path {
        match self {
            ReadError::NotRegular { path, .. }
            | ReadError::TooLarge { path, .. }
            | ReadError::Io { path, .. }
            | ReadError::Undecodable { path, .. } => path,
        }
    }

    /// The problem without the path, as a finding on a linted file shows
    /// it.
    pub fn problem(&self) -> String {
        match self {
            ReadError::NotRegular { what, .. } => {
                format!("file is {what}, not a regular file; it was not read")
            }
            ReadError::TooLarge {
                size: Some(size),
                limit,
                ..
            } => format!(
                "file is {size} bytes, over the limit of {} bytes; it was not read",
                limit.bytes
            ),
            ReadError::TooLarge {
                size: None, limit, ..
            } => format!(
                "file is over the limit of {} bytes; it was not read",
                limit.bytes
            ),
            ReadError::Io { error, .. } => format!("cannot read file: {error}"),
            ReadError::Undecodable { problem, .. } => problem.clone(),
        }
    }

    /// The problem with its hint, or for an I/O error the system's
    /// message alone: what follows `cannot read PATH: ` in an error.
    pub fn cause(&self) -> String {
        match (self, self.hint()) {
            (ReadError::Io { error, .. }, _) => error.to_string(),
            (_, Some(hint)) => format!("{} ({hint})", self.problem()),
            (_, None) => self.problem(),
        }
    }

    /// How to get past the error, when there is a way.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ReadError::TooLarge { limit, .. } => Some(match limit.raise {
                Raise::MaxFileSize => "raise the limit with --max-file-size BYTES",
                Raise::Fixed => {
                    "configuration, rule, secret list and baseline files are limited to \
                     8 MiB; this limit is fixed"
                }
            }),
            _ => None,
        }
    }
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path().display(), self.problem())?;
        if let Some(hint) = self.hint() {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ReadError {}

/// What a path that is not a regular file is, in words.
pub fn kind_of(t: std::fs::FileType) -> Option<&'static str> {
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some("a directory");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if t.is_fifo() {
            return Some("a FIFO");
        }
        if t.is_socket() {
            return Some("a socket");
        }
        if t.is_char_device() {
            return Some("a character device");
        }
        if t.is_block_device() {
            return Some("a block device");
        }
    }
    Some("not a regular file")
}

/// Read the regular file at `path` (symbolic links followed), at most
/// `limit.bytes`, and decode it.
pub fn read_file(path: &Path, limit: Limit) -> Result<Text, ReadError> {
    let io = |error| ReadError::Io {
        path: path.to_path_buf(),
        error,
    };
    let not_regular = |what| ReadError::NotRegular {
        path: path.to_path_buf(),
        what,
    };
    // the kind first: opening a FIFO waits for a writer
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(what) = kind_of(meta.file_type()) {
        return Err(not_regular(what));
    }
    let too_large = |size| ReadError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
    };
    if meta.len() > limit.bytes {
        return Err(too_large(Some(meta.len())));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // the path may have been replaced between the two looks: the open file
    // is what counts
    let meta = file.metadata().map_err(io)?;
    if let Some(what) = kind_of(meta.file_type()) {
        return Err(not_regular(what));
    }
    if meta.len() > limit.bytes {
        return Err(too_large(Some(meta.len())));
    }
    let bytes = read_at_most(file, limit.bytes, meta.len()).map_err(io)?;
    // (a file that grew since it was measured)
    if bytes.len() as u64 > limit.bytes {
        return Err(too_large(None));
    }
    let (text, problems) = decode(bytes);
    Ok(Text { text, problems })
}

/// Read a stream (standard input) to its end, at most `limit.bytes`, and
/// decode it. `name` stands for the stream in errors.
pub fn read_stream(
    stream: impl std::io::Read,
    name: &Path,
    limit: Limit,
) -> Result<Text, ReadError> {
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(
        &mut std::io::Read::take(stream, limit.bytes.saturating_add(1)),
        &mut bytes,
    )
    .map_err(|error| ReadError::Io {
        path: name.to_path_buf(),
        error,
    })?;
    if bytes.len() as u64 > limit.bytes {
        return Err(ReadError::TooLarge {
            path: name.to_path_buf(),
            size: None,
            limit,
        });
    }
    let (text, problems) = decode(bytes);
    Ok(Text { text, problems })
}

/// The first `max + 1` bytes of a file.
/// `size` is what the file measured before: room is made for it at once.
fn read_at_most(file: std::fs::File, max: u64, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let room = usize::try_from(size.min(max).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(room);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Decode file bytes as UTF-8 text. Binary content, UTF-16 and invalid
/// UTF-8 are reported with their offset; the text that can be read is kept.
pub fn decode(bytes: Vec<u8>) -> (String, Vec<(std::ops::Range<usize>, String)>) {
    // UTF-32 first: its little-endian mark begins like UTF-16's; without a
    // mark, an ASCII first character padded with three NULs
    let utf32 = bytes.starts_with(&[0xFF, 0xFE, 0, 0])
        || bytes.starts_with(&[0, 0, 0xFE, 0xFF])
        || matches!(bytes.get(..4), Some([a, 0, 0, 0] | [0, 0, 0, a]) if a.is_ascii() && *a != 0);
    if utf32 {
        return (
            String::new(),
            vec![(
                0..0,
                "file is UTF-32 encoded; sessionlint reads UTF-8 (save the file as UTF-8)".into(),
            )],
        );
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return (
            String::new(),
            vec![(
                0..0,
                "file is UTF-16 encoded; sessionlint reads UTF-8 (save the file as UTF-8)".into(),
            )],
        );
    }
    if let Some(nul) = bytes.iter().take(8192).position(|&b| b == 0) {
        return (
            String::new(),
            vec![(
                0..0,
                format!("file looks binary (NUL byte at offset {nul}); it was not read"),
            )],
        );
    }
    match String::from_utf8(bytes) {
        Ok(s) => (s, Vec::new()),
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
            (
                text,
                vec![(
                    at..at + 1,
                    format!("invalid UTF-8 at byte {at}; the invalid bytes were read as U+FFFD"),
                )],
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regular_files_within_the_limit_are_read() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("a.env");
        std::fs::write(&p, "A=1\n").expect("write");
        let t = read_file(&p, Limit::linted(4)).expect("read");
        assert_eq!(t.text, "A=1\n");
        assert!(t.problems.is_empty());
        let e = read_file(&p, Limit::linted(3)).expect_err("over");
        assert!(
            matches!(e, ReadError::TooLarge { size: Some(4), .. }),
            "{e}"
        );
        assert!(e.to_string().contains("--max-file-size"), "{e}");
        let e = read_file(&p, Limit::TOOL_INPUT).map(|_| ());
        assert!(e.is_ok());
        let e = read_file(&dir.path().join("missing"), Limit::TOOL_INPUT).expect_err("missing");
        assert!(matches!(e, ReadError::Io { .. }));
        let e = read_file(dir.path(), Limit::TOOL_INPUT).expect_err("dir");
        assert!(
            e.to_string().contains("is a directory, not a regular file"),
            "{e}"
        );
    }

    #[cfg(unix)]
    #[test]
    fn devices_are_refused_without_reading() {
        let e = read_file(Path::new("/dev/zero"), Limit::linted(16)).expect_err("device");
        assert!(
            e.to_string()
                .contains("/dev/zero: file is a character device, not a regular file"),
            "{e}"
        );
    }

    #[test]
    fn streams_are_bounded() {
        let name = Path::new("standard input");
        let t = read_stream(&b"A=1\n"[..], name, Limit::linted(4)).expect("read");
        assert_eq!(t.text, "A=1\n");
        let e = read_stream(std::io::repeat(0), name, Limit::linted(1000)).expect_err("over");
        assert!(matches!(e, ReadError::TooLarge { size: None, .. }), "{e}");
        let t = read_stream(&b"\xff\xfeA\0"[..], name, Limit::linted(10)).expect("read");
        assert!(t.strict(name).is_err());
    }

    #[test]
    fn decode_reports_bad_input() {
        assert!(decode(b"A=1\n".to_vec()).1.is_empty());
        let (_, p) = decode(b"A=\xff\n".to_vec());
        assert_eq!(p.first().map(|p| p.0.clone()), Some(2..3));
        let (t, p) = decode(b"A\0B".to_vec());
        assert!(t.is_empty() && p.iter().any(|p| p.1.contains("binary")));
        let (_, p) = decode(b"\xff\xfeA\0".to_vec());
        assert!(p.iter().any(|p| p.1.contains("UTF-16")));
        for utf32 in [
            &b"\xff\xfe\0\0A\0\0\0"[..],
            b"\0\0\xfe\xff\0\0\0A",
            b"A\0\0\0=\0\0\0",
        ] {
            let (_, p) = decode(utf32.to_vec());
            assert!(p.iter().any(|p| p.1.contains("UTF-32")), "{utf32:?}: {p:?}");
        }
    }
}
