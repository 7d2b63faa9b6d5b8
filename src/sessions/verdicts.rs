//! The verdicts: for an idle user, an active user, a restart and several
//! replicas, the binding limit and where it is set.

use super::app::AppLimits;
use super::store::StoreView;
use super::{Verdict, loc, per_instance};
use crate::lint::bind::Binding;
use crate::model::{Value, Workload};
use crate::source::SourceMap;
use crate::source::secret::{Reveal, Var};
use crate::syntax::duration::Duration;

pub(super) fn verdicts(
    w: &Workload,
    app: &str,
    AppLimits { idle, max, refresh }: &AppLimits<'_, '_>,
    store_view: &StoreView<'_, '_>,
    regenerated: Option<&str>,
    sources: &SourceMap,
) -> Vec<Verdict> {
    let (idle, max, refresh) = (*idle, *max, *refresh);
    let store = store_view.store;
    let store_kind = &store_view.kind;
    let redis_verdict = store_view.redis_verdict.clone();
    let mut verdicts = Vec::new();
    let where_of = |b: &Binding<'_>| -> (String, Option<String>) {
        match (b.setting, b.command_word) {
            (Some(s), _) => {
                let v = s.value.known().unwrap_or("?");
                let unit = b
                    .unit()
                    .filter(|_| v.trim().parse::<f64>().is_ok())
                    .map(|u| format!(" {}", u.name()))
                    .unwrap_or_default();
                let written = Var::hidden_if(b.is_secret() || s.from_secret, format!("{v}{unit}"));
                (
                    format!("{} = {}", s.key, written.render(Reveal::Masked)),
                    Some(loc(sources, s.value_span)),
                )
            }
            (None, Some((word, span))) => (
                format!("`{word}` in the command sets {}", b.key()),
                Some(loc(sources, span)),
            ),
            (None, None) => (format!("{} (default of {app})", b.key()), None),
        }
    };
    let mut bound =
        |case: &'static str, b: &Binding<'_>, lead: &str| match (b.value(), b.duration()) {
            (Some(Value::Unknown(why)), _) => verdicts.push(Verdict {
                case,
                text: format!("{lead}: unknown, it depends on `{}`: {why}", b.key()),
                location: b.setting.map(|s| loc(sources, s.value_span)),
            }),
            (_, Some(d)) if d.millis() > 0 => {
                let (what, at) = where_of(b);
                verdicts.push(Verdict {
                    case,
                    text: format!(
                        "{lead} after {}: {what}",
                        b.duration_var(d).render(Reveal::Masked)
                    ),
                    location: at,
                });
            }
            _ => {}
        };
    let shorter = |a: Option<&Binding<'_>>, b: Option<&Binding<'_>>| -> Option<Duration> {
        let da = a.and_then(Binding::duration).filter(|d| d.millis() > 0);
        let db = b.and_then(Binding::duration).filter(|d| d.millis() > 0);
        match (da, db) {
            (Some(x), Some(y)) => Some(x.min(y)),
            (x, y) => x.or(y),
        }
    };
    // idle user: the shorter of the idle timeout and the absolute lifetime
    let idle_limit = shorter(idle, max);
    match (idle, max) {
        (Some(i), Some(m)) if m.duration() == idle_limit && i.duration() != idle_limit => {
            bound("idle", m, "an idle user is logged out");
        }
        (Some(i), _) => bound("idle", i, "an idle user is logged out"),
        (None, Some(m)) => bound("idle", m, "an idle user is logged out"),
        (None, None) => {}
    }
    let idle_within_refresh = match (idle, refresh) {
        (Some(i), Some(r)) => {
            matches!((i.duration(), r.duration()), (Some(di), Some(dr)) if di <= dr)
        }
        _ => false,
    };
    if !idle_within_refresh && let Some(m) = max {
        bound("active", m, "an active user is logged out");
    } else if let (Some(i), Some(r)) = (idle, refresh)
        && let (Some(di), Some(dr)) = (i.duration(), r.duration())
        && di <= dr
    {
        let (what, at) = where_of(i);
        verdicts.push(Verdict {
            case: "active",
            text: format!(
                "an active user is logged out after {}: the idle lifetime ({what}) is not longer than the token refresh ({})",
                i.duration_var(di).render(Reveal::Masked),
                r.duration_var(dr).render(Reveal::Masked)
            ),
            location: at,
        });
    }
    if let Some(k) = store_kind.as_deref()
        && k == "memory"
    {
        verdicts.push(Verdict {
            case: "restart",
            text: format!(
                "everyone is logged out on every restart: sessions are kept in memory ({})",
                store.map(|b| where_of(b).0).unwrap_or_default()
            ),
            location: store.and_then(|b| where_of(b).1),
        });
    }
    if let Some((text, at)) = redis_verdict {
        verdicts.push(Verdict {
            case: "restart",
            text,
            location: at.map(|s| loc(sources, s)),
        });
    }
    if let Some(r) = &regenerated {
        verdicts.push(Verdict {
            case: "restart",
            text: format!("everyone is logged out when the container is recreated: {r}"),
            location: None,
        });
    }
    if let Some(k) = store_kind.as_deref()
        && per_instance(k)
        && w.replicas > 1
    {
        let (what, at) = store.map(where_of).unwrap_or_default();
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
        verdicts.push(Verdict {
            case: "replicas",
            text,
            location: at,
        });
    }
    if store.is_some_and(|b| matches!(b.value(), Some(Value::Unknown(_)))) {
        verdicts.push(Verdict {
            case: "replicas",
            text: format!(
                "where sessions live is unknown: {}",
                store
                    .and_then(|b| match b.value() {
                        Some(Value::Unknown(why)) => Some(why),
                        _ => None,
                    })
                    .unwrap_or_default()
            ),
            location: None,
        });
    }

    verdicts
}
