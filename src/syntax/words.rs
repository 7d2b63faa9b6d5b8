//! Shell-like word splitting of command strings.

use std::ops::Range;

/// Split a command string into words like a POSIX shell would for simple
/// cases (quotes group, quotes are removed), with each word's range.
pub fn split_words(text: &str) -> Vec<(String, Range<usize>)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, c) in text.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '\'' | '"') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(s) = start.take() {
                    out.push((std::mem::take(&mut cur), s..i));
                }
            }
            (None, c) => {
                cur.push(c);
                start.get_or_insert(i);
            }
        }
    }
    if let Some(s) = start {
        out.push((cur, s..text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_like_a_shell() {
        let w: Vec<String> =
            split_words(r#"redis-server --save "" --maxmemory-policy allkeys-lru"#)
                .into_iter()
                .map(|(w, _)| w)
                .collect();
        assert_eq!(
            w,
            [
                "redis-server",
                "--save",
                "",
                "--maxmemory-policy",
                "allkeys-lru"
            ]
        );
        let r = split_words("a  'b c'");
        assert_eq!(r[1], ("b c".to_string(), 3..8));
    }
}
