//! `ineffective-setting`: a name the app does not read.

use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::source::finding::Label;

/// `ineffective-setting`.
pub struct IneffectiveSetting;

impl Check for IneffectiveSetting {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        ineffective(input)
    }
}

fn ineffective<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    for (w, settings) in input.model.workloads.iter().zip(input.effective) {
        let Some(profile) = w.app.as_deref().and_then(|a| input.rules.app(a)) else {
            continue;
        };
        for &s in settings {
            let image = w.image.as_ref().map(|(i, _)| i.as_str());
            let Some(entry) = profile
                .ineffective
                .iter()
                .find(|i| i.matches(&s.key) && i.applies_to(image))
            else {
                continue;
            };
            let mut m = Match {
                primary: Some(Label::new(s.key_span, "")),
                related: s.via.clone(),
                from_example: s.from_example,
                ..Default::default()
            };
            m.set("key", s.key.clone());
            m.set("reason", entry.reason.clone());
            m.set(
                "use-instead",
                entry
                    .use_instead
                    .clone()
                    .map_or_else(String::new, |u| format!("; use `{u}` instead")),
            );
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: entry.severity,
            });
        }
    }
    out
}
