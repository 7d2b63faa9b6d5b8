//! Dokploy's `template.toml`: the variables and the environment of a
//! compose project that Dokploy deploys from its template store.
//!
//! Dokploy (Dokploy/dokploy `packages/server/src/templates/processors.ts`)
//! resolves the `[variables]` table, then each entry of `[config] env`
//! (a list of `KEY=value` strings or a table of keys), replacing `${name}`
//! by a generated value for its helpers (`password`, `base64`, `hash`,
//! `uuid`, `jwt`, `domain`, `username`, `email`, `timestamp…`,
//! `randomPort`) or by a variable's value, and writes the result to the
//! `.env` beside the compose file (`utils/builders/compose.ts`,
//! `getCreateEnvFileCommand`).
//!
//! This module reads the entries with the byte range of each key and value
//! in the file, and the value as far as the repository tells it: a literal,
//! or unknown when a part of it is generated at deploy time.

use std::collections::HashMap;
use std::ops::Range;

use toml::de::{DeTable, DeValue};

/// One entry of `[config] env`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub key_range: Range<usize>,
    /// `Ok(value)` when every part of it is written in the file, `Err(why)`
    /// when Dokploy generates a part of it.
    pub value: Result<String, String>,
    pub value_range: Range<usize>,
}

/// The entries of a template, or the first parse error (message, byte
/// range) when not even its `[config]` table can be read. A TOML file
/// without a `[config]` table is no Dokploy template: `Ok(None)`.
///
/// Dokploy's own reader accepts templates that break the TOML
/// specification (a key given twice, as `mounts = []` before
/// `[[config.mounts]]`; `\$` in a string), and its store ships such
/// templates, so what can be read of a template is read.
pub fn parse(text: &str) -> Result<Option<Vec<Entry>>, (String, Range<usize>)> {
    let (doc, errors) = DeTable::parse_recoverable(text);
    let doc = doc.get_ref();
    let Some(config) = table(doc, "config") else {
        return match errors.first() {
            Some(e) => Err((e.message().to_string(), e.span().unwrap_or(0..0))),
            None => Ok(None),
        };
    };
    let mut variables: HashMap<String, String> = HashMap::new();
    // where each variable's value is written, when it is the string
    // between its quotes
    let mut written: HashMap<String, Range<usize>> = HashMap::new();
    if let Some(vars) = table(doc, "variables") {
        for (k, v) in vars {
            if let DeValue::String(s) = v.get_ref() {
                let span = v.span();
                if text.get(span.clone()).map(str::len) == Some(s.len() + 2) {
                    written.insert(k.get_ref().to_string(), span.start + 1..span.end - 1);
                }
                variables.insert(k.get_ref().to_string(), s.to_string());
            }
        }
    }
    // a value that is one variable, written as a literal, is changed where
    // the variable is written
    let place = |value: &str, at: Range<usize>| -> Range<usize> {
        value
            .strip_prefix("${")
            .and_then(|r| r.strip_suffix('}'))
            .filter(|name| variables.get(*name).is_some_and(|v| !v.contains("${")))
            .and_then(|name| written.get(name).cloned())
            .unwrap_or(at)
    };
    let mut out = Vec::new();
    let Some(env) = config
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == "env")
        .map(|(_, v)| v)
    else {
        return Ok(Some(out));
    };
    match env.get_ref() {
        DeValue::Array(items) => {
            for item in items {
                let DeValue::String(s) = item.get_ref() else {
                    continue;
                };
                let Some((key, value)) = s.split_once('=') else {
                    continue;
                };
                let span = item.span();
                // offsets inside the string are exact only when the raw
                // text is the string between its quotes
                let raw = text.get(span.clone()).unwrap_or("");
                let inner = span.start + 1..span.end.saturating_sub(1);
                let exact = raw.len() == s.len() + 2 && text.get(inner.clone()) == Some(s.as_ref());
                let (key_range, value_range) = if exact {
                    let k = inner.start..inner.start + key.len();
                    (k.clone(), k.end + 1..inner.end)
                } else {
                    (span.clone(), span)
                };
                out.push(Entry {
                    key: key.trim().to_string(),
                    key_range,
                    value: resolve(value, &variables),
                    value_range: place(value, value_range),
                });
            }
        }
        DeValue::Table(t) => {
            for (k, v) in t {
                let value = match v.get_ref() {
                    DeValue::String(s) => resolve(s, &variables),
                    DeValue::Integer(i) => Ok(i.as_str().replace('_', "")),
                    DeValue::Boolean(b) => Ok(b.to_string()),
                    DeValue::Float(f) => Ok(f.as_str().to_string()),
                    _ => continue,
                };
                let span = v.span();
                let range = match v.get_ref() {
                    DeValue::String(s)
                        if text.get(span.clone()).map(str::len) == Some(s.len() + 2) =>
                    {
                        span.start + 1..span.end - 1
                    }
                    _ => span,
                };
                let range = match v.get_ref() {
                    DeValue::String(s) => place(s, range),
                    _ => range,
                };
                out.push(Entry {
                    key: k.get_ref().to_string(),
                    key_range: k.span(),
                    value,
                    value_range: range,
                });
            }
        }
        _ => {}
    }
    Ok(Some(out))
}

