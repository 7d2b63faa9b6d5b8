//! HAProxy (`haproxy.cfg`) in the model: each backend (and `listen`
//! section) becomes a route in front of the compose services and
//! Kubernetes Services its `server` lines name. Stickiness comes from
//! `cookie … insert|rewrite|prefix`, `balance source` and `stick on` /
//! `stick-table`; TLS from a `bind … ssl` of a frontend that uses the
//! backend (`default_backend`, `use_backend`).

use std::collections::HashMap;

use crate::model::{Route, RouteKind, Setting, Workload};
use crate::source::{FileId, FileKind, SourceMap, Span};

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

fn setting(id: FileId, key: &str, line: &Line) -> Setting {
    let text: Vec<&str> = line.words.iter().map(|(w, _)| w.as_str()).collect();
    let key_span = line
        .words
        .first()
        .map_or(line.span.clone(), |(_, r)| r.clone());
    Setting::literal(
        key,
        Span::new(id, key_span),
        text.join(" "),
        Span::new(id, line.span.clone()),
    )
}

/// Read every haproxy.cfg and attach routes to the workloads it balances.
pub fn read(sources: &SourceMap, workloads: &mut [Workload]) {
    for (id, f) in sources.iter().filter(|(_, f)| f.kind == FileKind::Haproxy) {
        let sections = parse(&f.text);
        // which backends a TLS frontend uses
        let mut tls_backends: HashMap<String, bool> = HashMap::new();
        for s in sections.iter().filter(|s| s.kind == "frontend") {
            let tls = s.lines.iter().any(is_ssl_bind);
            for l in &s.lines {
                let kw = l.words.first().map(|(w, _)| w.as_str()).unwrap_or("");
                if (kw == "default_backend" || kw == "use_backend")
                    && let Some((b, _)) = l.words.get(1)
                {
                    let e = tls_backends.entry(b.clone()).or_insert(false);
                    *e |= tls;
                }
            }
        }
        for s in sections
            .iter()
            .filter(|s| s.kind == "backend" || s.kind == "listen")
        {
            let tls = if s.kind == "listen" {
                s.lines.iter().any(is_ssl_bind)
            } else {
                tls_backends.get(&s.name).copied().unwrap_or(false)
            };
            let mut settings = Vec::new();
            for l in &s.lines {
                let w = |i: usize| {
                    l.words
                        .get(i)
                        .map(|(w, _)| w.to_ascii_lowercase())
                        .unwrap_or_default()
                };
                match w(0).as_str() {
                    "cookie"
                        if l.words.iter().any(|(x, _)| {
                            matches!(x.as_str(), "insert" | "rewrite" | "prefix")
                        }) =>
                    {
                        settings.push(setting(id, "haproxy.cookie", l));
                        settings.push(setting(id, "sticky", l));
                    }
                    "balance" if w(1) == "source" => settings.push(setting(id, "sticky", l)),
                    "stick" if w(1) == "on" || w(1) == "match" => {
                        settings.push(setting(id, "sticky", l));
                    }
                    _ => {}
                }
            }
            for l in s.lines.iter().filter(|l| {
                l.words
                    .first()
                    .is_some_and(|(w, _)| w.eq_ignore_ascii_case("server"))
            }) {
                let Some((addr, addr_span)) = l.words.get(2) else {
                    continue;
                };
                let Some(host) = crate::model::nginx::host_of(addr) else {
                    continue;
                };
                for wl in workloads
                    .iter_mut()
                    .filter(|w| crate::model::nginx::serves(w, &host, &f.path, sources))
                {
                    let span = Span::new(id, addr_span.clone());
                    if wl.routes.iter().any(|r| r.span == span) {
                        continue;
                    }
                    wl.routes.push(Route {
                        kind: RouteKind::Proxy,
                        name: format!("HAProxy {} `{}`", s.kind, s.name),
                        span,
                        tls,
                        settings: settings.clone(),
                        behind_ingress: false,
                    });
                }
            }
        }
    }
}

fn is_ssl_bind(l: &Line) -> bool {
    l.words
        .first()
        .is_some_and(|(w, _)| w.eq_ignore_ascii_case("bind"))
        && (l.words.iter().any(|(w, _)| w == "ssl")
            || l.words.get(1).is_some_and(|(a, _)| a.ends_with(":443")))
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
