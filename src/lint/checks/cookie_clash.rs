//! `sticky-cookie-name-clash`: a proxy's affinity cookie named like a
//! session cookie of the app behind it.
//!
//! A browser keeps one cookie per name, domain and path: when the proxy's
//! routing cookie has the name of the app's own session cookie, one
//! overwrites the other (or the browser holds two, at different paths, and
//! the app reads the wrong one), and the login is lost or loops. The names
//! an app sets come from its profile (`cookie.name` with its default, and
//! `cookies:`); a proxy whose app is not known is compared with the names
//! that every profile knows (`JSESSIONID`, `PHPSESSID` …).

use std::collections::BTreeMap;

use super::sticky_cookie::sticky_cookie_of;
use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::nginx::FactKind;
use crate::model::{Route, Workload};
use crate::rules::RuleSet;
use crate::source::Span;
use crate::source::finding::Label;

/// `sticky-cookie-name-clash`.
pub struct CookieClash;

impl Check for CookieClash {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let known = known_names(input.rules);
        let mut out = Vec::new();
        for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
            let own = app_names(w, bs, input.rules);
            for r in &w.routes {
                let Some((name, span)) = affinity_cookie(r) else {
                    continue;
                };
                let clash = own
                    .iter()
                    .find(|(n, _)| *n == name)
                    .map(|(_, why)| why.clone())
                    .or_else(|| {
                        // an app not known: the names apps are known to use
                        w.app.is_none().then_some(())?;
                        known.get(name.as_str()).map(|app| {
                            format!("a name apps give their session cookie ({app}'s, for one)")
                        })
                    });
                if let Some(why) = clash {
                    out.push(hit(Some(w), name, span, &r.title(), why));
                }
            }
        }
        // nginx `sticky` in an upstream, whatever it serves
        for f in input
            .model
            .proxy_facts
            .iter()
            .filter(|f| f.kind == FactKind::Sticky)
        {
            let Some((name, span)) = nginx_sticky_name(&f.args) else {
                continue;
            };
            if let Some(app) = known.get(name.as_str()) {
                let why = format!("a name apps give their session cookie ({app}'s, for one)");
                out.push(hit(None, name, span, "the nginx `sticky` directive", why));
            }
        }
        out
    }
}

fn hit<'a>(w: Option<&'a Workload>, name: String, span: Span, owner: &str, why: String) -> Hit<'a> {
    let mut m = Match {
        primary: Some(Label::new(span, "")),
        ..Default::default()
    };
    m.set("cookie", name);
    m.set("other", owner.to_string());
    m.set("why", why);
    Hit {
        workload: w,
        matched: m,
        severity: None,
    }
}

/// Session cookie names that profiles know, with the app that sets each.
fn known_names(rules: &RuleSet) -> BTreeMap<&str, &str> {
    let mut out = BTreeMap::new();
    for p in rules.apps.iter().filter(|p| !p.heuristic) {
        for s in &p.settings {
            if s.concept() == "cookie.name"
                && let Some(d) = s.default.as_deref().filter(|d| !d.is_empty())
            {
                out.entry(d).or_insert(p.name.as_str());
            }
        }
        for c in &p.cookies {
            out.entry(c.as_str()).or_insert(p.name.as_str());
        }
    }
    out
}

/// The names of the cookies the workload's app sets, each with how it is
/// known.
fn app_names(w: &Workload, bs: &[Binding<'_>], rules: &RuleSet) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let profile = w.app.as_deref().and_then(|a| rules.app(a));
    if let Some(p) = profile {
        for c in &p.cookies {
            out.push((
                c.clone(),
                format!("the name of a cookie {} sets itself", p.name),
            ));
        }
    }
    for b in bs.iter().filter(|b| b.concept() == "cookie.name") {
        if let Some(v) = b
            .value()
            .and_then(|v| v.known().map(|v| v.trim().to_string()))
        {
            let why = match b.setting {
                Some(s) => format!(
                    "the name `{}` gives {}'s session cookie",
                    s.key, b.profile.name
                ),
                None => format!("the name of {}'s session cookie", b.profile.name),
            };
            out.push((v, why));
        }
    }
    out
}

/// The name of a route's affinity cookie and where it is written.
fn affinity_cookie(r: &Route) -> Option<(String, Span)> {
    sticky_cookie_of(r)?.name
}

/// The cookie an nginx `sticky` directive sets: NGINX Plus `sticky cookie
/// NAME …`, nginx-sticky-module-ng `sticky name=NAME …` (`route` when no
/// name is given).
fn nginx_sticky_name(args: &[(String, Span)]) -> Option<(String, Span)> {
    match args.first() {
        Some((m, _)) if m == "cookie" => args.get(1).cloned(),
        Some((m, _)) if m == "route" || m == "learn" => None,
        _ => args.iter().find_map(|(a, s)| {
            let name = a.strip_prefix("name=")?;
            let at = s.start + (s.end - s.start).saturating_sub(name.len());
            Some((name.to_string(), Span { start: at, ..*s }))
        }),
    }
}
