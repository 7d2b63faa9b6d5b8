//! Line-oriented config files with spans: the INI family (php.ini,
//! `conf.d/*.ini`, `.user.ini`, php-fpm pools, grafana.ini, Gitea's
//! app.ini, airflow.cfg), Java `.properties`, and `redis.conf`.
//!
//! Every entry keeps the span of its key and of its value. Lines that are
//! not entries become errors with their span; parsing goes on.

use std::ops::Range;

/// One `key = value`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// `section.key` for INI entries inside a section (the section as
    /// written), else the key. php-fpm's `php_value[name]` is `name`.
    pub key: String,
    pub key_span: Range<usize>,
    pub value: String,
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    pub span: Range<usize>,
    pub message: String,
}

#[derive(Debug, Clone, Default)]
pub struct ConfigFile {
    pub entries: Vec<Entry>,
    pub errors: Vec<LineError>,
}

/// Trim and unquote a value; returns the value and its range in `raw`.
fn value_of(raw: &str) -> (String, Range<usize>) {
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim();
    let r = lead..lead + t.len();
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.ends_with(q) {
            return (t.get(1..t.len() - 1).unwrap_or("").to_string(), r);
        }
    }
    (t.to_string(), r)
}

/// Parse a line-oriented app config of `kind` (INI, `.properties` or
/// `redis.conf`); `None` for other kinds.
pub fn parse_kind(kind: crate::source::FileKind, text: &str) -> Option<ConfigFile> {
    use crate::source::FileKind;
    match kind {
        FileKind::Ini => Some(parse_ini(text)),
        FileKind::Properties => Some(parse_properties(text)),
        FileKind::RedisConf => Some(parse_redis_conf(text)),
        _ => None,
    }
}

/// INI: `[section]`, `key = value`, `;` and `#` comments (whole line, or
/// after whitespace in unquoted values), quoted values.
pub fn parse_ini(text: &str) -> ConfigFile {
    let mut out = ConfigFile::default();
    let mut section = String::new();
    for (start, line) in crate::source::lines::lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with(';') || t.starts_with('#') {
            continue;
        }
        let lead = line.len() - line.trim_start().len();
        if t.starts_with('[') {
            match t.find(']') {
                Some(end) => section = t.get(1..end).unwrap_or("").trim().to_string(),
                None => out.errors.push(LineError {
                    span: start + lead..start + line.len(),
                    message: "a section header must end with `]`".into(),
                }),
            }
            continue;
        }
        let Some(eq) = line.find('=') else {
            out.errors.push(LineError {
                span: start + lead..start + line.trim_end().len(),
                message: "expected `key = value`".into(),
            });
            continue;
        };
        let raw_key = line.get(..eq).unwrap_or("");
        let key_lead = raw_key.len() - raw_key.trim_start().len();
        let mut key = raw_key.trim().to_string();
        let key_span = start + key_lead..start + key_lead + key.len();
        // php-fpm pools: php_value[session.save_handler] = redis
        for prefix in [
            "php_admin_value[",
            "php_value[",
            "php_admin_flag[",
            "php_flag[",
        ] {
            if let Some(inner) = key.strip_prefix(prefix).and_then(|k| k.strip_suffix(']')) {
                key = inner.to_string();
            }
        }
        let mut raw_value = line.get(eq + 1..).unwrap_or("");
        // a trailing comment after whitespace in an unquoted value
        let vt = raw_value.trim_start();
        if !vt.starts_with('"') && !vt.starts_with('\'') {
            for marker in [" ;", "\t;", " #", "\t#"] {
                if let Some(i) = raw_value.find(marker) {
                    raw_value = raw_value.get(..i).unwrap_or(raw_value);
                }
            }
        }
        let (value, r) = value_of(raw_value);
        let vstart = start + eq + 1;
        let full_key = if section.is_empty() || key.contains('.') {
            // php.ini's keys are already full names (`session.name` in
            // [Session], `php_value[session.name]` in a pool)
            key
        } else {
            format!("{section}.{key}")
        };
        out.entries.push(Entry {
            key: full_key,
            key_span,
            value,
            value_span: vstart + r.start..vstart + r.end,
        });
    }
    out
}

