//! Building the model: every reader, wired in this one place.
//!
//! A [`Reader`] contributes workloads (with loose settings, findings, and
//! files it read beyond discovery); the readers of [`READERS`] run side by
//! side and their contributions are merged in that order, so the model does
//! not depend on scheduling. A [`Decorator`] then adds to the workloads what
//! the proxies in front of them say (routes, cookie facts), in the order of
//! [`DECORATORS`]. Last, each workload's stickiness and TLS are derived from
//! its routes.

use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::Arc;

use crate::model::envfiles::EnvFiles;
use crate::model::{ExampleValues, Model, Setting, Workload, WorkloadKind, compose};
use crate::source::finding::Finding;
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};
use crate::syntax::yaml;

/// What one reader adds to the model.
#[derive(Default)]
pub struct Contribution {
    pub workloads: Vec<Workload>,
    /// Workloads placed after those of every reader (lone `.env` files,
    /// which only stand alone when no other file uses them).
    pub trailing: Vec<Workload>,
    /// Settings no workload reads (still checked for secrets).
    pub loose: Vec<Setting>,
    pub findings: Vec<Finding>,
    /// Files read beyond discovery (an `env_file` that is git-ignored),
    /// numbered from the end of the source map the reader was given.
    pub new_files: Vec<SourceFile>,
    pub example_values: HashMap<FileId, ExampleValues>,
}

/// A reader of one family of files that contributes workloads.
pub trait Reader: Sync {
    fn read(&self, sources: &SourceMap, limits: &yaml::Limits) -> Contribution;
}

/// A reader that adds to the workloads already read (routes, facts).
pub trait Decorator: Sync {
    fn decorate(&self, sources: &mut SourceMap, model: &mut Model);
}

/// Compose files with the `.env`, htpasswd and app config files they use.
pub struct ComposeProjects;
/// Kubernetes manifests.
pub struct Kubernetes;
/// Helm chart values.
pub struct HelmCharts;
/// nginx configurations in front of the workloads.
pub struct NginxProxies;
/// HAProxy configurations in front of the workloads.
pub struct HaproxyProxies;

/// The readers, in the order their contributions are merged.
pub static READERS: &[&dyn Reader] = &[&ComposeProjects, &Kubernetes, &HelmCharts];

/// The decorators, in the order they run.
pub static DECORATORS: &[&dyn Decorator] = &[&NginxProxies, &HaproxyProxies];

/// Build the model from all files of a run. Files that readers read beyond
/// discovery are added to `sources`.
pub fn build(sources: &mut SourceMap, limits: &yaml::Limits) -> Model {
    let parts: Vec<Contribution> = READERS
        .par_iter()
        .map(|r| r.read(sources, limits))
        .collect();
    let mut model = Model::default();
    let mut trailing = Vec::new();
    for part in parts {
        model.workloads.extend(part.workloads);
        trailing.extend(part.trailing);
        model.loose.extend(part.loose);
        model.findings.extend(part.findings);
        model.example_values.extend(part.example_values);
        for f in part.new_files {
            sources.add(f);
        }
    }
    model.workloads.extend(trailing);
    for d in DECORATORS {
        d.decorate(sources, &mut model);
    }
    for w in &mut model.workloads {
        crate::model::kube::finish_routes(w);
    }
    model
}

impl Reader for Kubernetes {
    fn read(&self, sources: &SourceMap, limits: &yaml::Limits) -> Contribution {
        let (workloads, loose, findings) = crate::model::kube::read(sources, limits);
        Contribution {
            workloads,
            loose,
            findings,
            ..Contribution::default()
        }
    }
}

impl Reader for HelmCharts {
    fn read(&self, sources: &SourceMap, limits: &yaml::Limits) -> Contribution {
        let (workloads, findings) = crate::model::helm::read(sources, limits);
        Contribution {
            workloads,
            findings,
            ..Contribution::default()
        }
    }
}

impl Decorator for NginxProxies {
    fn decorate(&self, sources: &mut SourceMap, model: &mut Model) {
        let proxies = crate::model::nginx::read(sources, &mut model.workloads);
        model.findings.extend(proxies.findings);
        model.proxy_facts = proxies.facts;
    }
}

impl Decorator for HaproxyProxies {
    fn decorate(&self, sources: &mut SourceMap, model: &mut Model) {
        crate::model::haproxy::read(sources, &mut model.workloads);
    }
}

