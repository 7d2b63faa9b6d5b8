//! Which app each workload runs: a name the user gave in the config file,
//! else the image, an app's own config file, or the variables it sets.

use crate::model::{Model, Workload, WorkloadKind};
use crate::rules::{AppProfile, RuleSet};
use crate::source::FileId;
use std::collections::{HashMap, HashSet};
use std::path::Path;

/// An app profile recognised for a workload, and by what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recognition {
    pub app: String,
    /// `image postgres:16`, `config file /etc/php/php.ini`, `variable
    /// DJANGO_SETTINGS_MODULE`.
    pub by: String,
}

/// Set `app` on every workload of `model`: `hints` (workload name to
/// profile id, from the config file) first, then [`recognise`].
pub fn assign_apps(
    model: &mut Model,
    rules: &RuleSet,
    hints: &std::collections::BTreeMap<String, String>,
) {
    let shared = shared_env_files(model);
    for w in &mut model.workloads {
        let found = match hints.get(&w.name) {
            Some(app) => Some(Recognition {
                app: app.clone(),
                by: "the configuration file ([apps])".to_string(),
            }),
            None => recognise(w, rules, &shared),
        };
        w.app = found.as_ref().map(|r| r.app.clone());
        w.recognised_by = found.map(|r| r.by);
    }
    // Settings written as flags inside a variable (`--sessionTimeout=60`
    // in `JENKINS_OPTS`) are settings of their own.
    for w in &mut model.workloads {
        let Some(p) = w.app.as_deref().and_then(|a| rules.app(a)) else {
            continue;
        };
        let derived: Vec<crate::model::Setting> = p
            .settings
            .iter()
            .filter_map(|spec| {
                let (env, flag) = (spec.env.as_deref()?, spec.flag.as_deref()?);
                let s = w.settings.iter().rev().find(|s| s.key == env)?;
                let value = crate::rules::profile::flag_value(s.value.known()?, flag)?;
                Some(crate::model::Setting {
                    key: crate::rules::profile::flag_key(env, flag),
                    value: crate::model::Value::Known(value),
                    ..s.clone()
                })
            })
            .collect();
        w.settings.extend(derived);
    }
    // A ConfigMap or Secret is an app's settings only when a profile claims
    // it by name; its entries then are no longer loose.
    model
        .workloads
        .retain(|w| w.kind != WorkloadKind::KubeSettings || w.app.is_some());
    let claimed: HashSet<crate::source::Span> = model
        .workloads
        .iter()
        .filter(|w| w.kind == WorkloadKind::KubeSettings)
        .flat_map(|w| w.settings.iter().map(|s| s.key_span))
        .collect();
    if !claimed.is_empty() {
        model.loose.retain(|s| !claimed.contains(&s.key_span));
    }
}

/// Files outside a service's own compose file that give variables to
/// services of different images: one `.env` named in `env_file` by an app,
/// its database and its search engine. Their variables say which app the
/// stack runs, not which one each service is.
fn shared_env_files(model: &Model) -> HashSet<FileId> {
    let mut images: HashMap<FileId, HashSet<&str>> = HashMap::new();
    for w in &model.workloads {
        let image = w.image.as_ref().map_or("", |(i, _)| i.as_str());
        for s in &w.settings {
            if s.key_span.file != w.span.file {
                images.entry(s.key_span.file).or_default().insert(image);
            }
        }
    }
    images
        .into_iter()
        .filter(|(_, i)| i.len() > 1)
        .map(|(f, _)| f)
        .collect()
}

/// Which app profile a workload runs, and by what: its image first, then an
/// app config file mounted into it, then the variables it sets. The same
/// variable means the same app wherever it is set (compose `environment:`
/// or `env_file`, a standalone `.env`, Kubernetes env, a ConfigMap): a
/// service with an image no profile knows is recognised by its variables
/// too (`DJANGO_SETTINGS_MODULE` in a service built from the project's
/// own Dockerfile). Variables from `shared` files (see [`shared_env_files`])
/// do not count for a service with an image.
fn recognise(w: &Workload, rules: &RuleSet, shared: &HashSet<FileId>) -> Option<Recognition> {
    let profiles = || rules.apps.iter().filter(|p| !p.heuristic);
    if let Some((image, _)) = &w.image
        && let Some(p) = profiles().find(|p| p.matches_image(image))
    {
        return Some(found(p, format!("image {image}")));
    }
    // a service the platform fills in by name
    if w.image.is_none()
        && w.kind == WorkloadKind::ComposeService
        && let Some(p) = profiles().find(|p| p.detect.service_names.contains(&w.name))
    {
        return Some(found(p, format!("service name {}", w.name)));
    }
    // an app's own config file, mounted into the container
    for p in profiles() {
        if let Some(f) = w
            .config_files
            .iter()
            .find(|f| crate::model::appconfig::matches_file(&p.detect.files, Path::new(f)))
        {
            return Some(found(p, format!("config file {f}")));
        }
    }
    if matches!(
        w.kind,
        WorkloadKind::ConfigFile | WorkloadKind::KubeSettings
    ) {
        let path = &w.name;
        let by = if w.kind == WorkloadKind::ConfigFile {
            "its file name"
        } else {
            "its name"
        };
        return profiles()
            .find(|p| crate::model::appconfig::matches_file(&p.detect.files, Path::new(path)))
            .map(|p| found(p, by.to_string()));
    }
    // A service whose image no profile knows may carry another app's
    // integration settings (`N8N_ENABLED` in an app that calls n8n, the
    // `N8N_RUNNERS_…` of n8n's task runner image): there, a variable under
    // an app's prefix counts only when it is one of the app's own settings
    // (`N8N_ENCRYPTION_KEY` counts, `N8N_RUNNERS_AUTH_TOKEN` does not).
    // Variables from a file shared by services of different images tell
    // the stack's app, not this service's.
    let imaged = w.image.is_some();
    let own: Vec<&crate::model::Setting> = w
        .settings
        .iter()
        .filter(|s| !imaged || !shared.contains(&s.key_span.file))
        .collect();
    // An app's own variables win over a framework's: the profiles of
    // frameworks (Rails, Django, Laravel …) name no image, and the apps
    // built on them (Mastodon, Redmine, Paperless-ngx …) set the
    // framework's variables too.
    let (apps, frameworks): (Vec<&AppProfile>, Vec<&AppProfile>) =
        profiles().partition(|p| !p.detect.images.is_empty());
    for p in apps.into_iter().chain(frameworks) {
        if let Some(s) = own.iter().find(|s| p.detect.env_keys.contains(&s.key)) {
            return Some(found(p, format!("variable {}", s.key)));
        }
        if let Some(s) = own.iter().find(|s| {
            p.detect
                .env_prefixes
                .iter()
                .any(|pre| s.key.starts_with(pre.as_str()))
                && (!imaged
                    || p.settings
                        .iter()
                        .any(|spec| spec.matches(&s.key, &p.env_scheme)))
        }) {
            return Some(found(p, format!("variable {}", s.key)));
        }
    }
    None
}

fn found(p: &AppProfile, by: String) -> Recognition {
    Recognition {
        app: p.app.clone(),
        by,
    }
}
