//! Check functions: the logic that a condition cannot express. Each lives
//! in a file of its own behind the [`Check`] trait and is listed once, in
//! [`REGISTRY`], under the id that check files name (`check: <id>`). The
//! check file still holds the rule's id, message, help, docs and examples;
//! rule loading rejects a `check:` id that is not registered.
//!
//! A function with variants (the three sticky-cookie checks, say) is one
//! type with a parameter, registered once per id.

pub mod bound_to_client;
pub mod client_ip_affinity;
pub mod compare_durations;
pub mod cookie_clash;
pub mod cookie_hash;
pub mod datastore;
pub mod in_memory;
pub mod ineffective_setting;
pub mod proxy_facts;
pub mod proxy_websocket;
pub mod redis;
pub mod redis_auth;
pub mod reported_elsewhere;
pub mod secure_over_http;
pub mod state;
pub mod sticky_cookie;
pub mod unshared_key;
pub mod weak_secret;

use crate::lint::bind::{Binding, Match};
use crate::model::nginx::FactKind;
use crate::model::{Model, Setting, Workload};
use crate::rules::{RuleError, RuleSet};
use crate::source::finding::{Label, Severity};

/// What a check function sees.
pub struct Input<'a> {
    pub model: &'a Model,
    pub rules: &'a RuleSet,
    /// Concept bindings, one list per workload (same order).
    pub bindings: &'a [Vec<Binding<'a>>],
    /// The settings in effect (the last of each key), one list per
    /// workload (same order); see [`crate::lint::bind::effective`].
    pub effective: &'a [Vec<&'a Setting>],
}

/// One thing a check function found.
pub struct Hit<'a> {
    pub workload: Option<&'a Workload>,
    pub matched: Match,
    /// Overrides the check's severity.
    pub severity: Option<Severity>,
}

/// A check written in Rust.
pub trait Check: Sync {
    /// Everything this check finds in the model.
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>>;
}

/// Every check function, by the id check files name it with.
pub static REGISTRY: &[(&str, &dyn Check)] = &[
    (
        "ineffective-setting",
        &ineffective_setting::IneffectiveSetting,
    ),
    ("weak-secret", &weak_secret::WeakSecret { fallbacks: false }),
    (
        "weak-secret-fallback",
        &weak_secret::WeakSecret { fallbacks: true },
    ),
    ("unshared-key", &unshared_key::UnsharedKey),
    (
        "redis-evicts-sessions",
        &redis::Redis(redis::RedisCheck::Eviction),
    ),
    ("redis-password-mismatch", &redis_auth::RedisPassword),
    (
        "redis-without-persistence",
        &redis::Redis(redis::RedisCheck::Persistence),
    ),
    (
        "sessions-store-without-volume",
        &datastore::SessionsStore(datastore::StoreCheck::NoVolume),
    ),
    ("session-state-without-volume", &state::StateWithoutVolume),
    (
        "state-in-memory-across-replicas",
        &in_memory::InMemoryAcrossReplicas,
    ),
    (
        "sessions-in-memcached",
        &datastore::SessionsStore(datastore::StoreCheck::MemoryOnly),
    ),
    ("proxy-websocket", &proxy_websocket::ProxyWebsocket),
    ("secure-cookie-over-http", &secure_over_http::SecureOverHttp),
    (
        "session-bound-to-client-behind-proxy",
        &bound_to_client::BoundToClient,
    ),
    ("sticky-cookie-name-clash", &cookie_clash::CookieClash),
    ("sticky-hash-on-changing-cookie", &cookie_hash::CookieHash),
    (
        "proxy-cookie-flags",
        &proxy_facts::ProxyFact(FactKind::CookieFlags),
    ),
    (
        "proxy-cookie-path",
        &proxy_facts::ProxyFact(FactKind::CookiePath),
    ),
    (
        "nginx-plus-sticky",
        &proxy_facts::ProxyFact(FactKind::Sticky),
    ),
    (
        "proxy-path-without-cookie-path",
        &proxy_facts::ProxyFact(FactKind::PathRewrite),
    ),
    (
        "proxy-host-drops-port",
        &proxy_facts::ProxyFact(FactKind::HostWithoutPort),
    ),
    (
        "proxy-strips-request-headers",
        &proxy_facts::ProxyFact(FactKind::RequestHeadersOff),
    ),
    (
        "proxy-cache-replays-set-cookie",
        &proxy_facts::ProxyFact(FactKind::CachedSetCookie),
    ),
    (
        "missing-forwarded-proto",
        &proxy_facts::ProxyFact(FactKind::NoForwardedProto),
    ),
    (
        "sticky-cookie-without-secure",
        &sticky_cookie::StickyCookieCheck(sticky_cookie::StickyCheck::Secure),
    ),
    (
        "sticky-cookie-samesite-none",
        &sticky_cookie::StickyCookieCheck(sticky_cookie::StickyCheck::SameSiteNone),
    ),
    (
        "sticky-cookie-shorter-than-session",
        &sticky_cookie::StickyCookieCheck(sticky_cookie::StickyCheck::Lifetime),
    ),
    (
        "client-ip-affinity-behind-ingress",
        &client_ip_affinity::ClientIpAffinity,
    ),
    (
        "idle-timeout-within-refresh",
        &compare_durations::CompareDurations(compare_durations::Compare::IdleWithinRefresh),
    ),
    (
        "cookie-outlives-server-session",
        &compare_durations::CompareDurations(compare_durations::Compare::CookieOutlivesSession),
    ),
    (
        "parse-error",
        &reported_elsewhere::ReportedElsewhere::WhileReading,
    ),
    (
        "unused-ignore",
        &reported_elsewhere::ReportedElsewhere::ByInlineIgnores,
    ),
];

