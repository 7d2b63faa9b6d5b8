//! `idle-timeout-within-refresh` and `cookie-outlives-server-session`: two
//! lifetimes of one app in the wrong order.

use super::{Check, Hit, Input};
use crate::lint::bind::{Binding, Match};
use crate::source::finding::Label;
use crate::source::secret::Reveal;

/// Two lifetimes that must come in order.
pub struct CompareDurations(pub Compare);

impl Check for CompareDurations {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        compare_durations(input, self.0)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Compare {
    /// Grafana: the idle lifetime restarts only on token rotation.
    IdleWithinRefresh,
    /// PHP & co.: the browser keeps a cookie whose server data is gone.
    CookieOutlivesSession,
}

fn compare_durations<'a>(input: &Input<'a>, which: Compare) -> Vec<Hit<'a>> {
    let (a, b) = match which {
        Compare::IdleWithinRefresh => ("session.idle-timeout", "session.refresh-interval"),
        Compare::CookieOutlivesSession => ("cookie.max-age", "session.idle-timeout"),
    };
    let mut out = Vec::new();
    for (w, bs) in input.model.workloads.iter().zip(input.bindings) {
        if w.app.is_none() {
            continue;
        }
        let find = |c: &str| {
            bs.iter()
                .filter(|x| x.concept() == c)
                .find_map(|x| Some((x.duration()?, x)))
        };
        let (Some((da, ba)), Some((db, bb))) = (find(a), find(b)) else {
            continue;
        };
        let hit = match which {
            Compare::IdleWithinRefresh => da <= db,
            Compare::CookieOutlivesSession => da.millis() > 0 && da > db,
        };
        // report only what someone set: two defaults are the app's business
        if !hit || !(ba.is_set() || bb.is_set()) {
            continue;
        }
        let (primary, other) = if ba.is_set() { (ba, bb) } else { (bb, ba) };
        let at = |x: &Binding<'_>| x.setting.map_or(w.span, |s| s.value_span);
        let label = |x: &Binding<'_>, d: crate::syntax::duration::Duration| {
            let d = x.duration_var(d);
            let d = d.render(Reveal::Masked);
            if x.is_set() {
                format!("`{}` = {d}", x.key())
            } else {
                format!("`{}` is not set: {d} by default", x.key())
            }
        };
        let mut m = Match {
            primary: Some(Label::new(at(primary), "")),
            ..Default::default()
        };
        let (dp, dother) = if ba.is_set() { (da, db) } else { (db, da) };
        m.related.push(Label::new(at(other), label(other, dother)));
        if let Some(s) = primary.setting {
            m.related.extend(s.via.iter().cloned());
        }
        m.set("key", primary.key());
        m.set("duration", primary.duration_var(dp));
        m.set("other", other.key());
        m.set("threshold", other.duration_var(dother));
        m.set("value", ba.duration_var(da));
        m.set("default", bb.duration_var(db));
        out.push(Hit {
            workload: Some(w),
            matched: m,
            severity: None,
        });
    }
    out
}
