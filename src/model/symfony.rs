//! Symfony's container parameters in `config/packages/framework.yaml`.
//!
//! A value written as `%env(NAME)%` (with processors: `%env(int:NAME)%`,
//! `%env(default:fallback:NAME)%`) is read by Symfony from the environment
//! variable `NAME` when the container is built; another `%parameter%` is a
//! container parameter. Neither is known from the file alone, and the
//! setting says which variable or parameter it comes from. Mounted into
//! a service that sets the variable, the value is the variable's
//! ([`resolve`]).
//!
//! Keys under `when@prod:` are read as if written at the top level: they
//! apply in the production environment, which a deployment runs; keys
//! under other `when@<env>:` keep their prefix and match no setting.

use crate::model::{Origin, Setting, Value};
use crate::source::finding::Label;

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
            s.origin = Origin::Variable {
                name: name.to_string(),
            };
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

/// Give `%env(NAME)%` settings of a mounted config file the value of
/// `NAME` among `env` (the service's own variables): the value and the
/// place to change it are the variable's, the reference is where it came
/// through.
pub fn resolve(config: &mut [Setting], env: &[Setting]) {
    for s in config {
        let (Value::Unknown(_), Origin::Variable { name }) = (&s.value, &s.origin) else {
            continue;
        };
        let Some(v) = env.iter().rev().find(|e| &e.key == name) else {
            continue;
        };
        s.via.insert(
            0,
            Label::new(
                s.value_span,
                format!("`%env({name})%`: the value of `{name}`"),
            ),
        );
        s.value = v.value.clone();
        s.value_span = v.value_span;
        s.from_example = v.from_example;
        s.from_secret = v.from_secret;
        s.via.extend(v.via.iter().cloned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reference_takes_the_value_of_the_services_variable() {
        use crate::source::{FileId, Span};
        let span = |f, a, b| Span::new(FileId(f), a..b);
        let mut config = vec![Setting::literal(
            "framework.secret",
            span(0, 0, 6),
            "%env(APP_SECRET)%".to_string(),
            span(0, 8, 25),
        )];
        env_references(&mut config);
        assert!(matches!(config[0].value, Value::Unknown(_)));
        let env = vec![Setting::literal(
            "APP_SECRET",
            span(1, 0, 10),
            "s3cr3t".to_string(),
            span(1, 11, 17),
        )];
        resolve(&mut config, &env);
        assert_eq!(config[0].value.known(), Some("s3cr3t"));
        assert_eq!(config[0].value_span, span(1, 11, 17));
        assert_eq!(config[0].via[0].span, span(0, 8, 25));
    }

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
