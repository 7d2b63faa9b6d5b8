//! `haproxy.cfg`: sections (`global`, `defaults`, `frontend`, `backend`,
//! `listen`) of `keyword args…` lines, each word with its byte range.

/// One `keyword args…` line with spans.
#[derive(Debug, Clone)]
pub struct Line {
    pub words: Vec<(String, std::ops::Range<usize>)>,
    pub span: std::ops::Range<usize>,
}

/// A section: `frontend name`, `backend name`, `listen name`, `defaults`.
#[derive(Debug, Clone)]
pub struct Section {
    pub kind: String,
    pub name: String,
    pub header: Line,
    pub lines: Vec<Line>,
}

/// Split a config into sections. Words are separated by blanks; quotes
/// group words; `#` starts a comment outside quotes.
pub fn parse(text: &str) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for (start, line) in crate::source::lines::lines(text) {
        let words = words(line, start);
        let Some((first, _)) = words.first() else {
            continue;
        };
        let l = Line {
            span: start + (line.len() - line.trim_start().len())..start + line.trim_end().len(),
            words: words.clone(),
        };
        let kw = first.to_ascii_lowercase();
        if matches!(
            kw.as_str(),
            "global"
                | "defaults"
                | "frontend"
                | "backend"
                | "listen"
                | "resolvers"
                | "peers"
                | "userlist"
                | "program"
                | "cache"
                | "mailers"
                | "http-errors"
                | "ring"
        ) && line.starts_with(|c: char| !c.is_whitespace())
        {
            out.push(Section {
                kind: kw,
                name: words.get(1).map(|(w, _)| w.clone()).unwrap_or_default(),
                header: l,
                lines: Vec::new(),
            });
        } else if let Some(s) = out.last_mut() {
            s.lines.push(l);
        }
    }
    out
}

fn words(line: &str, base: usize) -> Vec<(String, std::ops::Range<usize>)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut begin = None;
    let mut quote: Option<char> = None;
    let mut escaped = false;
    for (i, c) in line.char_indices() {
        if escaped {
            cur.push(c);
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => {
                escaped = true;
                begin.get_or_insert(i);
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), c) => cur.push(c),
            (None, '"' | '\'') => {
                quote = Some(c);
                begin.get_or_insert(i);
            }
            (None, '#') => break,
            (None, c) if c.is_whitespace() => {
                if let Some(b) = begin.take() {
                    out.push((std::mem::take(&mut cur), base + b..base + i));
                }
            }
            (None, c) => {
                cur.push(c);
                begin.get_or_insert(i);
            }
        }
    }
    if let Some(b) = begin {
        let end = line.trim_end().len().max(b);
        out.push((cur, base + b..base + end));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn sections_and_words() {
        let text = "global\n  daemon\nfrontend www # c\n  bind :443 ssl crt /x.pem\n  default_backend app\nbackend app\n  balance roundrobin\n  cookie SRV insert indirect nocache\n  server a1 \"app:80\" check\n";
        let s = parse(text);
        assert_eq!(s.len(), 3);
        assert_eq!(s[1].name, "www");
        let server = &s[2].lines[2];
        assert_eq!(server.words[2].0, "app:80");
        assert_eq!(&text[server.words[2].1.clone()], "\"app:80\"");
    }
}
