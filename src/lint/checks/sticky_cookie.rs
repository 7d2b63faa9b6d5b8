//! `sticky-cookie-without-secure`, `sticky-cookie-samesite-none` and
//! `sticky-cookie-shorter-than-session`: the affinity cookie of an Ingress or
//! proxy.

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::{Route, Setting, Workload};
use crate::source::finding::Label;
use crate::source::secret::Reveal;

/// One of the three sticky-cookie checks.
pub struct StickyCookieCheck(pub StickyCheck);

impl Check for StickyCookieCheck {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        sticky_cookie(input, self.0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StickyCheck {
    Secure,
    SameSiteNone,
    Lifetime,
}

fn is_true(s: Option<&Setting>) -> bool {
    s.and_then(|s| s.value.known())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
}

/// The sticky cookie of a route: ingress-nginx annotations or Traefik
/// `…loadbalancer.sticky.cookie.*` labels.
pub(super) struct StickyCookie<'r> {
    /// Where stickiness is turned on.
    marker: &'r Setting,
    /// The cookie's name when one is set, and where it is written.
    pub(super) name: Option<(String, crate::source::Span)>,
    secure: bool,
    /// The proxy adds Secure by itself on HTTPS requests (ingress-nginx).
    auto_secure: bool,
    samesite: Option<&'r Setting>,
    max_age: Option<&'r Setting>,
    /// `Ingress `x`` / `Traefik router of `web``.
    owner: String,
    /// The setting that turns Secure on, for the help text.
    secure_key: String,
}

pub(super) fn sticky_cookie_of(r: &Route) -> Option<StickyCookie<'_>> {
    use crate::model::RouteKind;
    match r.kind {
        RouteKind::Ingress => Some(StickyCookie {
            marker: r
                .annotation("affinity")
                .filter(|s| s.value.known().is_some_and(|v| v.trim() == "cookie"))?,
            name: r.annotation("session-cookie-name").and_then(name_of),
            secure: is_true(r.annotation("session-cookie-secure")),
            auto_secure: true,
            samesite: r.annotation("session-cookie-samesite"),
            max_age: r
                .annotation("session-cookie-max-age")
                .or_else(|| r.annotation("session-cookie-expires")),
            owner: r.title(),
            secure_key: "nginx.ingress.kubernetes.io/session-cookie-secure: \"true\"".into(),
        }),
        RouteKind::Proxy => {
            let label = |suffix: &str| {
                r.settings
                    .iter()
                    .rev()
                    .find(|s| s.key.to_ascii_lowercase().ends_with(suffix))
            };
            let marker = r.setting("sticky")?;
            if let Some(c) = r.setting("haproxy.cookie") {
                let text = c.value.known().unwrap_or("");
                let name = text.split_whitespace().nth(1).unwrap_or("").to_string();
                let text = text.to_ascii_lowercase();
                return Some(StickyCookie {
                    marker: c,
                    name: (!name.is_empty()).then(|| (name.clone(), c.value_span)),
                    secure: text.split_whitespace().any(|w| w == "secure"),
                    auto_secure: false,
                    samesite: None,
                    max_age: None,
                    owner: r.title(),
                    secure_key: format!("cookie {name} insert … secure"),
                });
            }
            // a Traefik IngressRoute: `sticky: {cookie: {…}}` of a service
            if let Some(c) = r.setting("sticky.cookie") {
                let field = |name: &str| {
                    r.settings
                        .iter()
                        .rev()
                        .find(|s| s.key.eq_ignore_ascii_case(&format!("sticky.cookie.{name}")))
                };
                return Some(StickyCookie {
                    marker: c,
                    name: field("name").and_then(name_of),
                    secure: is_true(field("secure")),
                    auto_secure: false,
                    samesite: field("samesite"),
                    max_age: field("maxage"),
                    owner: r.title(),
                    secure_key: "sticky.cookie.secure: true".into(),
                });
            }
            // Traefik: `traefik.http.services.<svc>.loadbalancer.sticky.cookie…`
            const STICKY: &str = ".loadbalancer.sticky.cookie";
            let service = r.settings.iter().find_map(|s| {
                let end = s.key.to_ascii_lowercase().find(STICKY)?;
                s.key.get(..end)
            })?;
            Some(StickyCookie {
                marker: label(".sticky.cookie").unwrap_or(marker),
                name: label(".sticky.cookie.name").and_then(name_of),
                secure: is_true(label(".sticky.cookie.secure")),
                auto_secure: false,
                samesite: label(".sticky.cookie.samesite"),
                max_age: label(".sticky.cookie.maxage"),
                owner: r.title(),
                secure_key: format!("{service}{STICKY}.secure=true"),
            })
        }
        RouteKind::Service => None,
    }
}

