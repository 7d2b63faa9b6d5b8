//! HAProxy (`haproxy.cfg`) in the model: each backend (and `listen`
//! section) becomes a route in front of the compose services and
//! Kubernetes Services its `server` lines name. Stickiness comes from
//! `cookie … insert|rewrite|prefix`, `balance source` and `stick on` /
//! `stick-table`; TLS from a `bind … ssl` of a frontend that uses the
//! backend (`default_backend`, `use_backend`).

use std::collections::HashMap;

use crate::model::{Route, RouteKind, Setting, Workload};
use crate::source::{FileId, FileKind, SourceMap, Span};
use crate::syntax::haproxy::{Line, parse};

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
