//! The app layer: idle timeout, absolute lifetime, token refresh.

use super::{Figure, Layer, duration_text, figure, find};
use crate::lint::bind::Binding;
use crate::source::SourceMap;

/// The app's own limits, for the verdicts.
pub(super) struct AppLimits<'b, 'a> {
    pub idle: Option<&'b Binding<'a>>,
    pub max: Option<&'b Binding<'a>>,
    pub refresh: Option<&'b Binding<'a>>,
}

pub(super) fn layer<'b, 'a>(
    bs: &'b [Binding<'a>],
    sources: &SourceMap,
) -> (Layer, AppLimits<'b, 'a>) {
    let mut figs = Vec::new();
    let idle = find(bs, "session.idle-timeout");
    let max = find(bs, "session.max-lifetime");
    let refresh = find(bs, "session.refresh-interval");
    for (b, what) in [
        (idle, "idle timeout"),
        (max, "absolute lifetime"),
        (refresh, "token refresh"),
    ] {
        if let Some(b) = b {
            figs.push(figure(sources, b, what, duration_text(b)));
        }
    }
    if idle.is_none() && max.is_none() {
        figs.push(Figure::fact(
            "lifetime",
            "not configured here (the app's code decides)",
            None,
        ));
    }
    let layer = Layer {
        layer: "app",
        figures: figs,
    };

    (layer, AppLimits { idle, max, refresh })
}
