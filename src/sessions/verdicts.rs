//! The verdicts: for an idle user, an active user, a restart and several
//! replicas, the binding limit and where it is set.

use super::app::AppLimits;
use super::store::StoreView;
use super::{Verdict, loc, per_instance};
use crate::lint::bind::Binding;
use crate::model::{Value, Workload};
use crate::source::SourceMap;
use crate::source::secret::Reveal;
use crate::syntax::duration::Duration;

/// What every verdict needs: the workload, its app's name and the sources.
struct Cx<'s> {
    w: &'s Workload,
    app: &'s str,
    sources: &'s SourceMap,
}

impl Cx<'_> {
    /// How the binding's value is written and where (`KEY = 2 hours`,
    /// `path:line`), or that it is the app's default.
    fn where_of(&self, b: &Binding<'_>) -> (String, Option<String>) {
        match (b.setting, b.command_word) {
            (Some(s), _) => {
                let v = s.value.known().unwrap_or("?");
                let unit = b
                    .unit()
                    .filter(|_| v.trim().parse::<f64>().is_ok())
                    .map(|u| format!(" {}", u.name()))
                    .unwrap_or_default();
                let written = b.value_var(format!("{v}{unit}"));
                (
                    format!("{} = {}", s.key, written.render(Reveal::Masked)),
                    Some(loc(self.sources, s.value_span)),
                )
            }
            (None, Some((word, span))) => (
                format!("`{word}` in the command sets {}", b.key()),
                Some(loc(self.sources, span)),
            ),
            (None, None) => (format!("{} (default of {})", b.key(), self.app), None),
        }
    }

    /// The verdict of a lifetime that binds: `lead` after its duration, or
    /// unknown with the reason.
    fn bound(&self, out: &mut Vec<Verdict>, case: &'static str, b: &Binding<'_>, lead: &str) {
        match (b.value(), b.duration()) {
            (Some(Value::Unknown(why)), _) => out.push(Verdict {
                case,
                text: format!("{lead}: unknown, it depends on `{}`: {why}", b.key()),
                location: b.setting.map(|s| loc(self.sources, s.value_span)),
            }),
            (_, Some(d)) if d.millis() > 0 => {
                let (what, at) = self.where_of(b);
                out.push(Verdict {
                    case,
                    text: format!(
                        "{lead} after {}: {what}",
                        b.duration_var(d).render(Reveal::Masked)
                    ),
                    location: at,
                });
            }
            _ => {}
        }
    }
}

pub(super) fn verdicts(
    w: &Workload,
    app: &str,
    limits: &AppLimits<'_, '_>,
    store: &StoreView<'_, '_>,
    regenerated: Option<&str>,
    sources: &SourceMap,
) -> Vec<Verdict> {
    let cx = Cx { w, app, sources };
    let mut out = Vec::new();
    lifetimes(&cx, limits, &mut out);
    restarts(&cx, store, regenerated, &mut out);
    replicas(&cx, store, &mut out);
    out
}

/// The shorter of two lifetimes (0 means not limited).
fn shorter(a: Option<&Binding<'_>>, b: Option<&Binding<'_>>) -> Option<Duration> {
    let da = a.and_then(Binding::duration).filter(|d| d.millis() > 0);
    let db = b.and_then(Binding::duration).filter(|d| d.millis() > 0);
    match (da, db) {
        (Some(x), Some(y)) => Some(x.min(y)),
        (x, y) => x.or(y),
    }
}

