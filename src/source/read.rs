//! Reading bytes into text: bounded reads, decoding, binary detection.

/// The first `max + 1` bytes of a file.
/// `size` is what the file measured before: room is made for it at once.
pub fn read_at_most(file: std::fs::File, max: u64, size: u64) -> std::io::Result<Vec<u8>> {
    use std::io::Read as _;
    let room = usize::try_from(size.min(max).saturating_add(1)).unwrap_or(0);
    let mut bytes = Vec::with_capacity(room);
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Decode file bytes as UTF-8 text. Binary content, UTF-16 and invalid
/// UTF-8 are reported with their offset; the text that can be read is kept.
pub fn decode(bytes: Vec<u8>) -> (String, Vec<(std::ops::Range<usize>, String)>) {
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