impl Reader for ComposeProjects {
    fn read(&self, sources: &SourceMap, limits: &yaml::Limits) -> Contribution {
        let mut env = EnvFiles::new(sources);
        env.parse_all();
        let mut out = Contribution::default();
        compose_and_configs(sources, limits, &mut env, &mut out);
        let mut parsed: Vec<Arc<crate::model::envfiles::ParsedEnv>> =
            env.by_path.values().flatten().cloned().collect();
        parsed.sort_by_key(|p| p.file);
        out.example_values = crate::model::envfiles::example_values(&parsed, &|id| env.file(id));
        // `.env` files no compose file uses stand alone
        for p in &parsed {
            if env.used_as_env.contains(&p.file) {
                continue;
            }
            if env.used_for_interpolation.contains(&p.file) {
                out.loose.extend(p.settings.iter().cloned());
                continue;
            }
            let Some(file) = env.file(p.file) else {
                continue;
            };
            out.trailing.push(Workload {
                settings: p.settings.clone(),
                ..Workload::new(
                    file.display_path(),
                    WorkloadKind::EnvFile,
                    Span::new(p.file, 0..0),
                )
            });
        }
        out.findings.append(&mut env.findings);
        out.new_files = std::mem::take(&mut env.new_files);
        out
    }
}

/// How many compose files are parsed together before they are read.
const COMPOSE_BATCH: usize = 64;

/// Compose files (with the `.env` files they read), htpasswd files and app
/// config files, attached to the services that mount them.
fn compose_and_configs(
    sources: &SourceMap,
    limits: &yaml::Limits,
    env: &mut EnvFiles,
    model: &mut Contribution,
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
    // `docker run` in scripts and in Markdown code blocks; `.env` code
    // blocks stand alone
    let mut scales = Vec::new();
    for (id, file) in sources.iter() {
        match file.kind {
            FileKind::Shell => {
                let script = crate::model::script::read(id, file, env);
                model.workloads.extend(script.workloads);
                scales.extend(script.scales);
            }
            FileKind::Dotenv | FileKind::EnvFragment if file.embedded.is_some() => {
                let (parsed, findings) = if file.kind == FileKind::Dotenv {
                    crate::model::envfiles::parse_embedded(id, file)
                } else {
                    env_fragment(id, file, limits)
                };
                model.findings.extend(findings);
                if let Some(first) = parsed.first() {
                    let (line, _) = file.line_col(first.key_span.start);
                    let span = first.key_span;
                    model.trailing.push(Workload {
                        settings: parsed,
                        ..Workload::new(
                            format!("{}:{line}", file.display_path()),
                            WorkloadKind::EnvFile,
                            span,
                        )
                    });
                }
            }
            _ => {}
        }
    }
    // `--scale` in a script: the replicas of a service of its project
    for s in scales {
        for w in model.workloads.iter_mut().filter(|w| {
            w.kind == WorkloadKind::ComposeService && w.project == s.project && w.name == s.service
        }) {
            w.replicas = s.replicas;
            w.replicas_span = Some(s.span);
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

/// The settings of an `environment:` (a map, or a list of `NAME=value`)
/// or `env:` (a list of `name:`/`value:`) code block.
fn env_fragment(
    id: FileId,
    file: &SourceFile,
    limits: &yaml::Limits,
) -> (Vec<Setting>, Vec<Finding>) {
    let stream = yaml::parse(&file.text, limits);
    let findings: Vec<Finding> = crate::model::yaml_errors(id, &stream).collect();
    let mut out = Vec::new();
    let span = |r: std::ops::Range<usize>| Span::new(id, r);
    for doc in &stream.docs {
        if let Some(env) = doc.get("environment") {
            for e in env.entries() {
                let (Some(k), Some(v)) = (e.key.as_str(), e.value.as_str()) else {
                    continue;
                };
                out.push(Setting::literal(
                    k,
                    span(e.key.span.clone()),
                    v.to_string(),
                    span(e.value.content_span()),
                ));
            }
            for item in env.items() {
                let Some(text) = item.as_str() else { continue };
                let Some((k, v)) = text.split_once('=') else {
                    continue;
                };
                let c = item.content_span();
                let key_end = (c.start + k.len()).min(c.end);
                out.push(Setting::literal(
                    k,
                    span(c.start..key_end),
                    v.to_string(),
                    span((key_end + 1).min(c.end)..c.end),
                ));
            }
        }
        for item in doc.get("env").map(yaml::Node::items).unwrap_or(&[]) {
            let (Some(k), Some(v)) = (item.get("name"), item.get("value")) else {
                continue;
            };
            let (Some(name), Some(value)) = (k.as_str(), v.as_str()) else {
                continue;
            };
            out.push(Setting::literal(
                name,
                span(k.content_span()),
                value.to_string(),
                span(v.content_span()),
            ));
        }
    }
    (out, findings)
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
