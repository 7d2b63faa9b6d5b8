//! Masking of secret values in excerpts: the byte ranges that hold secrets
//! are starred out, keeping their length. Messages mask through
//! [`crate::source::secret`].

/// Replace every character of `text` with `*`, keeping its byte length so
/// that byte offsets into the surrounding line stay valid.
pub fn star_out(text: &str) -> String {
    text.chars().map(|c| "*".repeat(c.len_utf8())).collect()
}

/// The text of `range` in `file`, with every secret range starred out
/// (same byte length, so offsets stay valid) unless secrets are shown.
pub fn masked_text(
    masks: &[crate::source::Span],
    show_secrets: bool,
    id: crate::source::FileId,
    file: &crate::source::SourceFile,
    range: std::ops::Range<usize>,
) -> String {
    let mut text = file.slice(range.clone()).to_string();
    if show_secrets {
        return text;
    }
    for m in masks.iter().filter(|m| m.file == id) {
        let s = m.start.max(range.start);
        let e = m.end.min(range.end);
        if s >= e {
            continue;
        }
        let (rs, re) = (s - range.start, e - range.start);
        let (rs, re) = (
            crate::source::floor_char_boundary(&text, rs),
            crate::source::floor_char_boundary(&text, re),
        );
        if let Some(secret) = text.get(rs..re) {
            let stars = crate::source::mask::star_out(secret);
            text.replace_range(rs..re, &stars);
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_nothing_of_short_values() {
        assert_eq!(
            crate::source::secret::Secret::new("changeme").masked(),
            "******** (8 chars)"
        );
        assert_eq!(crate::source::secret::Secret::new("").masked(), "(empty)");
    }

    #[test]
    fn masks_keep_two_chars_of_long_values() {
        let m = crate::source::secret::Secret::new("sk_live_0123456789abcdef").masked();
        assert!(m.starts_with("sk**********"));
        assert!(m.ends_with("(24 chars)"));
        assert!(!m.contains("live"));
    }

    #[test]
    fn star_out_keeps_byte_length() {
        assert_eq!(star_out("aé").len(), "aé".len());
    }
}
