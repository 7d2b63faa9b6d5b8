//! `session-state-without-volume`: an app that keeps its sessions, or the
//! key that signs its login cookies, on its container's disk, where no
//! volume is mounted.
//!
//! The profile's `state:` entries say what an image keeps where. Only a
//! workload recognised by its image is judged (a service built from
//! source may keep it elsewhere), and only when its volumes are known.

use super::datastore::{kept_dirs, on_volume};
use super::{Check, Hit, Input};
use crate::lint::bind::Match;
use crate::model::Workload;
use crate::rules::{AppProfile, KeptState};
use crate::source::finding::Label;

/// `session-state-without-volume`.
pub struct StateWithoutVolume;

impl Check for StateWithoutVolume {
    fn run<'a>(&self, input: &Input<'a>) -> Vec<Hit<'a>> {
        let mut out = Vec::new();
        for w in &input.model.workloads {
            let Some(profile) = w.app.as_deref().and_then(|a| input.rules.app(a)) else {
                continue;
            };
            let Some((_, image_span)) = w.image.as_ref() else {
                continue;
            };
            let Some(lost) = kept_state(w, profile)
                .into_iter()
                .find(|k| k.persistent == Some(false))
            else {
                continue;
            };
            let mut m = Match {
                primary: Some(Label::new(*image_span, "")),
                ..Default::default()
            };
            m.set("app", profile.name.clone());
            m.set("holds", lost.state.holds.clone());
            m.set("kept-in", lost.dirs.join(" or "));
            m.set(
                "pin",
                lost.state
                    .pinned_by
                    .as_ref()
                    .map_or_else(String::new, |k| format!(", or set `{k}`")),
            );
            out.push(Hit {
                workload: Some(w),
                matched: m,
                severity: None,
            });
        }
        out
    }
}

/// One `state:` entry of a workload's profile that applies to it.
pub struct Kept<'a> {
    pub state: &'a KeptState,
    /// The directories it is kept in.
    pub dirs: Vec<String>,
    /// Whether one of them is on a persistent volume; `None` when the
    /// volumes are not known.
    pub persistent: Option<bool>,
}

/// What the container of `w` keeps on its disk, by its profile's `state:`
/// entries for its image: not for a workload without an image, nor for
/// an entry that a set variable moves out of the container or to a place
/// not known.
pub fn kept_state<'a>(w: &Workload, profile: &'a AppProfile) -> Vec<Kept<'a>> {
    let Some((image, _)) = w.image.as_ref() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for state in profile.state_of(image) {
        let moved_out = state.unless_set.iter().chain(&state.pinned_by).any(|k| {
            w.setting(k)
                .is_some_and(|s| s.value.known().is_none_or(|v| !v.trim().is_empty()))
        });
        if moved_out {
            continue;
        }
        let Some(dirs) = kept_dirs(w, &state.paths, &state.env, &state.flags) else {
            continue;
        };
        if dirs.is_empty() {
            // No default place, and no variable or flag names one.
            continue;
        }
        let persistent = on_volume(w, &dirs);
        out.push(Kept {
            state,
            dirs,
            persistent,
        });
    }
    out
}
