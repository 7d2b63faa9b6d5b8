//! `unshared-key`: replicas that sign or encrypt with keys of their own.

use std::collections::{BTreeMap, HashSet};

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::{Value, WorkloadKind};
use crate::source::finding::Label;

/// `unshared-key`.
pub struct UnsharedKey;

impl Check for UnsharedKey {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        unshared_key(input)
    }
}

/// Several services of one app in one project must share the key that a
/// profile says is generated at start when unset.
fn unshared_key<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, w) in input.model.workloads.iter().enumerate() {
        if w.kind != WorkloadKind::ComposeService {
            continue;
        }
        if let Some(app) = &w.app {
            groups
                .entry((w.project.clone(), app.clone()))
                .or_default()
                .push(i);
        }
    }
    let mut out = Vec::new();
    // replicas of one service that generate the key each for itself
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        if w.kind == WorkloadKind::EnvFile || w.replicas < 2 {
            continue;
        }
        let Some(b) = bs.iter().find(|b| {
            b.spec
                .when_unset
                .as_ref()
                .is_some_and(|u| u.generated_at_start)
        }) else {
            continue;
        };
        if b.is_set() {
            continue;
        }
        let key = b.key();
        let mut m = Match {
            primary: Some(Label::new(
                w.replicas_span.unwrap_or(w.span),
                format!("{} replicas, `{key}` not set", w.replicas),
            )),
            ..Default::default()
        };
        m.related
            .push(Label::new(w.span, format!("service `{}`", w.name)));
        m.set("key", key);
        m.set(
            "other",
            match w.replicas - 1 {
                1 => "its other replica".to_string(),
                n => format!("its other {n} replicas"),
            },
        );
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    for idx in groups.values() {
        if idx.len() < 2 {
            continue;
        }
        // the generated-at-start key of each service, as an identity
        let mut ids: Vec<(usize, Binding<'a>, String)> = Vec::new();
        for &i in idx {
            let (Some(w), Some(bs)) = (input.model.workloads.get(i), input.bindings.get(i)) else {
                continue;
            };
            let Some(b) = bs.iter().find(|b| {
                b.spec
                    .when_unset
                    .as_ref()
                    .is_some_and(|u| u.generated_at_start)
            }) else {
                continue;
            };
            let identity = match (b.value(), b.is_set()) {
                (Some(Value::Known(v)), true) => format!("value:{v}"),
                (_, true) => continue, // set, but from somewhere we cannot see
                (_, false) => {
                    let kept_in = b
                        .spec
                        .when_unset
                        .as_ref()
                        .and_then(|u| u.kept_in.as_deref())
                        .unwrap_or("");
                    let shared = w.volumes.iter().flatten().find(|v| {
                        v.persistent
                            && !v.source.is_empty()
                            && kept_in.starts_with(v.target.trim_end_matches('/'))
                    });
                    match shared {
                        Some(v) => format!("volume:{}", v.source),
                        None => format!("own:{i}"),
                    }
                }
            };
            ids.push((i, *b, identity));
        }
        let distinct: HashSet<&str> = ids.iter().map(|(_, _, id)| id.as_str()).collect();
        if distinct.len() < 2 {
            continue;
        }
        // report each service whose key is not pinned, or, when all are
        // pinned to different values, the later ones
        let first = ids.first().map(|(i, _, id)| (*i, id.clone()));
        for (i, b, id) in &ids {
            let Some(w) = input.model.workloads.get(*i) else {
                continue;
            };
            let pinned = id.starts_with("value:");
            if pinned && first.as_ref().is_some_and(|(_, fid)| fid == id) {
                continue;
            }
            let mut m = Match::default();
            let key = b.key();
            match b.setting {
                Some(s) => {
                    m.primary = Some(Label::new(s.value_span, "differs from the other services"));
                    m.related.extend(s.via.iter().cloned());
                }
                None => {
                    m.primary = Some(Label::new(w.span, format!("`{key}` is not set here")));
                }
            }
            for (j, bj, _) in &ids {
                if j == i {
                    continue;
                }
                if let Some(wj) = input.model.workloads.get(*j) {
                    let span = bj.setting.map_or(wj.span, |s| s.value_span);
                    m.related
                        .push(Label::new(span, format!("service `{}`", wj.name)));
                }
            }
            m.set("key", key);
            let others: Vec<String> = ids
                .iter()
                .filter(|(j, _, _)| j != i)
                .filter_map(|(j, _, _)| input.model.workloads.get(*j))
                .map(|w| format!("`{}`", w.name))
                .collect();
            m.set("other", others.join(", "));
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
    }
    out
}
