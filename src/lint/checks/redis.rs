//! `redis-evicts-sessions` and `redis-without-persistence`: the Redis that
//! keeps the sessions drops them under memory pressure or on restart.

use std::collections::{HashMap, HashSet};

use super::{Check, Hit, Input};
use crate::lint::bind::{Match, effective};
use crate::model::{Model, Setting, Value, Workload};
use crate::rules::{RuleSet, image_repository};
use crate::source::finding::Label;

/// `redis-evicts-sessions` and `redis-without-persistence`.
pub struct Redis(pub RedisCheck);

impl Check for Redis {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        redis(input, self.0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum RedisCheck {
    Eviction,
    Persistence,
}

/// Redis settings read from a service's `command:`.
pub(crate) struct RedisArgs {
    pub maxmemory: Option<(String, crate::source::Span)>,
    pub policy: Option<(String, crate::source::Span)>,
    pub save: Option<(String, crate::source::Span)>,
    pub appendonly: Option<(String, crate::source::Span)>,
}

pub(crate) fn redis_args(w: &Workload) -> RedisArgs {
    let arg = |name: &str| {
        let flag = format!("--{name}");
        let mut it = w.command.iter();
        while let Some((word, _)) = it.next() {
            if word == &flag {
                return it.next().cloned();
            }
        }
        // a mounted redis.conf
        w.settings
            .iter()
            .rev()
            .find(|s| s.key == name)
            .map(|s| (s.value.known().unwrap_or("").to_string(), s.value_span))
    };
    RedisArgs {
        maxmemory: arg("maxmemory"),
        policy: arg("maxmemory-policy"),
        save: arg("save"),
        appendonly: arg("appendonly"),
    }
}

pub(crate) fn is_redis(w: &Workload, rules: &RuleSet) -> bool {
    w.app.as_deref() == Some("redis")
        || w.image.as_ref().is_some_and(|(i, _)| {
            rules.app("redis").is_some_and(|p| p.matches_image(i))
                || image_repository(i).ends_with("/redis")
        })
}

/// Settings of other services that point at the Redis service `name`.
/// Which workloads reach which Redis host, per project: the host each
/// setting names (a `redis://` URL, or a `*REDIS*HOST`/`*REDIS*URL` value),
/// with the first setting of each workload that names it. Built in one pass
/// over the model, so that looking up the users of every Redis is linear.
pub(crate) struct RedisUsers<'a> {
    by_host: HashMap<(&'a str, String), Vec<(&'a Workload, &'a Setting)>>,
}

impl<'a> RedisUsers<'a> {
    pub(crate) fn new(model: &'a Model) -> Self {
        let mut by_host: HashMap<(&'a str, String), Vec<(&'a Workload, &'a Setting)>> =
            HashMap::new();
        for w in &model.workloads {
            let mut named = HashSet::new();
            for s in effective(w) {
                let Some(host) = redis_host(s) else { continue };
                if named.insert(host.clone()) {
                    by_host
                        .entry((w.project.as_str(), host))
                        .or_default()
                        .push((w, s));
                }
            }
        }
        RedisUsers { by_host }
    }

    /// The other workloads of the Redis's project that point at it by name,
    /// each with the setting that does.
    pub(crate) fn of(&self, redis: &Workload) -> Vec<(&'a Workload, &'a Setting)> {
        let key = (redis.project.as_str(), redis.name.to_ascii_lowercase());
        self.by_host
            .get(&key)
            .map(|users| {
                users
                    .iter()
                    .filter(|(w, _)| !std::ptr::eq(*w, redis))
                    .copied()
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The Redis host a setting names, lowercased.
fn redis_host(s: &Setting) -> Option<String> {
    let Value::Known(v) = &s.value else {
        return None;
    };
    let v = v.trim().to_ascii_lowercase();
    if v.starts_with("redis://") || v.starts_with("rediss://") {
        return Some(
            v.split("://")
                .nth(1)
                .map(|r| r.rsplit('@').next().unwrap_or(r))
                .map(|r| r.split([':', '/']).next().unwrap_or(""))
                .unwrap_or("")
                .to_string(),
        );
    }
    let key = s.key.to_ascii_uppercase();
    (key.contains("REDIS") && (key.ends_with("HOST") || key.ends_with("URL")))
        .then(|| v.split(':').next().unwrap_or("").to_string())
}

fn redis<'a>(input: &Input<'a>, which: RedisCheck) -> Vec<Hit<'a>> {
    let mut out = Vec::new();
    let index = RedisUsers::new(input.model);
    for w in &input.model.workloads {
        if !is_redis(w, input.rules) {
            continue;
        }
        let users = index.of(w);
        if users.is_empty() {
            continue;
        }
        let args = redis_args(w);
        let mut m = Match::default();
        match which {
            RedisCheck::Eviction => {
                let (Some((mem, mem_span)), Some((policy, policy_span))) =
                    (args.maxmemory, args.policy)
                else {
                    continue;
                };
                let p = policy.to_ascii_lowercase();
                if p == "noeviction" || mem.trim() == "0" {
                    continue;
                }
                m.primary = Some(Label::new(policy_span, ""));
                m.related
                    .push(Label::new(mem_span, format!("memory capped at {mem}")));
                m.set("value", policy.clone());
            }
            RedisCheck::Persistence => {
                let Some((save, save_span)) = args.save else {
                    continue;
                };
                let aof_on = args
                    .appendonly
                    .as_ref()
                    .is_some_and(|(v, _)| v.eq_ignore_ascii_case("yes"));
                if !save.trim().is_empty() || aof_on {
                    continue;
                }
                m.primary = Some(Label::new(save_span, ""));
                if let Some((_, s)) = args.appendonly {
                    m.related
                        .push(Label::new(s, "append-only file switched off"));
                }
            }
        }
        let names: Vec<String> = users.iter().map(|(u, _)| format!("`{}`", u.name)).collect();
        let names = match names.as_slice() {
            [one] => format!("service {one} keeps"),
            [rest @ .., last] => format!("services {} and {last} keep", rest.join(", ")),
            [] => String::new(),
        };
        for (u, s) in &users {
            m.related.push(Label::new(
                s.value_span,
                format!("service `{}` uses it", u.name),
            ));
        }
        m.set("other", names);
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    out
}
