//! Symfony's container parameters in `config/packages/framework.yaml`.
//!
//! A value written as `%env(NAME)%` (with processors: `%env(int:NAME)%`,
//! `%env(default:fallback:NAME)%`) is read by Symfony from the environment
//! variable `NAME` when the container is built; another `%parameter%` is a
//! container parameter. Neither is known from the file alone, and the
//! setting says which variable or parameter it comes from.
//!
//! Keys under `when@prod:` are read as if written at the top level: they
//! apply in the production environment, which a deployment runs; keys
//! under other `when@<env>:` keep their prefix and match no setting.

use crate::model::{Setting, Value};

/// The variable of a whole-value `%env(…)%` reference.
pub fn env_reference(value: &str) -> Option<&str> {
    let inner = value.trim().strip_prefix("%env(")?.strip_suffix(")%")?;
    let name = inner.rsplit(':').next()?;
    (!name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
        .then_some(name)
}

/// Read `when@prod.` keys as top-level keys, and mark values that are
/// references as unknown, with what they refer to.
pub fn env_references(settings: &mut [Setting]) {
    for s in settings {
        if let Some(rest) = s.key.strip_prefix("when@prod.") {
            s.key = rest.to_string();
        }
        let Some(v) = s.value.known() else { continue };
        if let Some(name) = env_reference(v) {
            s.value = Value::Unknown(format!(
                "read by Symfony from the environment variable `{name}`"
            ));
        } else if v.contains("%env(") {
            s.value = Value::Unknown("built by Symfony from environment variables".to_string());
        } else {
            let t = v.trim();
            if t.len() > 2 && t.starts_with('%') && t.ends_with('%') && !t.contains(' ') {
                s.value = Value::Unknown(format!("the Symfony container parameter `{t}`"));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_references_name_their_variable() {
        assert_eq!(env_reference("%env(APP_SECRET)%"), Some("APP_SECRET"));
        assert_eq!(env_reference("%env(int:SESSION_TTL)%"), Some("SESSION_TTL"));
        assert_eq!(
            env_reference("%env(default:x:bool:COOKIE_SECURE)%"),
            Some("COOKIE_SECURE")
        );
        assert_eq!(env_reference("3600"), None);
        assert_eq!(env_reference("%kernel.secret%"), None);
    }
}
