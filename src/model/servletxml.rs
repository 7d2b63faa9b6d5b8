//! Servlet container descriptors (`web.xml`, Tomcat's `context.xml` and
//! `server.xml`) as settings.
//!
//! Each element below the root that holds no other element is a setting
//! named by the path of element names from the root, joined by `.`
//! (`session-config.session-timeout`), its text the value. Each attribute
//! is a setting named by its element's path and `@name`
//! (`Manager@pathname`, `Service.Engine.Cluster@className`); the root's
//! attributes keep the root's name (`Context@useHttpOnly`). Namespace
//! prefixes are dropped. Keys span the element's (or attribute's) name,
//! values the text as written.

use std::ops::Range;

use crate::model::{Setting, Value};
use crate::source::{FileId, Span};
use crate::syntax::xml::{self, Element};

/// The settings of a descriptor's text and its syntax errors.
#[allow(clippy::type_complexity)]
pub fn read(id: FileId, text: &str) -> (Vec<Setting>, Vec<(Range<usize>, String)>) {
    // an empty file (or one that could not be read, already reported) holds nothing
    if text.trim().is_empty() {
        return (Vec::new(), Vec::new());
    }
    let doc = xml::parse(text, &xml::Limits::default());
    let errors = doc
        .errors
        .into_iter()
        .map(|e| (e.span, format!("invalid XML: {}", e.message)))
        .collect();
    let mut out = Vec::new();
    if let Some(root) = &doc.root {
        // the root's attributes keep its name: `Context@useHttpOnly`
        attributes(id, root.local_name(), root, &mut out);
        for c in &root.children {
            flatten(id, "", c, &mut out);
        }
    }
    (out, errors)
}

fn attributes(id: FileId, path: &str, el: &Element, out: &mut Vec<Setting>) {
    for a in &el.attrs {
        if a.name == "xmlns" || a.name.starts_with("xmlns:") {
            continue;
        }
        out.push(Setting::literal(
            format!("{path}@{}", a.name.rsplit(':').next().unwrap_or(&a.name)),
            Span::new(id, a.name_span.clone()),
            a.value.clone(),
            Span::new(id, a.value_span.clone()),
        ));
    }
}

fn flatten(id: FileId, prefix: &str, el: &Element, out: &mut Vec<Setting>) {
    let path = if prefix.is_empty() {
        el.local_name().to_string()
    } else {
        format!("{prefix}.{}", el.local_name())
    };
    attributes(id, &path, el, out);
    if el.children.is_empty() {
        let mut s = Setting::literal(
            path.clone(),
            Span::new(id, el.name_span.clone()),
            el.text.clone(),
            Span::new(id, el.text_span.clone()),
        );
        if let Some(e) = &el.unexpanded {
            s.value = Value::Unknown(format!(
                "uses the entity `&{e};` of the document type declaration, which is not expanded"
            ));
        }
        out.push(s);
    }
    for c in &el.children {
        flatten(id, &path, c, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elements_and_attributes_become_settings() {
        let t = "<web-app xmlns=\"x\" version=\"6.0\">\n  <session-config>\n    <session-timeout>15</session-timeout>\n    <cookie-config><secure>true</secure></cookie-config>\n  </session-config>\n  <Manager pathname=\"\"/>\n</web-app>";
        let (s, e) = read(FileId(0), t);
        assert!(e.is_empty());
        let keys: Vec<&str> = s.iter().map(|s| s.key.as_str()).collect();
        assert_eq!(
            keys,
            [
                "web-app@version",
                "session-config.session-timeout",
                "session-config.cookie-config.secure",
                "Manager@pathname",
                "Manager"
            ]
        );
        let st = &s[1];
        assert_eq!(st.value.known(), Some("15"));
        assert_eq!(&t[st.value_span.start..st.value_span.end], "15");
        assert_eq!(&t[st.key_span.start..st.key_span.end], "session-timeout");
    }

    #[test]
    fn a_syntax_error_has_its_place() {
        let t = "<web-app>\n  <session-config>\n    <session-timeout>15</session-timeot>\n";
        let (s, e) = read(FileId(0), t);
        assert_eq!(e.len(), 1);
        let line = t[..e[0].0.start].matches('\n').count() + 1;
        assert_eq!(line, 3);
        assert!(e[0].1.starts_with("invalid XML"));
        // what was read before the error is kept
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].value.known(), Some("15"));
    }

    #[test]
    fn dtd_entities_make_the_value_unknown() {
        let t = "<!DOCTYPE web-app [<!ENTITY t SYSTEM \"file:///etc/passwd\">]>\n<web-app><session-config><session-timeout>&t;</session-timeout></session-config></web-app>";
        let (s, e) = read(FileId(0), t);
        assert!(e.is_empty());
        assert!(matches!(s[0].value, Value::Unknown(_)));
    }
}
