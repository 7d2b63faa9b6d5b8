//! `state-in-memory-across-replicas`: several replicas of an app that keeps
//! what a login depends on in each process's memory (its profile's
//! `in-memory:` entries), with nothing keeping a user on one replica.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::source::finding::Label;

/// `state-in-memory-across-replicas`.
pub struct InMemoryAcrossReplicas;

impl Check for InMemoryAcrossReplicas {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for (w, eff) in input.model.workloads.iter().zip(input.effective) {
            if w.replicas < 2 || w.sticky {
                continue;
            }
            let Some(profile) = w.app.as_deref().and_then(|a| input.rules.app(a)) else {
                continue;
            };
            let set = |k: &String| {
                eff.iter()
                    .any(|s| &s.key == k && s.value.known() != Some(""))
            };
            let Some(state) = profile
                .in_memory
                .iter()
                .find(|m| !m.unless_set.iter().any(set))
            else {
                continue;
            };
            let Some(at) = w.replicas_span else { continue };
            let mut m = Match {
                primary: Some(Label::new(at, "")),
                ..Default::default()
            };
            m.set("app", profile.name.clone());
            m.set("holds", state.holds.clone());
            m.set("why", state.effect.clone());
            m.set("replicas", w.replicas.to_string());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
        out
    }
}
