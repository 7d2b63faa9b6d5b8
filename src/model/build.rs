//! Building the model from the files of a run.

use rayon::prelude::*;
use std::sync::Arc;

use crate::model::envfiles::EnvFiles;
use crate::model::{Model, Setting, Workload, WorkloadKind, compose};
use crate::source::finding::Label;
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};
use crate::syntax::yaml;

/// Build the model from all files of a run. Files that compose files
/// reference but discovery did not read are added to `sources`.
pub fn build(sources: &mut SourceMap, limits: &yaml::Limits) -> Model {
    let mut model = Model::default();
    // compose files and the files they use, Kubernetes manifests and Helm
    // values are read side by side
    let (env, (kube, helm)) = rayon::join(
        || {
            let mut env = EnvFiles::new(sources);
            env.parse_all();
            compose_and_configs(sources, limits, &mut env, &mut model);
            env
        },
        || {
            rayon::join(
                || crate::model::kube::read(sources, limits),
                || crate::model::helm::read(sources, limits),
            )
        },
    );
    let (kube_workloads, kube_loose, kube_findings) = kube;
    model.workloads.extend(kube_workloads);
    model.loose.extend(kube_loose);
    model.findings.extend(kube_findings);
    let (helm_workloads, helm_findings) = helm;
    model.workloads.extend(helm_workloads);
    model.findings.extend(helm_findings);
    let EnvFiles {
        by_path,
        new_files,
        findings,
        used_as_env,
        used_for_interpolation,
        ..
    } = env;
    model.findings.extend(findings);
    for f in new_files {
        sources.add(f);
    }
    let mut parsed: Vec<Arc<crate::model::envfiles::ParsedEnv>> =
        by_path.into_values().flatten().collect();
    parsed.sort_by_key(|p| p.file);
    model.example_values = crate::model::envfiles::example_values(&parsed, sources);
    for p in parsed {
        if used_as_env.contains(&p.file) {
            continue;
        }
        if used_for_interpolation.contains(&p.file) {
            model.loose.extend(p.settings.iter().cloned());
            continue;
        }
        let Some(file) = sources.get(p.file) else {
            continue;
        };
        let name = file.display_path();
        model.workloads.push(Workload {
            name,
            kind: WorkloadKind::EnvFile,
            span: Span::new(p.file, 0..0),
            project: String::new(),
            image: None,
            app: None,
            replicas: 1,
            replicas_span: None,
            settings: p.settings.clone(),
            volumes: None,
            command: Vec::new(),
            sticky: false,
            tls: None,
            routes: Vec::new(),
            namespace: String::new(),
            labels: Vec::new(),
            ports: Vec::new(),
            config_files: Vec::new(),
        });
    }
    let proxies = crate::model::nginx::read(sources, &mut model.workloads);
    model.findings.extend(proxies.findings);
    model.proxy_facts = proxies.facts;
    crate::model::haproxy::read(sources, &mut model.workloads);
    for w in &mut model.workloads {
        crate::model::kube::finish_routes(w);
    }
    model
}

/// How many compose files are parsed together before they are read.
const COMPOSE_BATCH: usize = 64;

/// Compose files (with the `.env` files they read), htpasswd files and app
/// config files, attached to the services that mount them.
fn compose_and_configs(
    sources: &SourceMap,
    limits: &yaml::Limits,
    env: &mut EnvFiles,
    model: &mut Model,
) {
    // parse in parallel, model in order (compose files share the `.env`
    // files), a batch at a time so that few trees are in memory at once
    let composes: Vec<(FileId, &SourceFile)> = sources
        .iter()
        .filter(|(_, f)| f.kind == FileKind::Compose)
        .collect();
    for batch in composes.chunks(COMPOSE_BATCH) {
        let parsed: Vec<yaml::Stream> = batch
            .par_iter()
            .map(|(_, f)| yaml::parse(&f.text, limits))
            .collect();
        for ((id, file), stream) in batch.iter().zip(parsed) {
            let (workloads, findings) = compose::read(*id, file, &stream, env);
            model.workloads.extend(workloads);
            model.findings.extend(findings);
        }
    }
    for (id, file) in sources.iter() {
        if file.kind == FileKind::Htpasswd {
            model.loose.extend(htpasswd_entries(id, &file.text));
        }
    }
    let (configs, config_findings) = crate::model::appconfig::read(sources, limits);
    model.findings.extend(config_findings);
    let unmounted = crate::model::appconfig::attach(&mut model.workloads, configs);
    let config_workloads: Vec<Workload> = unmounted
        .into_iter()
        .map(|c| crate::model::appconfig::standalone(c, sources))
        .collect();
    model.workloads.extend(config_workloads);
}

/// The `user:hash` lines of an htpasswd file, as settings named `htpasswd`
/// (the secret list classes that name as a password).
fn htpasswd_entries(id: FileId, text: &str) -> Vec<Setting> {
    let mut out = Vec::new();
    for (start, l) in crate::source::lines::lines(text) {
        if l.trim().is_empty() || l.trim_start().starts_with('#') {
            continue;
        }
        // hashes hold no spaces: whatever follows one is not part of it
        let l = l.trim_end();
        let l = l.split_once([' ', '\t']).map_or(l, |(head, _)| head);
        let Some(colon) = l.find(':') else { continue };
        out.push(Setting::literal(
            "htpasswd",
            Span::new(id, start..start + colon),
            l.to_string(),
            Span::new(id, start + colon + 1..start + l.len()),
        ));
    }
    out
}

/// A label pointing at where a workload is defined.
pub fn workload_label(w: &Workload) -> Label {
    Label::new(w.span, format!("service `{}`", w.name))
}
