//! Keycloak realm files: the realm import/export JSON that Keycloak reads
//! at start (`--import-realm` from `/opt/keycloak/data/import`, the old
//! images' `KEYCLOAK_IMPORT`) or that `kc.sh export` and the admin
//! console write (`<realm>-realm.json`, `realm-export.json`).
//!
//! A `.json` file is a realm file when its top-level object has a
//! `"realm"` name and at least one of the realm's session settings
//! ([`SESSION_KEYS`]), or when it is named like an export
//! (`*-realm.json`, `realm-export.json`) and has a `"realm"` name. JSON is
//! YAML, so the YAML span parser reads it, with the same bounds on size
//! and depth. The top-level scalar members become settings named by their
//! key (`ssoSessionIdleTimeout`), every key and value spanned; nested
//! objects (clients, users, roles) are not settings.

use std::ops::Range;
use std::path::Path;

use crate::model::Setting;
use crate::source::{FileId, Span};
use crate::syntax::yaml::{self, NodeKind};

/// The realm settings about sessions and tokens (seconds), any one of
/// which marks a realm file.
pub const SESSION_KEYS: [&str; 9] = [
    "ssoSessionIdleTimeout",
    "ssoSessionMaxLifespan",
    "ssoSessionIdleTimeoutRememberMe",
    "ssoSessionMaxLifespanRememberMe",
    "rememberMe",
    "accessTokenLifespan",
    "clientSessionIdleTimeout",
    "clientSessionMaxLifespan",
    "offlineSessionIdleTimeout",
];

/// Named as Keycloak names realm files it writes: `<realm>-realm.json`
/// (`kc.sh export --dir`) or `realm-export.json` (the admin console).
pub fn is_realm_file_name(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    name == "realm-export.json" || name == "realm.json" || name.ends_with("-realm.json")
}

/// Is this text (of a `.json` file at `path`) a Keycloak realm file?
///
/// A cheap textual test comes first, so that the many JSON files of a
/// repository (`package.json`, dashboards, lock files) are not parsed.
/// Text that passes it but does not parse is a realm file too, so that the
/// syntax error is reported.
pub fn looks_like_realm(path: &Path, text: &str, limits: &yaml::Limits) -> bool {
    if !text.contains("\"realm\"") {
        return false;
    }
    let by_name = is_realm_file_name(path);
    let has_key = SESSION_KEYS
        .iter()
        .any(|k| text.contains(&format!("\"{k}\"")));
    if !by_name && !has_key {
        return false;
    }
    let stream = yaml::parse(text, limits);
    if !stream.errors.is_empty() {
        return true;
    }
    let Some(root) = stream.docs.first().filter(|d| d.is_map()) else {
        return false;
    };
    root.get("realm")
        .is_some_and(|r| matches!(r.kind, NodeKind::Scalar(_)))
        && (by_name || SESSION_KEYS.iter().any(|k| root.get(k).is_some()))
}

