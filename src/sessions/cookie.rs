//! The cookie layer: max-age, Secure, SameSite, HttpOnly.

use super::{Layer, duration_text, figure, find, value_text};
use crate::lint::bind::Binding;
use crate::source::SourceMap;

pub(super) fn layer(bs: &[Binding<'_>], sources: &SourceMap) -> Option<Layer> {
    let mut figs = Vec::new();
    if let Some(b) = find(bs, "cookie.max-age") {
        let shown = match b.duration() {
            Some(d) if d.millis() == 0 && !b.from_secret() => {
                "until the browser closes (0)".to_string()
            }
            _ => duration_text(b),
        };
        figs.push(figure(sources, b, "max-age", shown));
    }
    for (concept, what) in [
        ("cookie.secure", "Secure"),
        ("cookie.samesite", "SameSite"),
        ("cookie.httponly", "HttpOnly"),
    ] {
        if let Some(b) = find(bs, concept) {
            let v = b
                .value()
                .and_then(|v| v.known().map(|v| b.spec.normalize(v)))
                .filter(|v| !v.is_empty())
                .map(|v| value_text(b, &v))
                .unwrap_or_else(|| "not set (the browser's default)".into());
            figs.push(figure(sources, b, what, v));
        }
    }
    (!figs.is_empty()).then_some(Layer {
        layer: "cookie",
        figures: figs,
    })
}
