//! `secure-cookie-over-http`: the app marks its session cookie `Secure`
//! (by default or by setting) while users reach it over plain HTTP, so the
//! browser drops the cookie and every login ends at once.
//!
//! The evidence, strongest first: the app's own public URL setting says
//! `http://` (`site.url`); a route in front of it serves no TLS while the
//! Secure flag comes from the app's default (a flag set by hand over a
//! plain route is `secure-cookie-without-tls`); or the container is
//! published on a port of the host and the repository puts nothing in front
//! of it (no proxy, router, Ingress or tunnel), so the port is the way in.
//! Browsers keep Secure cookies on `http://localhost`, so a URL on the
//! loopback and ports bound to it are not evidence.

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::{Model, Workload};
use crate::source::finding::{Label, Severity};

/// `secure-cookie-over-http`.
pub struct SecureOverHttp;

impl Check for SecureOverHttp {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        let fronted = model_has_front(input.model);
        for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
            let Some(secure) = bs.iter().find(|b| b.concept() == "cookie.secure") else {
                continue;
            };
            if secure.spec.only_over_https {
                continue;
            }
            if !secure
                .value()
                .and_then(|v| v.known().map(truthy))
                .unwrap_or(false)
            {
                continue;
            }
            let url = bs
                .iter()
                .find(|b| b.concept() == "site.url")
                .and_then(|b| Some((b, b.setting?, b.value()?.known()?.trim().to_string())));
            if let Some((_, s, u)) = &url
                && plain_http(u)
            {
                let why = format!("`{}` is an http:// URL", s.key);
                let mut m = matched(secure, s.value_span, &why);
                if secure.setting.is_some() {
                    m.related.push(Label::new(s.value_span, why));
                }
                m.set("how", format!("`{}` says it is served at {u}", s.key));
                out.push(hit(w, m, None));
                continue;
            }
            // an https URL: the way in is TLS, whatever the route says
            if url
                .as_ref()
                .is_some_and(|(_, _, u)| u.starts_with("https://"))
            {
                continue;
            }
            match w.tls {
                Some(false) if !secure.is_set() => {
                    let Some(route) = w.routes.iter().find(|r| !r.tls) else {
                        continue;
                    };
                    let mut m = matched(secure, w.span, "Secure by default");
                    m.related.push(Label::new(
                        route.span,
                        format!("{} serves plain HTTP", route.title()),
                    ));
                    m.set(
                        "how",
                        format!("{} in front serves plain HTTP", route.title()),
                    );
                    out.push(hit(w, m, None));
                }
                None if !fronted && w.kind.is_container() => {
                    let Some((port, span)) = w.ports.iter().find(|(p, _)| published_openly(p))
                    else {
                        continue;
                    };
                    let mut m = matched(secure, *span, "published over plain HTTP");
                    if secure.setting.is_some() {
                        m.related
                            .push(Label::new(*span, "published over plain HTTP"));
                    }
                    m.set(
                        "how",
                        format!(
                            "it is published on port {} with no proxy, router or tunnel in front in this repository",
                            host_port(port)
                        ),
                    );
                    out.push(hit(w, m, Some(Severity::Note)));
                }
                _ => {}
            }
        }
        out
    }
}

fn hit<'a>(w: &'a Workload, matched: Match, severity: Option<Severity>) -> Hit<'a> {
    Hit {
        workload: Some(w),
        matched,
        severity,
    }
}

/// A match whose primary location is the Secure setting when it is set,
/// else `fallback` (where the cause shows: the URL, the port).
fn matched(secure: &Binding<'_>, fallback: crate::source::Span, why: &str) -> Match {
    let mut m = Match::default();
    match secure.setting {
        Some(s) => {
            m.primary = Some(Label::new(s.value_span, "Secure cookie"));
            m.set(
                "by",
                format!("`{}` = {}", s.key, s.value.known().unwrap_or("")),
            );
            m.set("fix", format!("set `{}` to false", s.key));
        }
        None => {
            m.primary = Some(Label::new(fallback, why));
            let key = secure.key();
            m.set("by", format!("by default (`{key}` unset)"));
            m.set("fix", format!("set `{key}=false`"));
        }
    }
    m.set("app", secure.profile.name.clone());
    m
}

