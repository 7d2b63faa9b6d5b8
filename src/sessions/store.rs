//! The store layer: where sessions live, and for Redis its eviction and
//! persistence.

use super::{Figure, Layer, figure, find, loc, per_instance, value_text};
use crate::lint::bind::Binding;
use crate::model::{Model, Workload};
use crate::rules::RuleSet;
use crate::source::{SourceMap, Span};

/// What the store layer found, for the verdicts.
pub(super) struct StoreView<'b, 'a> {
    pub layer: Option<Layer>,
    /// The binding of `session.store`.
    pub store: Option<&'b Binding<'a>>,
    /// Its value in the concept's vocabulary (`memory`, `redis` …).
    pub kind: Option<String>,
    /// What the Redis that keeps the sessions does to them, and where.
    pub redis_verdict: Option<(String, Option<Span>)>,
}

pub(super) fn layer<'b, 'a>(
    w: &Workload,
    bs: &'b [Binding<'a>],
    (model, rules): (&Model, &RuleSet),
    sources: &SourceMap,
) -> StoreView<'b, 'a> {
    let mut figs = Vec::new();
    let store = find(bs, "session.store");
    let store_kind = store
        .and_then(|b| b.value())
        .and_then(|v| v.known().map(str::to_string))
        .and_then(|v| store.map(|b| b.spec.normalize(&v)));
    if let Some(b) = store {
        let shown = match store_kind.as_deref() {
            Some(k) if per_instance(k) => value_text(b, &format!("{k} (in each replica)")),
            Some(k) => value_text(b, &format!("{k} (shared)")),
            None => "not set".into(),
        };
        figs.push(figure(sources, b, "where", shown));
    }
    // the Redis service this workload points at, when sessions live there
    let mut redis_verdict = None;
    let users = (store_kind.as_deref() == Some("redis"))
        .then(|| crate::lint::checks::redis::RedisUsers::new(model));
    if let Some(users) = &users
        && let Some(r) = model.workloads.iter().find(|r| {
            crate::lint::checks::redis::is_redis(r, rules)
                && users.of(r).iter().any(|(u, _)| std::ptr::eq(*u, w))
        })
    {
        redis_verdict = redis(r, sources, &mut figs);
    }
    let layer = (!figs.is_empty()).then_some(Layer {
        layer: "store",
        figures: figs,
    });

    StoreView {
        layer,
        store,
        kind: store_kind,
        redis_verdict,
    }
}

/// The figures of the Redis `r` that keeps the sessions, and what it does
/// to them (with where that is set).
fn redis(
    r: &Workload,
    sources: &SourceMap,
    figs: &mut Vec<Figure>,
) -> Option<(String, Option<Span>)> {
    let args = crate::lint::checks::redis::redis_args(r);
    // a figure without a location is Redis's own default
    let fig = |what: &str, value: String, at: Option<Span>| Figure {
        default: at.is_none(),
        ..Figure::fact(what, value, at.map(|s| loc(sources, s)))
    };
    figs.push(fig("Redis", format!("service `{}`", r.name), Some(r.span)));
    let evicts = match (&args.maxmemory, &args.policy) {
        (Some((m, _)), Some((p, ps))) if m.trim() != "0" && p != "noeviction" => {
            figs.push(fig(
                "eviction",
                format!("{p} when {m} is full: sessions can be evicted"),
                Some(*ps),
            ));
            Some(*ps)
        }
        (_, Some((p, ps))) => {
            figs.push(fig("eviction", p.clone(), Some(*ps)));
            None
        }
        _ => {
            figs.push(fig("eviction", "noeviction (no memory limit)".into(), None));
            None
        }
    };
    let aof = args
        .appendonly
        .as_ref()
        .is_some_and(|(v, _)| v.eq_ignore_ascii_case("yes"));
    let no_snapshots = args.save.as_ref().is_some_and(|(v, _)| v.trim().is_empty());
    let on_disk = r.is_persistent("/data");
    let persistence = match (aof, no_snapshots, on_disk) {
        (_, _, Some(false)) => "no volume on /data: nothing survives a recreate",
        (false, true, _) => "nothing written to disk (`save \"\"`, no append-only file)",
        (true, _, _) => "append-only file",
        (false, false, _) => "snapshots (RDB)",
    };
    let persist_span = args.save.as_ref().map(|(_, s)| *s);
    figs.push(fig("persistence", persistence.into(), persist_span));
    let lost = no_snapshots && !aof || on_disk == Some(false);
    match (evicts, lost) {
        (Some(at), true) => Some((
            format!(
                "everyone is logged out when Redis `{}` restarts (it keeps nothing on disk) and some users whenever it is full (it evicts keys)",
                r.name
            ),
            Some(at),
        )),
        (Some(at), false) => Some((
            format!(
                "some users are logged out whenever Redis `{}` is full: it evicts keys",
                r.name
            ),
            Some(at),
        )),
        (None, true) => Some((
            format!(
                "everyone is logged out when Redis `{}` restarts: it keeps nothing on disk",
                r.name
            ),
            persist_span,
        )),
        (None, false) => None,
    }
}
