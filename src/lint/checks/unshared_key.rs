//! `unshared-key`: replicas that sign or encrypt with keys of their own.

use std::collections::{BTreeMap, HashSet};

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::{Value, Workload, WorkloadKind};
use crate::source::finding::Label;

/// `unshared-key`.
pub struct UnsharedKey;

impl Check for UnsharedKey {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        unshared_key(input)
    }
}

/// The binding of the key a profile says is generated at start when unset.
fn generated_key<'b, 'a>(bs: &'b [Binding<'a>]) -> Option<&'b Binding<'a>> {
    bs.iter().find(|b| {
        b.spec
            .when_unset
            .as_ref()
            .is_some_and(|u| u.generated_at_start)
    })
}

/// Several services of one app in one project must share the key that a
/// profile says is generated at start when unset; so must the replicas of
/// one service.
fn unshared_key<'a>(input: &Input<'a>) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    replicas_with_own_keys(input, &mut out);
    let mut groups: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    for (i, w) in input.model.workloads.iter().enumerate() {
        if !w.kind.is_container() {
            continue;
        }
        if let Some(app) = &w.app {
            groups
                .entry((w.project.clone(), app.clone()))
                .or_default()
                .push(i);
        }
    }
    for idx in groups.values().filter(|idx| idx.len() >= 2) {
        services_with_different_keys(input, idx, &mut out);
    }
    out
}

/// Replicas of one service that generate the key each for itself.
fn replicas_with_own_keys<'a>(input: &Input<'a>, out: &mut Vec<Hit<'a>>) {
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        if w.kind == WorkloadKind::EnvFile || w.replicas < 2 {
            continue;
        }
        let Some(b) = generated_key(bs) else {
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
}

/// What the key of service `i` is, as an identity: its value when pinned,
/// the volume it is kept on when shared, or its own. `None` when it is set
/// from somewhere the repository does not show.
fn key_identity(i: usize, w: &Workload, b: &Binding<'_>) -> Option<String> {
    match (b.value(), b.is_set()) {
        (Some(Value::Known(v)), true) => Some(format!("value:{v}")),
        (_, true) => None,
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
            Some(match shared {
                Some(v) => format!("volume:{}", v.source),
                None => format!("own:{i}"),
            })
        }
    }
}

/// The services `idx` of one app in one project: report each whose key is
/// not pinned, or, when all are pinned to different values, the later ones.
fn services_with_different_keys<'a>(input: &Input<'a>, idx: &[usize], out: &mut Vec<Hit<'a>>) {
    let mut ids: Vec<(usize, Binding<'a>, String)> = Vec::new();
    for &i in idx {
        let (Some(w), Some(bs)) = (input.model.workloads.get(i), input.bindings.get(i)) else {
            continue;
        };
        let Some(b) = generated_key(bs) else {
            continue;
        };
        if let Some(identity) = key_identity(i, w, b) {
            ids.push((i, *b, identity));
        }
    }
    let distinct: HashSet<&str> = ids.iter().map(|(_, _, id)| id.as_str()).collect();
    if distinct.len() < 2 {
        return;
    }
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
        let others: Vec<(&Workload, &Binding<'a>)> = ids
            .iter()
            .filter(|(j, _, _)| j != i)
            .filter_map(|(j, bj, _)| Some((input.model.workloads.get(*j)?, bj)))
            .collect();
        for (wj, bj) in &others {
            let span = bj.setting.map_or(wj.span, |s| s.value_span);
            m.related
                .push(Label::new(span, format!("service `{}`", wj.name)));
        }
        m.set("key", key);
        let names: Vec<String> = others
            .iter()
            .map(|(w, _)| format!("`{}`", w.name))
            .collect();
        m.set("other", names.join(", "));
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
}
