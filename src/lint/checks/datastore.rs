//! `sessions-store-without-volume` and `sessions-in-memcached`: the
//! datastore (a database, Redis, Memcached) that holds another service's
//! sessions loses them when its container goes.
//!
//! A datastore is a workload whose app profile has a `datastore:` section.
//! It holds the sessions of another service of its project when that
//! service's `session.store` is the kind of store it `serves` and one of
//! the service's settings names it: a URL of one of its schemes, or a
//! `…_HOST`/`…_URL` variable with one of its host words, whose host is the
//! datastore's service name.

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::model::{Setting, Value, Workload};
use crate::rules::{AppProfile, Datastore};
use crate::source::finding::Label;

/// Which of the two checks.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum StoreCheck {
    /// The data directory is on no volume.
    NoVolume,
    /// Memcached: memory only, and it evicts.
    MemoryOnly,
}

pub struct SessionsStore(pub StoreCheck);

impl Check for SessionsStore {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for w in &input.model.workloads {
            let Some((profile, ds)) = datastore_of(w, input) else {
                continue;
            };
            let holders = session_holders(w, ds, input);
            if holders.is_empty() {
                continue;
            }
            let m = match self.0 {
                StoreCheck::NoVolume if !ds.memory_only => no_volume(w, ds, profile),
                StoreCheck::MemoryOnly if ds.memory_only => memory_only(w),
                _ => None,
            };
            let Some(mut m) = m else { continue };
            let names: Vec<String> = holders
                .iter()
                .map(|(u, _, _)| format!("`{}`", u.name))
                .collect();
            let names = match names.as_slice() {
                [one] => format!("service {one} keeps"),
                [rest @ .., last] => format!("services {} and {last} keep", rest.join(", ")),
                [] => String::new(),
            };
            for (u, named, store) in &holders {
                m.related.push(Label::new(
                    named.value_span,
                    format!("service `{}` uses it", u.name),
                ));
                if let Some(s) = store.setting {
                    m.related.push(Label::new(
                        s.value_span,
                        format!("`{}` keeps its sessions there", u.name),
                    ));
                }
                m.heuristic |= store.profile.heuristic;
            }
            m.set("other", names);
            m.set("app", profile.name.clone());
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
        out
    }
}

/// The datastore profile of a workload.
pub(super) fn datastore_of<'a>(
    w: &Workload,
    input: &Input<'a>,
) -> Option<(&'a AppProfile, &'a Datastore)> {
    let p = input.rules.app(w.app.as_deref()?)?;
    Some((p, p.datastore.as_ref()?))
}

/// The other workloads of the project that keep their sessions in `store`,
/// each with the setting that names it and its `session.store` binding.
pub(super) fn session_holders<'a>(
    store: &Workload,
    ds: &Datastore,
    input: &Input<'a>,
) -> Vec<(&'a Workload, &'a Setting, Binding<'a>)> {
    let name = store.name.to_ascii_lowercase();
    let mut out = Vec::new();
    for ((u, bs), eff) in input
        .model
        .workloads
        .iter()
        .zip(input.bindings)
        .zip(input.effective)
    {
        if std::ptr::eq(u, store) || u.project != store.project {
            continue;
        }
        let Some(b) = bs.iter().find(|b| b.concept() == "session.store") else {
            continue;
        };
        let kind = b
            .value()
            .and_then(|v| v.known().map(|v| b.spec.normalize(v)));
        let Some(serves) = &ds.serves else {
            return out;
        };
        if kind.as_deref() != Some(serves.to_ascii_lowercase().as_str()) {
            continue;
        }
        if let Some(s) = eff.iter().find(|s| names_host(s, ds, &name)) {
            out.push((u, *s, *b));
        }
    }
    out
}

/// Does setting `s` name the datastore `ds` whose service is `name`?
pub(crate) fn names_host(s: &Setting, ds: &Datastore, name: &str) -> bool {
    let Value::Known(v) = &s.value else {
        return false;
    };
    let v = v
        .trim()
        .trim_matches(|c| c == '"' || c == '\'')
        .to_ascii_lowercase();
    if let Some((scheme, rest)) = v.split_once("://") {
        let scheme = scheme.strip_prefix("jdbc:").unwrap_or(scheme);
        let scheme = scheme.split('+').next().unwrap_or(scheme);
        return ds
            .url_schemes
            .iter()
            .any(|u| u.eq_ignore_ascii_case(scheme))
            && url_hosts(rest).any(|h| h == name);
    }
    let key = s.key.to_ascii_uppercase();
    let words: Vec<&str> = key
        .split(['_', '.', '-'])
        .filter(|w| !w.is_empty())
        .collect();
    let Some((last, rest)) = words.split_last() else {
        return false;
    };
    let host_key = matches!(
        *last,
        "HOST" | "HOSTS" | "HOSTNAME" | "SERVER" | "SERVERS" | "ADDR" | "ADDRESS"
    );
    host_key
        && rest
            .iter()
            .any(|w| ds.host_words.iter().any(|h| h.eq_ignore_ascii_case(w)))
        && v.split([',', ' '])
            .filter(|h| !h.is_empty())
            .any(|h| host_part(h) == name)
}

/// The hosts of the part of a URL after `scheme://`.
fn url_hosts(rest: &str) -> impl Iterator<Item = &str> {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let hosts = authority.rsplit('@').next().unwrap_or("");
    hosts.split(',').map(host_part)
}

/// `host:port` → `host`.
fn host_part(h: &str) -> &str {
    h.split(':').next().unwrap_or(h)
}

