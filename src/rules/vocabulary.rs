//! The names rule files may use: concepts, message placeholders and the
//! names of check functions written in Rust.

/// The concepts app profiles map their settings onto.
pub const CONCEPTS: &[&str] = &[
    "session.max-lifetime",
    "session.idle-timeout",
    "session.store",
    "session.secret",
    "encryption.key",
    "credential.password",
    "cookie.secure",
    "cookie.httponly",
    "cookie.samesite",
    "cookie.max-age",
    "cookie.name",
    "store.ttl",
    "site.scheme",
    "session.refresh-interval",
    "setup.skip-installer",
];

/// Concepts whose values are secrets (masked in every output).
pub const SECRET_CONCEPTS: &[&str] = &["session.secret", "encryption.key", "credential.password"];

/// Concepts whose values are durations.
pub const DURATION_CONCEPTS: &[&str] = &[
    "session.refresh-interval",
    "session.max-lifetime",
    "session.idle-timeout",
    "cookie.max-age",
    "store.ttl",
];

/// Placeholders a message or help text may use.
pub const PLACEHOLDERS: &[&str] = &[
    "app",
    "service",
    "key",
    "value",
    "duration",
    "unit",
    "threshold",
    "replicas",
    "default",
    "looks-like",
    "looks-like-duration",
    "kept-in",
    "reason",
    "use-instead",
    "other",
    "why",
    "cookie",
    "image",
    "secure-key",
];

/// The names of check functions written in Rust (`check: <name>`).
pub const CHECK_FUNCTIONS: &[&str] = &[
    "ineffective-setting",
    "weak-secret",
    "weak-secret-fallback",
    "unshared-key",
    "redis-evicts-sessions",
    "redis-without-persistence",
    "parse-error",
    "unused-ignore",
    "sticky-cookie-without-secure",
    "sticky-cookie-samesite-none",
    "sticky-cookie-shorter-than-session",
    "client-ip-affinity-behind-ingress",
    "idle-timeout-within-refresh",
    "cookie-outlives-server-session",
    "proxy-cookie-flags",
    "proxy-cookie-path",
    "nginx-plus-sticky",
    "missing-forwarded-proto",
    "proxy-websocket",
];
