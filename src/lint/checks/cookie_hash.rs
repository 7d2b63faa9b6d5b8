//! `sticky-hash-on-changing-cookie`: an nginx upstream that keeps a user on
//! one server by hashing a cookie (`hash $cookie_<name>`), in front of
//! replicas that keep sessions each for themselves.
//!
//! The first request of a user carries no such cookie, and apps issue a new
//! session id when the user logs in (against session fixation): the hash
//! changes right after the login, the user moves to another replica, and
//! that replica does not know the session.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::model::RouteKind;
use crate::source::finding::Label;

/// `sticky-hash-on-changing-cookie`.
pub struct CookieHash;

impl Check for CookieHash {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
            if w.replicas < 2 {
                continue;
            }
            let per_instance = bs
                .iter()
                .filter(|b| b.concept() == "session.store")
                .filter_map(|b| b.value())
                .any(|v| {
                    v.known()
                        .is_some_and(|v| matches!(v.trim(), "memory" | "file" | "sqlite"))
                })
                || w.app
                    .as_deref()
                    .and_then(|a| input.rules.app(a))
                    .is_some_and(|p| !p.in_memory.is_empty());
            if !per_instance {
                continue;
            }
            for r in w.routes.iter().filter(|r| r.kind == RouteKind::Proxy) {
                let Some(s) = r.setting("sticky") else {
                    continue;
                };
                let Some(v) = s.value.known() else { continue };
                let Some(cookie) = v
                    .strip_prefix("hash ")
                    .and_then(|k| k.split("$cookie_").nth(1))
                    .map(|c| {
                        c.split(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_'))
                            .next()
                            .unwrap_or(c)
                            .to_string()
                    })
                else {
                    continue;
                };
                let mut m = Match {
                    primary: Some(Label::new(s.value_span, "")),
                    ..Default::default()
                };
                m.set("cookie", cookie);
                m.set("replicas", w.replicas.to_string());
                m.set("other", r.title());
                out.push(Hit {
                    workload: Some(w),
                    matched: m,
                    severity: None,
                });
            }
        }
        out
    }
}