/// The data directory of `w` is on no persistent volume.
fn no_volume(w: &Workload, ds: &Datastore, profile: &AppProfile) -> Option<Match> {
    let (image, image_span) = w.image.as_ref()?;
    let paths = ds.data_paths_of(image)?;
    let dirs = kept_dirs(w, &paths.paths, &paths.env, &paths.flags)?;
    if on_volume(w, &dirs)? {
        return None;
    }
    // Redis that writes nothing to disk is `redis-without-persistence`'s
    if profile.app == "redis" {
        let args = super::redis::redis_args(w);
        let aof = args
            .appendonly
            .as_ref()
            .is_some_and(|(v, _)| v.eq_ignore_ascii_case("yes"));
        if args.save.as_ref().is_some_and(|(v, _)| v.trim().is_empty()) && !aof {
            return None;
        }
    }
    let mut m = Match {
        primary: Some(Label::new(*image_span, "")),
        ..Default::default()
    };
    m.set("kept-in", dirs.join(" or "));
    Some(m)
}

/// The directories where `w` keeps something: `paths`, and the values
/// of the variables in `env` and of the command-line flags in `flags`
/// that move it. `None` when one of those variables is set to a value not
/// known (moved somewhere we cannot tell).
pub(crate) fn kept_dirs(
    w: &Workload,
    paths: &[String],
    env: &[String],
    flags: &[String],
) -> Option<Vec<String>> {
    let mut dirs: Vec<String> = paths.to_vec();
    for e in env {
        if let Some(s) = w.setting(e) {
            match s.value.known() {
                Some(v) if !v.trim().is_empty() => dirs.push(v.trim().to_string()),
                Some(_) => {}
                None => return None,
            }
        }
    }
    let mut words = w.command.iter().map(|(word, _)| word.as_str()).peekable();
    while let Some(word) = words.next() {
        for f in flags {
            if word == f {
                if let Some(next) = words.peek() {
                    dirs.push((*next).to_string());
                }
            } else if let Some(v) = word
                .strip_prefix(f.as_str())
                .and_then(|r| r.strip_prefix('='))
            {
                dirs.push(v.to_string());
            }
        }
    }
    Some(dirs)
}

/// Is one of `dirs` on a persistent volume of `w` (a volume at, above or
/// below it)? `None` when the volumes of `w` are not known.
pub(crate) fn on_volume(w: &Workload, dirs: &[String]) -> Option<bool> {
    let vols = w.volumes.as_ref()?;
    let covered = |dir: &str| {
        let dir = dir.trim_end_matches('/');
        vols.iter().any(|v| {
            let t = v.target.trim_end_matches('/');
            v.persistent
                && (t.is_empty()
                    || dir == t
                    || dir.starts_with(&format!("{t}/"))
                    || t.starts_with(&format!("{dir}/")))
        })
    };
    Some(dirs.iter().any(|d| covered(d)))
}

/// Memcached: the sessions are only in its memory.
fn memory_only(w: &Workload) -> Option<Match> {
    let (_, image_span) = w.image.as_ref()?;
    let mut m = Match {
        primary: Some(Label::new(*image_span, "")),
        ..Default::default()
    };
    let no_evictions = w
        .command
        .iter()
        .any(|(word, _)| word == "-M" || word == "--disable-evictions");
    let memory = w
        .command
        .iter()
        .zip(w.command.iter().skip(1))
        .find(|((word, _), _)| word == "-m" || word == "--memory-limit")
        .map(|(_, (v, span))| (v.clone(), *span))
        .or_else(|| {
            w.command.iter().find_map(|(word, span)| {
                word.strip_prefix("--memory-limit=")
                    .map(|v| (v.to_string(), *span))
            })
        });
    let why = if no_evictions {
        "every restart of it logs everyone out (with `-M` it refuses new sessions when full instead of evicting)".to_string()
    } else {
        let mb = memory.as_ref().map_or_else(
            || "64 MB, the default".to_string(),
            |(v, _)| format!("{v} MB"),
        );
        format!(
            "every restart of it logs everyone out, and when its memory ({mb}) is full it evicts the least recently used sessions"
        )
    };
    if let Some((_, span)) = memory {
        m.related.push(Label::new(span, "memory limit"));
    }
    m.set("why", why);
    Some(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ds() -> Datastore {
        Datastore {
            serves: Some("database".into()),
            url_schemes: vec!["postgres".into(), "postgresql".into()],
            host_words: vec!["DB".into(), "DATABASE".into(), "POSTGRES".into()],
            data_paths: Vec::new(),
            memory_only: false,
        }
    }

    fn setting(key: &str, value: &str) -> Setting {
        let at = crate::source::Span::new(crate::source::FileId(0), 0..0);
        Setting::literal(key, at, value.to_string(), at)
    }

    #[test]
    fn urls_and_host_variables_name_the_datastore() {
        let d = ds();
        for (k, v) in [
            ("DATABASE_URL", "postgres://u:p@db:5432/app"),
            ("DATABASE_URL", "postgresql+asyncpg://u:p@db/app"),
            ("KC_DB_URL", "jdbc:postgresql://db:5432/keycloak"),
            ("DB_HOST", "db"),
            ("GF_DATABASE_HOST", "db:5432"),
            ("GITEA__database__HOST", "db:5432"),
            ("POSTGRES_HOST", "DB"),
        ] {
            assert!(names_host(&setting(k, v), &d, "db"), "{k}={v}");
        }
        for (k, v) in [
            ("DATABASE_URL", "mysql://u:p@db:3306/app"),
            ("REDIS_HOST", "db"),
            ("DB_NAME", "db"),
            ("DB_HOST", "db2"),
            ("DATABASE_URL", "postgres://u:p@other/db"),
        ] {
            assert!(!names_host(&setting(k, v), &d, "db"), "{k}={v}");
        }
    }
}
