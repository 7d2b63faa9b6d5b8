//! Apps' own config files (php.ini, grafana.ini, Gitea app.ini,
//! airflow.cfg, redis.conf, Spring properties and YAML, servlet XML
//! descriptors, Symfony's framework.yaml) as settings.
//!
//! A config file mounted into a compose service (a bind mount of the file
//! or of its folder) belongs to that service, so the service's replicas
//! and routes apply to it. A config file that no service mounts is a
//! workload of its own whose deployment is unknown.

use std::path::{Path, PathBuf};

use crate::model::{Setting, Workload, WorkloadKind};
use crate::source::finding::{Finding, Label};
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};
use crate::syntax::ini;
use crate::syntax::yaml::{self, Node, NodeKind};

/// The settings of one config file.
#[derive(Debug, Clone)]
pub struct ConfigFile {
    pub file: FileId,
    pub path: PathBuf,
    pub settings: Vec<Setting>,
    /// The file could not be read: what it sets is unknown.
    pub unread: bool,
}

fn setting(
    file: FileId,
    key: String,
    key_span: std::ops::Range<usize>,
    value: String,
    value_span: std::ops::Range<usize>,
) -> Setting {
    Setting::literal(
        key,
        Span::new(file, key_span),
        value,
        Span::new(file, value_span),
    )
}

/// Read every app config file.
pub fn read(sources: &SourceMap, limits: &yaml::Limits) -> (Vec<ConfigFile>, Vec<Finding>) {
    let mut out = Vec::new();
    let mut findings = Vec::new();
    for (id, f) in sources.iter().filter(|(_, f)| f.kind.is_app_config()) {
        let (settings, errors) = read_text(id, f.kind, &f.text, limits);
        findings.extend(
            errors
                .into_iter()
                .map(|(span, message)| Finding::parse_error(Span::new(id, span), message)),
        );
        out.push(ConfigFile {
            file: id,
            path: f.path.clone(),
            settings,
            unread: f.unread,
        });
    }
    (out, findings)
}

/// The settings of an app config file's text (spans into `text`, in file
/// `id`) and its syntax errors, by the file's kind. Used for files of the
/// repository and for files embedded in a ConfigMap.
#[allow(clippy::type_complexity)]
pub fn read_text(
    id: FileId,
    kind: FileKind,
    text: &str,
    limits: &yaml::Limits,
) -> (Vec<Setting>, Vec<(std::ops::Range<usize>, String)>) {
    if let Some(p) = ini::parse_kind(kind, text) {
        let errors = p.errors.into_iter().map(|e| (e.span, e.message)).collect();
        let settings = p
            .entries
            .into_iter()
            .map(|e| setting(id, e.key, e.key_span, e.value, e.value_span))
            .collect();
        return (settings, errors);
    }
    if kind == FileKind::ServletXml {
        return crate::model::servletxml::read(id, text);
    }
    if kind == FileKind::KeycloakRealm {
        return crate::model::realm::read_text(id, text, limits);
    }
    if !matches!(kind, FileKind::SpringYaml | FileKind::SymfonyYaml) {
        return (Vec::new(), Vec::new());
    }
    // Spring and Symfony YAML, flattened to dotted keys (all documents)
    let stream = yaml::parse(text, limits);
    let errors = stream
        .errors
        .into_iter()
        .map(|e| (e.span, format!("invalid YAML: {}", e.message)))
        .collect();
    let mut out = Vec::new();
    for doc in &stream.docs {
        flatten(id, "", doc, None, &mut out, 0);
    }
    if kind == FileKind::SymfonyYaml {
        crate::model::symfony::env_references(&mut out);
    }
    (out, errors)
}

fn flatten(
    id: FileId,
    prefix: &str,
    n: &Node,
    key_node: Option<&Node>,
    out: &mut Vec<Setting>,
    depth: usize,
) {
    if depth > 64 {
        return;
    }
    match &n.kind {
        NodeKind::Map(entries) => {
            for e in entries {
                let Some(k) = e.key.as_str() else { continue };
                let key = if prefix.is_empty() {
                    k.to_string()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(id, &key, &e.value, Some(&e.key), out, depth + 1);
            }
        }
        NodeKind::Seq(items) => {
            for (i, item) in items.iter().enumerate() {
                flatten(
                    id,
                    &format!("{prefix}[{i}]"),
                    item,
                    key_node,
                    out,
                    depth + 1,
                );
            }
        }
        NodeKind::Scalar(s) => {
            let key_span = key_node.map_or(n.span.clone(), |k| k.span.clone());
            out.push(setting(
                id,
                prefix.to_string(),
                key_span,
                s.value.to_string(),
                n.content_span(),
            ));
        }
    }
}

/// Attach mounted config files to the compose services that mount them;
/// returns the files no service mounts.
pub fn attach(workloads: &mut [Workload], configs: Vec<ConfigFile>) -> Vec<ConfigFile> {
    let mut unmounted = Vec::new();
    for c in configs {
        let mut used = false;
        for w in workloads.iter_mut() {
            let mounts: Vec<(PathBuf, String, Span)> = w
                .volumes
                .iter()
                .flatten()
                .filter_map(|v| Some((v.host.clone()?, v.target.clone(), v.span)))
                .collect();
            // a mount of a folder above the project (the host's `/`, `..`)
            // mounts the host, not files of this project
            let project = Path::new(&w.project);
            for (host, target, span) in mounts {
                let above = w.kind.is_container()
                    && !w.project.is_empty()
                    && project != host
                    && project.starts_with(&host);
                if above {
                    continue;
                }
                if let Ok(rest) = c.path.strip_prefix(&host) {
                    used = true;
                    w.settings_unread |= c.unread;
                    let inside = Path::new(&target).join(rest);
                    w.config_files.push(
                        crate::source::display_path(&inside)
                            .trim_end_matches('/')
                            .to_string(),
                    );
                    let label = Label::new(
                        span,
                        format!("mounted into service `{}` at {target}", w.name),
                    );
                    // the config file comes before the environment: an
                    // environment variable wins over the file, as the apps apply it
                    let mut settings: Vec<Setting> = c
                        .settings
                        .iter()
                        .cloned()
                        .map(|mut s| {
                            s.via.push(label.clone());
                            s
                        })
                        .collect();
                    // Symfony's `%env(NAME)%` is the service's `NAME`
                    crate::model::symfony::resolve(&mut settings, &w.settings);
                    settings.append(&mut w.settings);
                    w.settings = settings;
                }
            }
        }
        if !used {
            unmounted.push(c);
        }
    }
    unmounted
}

/// A config file no service mounts, as a workload of its own.
pub fn standalone(c: ConfigFile, sources: &SourceMap) -> Workload {
    let name = sources
        .get(c.file)
        .map(SourceFile::display_path)
        .unwrap_or_default();
    Workload {
        settings: c.settings,
        settings_unread: c.unread,
        ..Workload::new(name, WorkloadKind::ConfigFile, Span::new(c.file, 0..0))
    }
}

/// Is `path` one of the config files a profile names (globs)?
pub fn matches_file(globs: &[String], path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    globs.iter().any(|g| {
        if !g.contains('/') && !g.contains('*') {
            return g.eq_ignore_ascii_case(&name);
        }
        globset::Glob::new(g)
            .map(|g| g.compile_matcher().is_match(path))
            .unwrap_or(false)
    })
}