/// `true`, `1`, `yes`, `on` (quoted or not, any case).
pub(super) fn truthy(v: &str) -> bool {
    matches!(
        v.trim()
            .trim_matches(['"', '\''])
            .to_ascii_lowercase()
            .as_str(),
        "true" | "1" | "yes" | "on"
    )
}

/// An `http://` URL whose host is not the loopback.
fn plain_http(url: &str) -> bool {
    let Some(rest) = url.strip_prefix("http://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host = if host.starts_with('[') {
        host.split(']')
            .next()
            .unwrap_or(host)
            .trim_start_matches('[')
    } else {
        host.split(':').next().unwrap_or(host)
    };
    !(host.is_empty()
        || host.contains('$')
        || host.eq_ignore_ascii_case("localhost")
        || host.ends_with(".localhost")
        || host.starts_with("127.")
        || host == "::1")
}

/// A published port not bound to the loopback: `5678:5678`,
/// `0.0.0.0:80:8080`; not `127.0.0.1:5678:5678` or a bare container port.
fn published_openly(spec: &str) -> bool {
    let spec = spec.trim().trim_matches(['"', '\'']);
    let spec = spec.split('/').next().unwrap_or(spec);
    let parts: Vec<&str> = spec.rsplitn(3, ':').collect();
    match parts.as_slice() {
        [_container] => false,
        [_, host_port] => !host_port.contains('$') && !host_port.is_empty(),
        [_, _, ip] => {
            let ip = ip.trim_matches(['[', ']']);
            !(ip.starts_with("127.") || ip == "::1" || ip.eq_ignore_ascii_case("localhost"))
        }
        _ => false,
    }
}

/// The host side of a port spec, for messages.
fn host_port(spec: &str) -> &str {
    let spec = spec.trim().trim_matches(['"', '\'']);
    let mut parts = spec.rsplitn(3, ':');
    parts.next();
    parts.next().unwrap_or(spec)
}

/// Does anything in the repository stand in front of the apps: a route
/// (Ingress, proxy, Traefik labels), or a proxy or tunnel container?
fn model_has_front(model: &Model) -> bool {
    const FRONTS: &[&str] = &[
        "nginx",
        "traefik",
        "caddy",
        "haproxy",
        "envoy",
        "cloudflared",
        "tailscale",
        "ngrok",
        "swag",
        "nginx-proxy",
        "nginx-proxy-manager",
        "frp",
        "pangolin",
        "newt",
        "zrok",
        "openresty",
        "apache",
        "httpd",
    ];
    model.workloads.iter().any(|w| {
        !w.routes.is_empty()
            || w.app.as_deref().is_some_and(|a| FRONTS.contains(&a))
            || w.image.as_ref().is_some_and(|(i, _)| {
                let repo = i.split([':', '@']).next().unwrap_or(i).to_ascii_lowercase();
                repo.split('/').any(|part| {
                    FRONTS
                        .iter()
                        .any(|f| part == *f || part.starts_with(&format!("{f}-")))
                })
            })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tells_plain_http_urls() {
        assert!(plain_http("http://192.168.1.10:5678/"));
        assert!(plain_http("http://n8n.example.com"));
        assert!(!plain_http("https://n8n.example.com"));
        assert!(!plain_http("http://localhost:5678"));
        assert!(!plain_http("http://127.0.0.1:5678"));
        assert!(!plain_http("http://[::1]:80"));
        assert!(!plain_http("http://${HOST}"));
    }

    #[test]
    fn tells_open_ports() {
        assert!(published_openly("5678:5678"));
        assert!(published_openly("\"80:8080\""));
        assert!(published_openly("0.0.0.0:80:8080"));
        assert!(!published_openly("127.0.0.1:5678:5678"));
        assert!(!published_openly("5678"));
        assert_eq!(host_port("0.0.0.0:80:8080"), "80");
        assert_eq!(host_port("5678:5678"), "5678");
    }
}
