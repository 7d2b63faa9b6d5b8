//! Template actions in configuration files: `{{ … }}` (Go templates, as
//! gomplate, Home Assistant add-ons and confd fill them; Jinja and Helm
//! too), `{% … %}` and `{# … #}` (Jinja).
//!
//! A template is read as the file it renders to, with each action blanked
//! out in place: an action alone on its line (`{{ if .ssl }}`, `{% endif
//! %}`) becomes spaces, so the lines of every branch are read; an action
//! inside a line (`proxy_pass http://{{ .host }}:8069;`) becomes as many
//! `x` as it is long, so the word it is part of stays one word. The text
//! keeps its length and its lines: positions are the template's own.

use std::borrow::Cow;

/// Does the text hold a template action?
pub fn has_actions(text: &str) -> bool {
    text.contains("{{") || text.contains("{%")
}

/// The text with its template actions blanked (see the module docs).
pub fn blank_actions(text: &str) -> Cow<'_, str> {
    if !has_actions(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        out.push_str(&blank_line(line));
    }
    Cow::Owned(out)
}

/// One line (with its line break), actions blanked.
fn blank_line(line: &str) -> String {
    let mut spans = Vec::new();
    let mut i = 0;
    while let Some(rel) = line
        .get(i..)
        .and_then(|rest| ["{{", "{%", "{#"].iter().filter_map(|o| rest.find(o)).min())
    {
        let start = i + rel;
        let close = match line.get(start + 1..start + 2) {
            Some("%") => "%}",
            Some("#") => "#}",
            _ => "}}",
        };
        let end = line
            .get(start + 2..)
            .and_then(|r| r.find(close))
            .map_or(line.trim_end_matches(['\n', '\r']).len(), |e| {
                start + 2 + e + 2
            });
        spans.push(start..end);
        i = end.max(start + 2);
    }
    if spans.is_empty() {
        return line.to_string();
    }
    let mut rest = String::new();
    let mut last = 0;
    for s in &spans {
        rest.push_str(line.get(last..s.start).unwrap_or(""));
        last = s.end;
    }
    rest.push_str(line.get(last..).unwrap_or(""));
    let alone = rest.trim().is_empty();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    for s in &spans {
        out.push_str(line.get(last..s.start).unwrap_or(""));
        let fill = if alone { ' ' } else { 'x' };
        let n = line.get(s.clone()).map_or(0, str::len);
        out.extend(std::iter::repeat_n(fill, n));
        last = s.end;
    }
    out.push_str(line.get(last..).unwrap_or(""));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blanks_actions_keeping_positions() {
        let t = "server {\n    {{ if not .ssl }}\n    listen 80;\n    {{ end }}\n    proxy_pass http://{{ $h }}:8069;\n}\n";
        let b = blank_actions(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(b.lines().count(), t.lines().count());
        assert_eq!(b.lines().nth(1).unwrap().trim(), "");
        assert_eq!(
            b.lines().nth(4).unwrap(),
            "    proxy_pass http://xxxxxxxx:8069;"
        );
        assert!(matches!(blank_actions("a b;\n"), Cow::Borrowed(_)));
    }

    #[test]
    fn handles_jinja_and_unclosed_actions() {
        let t = "{% if x %}\nkey {{ v }};\n{# note #}\nbad {{ open\n";
        let b = blank_actions(t);
        assert_eq!(b.len(), t.len());
        assert_eq!(b.lines().next().unwrap().trim(), "");
        assert_eq!(b.lines().nth(1).unwrap(), "key xxxxxxx;");
        assert_eq!(b.lines().nth(3).unwrap(), "bad xxxxxxx");
        let _ = blank_actions("{{");
        let _ = blank_actions("é{{é}}é");
    }
}
