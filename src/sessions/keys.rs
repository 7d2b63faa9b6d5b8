//! The keys layer: signing and encryption keys, pinned, derived, generated
//! at start, or the shipped default.

use super::Figure;
use super::{Layer, figure};
use crate::lint::bind::Binding;
use crate::lint::checks::state::Kept;
use crate::model::Workload;
use crate::source::SourceMap;

/// The layer, and why a regenerated key logs everyone out (when it does).
pub(super) fn layer(
    w: &Workload,
    bs: &[Binding<'_>],
    kept: &[Kept<'_>],
    sources: &SourceMap,
) -> (Option<Layer>, Option<String>) {
    let mut figs = Vec::new();
    let mut names: Vec<Vec<String>> = Vec::new();
    let mut regenerated: Option<String> = None;
    for b in bs
        .iter()
        .filter(|b| matches!(b.concept(), "session.secret" | "encryption.key"))
    {
        let what = if b.concept() == "session.secret" {
            "signing key"
        } else {
            "encryption key"
        };
        let shown = if b.is_empty_default() {
            "empty: the app's built-in default (publicly known)".to_string()
        } else if b.is_set() {
            "set (value not shown)".to_string()
        } else if let Some(u) = &b.spec.when_unset
            && u.generated_at_start
        {
            let kept = u.kept_in.as_deref().map(|dir| (dir, w.is_persistent(dir)));
            match kept {
                Some((dir, Some(true))) => {
                    format!("generated at first start, kept in {dir} (persistent)")
                }
                Some((dir, Some(false))) => {
                    regenerated.get_or_insert(format!(
                        "`{}` is generated at start and {dir} is not on a persistent volume",
                        b.key()
                    ));
                    format!("generated at start, {dir} not persistent: new key on every recreate")
                }
                Some((dir, None)) => format!("generated at start, kept in {dir}"),
                None => "generated at start by each instance".into(),
            }
        } else if let Some(from) = b
            .spec
            .when_unset
            .as_ref()
            .and_then(|u| u.derived_from.clone())
        {
            format!("derived from `{from}`")
        } else if b.value().is_some() {
            "not set: the app's built-in default (publicly known)".into()
        } else {
            "not set".into()
        };
        let fig = figure(sources, b, what, shown);
        // keys unset alike (WordPress's eight keys and salts) are one line
        // that names them
        if fig.setting.is_none()
            && let Some((prev, names)) = figs.iter_mut().zip(names.iter_mut()).rev().find(
                |(p, n): &(&mut super::Figure, &mut Vec<String>)| {
                    (p.setting.is_none() || n.len() > 1)
                        && p.location.is_none()
                        && p.value == fig.value
                        && p.what.starts_with(what)
                },
            )
        {
            names.push(b.key());
            prev.what = format!("{what}s ({})", names.len());
            prev.setting = Some(
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", "),
            );
            continue;
        }
        figs.push(fig);
        names.push(vec![b.key()]);
    }
    for k in kept {
        let dirs = k.dirs.join(" or ");
        let shown = match k.persistent {
            Some(true) => format!("{dirs} (persistent)"),
            Some(false) => {
                regenerated.get_or_insert_with(|| {
                    format!(
                        "{dirs}, where it keeps {}, is not on a persistent volume",
                        k.state.holds
                    )
                });
                format!("{dirs}, on no volume: lost with the container")
            }
            None => dirs,
        };
        let location = w.image.as_ref().map(|(_, span)| super::loc(sources, *span));
        figs.push(Figure::fact(
            &format!("on disk: {}", k.state.holds),
            shown,
            location,
        ));
    }
    let layer = (!figs.is_empty()).then_some(Layer {
        layer: "keys",
        figures: figs,
    });

    (layer, regenerated)
}
