//! `client-ip-affinity-behind-ingress`: Service `ClientIP` affinity behind
//! an Ingress sees the Ingress controller's address, not the user's.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::source::finding::Label;

/// `client-ip-affinity-behind-ingress`.
pub struct ClientIpAffinity;

impl Check for ClientIpAffinity {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        client_ip_behind_ingress(input)
    }
}

/// A Service with `sessionAffinity: ClientIP` behind an Ingress pins by
/// the ingress controller's address, not the user's.
fn client_ip_behind_ingress<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    use crate::model::RouteKind;
    let mut out = Vec::new();
    for w in &input.model.workloads {
        for r in w
            .routes
            .iter()
            .filter(|r| r.kind == RouteKind::Service && r.behind_ingress)
        {
            let Some(aff) = r
                .setting("sessionAffinity")
                .filter(|s| s.value.known().is_some_and(|v| v.trim() == "ClientIP"))
            else {
                continue;
            };
            let mut m = Match {
                primary: Some(Label::new(aff.value_span, "")),
                ..Default::default()
            };
            if let Some(i) = w.routes.iter().find(|r| r.kind == RouteKind::Ingress) {
                m.related
                    .push(Label::new(i.span, format!("{} routes here", i.title())));
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