fn table<'a, 'i>(doc: &'a DeTable<'i>, name: &str) -> Option<&'a DeTable<'i>> {
    doc.iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .and_then(|(_, v)| match v.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        })
}

/// Dokploy's helpers: `${password:32}` and the like, generated at deploy.
fn helper(name: &str) -> Option<&'static str> {
    let head = name.split(':').next().unwrap_or(name);
    match head {
        "password" | "base64" | "hash" | "jwt" => {
            Some("generated by Dokploy when it deploys the template")
        }
        "uuid" => Some("a UUID Dokploy generates when it deploys the template"),
        "domain" => Some("a domain Dokploy assigns"),
        "username" | "email" => Some("a random name Dokploy generates"),
        "timestamp" | "timestampms" | "timestamps" | "randomPort" => {
            Some("a number Dokploy chooses when it deploys the template")
        }
        _ => None,
    }
}

/// The value Dokploy writes for `value`: `${name}` replaced by a variable's
/// value (itself resolved, once, as Dokploy does) or, for a helper, not
/// known from the repository.
fn resolve(value: &str, variables: &HashMap<String, String>) -> Result<String, String> {
    resolve_depth(value, variables, 0)
}

fn resolve_depth(
    value: &str,
    variables: &HashMap<String, String>,
    depth: u8,
) -> Result<String, String> {
    let mut out = String::new();
    let mut rest = value;
    while let Some(start) = rest.find("${") {
        let Some(len) = rest.get(start + 2..).and_then(|r| r.find('}')) else {
            break;
        };
        out.push_str(rest.get(..start).unwrap_or(""));
        let name = rest.get(start + 2..start + 2 + len).unwrap_or("");
        if let Some(why) = helper(name) {
            return Err(why.to_string());
        }
        match variables.get(name) {
            Some(v) if depth < 4 => out.push_str(&resolve_depth(v, variables, depth + 1)?),
            _ => {
                return Err(format!(
                    "`${{{name}}}` is set where Dokploy deploys the template"
                ));
            }
        }
        rest = rest.get(start + 3 + len..).unwrap_or("");
    }
    out.push_str(rest);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries(text: &str) -> Vec<Entry> {
        parse(text).expect("parses").expect("a template")
    }

    #[test]
    fn a_list_of_key_value_strings() {
        let text = "[variables]\nmain_domain = \"${domain}\"\npg = \"${password:32}\"\nuser = \"app\"\n\n[config]\nenv = [\n  \"DB_PASSWORD=${pg}\",\n  \"DB_USER=${user}\",\n  \"URL=https://${main_domain}\",\n  \"PLAIN=postgres\",\n]\n";
        let e = entries(text);
        assert_eq!(e.len(), 4, "{e:?}");
        assert_eq!(e[0].key, "DB_PASSWORD");
        assert!(e[0].value.is_err());
        assert_eq!(e[1].value, Ok("app".to_string()));
        // changed where the variable is written
        assert_eq!(&text[e[1].value_range.clone()], "app");
        assert_eq!(
            e[1].value_range.start,
            text.find("\"app\"").unwrap_or(0) + 1
        );
        assert!(e[2].value.is_err());
        assert_eq!(e[3].value, Ok("postgres".to_string()));
        assert_eq!(&text[e[3].key_range.clone()], "PLAIN");
        assert_eq!(&text[e[3].value_range.clone()], "postgres");
    }

    #[test]
    fn a_table_of_keys() {
        let text =
            "[config.env]\nSECRET = \"${base64:48}\"\nPORT = 8_080\nDEBUG = false\nNAME = \"x\"\n";
        let e = entries(text);
        let by: HashMap<&str, &Entry> = e.iter().map(|e| (e.key.as_str(), e)).collect();
        assert!(by["SECRET"].value.is_err());
        assert_eq!(by["PORT"].value, Ok("8080".to_string()));
        assert_eq!(by["DEBUG"].value, Ok("false".to_string()));
        assert_eq!(&text[by["NAME"].value_range.clone()], "x");
        assert_eq!(&text[by["NAME"].key_range.clone()], "NAME");
    }

    #[test]
    fn not_a_template_and_bad_toml() {
        assert_eq!(parse("[tool.poetry]\nname = \"x\"\n"), Ok(None));
        let err = parse("[config\nenv = 1").expect_err("bad TOML");
        assert!(!err.0.is_empty());
    }

    #[test]
    fn what_dokploy_accepts_beyond_the_toml_specification_is_read() {
        // Dokploy/templates blueprints/timescaledb: `mounts` twice
        let text = "[config]\nmounts = []\n\n[config.env]\nPOSTGRES_DB = \"timescaledb\"\n\n[[config.mounts]]\nfilePath = \"a.sql\"\ncontent = \"x\"\n";
        let e = entries(text);
        assert_eq!(e.len(), 1, "{e:?}");
        assert_eq!(e[0].value, Ok("timescaledb".to_string()));
    }

    #[test]
    fn variables_that_name_each_other_are_bounded() {
        let text = "[variables]\na = \"${b}\"\nb = \"${a}\"\n[config]\nenv = [\"X=${a}\"]\n";
        let e = entries(text);
        assert!(e[0].value.is_err(), "{e:?}");
    }
}
