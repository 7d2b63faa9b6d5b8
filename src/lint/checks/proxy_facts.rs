//! `proxy-cookie-flags`, `proxy-cookie-path`, `nginx-plus-sticky` and
//! `missing-forwarded-proto`: what nginx does to the session cookie and the
//! scheme on the way through.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::model::nginx::FactKind;
use crate::source::finding::{Label, Severity};

/// One kind of nginx fact reported as it is.
pub struct ProxyFact(pub FactKind);

impl Check for ProxyFact {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        proxy_facts(input, self.0)
    }
}

/// nginx directives that change session cookies or break stickiness.
fn proxy_facts<'a>(input: &Input<'a>, kind: FactKind) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for f in input.model.proxy_facts.iter().filter(|f| f.kind == kind) {
        let mut m = Match {
            primary: Some(Label::new(f.span, "")),
            ..Default::default()
        };
        let mut severity = None;
        let arg = |i: usize| f.args.get(i).map(|(a, _)| a.to_ascii_lowercase());
        match kind {
            FactKind::CookieFlags => {
                let Some(name) = arg(0).filter(|n| n != "off") else {
                    continue;
                };
                let flags: Vec<(String, crate::source::Span)> = f
                    .args
                    .iter()
                    .skip(1)
                    .map(|(a, s)| (a.to_ascii_lowercase(), *s))
                    .collect();
                let has = |x: &str| flags.iter().find(|(a, _)| a == x);
                let mut why = Vec::new();
                let mut at = None;
                if let Some((_, s)) = has("nosecure") {
                    why.push("removes Secure");
                    at = at.or(Some(*s));
                }
                if let Some((_, s)) = has("nohttponly") {
                    why.push("removes HttpOnly, so scripts can read it");
                    at = at.or(Some(*s));
                }
                if let Some((_, s)) = has("samesite=none")
                    && has("secure").is_none()
                {
                    why.push("sets SameSite=None without Secure, which browsers reject");
                    at = at.or(Some(*s));
                }
                let Some(at) = at else { continue };
                m.primary = Some(Label::new(at, ""));
                m.set("cookie", name);
                m.set("why", why.join(" and "));
            }
            FactKind::CookiePath => {
                let Some(repl) = f.args.get(1) else { continue };
                let r = repl.0.to_ascii_lowercase();
                if !r.contains(';') {
                    continue;
                }
                m.primary = Some(Label::new(repl.1, "attributes injected here"));
                let secure = r.contains("secure");
                let why = if r.contains("samesite=none") && !secure {
                    severity = Some(Severity::Error);
                    "it adds SameSite=None without Secure, which browsers reject"
                } else if r.contains("samesite=strict") {
                    "it forces SameSite=Strict on every cookie whose path matches: after a link from mail or a return from a sign-in provider the session cookie is not sent, and the user looks logged out; cookies without a Path get no flags at all"
                } else {
                    "it adds the attributes only to cookies whose Path matches, next to those the app already sets"
                };
                m.set("why", why.to_string());
            }
            FactKind::Sticky => {
                // NGINX Plus names a method first; `sticky;` and `sticky
                // name=…` are nginx-sticky-module-ng, which some builds of
                // open-source nginx include
                if !matches!(arg(0).as_deref(), Some("cookie" | "route" | "learn")) {
                    continue;
                }
                if f.image
                    .as_deref()
                    .is_some_and(|i| i.to_ascii_lowercase().contains("plus"))
                {
                    continue;
                }
                m.set(
                    "image",
                    f.image
                        .clone()
                        .unwrap_or_else(|| "open-source nginx".to_string()),
                );
            }
            FactKind::NoForwardedProto => {
                m.primary = Some(Label::new(f.span, "proxied without the scheme"));
            }
            FactKind::PathRewrite => {
                let Some(target) = f.args.first() else {
                    continue;
                };
                let path = crate::model::nginx::url_path(&target.0)
                    .unwrap_or("/")
                    .trim_end_matches('/')
                    .to_string();
                m.primary = Some(Label::new(target.1, "proxied to another path"));
                m.set("other", path);
            }
            FactKind::HostWithoutPort => {
                m.primary = Some(Label::new(f.span, "the port is dropped here"));
            }
            FactKind::RequestHeadersOff => {
                m.primary = Some(Label::new(f.span, "no request headers passed"));
            }
            FactKind::CachedSetCookie => {
                m.primary = Some(Label::new(f.span, "responses cached with their Set-Cookie"));
            }
            FactKind::SetCookieHeader => continue,
        }
        out.push(Hit {
            workload: None,
            matched: m,
            severity,
        });
    }
    out
}