/// Rule loading with `check:` ids validated against [`REGISTRY`]: the
/// rules layer knows nothing of the check functions, so the ways to load a
/// rule set that the rest of sessionlint uses live here.
impl RuleSet {
    /// The built-in rules.
    pub fn builtin() -> Result<RuleSet, Vec<RuleError>> {
        Self::load_with(&[], &ids())
    }

    /// The built-in rules plus every `*.yaml` under each of `dirs`.
    pub fn load(dirs: &[std::path::PathBuf]) -> Result<RuleSet, Vec<RuleError>> {
        Self::load_with(dirs, &ids())
    }

    /// A rule set from `(path, text)` pairs.
    pub fn from_files(files: Vec<(std::path::PathBuf, String)>) -> Result<RuleSet, Vec<RuleError>> {
        Self::from_files_with(files, &ids())
    }
}

/// The check registered under `id`.
pub fn get(id: &str) -> Option<&'static dyn Check> {
    REGISTRY.iter().find(|(i, _)| *i == id).map(|(_, c)| *c)
}

/// The ids of every registered check, in registry order.
pub fn ids() -> Vec<&'static str> {
    REGISTRY.iter().map(|(i, _)| *i).collect()
}

/// The primary location of a finding on one setting: its value, with the
/// places it came through as related.
pub(crate) fn at(s: &Setting) -> Match {
    Match {
        primary: Some(Label::new(s.value_span, "")),
        related: s.via.clone(),
        from_example: s.from_example,
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_check_file_naming_an_unregistered_function_is_an_error() {
        let files: Vec<(std::path::PathBuf, String)> = vec![(
            "user/checks/mine.yaml".into(),
            "id: mine\ncategory: session-loss\nseverity: error\nsummary: s\n\
             description: d\ncheck: no-such-function\nmessage: m\nhelp: h\n"
                .into(),
        )];
        let errors = RuleSet::from_files(files).err().unwrap_or_default();
        assert!(
            errors
                .iter()
                .any(|e| e.message.contains("no-such-function") && e.line == 6),
            "{errors:?}"
        );
    }

    #[test]
    fn ids_are_unique_and_every_function_check_file_names_a_registered_id() {
        let ids = ids();
        let unique: std::collections::BTreeSet<_> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "duplicate id in {ids:?}");
        let rules = RuleSet::builtin().expect("built-in rules");
        let named: Vec<&str> = rules
            .checks
            .iter()
            .filter_map(|c| c.check.as_ref().map(|f| f.value.as_str()))
            .collect();
        for n in &named {
            assert!(get(n).is_some(), "`check: {n}` is not registered");
        }
        // and nothing registered is left without a check file
        for id in &ids {
            assert!(named.contains(id), "registered `{id}` has no check file");
        }
    }
}