/// An idle user and an active user.
fn lifetimes(cx: &Cx<'_>, limits: &AppLimits<'_, '_>, out: &mut Vec<Verdict>) {
    let AppLimits { idle, max, refresh } = *limits;
    // idle user: the shorter of the idle timeout and the absolute lifetime
    let idle_limit = shorter(idle, max);
    match (idle, max) {
        (Some(i), Some(m)) if m.duration() == idle_limit && i.duration() != idle_limit => {
            cx.bound(out, "idle", m, "an idle user is logged out");
        }
        (Some(i), _) => cx.bound(out, "idle", i, "an idle user is logged out"),
        (None, Some(m)) => cx.bound(out, "idle", m, "an idle user is logged out"),
        (None, None) => {}
    }
    let idle_within_refresh = match (idle, refresh) {
        (Some(i), Some(r)) => {
            matches!((i.duration(), r.duration()), (Some(di), Some(dr)) if di <= dr)
        }
        _ => false,
    };
    if !idle_within_refresh && let Some(m) = max {
        cx.bound(out, "active", m, "an active user is logged out");
    } else if let (Some(i), Some(r)) = (idle, refresh)
        && let (Some(di), Some(dr)) = (i.duration(), r.duration())
        && di <= dr
    {
        let (what, at) = cx.where_of(i);
        out.push(Verdict {
            case: "active",
            text: format!(
                "an active user is logged out after {}: the idle lifetime ({what}) is not longer than the token refresh ({})",
                i.duration_var(di).render(Reveal::Masked),
                r.duration_var(dr).render(Reveal::Masked)
            ),
            location: at,
        });
    }
}

/// A restart: sessions in memory, a Redis that keeps nothing, a key made
/// anew.
fn restarts(
    cx: &Cx<'_>,
    store: &StoreView<'_, '_>,
    regenerated: Option<&str>,
    out: &mut Vec<Verdict>,
) {
    if store.kind.as_deref() == Some("memory") {
        let (what, at) = store.store.map(|b| cx.where_of(b)).unwrap_or_default();
        out.push(Verdict {
            case: "restart",
            text: format!(
                "everyone is logged out on every restart: sessions are kept in memory ({what})"
            ),
            location: at,
        });
    }
    if let Some((text, at)) = &store.redis_verdict {
        out.push(Verdict {
            case: "restart",
            text: text.clone(),
            location: at.map(|s| loc(cx.sources, s)),
        });
    }
    if let Some(r) = regenerated {
        out.push(Verdict {
            case: "restart",
            text: format!("everyone is logged out when the container is recreated: {r}"),
            location: None,
        });
    }
}

/// Several replicas: sessions kept in each, or a store that is unknown.
fn replicas(cx: &Cx<'_>, store: &StoreView<'_, '_>, out: &mut Vec<Verdict>) {
    let w = cx.w;
    if let Some(k) = store.kind.as_deref()
        && per_instance(k)
        && w.replicas > 1
    {
        let (what, at) = store.store.map(|b| cx.where_of(b)).unwrap_or_default();
        let text = if w.sticky {
            format!(
                "users are logged out when their replica restarts: {} replicas keep sessions in `{k}` storage each; sticky routing keeps a user on one ({what})",
                w.replicas
            )
        } else {
            format!(
                "random logouts: {} replicas, no sticky routing, sessions in `{k}` storage of each replica ({what})",
                w.replicas
            )
        };
        out.push(Verdict {
            case: "replicas",
            text,
            location: at,
        });
    }
    if let Some(Value::Unknown(why)) = store.store.and_then(|b| b.value()) {
        out.push(Verdict {
            case: "replicas",
            text: format!("where sessions live is unknown: {why}"),
            location: None,
        });
    }
}

/// A verdict for each finding about the service that explains a logout, a
/// failed login or lost sessions (weak secrets and parse errors are listed
/// under the findings only): the finding's message, where to change it.
pub(super) fn from_findings(
    related: &[(super::Related, crate::source::finding::Category)],
) -> Vec<Verdict> {
    related
        .iter()
        .filter(|(_, c)| super::explains_logins(*c))
        .map(|(r, _)| Verdict {
            case: "finding",
            text: format!("{} [{}]", r.message, r.rule),
            location: Some(r.location.clone()),
        })
        .collect()
}
