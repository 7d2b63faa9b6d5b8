//! `session-bound-to-client-behind-proxy`: an app that ends a session when
//! the client's address changes (`session.bound-to-client`, on), behind a
//! load balancer, Ingress or proxy, where the address it sees changes.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::model::RouteKind;
use crate::source::finding::Label;

/// `session-bound-to-client-behind-proxy`.
pub struct BoundToClient;

impl Check for BoundToClient {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
            let Some(b) = bs.iter().find(|b| b.concept() == "session.bound-to-client") else {
                continue;
            };
            let on = b
                .value()
                .and_then(|v| v.known().map(super::secure_over_http::truthy));
            if on != Some(true) {
                continue;
            }
            // a route whose address the app sees instead of the user's: an
            // Ingress, a proxy, or a Service of type LoadBalancer
            let Some(route) = w.routes.iter().find(|r| match r.kind {
                RouteKind::Ingress | RouteKind::Proxy => true,
                RouteKind::Service => r
                    .setting("type")
                    .and_then(|s| s.value.known())
                    .is_some_and(|t| t.trim() == "LoadBalancer"),
            }) else {
                continue;
            };
            let mut m = Match {
                primary: Some(Label::new(route.span, "")),
                ..Default::default()
            };
            match b.setting {
                Some(s) => m
                    .related
                    .push(Label::new(s.value_span, format!("`{}` is on", s.key))),
                None => m.set("by", format!("`{}` is on by default", b.key())),
            }
            m.set_default("by", || format!("`{}` is on", b.key()));
            m.set("app", b.profile.name.clone());
            m.set("other", route.title());
            m.set("key", b.key());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
        out
    }
}
