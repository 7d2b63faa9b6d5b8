//! Which app each workload runs: a name the user gave in the config file,
//! else the image, an app's own config file, or the variables it sets.

use crate::model::{Model, Workload, WorkloadKind};
use crate::rules::RuleSet;

/// Set `app` on every workload of `model`: `hints` (workload name to
/// profile id, from the config file) first, then [`detect_app`].
pub fn assign_apps(
    model: &mut Model,
    rules: &RuleSet,
    hints: &std::collections::BTreeMap<String, String>,
) {
    for w in &mut model.workloads {
        w.app = hints.get(&w.name).cloned().or_else(|| detect_app(w, rules));
    }
}

/// Which app profile a workload runs: by image first, then (for workloads
/// without a recognised image) by the prefixes of its variables.
pub fn detect_app(w: &Workload, rules: &RuleSet) -> Option<String> {
    if let Some((image, _)) = &w.image
        && let Some(p) = rules
            .apps
            .iter()
            .find(|p| !p.heuristic && p.matches_image(image))
    {
        return Some(p.app.clone());
    }
    // an app's own config file, mounted into the container
    if let Some(p) = rules.apps.iter().filter(|p| !p.heuristic).find(|p| {
        w.config_files.iter().any(|f| {
            crate::model::appconfig::matches_file(&p.detect.files, std::path::Path::new(f))
        })
    }) {
        return Some(p.app.clone());
    }
    if w.kind == WorkloadKind::ConfigFile {
        let path = &w.name;
        return rules
            .apps
            .iter()
            .filter(|p| !p.heuristic)
            .find(|p| {
                crate::model::appconfig::matches_file(&p.detect.files, std::path::Path::new(path))
            })
            .map(|p| p.app.clone());
    }
    if w.image.is_some() && w.kind == WorkloadKind::ComposeService {
        return None;
    }
    rules
        .apps
        .iter()
        .filter(|p| !p.heuristic)
        .find(|p| {
            w.settings.iter().any(|s| {
                p.detect
                    .env_prefixes
                    .iter()
                    .any(|pre| s.key.starts_with(pre.as_str()))
                    || p.detect.env_keys.contains(&s.key)
            })
        })
        .map(|p| p.app.clone())
}
