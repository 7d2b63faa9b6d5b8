//! `proxy-websocket`: nginx in front of an app whose UI keeps a WebSocket.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::source::finding::Label;

/// `proxy-websocket`.
pub struct ProxyWebsocket;

impl Check for ProxyWebsocket {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        proxy_websocket(input)
    }
}

/// Apps whose web UI keeps a WebSocket open (n8n's push connection,
/// Grafana Live).
const WEBSOCKET_APPS: &[&str] = &["n8n", "grafana"];

/// nginx in front of a WebSocket app: no `Upgrade` header passed, or a
/// `proxy_read_timeout` under nginx's default of 60 seconds.
fn proxy_websocket<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for w in &input.model.workloads {
        if !w
            .app
            .as_deref()
            .is_some_and(|a| WEBSOCKET_APPS.contains(&a))
        {
            continue;
        }
        for r in w
            .routes
            .iter()
            .filter(|r| r.kind == crate::model::RouteKind::Proxy)
        {
            let Some(pass) = r.setting("nginx.proxy_pass") else {
                continue;
            };
            if pass.value.known() != Some("proxy_pass") {
                continue;
            }
            let mut m = Match::default();
            match (
                r.setting("nginx.upgrade"),
                r.setting("nginx.proxy_read_timeout"),
            ) {
                (None, _) => {
                    m.primary = Some(Label::new(pass.value_span, "no `Upgrade` header passed"));
                    m.set(
                        "why",
                        "it does not pass the `Upgrade` and `Connection` headers, so the WebSocket connection of the UI fails"
                            .to_string(),
                    );
                }
                (Some(_), Some(t)) => {
                    let Some(d) = t.value.known().and_then(|v| {
                        crate::syntax::duration::Duration::parse_in(
                            v,
                            crate::syntax::duration::Unit::Duration,
                        )
                    }) else {
                        continue;
                    };
                    if d >= crate::syntax::duration::Duration::from_secs(60) {
                        continue;
                    }
                    m.primary = Some(Label::new(
                        t.value_span,
                        format!("idle connections cut after {d}"),
                    ));
                    m.set(
                        "why",
                        format!(
                            "`proxy_read_timeout {}` cuts a quiet WebSocket connection after {d}",
                            t.value.known().unwrap_or("")
                        ),
                    );
                }
                (Some(_), None) => continue,
            }
            m.set("other", r.name.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}
