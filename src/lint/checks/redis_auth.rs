//! `redis-password-mismatch`: a service that keeps its sessions in a Redis
//! of the project gives it a password the Redis does not have (or another
//! one): every session read and write fails, and logins loop.
//!
//! The Redis side is known only when nothing else can set a password: an
//! official `redis`/`valkey` image (which reads no password variable) with
//! no `--requirepass` in its command and no configuration file of its own;
//! a Bitnami image with `REDIS_PASSWORD` or `ALLOW_EMPTY_PASSWORD`. The
//! service side is its `*REDIS*PASSWORD*` variable, or the password in a
//! `redis://:password@host` URL.

use super::datastore::{datastore_of, session_holders};
use super::redis::is_redis;
use super::{Check, Hit, Input};
use crate::lint::bind::{Match, effective};
use crate::model::{Setting, Workload};
use crate::rules::image_repository;
use crate::source::finding::Label;

/// `redis-password-mismatch`.
pub struct RedisPassword;

impl Check for RedisPassword {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for r in &input.model.workloads {
            let Some((_, ds)) = datastore_of(r, input) else {
                continue;
            };
            if !is_redis(r, input.rules) {
                continue;
            }
            let Some(required) = required_password(r) else {
                continue;
            };
            for (u, named, _) in session_holders(r, ds, input) {
                let Some((s, sent)) = sent_password(u, named) else {
                    continue;
                };
                let why = match &required {
                    Required::None => format!(
                        "`{}` gives Redis service `{}` a password, and it has none: Redis answers every AUTH with an error",
                        s.key, r.name
                    ),
                    Required::Password(want, _) if *want != sent => format!(
                        "`{}` is not the password Redis service `{}` requires: every AUTH fails",
                        s.key, r.name
                    ),
                    Required::Password(..) => continue,
                };
                let mut m = Match {
                    primary: Some(Label::new(s.value_span, "")),
                    ..Default::default()
                };
                if let Required::Password(_, at) = &required {
                    m.related
                        .push(Label::new(*at, "the password Redis requires"));
                } else if let Some((_, at)) = &r.image {
                    m.related.push(Label::new(
                        *at,
                        format!("Redis service `{}` has no password", r.name),
                    ));
                }
                m.set("why", why);
                m.set("other", u.name.clone());
                out.push(Hit {
                    workload: Some(u),
                    matched: m,
                    severity: None,
                });
            }
        }
        out
    }
}

enum Required {
    None,
    Password(String, crate::source::Span),
}

/// The password a Redis service requires, when nothing hidden can set it.
fn required_password(r: &Workload) -> Option<Required> {
    let (image, _) = r.image.as_ref()?;
    let repo = image_repository(image);
    let last = repo.rsplit('/').next().unwrap_or(&repo);
    let bitnami = repo.contains("bitnami/");
    // a configuration file of its own, or a command that loads one
    let conf = r.config_files.iter().any(|c| c.ends_with(".conf"))
        || r.command.iter().any(|(w, _)| w.ends_with(".conf"))
        || r.volumes.as_ref().is_some_and(|v| {
            v.iter()
                .any(|v| v.target.ends_with(".conf") || v.target.contains("/etc/redis"))
        });
    if conf || r.volumes.is_none() {
        return None;
    }
    let mut words = r.command.iter();
    while let Some((w, _)) = words.next() {
        if w == "--requirepass" {
            let (v, at) = words.next()?;
            if v.contains('$') {
                return None;
            }
            return Some(Required::Password(v.clone(), *at));
        }
    }
    let eff = effective(r);
    let env = |k: &str| eff.iter().find(|s| s.key == k);
    if bitnami {
        if let Some(p) = env("REDIS_PASSWORD") {
            return p
                .value
                .known()
                .map(|v| Required::Password(v.to_string(), p.value_span));
        }
        return env("ALLOW_EMPTY_PASSWORD")
            .and_then(|s| s.value.known())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("yes"))
            .then_some(Required::None);
    }
    // the official images read no password variable; `REDIS_ARGS` (Redis
    // Stack) and an entrypoint of one's own can pass one
    if !matches!(last, "redis" | "valkey") || env("REDIS_ARGS").is_some() {
        return None;
    }
    Some(Required::None)
}

/// The password a service gives its Redis: a `*REDIS*PASSWORD*` variable
/// (a non-empty, known value), or the password of a `redis://` URL.
fn sent_password<'a>(u: &'a Workload, named: &'a Setting) -> Option<(&'a Setting, String)> {
    if let Some(v) = named.value.known()
        && let Some((_, rest)) = v.split_once("://")
        && let Some((userinfo, _)) = rest.rsplit_once('@')
    {
        let pass = userinfo.split_once(':').map_or(userinfo, |(_, p)| p);
        return (!pass.is_empty() && !pass.contains('$')).then(|| (named, pass.to_string()));
    }
    let s = effective(u).into_iter().find(|s| {
        let k = s.key.to_ascii_uppercase();
        k.contains("REDIS") && k.contains("PASSWORD") && !k.ends_with("_FILE")
    })?;
    let v = s.value.known()?.trim().trim_matches(['"', '\'']);
    (!v.is_empty()).then(|| (s, v.to_string()))
}