/// A cookie name as written, unquoted, with where it is written.
fn name_of(s: &Setting) -> Option<(String, crate::source::Span)> {
    let v = s.value.known()?.trim().trim_matches(['"', '\'']);
    (!v.is_empty()).then(|| (v.to_string(), s.value_span))
}

/// Sticky cookies of Ingresses and Traefik: Secure, SameSite and lifetime.
fn sticky_cookie<'a>(input: &Input<'a>, which: StickyCheck) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        for r in &w.routes {
            let Some(c) = sticky_cookie_of(r) else {
                continue;
            };
            let found = match which {
                StickyCheck::Secure => without_secure(r, &c),
                StickyCheck::SameSiteNone => samesite_none(r, &c),
                StickyCheck::Lifetime => shorter_than_session(w, bs, &c),
            };
            let Some(mut m) = found else { continue };
            m.set("other", c.owner.clone());
            m.set("secure-key", c.secure_key.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}

/// The cookie lacks Secure where it matters.
fn without_secure(r: &Route, c: &StickyCookie<'_>) -> Option<Match> {
    if c.secure {
        return None;
    }
    let mut m = Match::default();
    if c.auto_secure {
        // the controller sets Secure itself on HTTPS requests
        if r.tls {
            return None;
        }
        m.related
            .push(Label::new(r.span, format!("{} has no `tls:`", c.owner)));
        m.set(
            "why",
            "it has no `tls:` section and no `session-cookie-secure` annotation".to_string(),
        );
    } else {
        // Traefik never adds Secure; it matters on HTTPS routers
        if !r.tls {
            return None;
        }
        m.related.push(Label::new(r.span, "served over TLS"));
        let why = if r.setting("haproxy.cookie").is_some() {
            "a TLS frontend uses this backend, but its `cookie` line has no `secure`"
        } else {
            "the router serves TLS, but the cookie's `secure` is not true"
        };
        m.set("why", why.to_string());
    }
    m.primary = Some(Label::new(c.marker.value_span, ""));
    Some(m)
}

/// `SameSite=None` without Secure: browsers drop the cookie.
fn samesite_none(r: &Route, c: &StickyCookie<'_>) -> Option<Match> {
    let ss = c.samesite?;
    let none = ss
        .value
        .known()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("none"));
    if !none || c.secure || (c.auto_secure && r.tls) {
        return None;
    }
    let mut m = Match {
        primary: Some(Label::new(ss.value_span, "")),
        ..Default::default()
    };
    m.related
        .push(Label::new(c.marker.value_span, "sticky cookie"));
    Some(m)
}

/// The stickiness ends before the session, which lives in one replica.
fn shorter_than_session(w: &Workload, bs: &[Binding<'_>], c: &StickyCookie<'_>) -> Option<Match> {
    let age = c.max_age?;
    let secs = age
        .value
        .known()
        .and_then(|v| v.trim().parse::<u128>().ok())
        .filter(|s| *s > 0)?;
    let per_instance = bs.iter().any(|b| {
        b.concept() == "session.store"
            && b.is_set()
            && b.value()
                .and_then(|v| v.known().map(|v| b.spec.normalize(v)))
                .is_some_and(|v| ["memory", "file", "sqlite"].contains(&v.as_str()))
    });
    if !per_instance {
        return None;
    }
    let sticky = crate::syntax::duration::Duration::from_secs(secs);
    let (app_d, b) = bs
        .iter()
        .filter(|b| matches!(b.concept(), "session.max-lifetime" | "session.idle-timeout"))
        .filter_map(|b| Some((b.duration()?, b)))
        .max_by_key(|(d, _)| *d)?;
    if sticky >= app_d {
        return None;
    }
    let mut m = Match {
        primary: Some(Label::new(age.value_span, format!("sticky for {sticky}"))),
        ..Default::default()
    };
    let at = b.setting.map_or(w.span, |s| s.value_span);
    m.related.push(Label::new(
        at,
        format!(
            "sessions last {}",
            b.duration_var(app_d).render(Reveal::Masked)
        ),
    ));
    m.set("duration", sticky.to_string());
    m.set("threshold", b.duration_var(app_d));
    Some(m)
}