/// Java properties: `key=value`, `key: value`, `key value`, `#`/`!`
/// comments, `\` line continuations and escapes.
pub fn parse_properties(text: &str) -> ConfigFile {
    let mut out = ConfigFile::default();
    let all: Vec<(usize, &str)> = crate::source::lines::lines(text).collect();
    let mut i = 0;
    while let Some(&(start, line)) = all.get(i) {
        i += 1;
        let t = line.trim_start();
        if t.is_empty() || t.starts_with('#') || t.starts_with('!') {
            continue;
        }
        let lead = line.len() - t.len();
        // the key ends at an unescaped `=`, `:` or whitespace
        let bytes = t.as_bytes();
        let mut k_end = t.len();
        let mut j = 0;
        while j < bytes.len() {
            match bytes.get(j) {
                Some(b'\\') => j += 2,
                Some(b'=' | b':' | b' ' | b'\t') => {
                    k_end = j;
                    break;
                }
                _ => j += 1,
            }
        }
        let key = unescape(t.get(..k_end).unwrap_or(""));
        let key_span = start + lead..start + lead + k_end;
        let mut rest = t.get(k_end..).unwrap_or("").trim_start();
        if rest.starts_with('=') || rest.starts_with(':') {
            rest = rest.get(1..).unwrap_or("").trim_start();
        }
        let v_start = start + line.len() - rest.len();
        let mut value = String::new();
        let mut v_end = start + line.len();
        let mut cur = rest;
        loop {
            let continued = cur.ends_with('\\') && !cur.ends_with("\\\\");
            value.push_str(&unescape(
                cur.strip_suffix('\\').filter(|_| continued).unwrap_or(cur),
            ));
            if !continued {
                break;
            }
            match all.get(i) {
                Some(&(s, next)) => {
                    i += 1;
                    cur = next.trim_start();
                    v_end = s + next.len();
                }
                None => break,
            }
        }
        let v_end = v_end.max(v_start);
        let trimmed = text
            .get(v_start..v_end)
            .map_or(0, |s| s.len() - s.trim_end().len());
        out.entries.push(Entry {
            key,
            key_span,
            value: value.trim_end().to_string(),
            value_span: v_start..v_end - trimmed,
        });
    }
    out
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') => out.push('\n'),
                Some('t') => out.push('\t'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// redis.conf: `directive arg…`, `#` comments, quoted arguments. The value
/// is the arguments joined by a space (`save ""` gives an empty value).
pub fn parse_redis_conf(text: &str) -> ConfigFile {
    let mut out = ConfigFile::default();
    for (start, line) in crate::source::lines::lines(text) {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') {
            continue;
        }
        let words = crate::syntax::words::split_words(line);
        let Some((key, key_r)) = words.first() else {
            continue;
        };
        let args: Vec<&String> = words.iter().skip(1).map(|(w, _)| w).collect();
        let (vs, ve) = match (words.get(1), words.last()) {
            (Some((_, a)), Some((_, b))) => (a.start, b.end),
            _ => (key_r.end, key_r.end),
        };
        out.entries.push(Entry {
            key: key.to_ascii_lowercase(),
            key_span: start + key_r.start..start + key_r.end,
            value: args
                .iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            value_span: start + vs..start + ve,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ini_sections_comments_quotes_and_fpm_values() {
        let t = "; php\n[Session]\nsession.gc_maxlifetime = 300 ; five minutes\nsession.name = \"SID\"\n[security]\ncookie_secure = false\n[www]\nphp_value[session.save_handler] = files\nbroken line\n";
        let f = parse_ini(t);
        let kv: Vec<(&str, &str)> = f
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            [
                ("session.gc_maxlifetime", "300"),
                ("session.name", "SID"),
                ("security.cookie_secure", "false"),
                ("session.save_handler", "files"),
            ]
        );
        assert_eq!(&t[f.entries[0].value_span.clone()], "300");
        assert_eq!(&t[f.entries[1].value_span.clone()], "\"SID\"");
        assert_eq!(
            &t[f.entries[3].key_span.clone()],
            "php_value[session.save_handler]"
        );
        assert_eq!(f.errors.len(), 1);
    }

    #[test]
    fn properties_separators_and_continuations() {
        let t = "# c\nserver.servlet.session.timeout=30\na.b: x\nc.d   y \\\n   z\nkey\\=with=eq\n";
        let f = parse_properties(t);
        let kv: Vec<(&str, &str)> = f
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            kv,
            [
                ("server.servlet.session.timeout", "30"),
                ("a.b", "x"),
                ("c.d", "y z"),
                ("key=with", "eq"),
            ]
        );
        assert_eq!(&t[f.entries[0].value_span.clone()], "30");
    }

    #[test]
    fn redis_conf_directives() {
        let t = "maxmemory 100mb\nmaxmemory-policy allkeys-lru # evict\nsave \"\"\n";
        let f = parse_redis_conf(t);
        let kv: Vec<(&str, &str)> = f
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(kv[0], ("maxmemory", "100mb"));
        assert_eq!(kv[2], ("save", ""));
        assert_eq!(&t[f.entries[0].value_span.clone()], "100mb");
    }
}