/// The settings of a realm file (spans into `text`, in file `id`) and its
/// syntax errors.
#[allow(clippy::type_complexity)]
pub fn read_text(
    id: FileId,
    text: &str,
    limits: &yaml::Limits,
) -> (Vec<Setting>, Vec<(Range<usize>, String)>) {
    let stream = yaml::parse(text, limits);
    let errors = stream
        .errors
        .into_iter()
        .map(|e| (e.span, format!("invalid JSON: {}", e.message)))
        .collect();
    let mut out = Vec::new();
    if let Some(root) = stream.docs.first() {
        for e in root.entries() {
            let (Some(key), NodeKind::Scalar(s)) = (e.key.as_str(), &e.value.kind) else {
                continue;
            };
            // Keycloak treats a member set to `null` as absent
            if e.value.is_null() {
                continue;
            }
            let mut setting = Setting::literal(
                key.to_string(),
                Span::new(id, e.key.content_span()),
                s.value.to_string(),
                Span::new(id, e.value.content_span()),
            );
            // `${VAR}` and `${VAR:default}` are replaced from the
            // environment when Keycloak imports the file
            if s.value.contains("${") {
                setting.value = crate::model::Value::Unknown(format!(
                    "`{}` is replaced from Keycloak's environment at import",
                    s.value
                ));
            }
            out.push(setting);
        }
    }
    (out, errors)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(text: &str) -> (Vec<Setting>, Vec<(Range<usize>, String)>) {
        read_text(FileId(0), text, &yaml::Limits::default())
    }

    fn at(text: &str, span: Span) -> &str {
        text.get(span.start..span.end).unwrap_or("")
    }

    #[test]
    fn top_level_members_are_spanned() {
        let text = "{\n  \"realm\": \"demo\",\n  \"ssoSessionIdleTimeout\": 600,\n  \"rememberMe\":true,\n\t\"displayName\": \"Demo \\u00e9\",\n  \"clients\": [{\"clientId\": \"app\", \"attributes\": {\"x\": \"1\"}}],\n  \"nothing\": null\n}\n";
        let (s, errors) = settings(text);
        assert!(errors.is_empty(), "{errors:?}");
        let keys: Vec<&str> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "realm",
                "ssoSessionIdleTimeout",
                "rememberMe",
                "displayName"
            ]
        );
        let idle = &s[1];
        assert_eq!(at(text, idle.key_span), "ssoSessionIdleTimeout");
        assert_eq!(at(text, idle.value_span), "600");
        assert_eq!(idle.value.known(), Some("600"));
        assert_eq!(at(text, s[0].value_span), "demo");
        assert_eq!(at(text, s[2].value_span), "true");
        assert_eq!(s[3].value.known(), Some("Demo é"));
        // the line of the value is the line of the member
        let line = text
            .get(..idle.value_span.start)
            .unwrap_or("")
            .matches('\n')
            .count()
            + 1;
        assert_eq!(line, 3);
    }

    #[test]
    fn placeholders_are_unknown() {
        let (s, _) = settings(r#"{"realm": "${R}", "ssoSessionIdleTimeout": "${IDLE:600}"}"#);
        assert!(s.iter().all(|s| s.value.known().is_none()));
    }

    #[test]
    fn realm_files_are_told_by_content_and_name() {
        let l = yaml::Limits::default();
        let realm = r#"{"realm": "demo", "accessTokenLifespan": 60}"#;
        assert!(looks_like_realm(Path::new("conf/any.json"), realm, &l));
        // named like an export: the realm name is enough
        let bare = r#"{"realm": "demo", "enabled": true}"#;
        assert!(looks_like_realm(Path::new("demo-realm.json"), bare, &l));
        assert!(looks_like_realm(Path::new("x/realm-export.json"), bare, &l));
        assert!(!looks_like_realm(Path::new("demo.json"), bare, &l));
        // not JSON of a realm
        assert!(!looks_like_realm(
            Path::new("package.json"),
            r#"{"name": "x", "version": "1.0.0"}"#,
            &l
        ));
        // the keys, but nested: a client's adapter config, not a realm
        assert!(!looks_like_realm(
            Path::new("keycloak.json"),
            r#"{"config": {"realm": "demo", "ssoSessionIdleTimeout": 60}}"#,
            &l
        ));
        // "realm" must be the realm's name, not an object
        assert!(!looks_like_realm(
            Path::new("x.json"),
            r#"{"realm": {"name": "demo"}, "ssoSessionMaxLifespan": 60}"#,
            &l
        ));
        // an array of realms is not read
        assert!(!looks_like_realm(
            Path::new("x.json"),
            r#"[{"realm": "demo", "ssoSessionMaxLifespan": 60}]"#,
            &l
        ));
    }

    #[test]
    fn broken_json_is_a_realm_file_with_an_error_at_its_line() {
        let l = yaml::Limits::default();
        let text = "{\n  \"realm\": \"demo\",\n  \"ssoSessionIdleTimeout\": 600,,\n  \"x\": [\n}\n";
        assert!(looks_like_realm(Path::new("demo.json"), text, &l));
        let (_, errors) = settings(text);
        assert_eq!(errors.len(), 1, "{errors:?}");
        let (span, message) = &errors[0];
        assert!(message.starts_with("invalid JSON: "), "{message}");
        let line = text.get(..span.start).unwrap_or("").matches('\n').count() + 1;
        assert!((3..=5).contains(&line), "error at line {line}");
    }

    #[test]
    fn deep_and_huge_json_is_bounded() {
        let l = yaml::Limits {
            max_nodes: 1000,
            max_depth: 32,
            ..yaml::Limits::default()
        };
        let deep = format!(
            "{{\"realm\": \"demo\", \"ssoSessionIdleTimeout\": 60, \"x\": {}{}}}",
            "[".repeat(100),
            "]".repeat(100)
        );
        let (_, errors) = read_text(FileId(0), &deep, &l);
        assert!(!errors.is_empty());
        let items = vec!["1"; 5000].join(",");
        let huge =
            format!("{{\"realm\": \"demo\", \"ssoSessionIdleTimeout\": 60, \"x\": [{items}]}}");
        // values written out are bounded by the file's size, not by the
        // alias budget: a large realm export is read whole
        let (_, errors) = read_text(FileId(0), &huge, &l);
        assert!(errors.is_empty(), "{errors:?}");
    }
}
