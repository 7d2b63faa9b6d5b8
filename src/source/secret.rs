//! Secret values. A [`Secret`] has no `Display`: the only ways to turn one
//! into text are [`Secret::masked`] and [`Secret::reveal`], and the second
//! is called only where the user asked for secrets with `--show-secrets`.
//! Message placeholders are [`Var`]s, so a template filled with a secret
//! shows it masked unless revealing was asked for.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

/// A value from a secret-like setting or from a Kubernetes Secret, or text
/// derived from one (a duration read from it).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value as it may be shown anywhere: see [`mask_secret`].
    pub fn masked(&self) -> String {
        mask_secret(&self.0)
    }

    /// The value itself, for output when the user asked for secrets.
    pub fn reveal(&self, reveal: Reveal) -> Cow<'_, str> {
        match reveal {
            Reveal::Masked => Cow::Owned(self.masked()),
            Reveal::Shown => Cow::Borrowed(&self.0),
        }
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}

/// Whether output may show secret values (`--show-secrets`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reveal {
    #[default]
    Masked,
    Shown,
}

impl Reveal {
    pub fn from_flag(show_secrets: bool) -> Self {
        if show_secrets {
            Reveal::Shown
        } else {
            Reveal::Masked
        }
    }
}

/// The value of one message placeholder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    Plain(String),
    Secret(Secret),
}

impl Var {
    pub fn render(&self, reveal: Reveal) -> Cow<'_, str> {
        match self {
            Var::Plain(s) => Cow::Borrowed(s),
            Var::Secret(s) => s.reveal(reveal),
        }
    }

    /// `value` as a secret when `secret` holds, else as plain text.
    pub fn hidden_if(secret: bool, value: impl Into<String>) -> Self {
        if secret {
            Var::Secret(Secret::new(value))
        } else {
            Var::Plain(value.into())
        }
    }
}

impl From<String> for Var {
    fn from(s: String) -> Self {
        Var::Plain(s)
    }
}

impl From<&str> for Var {
    fn from(s: &str) -> Self {
        Var::Plain(s.to_string())
    }
}

impl From<Secret> for Var {
    fn from(s: Secret) -> Self {
        Var::Secret(s)
    }
}

/// Placeholder values by name.
pub type Vars = BTreeMap<&'static str, Var>;

/// Fill `{placeholders}`; unknown ones stay as written. Secret values are
/// masked unless `reveal` says otherwise.
pub fn render(template: &str, vars: &Vars, reveal: Reveal) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(rest.get(..i).unwrap_or(""));
        let after = rest.get(i + 1..).unwrap_or("");
        match after.find('}') {
            Some(j) => {
                let name = after.get(..j).unwrap_or("");
                match vars.get(name) {
                    Some(v) => out.push_str(&v.render(reveal)),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = after.get(j + 1..).unwrap_or("");
            }
            None => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// How a secret value appears in messages: stars and the length, no
/// character of the value.
fn mask_secret(value: &str) -> String {
    let n = value.chars().count();
    if n == 0 {
        return "(empty)".to_string();
    }
    format!("{} ({n} chars)", "*".repeat(n.min(10)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_masked_unless_revealed() {
        let s = Secret::new("changeme");
        assert_eq!(s.masked(), "******** (8 chars)");
        assert_eq!(format!("{s:?}"), "Secret(******** (8 chars))");
        assert_eq!(s.reveal(Reveal::Shown), "changeme");
        assert_eq!(Secret::new("").masked(), "(empty)");
        let long = Secret::new("sk_live_0123456789abcdef").masked();
        assert_eq!(long, "********** (24 chars)");
    }

    #[test]
    fn render_fills_known_placeholders_and_masks_secrets() {
        let mut vars = Vars::new();
        vars.insert("key", "K".into());
        vars.insert("value", Secret::new("hunter2").into());
        let t = "{key} is {value}, {nope}";
        assert_eq!(
            render(t, &vars, Reveal::Masked),
            "K is ******* (7 chars), {nope}"
        );
        assert_eq!(render(t, &vars, Reveal::Shown), "K is hunter2, {nope}");
        assert_eq!(render("a { b", &vars, Reveal::Masked), "a { b");
    }
}
