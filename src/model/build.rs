//! Building the model from the files of a run.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::finding::{Finding, Label};
use crate::model::{Model, Origin, Setting, Value, Workload, WorkloadKind, compose};
use crate::parse::{dotenv, interp, yaml};
use crate::ruleset::RuleSet;
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};

/// The entries of one `.env` file as settings, and a lookup by name.
#[derive(Debug)]
pub struct ParsedEnv {
    pub file: FileId,
    pub settings: Vec<Setting>,
}

/// Variables of a project `.env`, for interpolation.
#[derive(Debug, Clone)]
pub struct EnvLookup {
    vars: Arc<HashMap<String, (String, Span)>>,
}

impl EnvLookup {
    /// The known value of `name` and where it is set.
    pub fn get(&self, name: &str) -> Option<(String, Span)> {
        self.vars.get(name).cloned()
    }
}

/// `.env` files: the ones discovered, and the ones compose files name in
/// `env_file` (read from disk when discovery skipped them, e.g. because
/// they are git-ignored). Each is parsed once.
pub struct EnvFiles<'a> {
    sources: &'a SourceMap,
    by_path: HashMap<PathBuf, Option<Arc<ParsedEnv>>>,
    new_files: Vec<SourceFile>,
    findings: Vec<Finding>,
    /// Files whose entries are container environment of some workload.
    used_as_env: HashSet<FileId>,
    /// Files used for compose interpolation.
    used_for_interpolation: HashSet<FileId>,
}

impl<'a> EnvFiles<'a> {
    pub fn new(sources: &'a SourceMap) -> Self {
        EnvFiles {
            sources,
            by_path: HashMap::new(),
            new_files: Vec::new(),
            findings: Vec::new(),
            used_as_env: HashSet::new(),
            used_for_interpolation: HashSet::new(),
        }
    }

    fn file(&self, id: FileId) -> Option<&SourceFile> {
        self.sources.get(id).or_else(|| {
            let i = (id.0 as usize).checked_sub(self.sources.len())?;
            self.new_files.get(i)
        })
    }

    /// Parse (once) the `.env` file at `path`.
    fn parsed(&mut self, path: &Path) -> Option<Arc<ParsedEnv>> {
        let path = compose::normalize(path);
        if let Some(p) = self.by_path.get(&path) {
            return p.clone();
        }
        let id = match self.sources.find(&path) {
            Some(id) => Some(id),
            None => self.read_from_disk(&path),
        };
        let parsed = id.map(|id| Arc::new(self.parse(id)));
        self.by_path.insert(path, parsed.clone());
        parsed
    }

    fn read_from_disk(&mut self, path: &Path) -> Option<FileId> {
        // not outside the linted tree, also through symbolic links
        if !self
            .sources
            .within_roots(&std::fs::canonicalize(path).ok()?)
        {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > crate::discover::Limits::default().max_file_size {
            return None;
        }
        let bytes = std::fs::read(path).ok()?;
        let (text, problems) = crate::discover::decode(bytes);
        let kind = match crate::discover::classify_name(path) {
            crate::discover::NameKind::Known(FileKind::DotenvExample) => FileKind::DotenvExample,
            _ => FileKind::Dotenv,
        };
        let id = FileId(u32::try_from(self.sources.len() + self.new_files.len()).ok()?);
        self.new_files
            .push(SourceFile::new(path.to_path_buf(), kind, text));
        for (r, m) in problems {
            self.findings
                .push(Finding::parse_error(Span::new(id, r), m));
        }
        Some(id)
    }

    fn parse(&mut self, id: FileId) -> ParsedEnv {
        let Some(file) = self.file(id) else {
            return ParsedEnv {
                file: id,
                settings: Vec::new(),
            };
        };
        let (parsed, findings) = parse_env(id, file);
        self.findings.extend(findings);
        parsed
    }

    /// Parse every `.env` file discovery found, in parallel.
    fn parse_all(&mut self) {
        let sources = self.sources;
        let files: Vec<(FileId, &SourceFile)> =
            sources.iter().filter(|(_, f)| f.kind.is_dotenv()).collect();
        let parsed: Vec<(ParsedEnv, Vec<Finding>)> = files
            .into_par_iter()
            .map(|(id, f)| parse_env(id, f))
            .collect();
        for (p, findings) in parsed {
            let Some(file) = sources.get(p.file) else {
                continue;
            };
            let path = compose::normalize(&file.path);
            if self.by_path.contains_key(&path) {
                continue;
            }
            if sources.find(&path) != Some(p.file) {
                // stored under another spelling: resolve it as compose would
                self.parsed(&file.path);
                continue;
            }
            self.findings.extend(findings);
            self.by_path.insert(path, Some(Arc::new(p)));
        }
    }

    /// The entries of an `env_file`, or `None` when it does not exist.
    pub fn load(&mut self, path: &Path) -> Option<Vec<Setting>> {
        let p = self.parsed(path)?;
        self.used_as_env.insert(p.file);
        Some(p.settings.clone())
    }

    /// The project `.env` used to interpolate a compose file.
    pub fn project_env(&mut self, path: &Path) -> Option<EnvLookup> {
        let p = self.parsed(path)?;
        self.used_for_interpolation.insert(p.file);
        let mut vars = HashMap::new();
        for s in &p.settings {
            if let Value::Known(v) = &s.value {
                vars.insert(s.key.clone(), (v.clone(), s.value_span));
            } else {
                vars.remove(&s.key);
            }
        }
        Some(EnvLookup {
            vars: Arc::new(vars),
        })
    }
}

/// One `.env` file's settings, and its syntax errors as findings.
fn parse_env(id: FileId, file: &SourceFile) -> (ParsedEnv, Vec<Finding>) {
    let example = file.kind == FileKind::DotenvExample;
    let parsed = dotenv::parse(&file.text);
    let mut findings = Vec::new();
    for e in &parsed.errors {
        findings.push(Finding::parse_error(
            Span::new(id, e.span.clone()),
            e.message.clone(),
        ));
    }
    let defined: HashSet<&str> = parsed.entries.iter().map(|e| e.key.as_str()).collect();
    let settings = parsed
        .entries
        .iter()
        .map(|e| {
            let unresolved = e.refs.iter().find(|r| {
                !r.resolved
                    && matches!(r.var.op, interp::Op::Plain)
                    && !defined.contains(r.var.name.as_str())
            });
            let value = match unresolved {
                Some(r) => Value::Unknown(format!(
                    "`{}` is not set in {}",
                    r.var.name,
                    file.display_path()
                )),
                None => Value::Known(e.value.clone()),
            };
            Setting {
                key: e.key.clone(),
                key_span: Span::new(id, e.key_span.clone()),
                value,
                value_span: Span::new(id, e.value_span.clone()),
                origin: Origin::Literal,
                via: Vec::new(),
                from_example: example,
                from_secret: false,
            }
        })
        .collect();
    (ParsedEnv { file: id, settings }, findings)
}

/// Build the model from all files of a run. Files that compose files
/// reference but discovery did not read are added to `sources`.
pub fn build(
    sources: &mut SourceMap,
    rules: &RuleSet,
    limits: &yaml::Limits,
    app_hints: &std::collections::BTreeMap<String, String>,
) -> Model {
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
    let mut parsed: Vec<Arc<ParsedEnv>> = by_path.into_values().flatten().collect();
    parsed.sort_by_key(|p| p.file);
    model.example_values = example_values(&parsed, sources);
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
    for w in &mut model.workloads {
        w.app = app_hints
            .get(&w.name)
            .cloned()
            .or_else(|| detect_app(w, rules));
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
    for (start, l) in crate::parse::ini::lines(text) {
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

/// Pair each real `.env` file with the example files in its directory whose
/// name extends it (`.env` → `.env.example`, `prod.env` → `prod.env.dist`),
/// or, failing that, with any example file in the directory.
fn example_values(
    parsed: &[Arc<ParsedEnv>],
    sources: &SourceMap,
) -> HashMap<FileId, crate::model::ExampleValues> {
    let mut out = HashMap::new();
    // example files by folder, with their file names
    let mut examples_in: HashMap<&Path, Vec<(&str, &Arc<ParsedEnv>)>> = HashMap::new();
    for p in parsed {
        if let Some(f) = sources.get(p.file)
            && f.kind == FileKind::DotenvExample
        {
            let name = f.path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            examples_in
                .entry(f.path.parent().unwrap_or(Path::new("")))
                .or_default()
                .push((name, p));
        }
    }
    for real in parsed {
        let Some(file) = sources
            .get(real.file)
            .filter(|f| f.kind == FileKind::Dotenv)
        else {
            continue;
        };
        let path = &file.path;
        let Some(examples) = examples_in.get(path.parent().unwrap_or(Path::new(""))) else {
            continue;
        };
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let prefix = format!("{name}.");
        let named = |(n, _): &&(&str, &Arc<ParsedEnv>)| n.starts_with(&prefix);
        let chosen: Vec<&Arc<ParsedEnv>> = if examples.iter().any(|e| named(&e)) {
            examples.iter().filter(named).map(|(_, p)| *p).collect()
        } else {
            examples.iter().map(|(_, p)| *p).collect()
        };
        let mut values = crate::model::ExampleValues::new();
        for p in chosen {
            for s in &p.settings {
                if let Value::Known(v) = &s.value
                    && !v.trim().is_empty()
                {
                    values
                        .entry(s.key.clone())
                        .or_insert_with(|| (v.clone(), s.value_span));
                }
            }
        }
        if !values.is_empty() {
            out.insert(real.file, values);
        }
    }
    out
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

/// A label pointing at where a workload is defined.
pub fn workload_label(w: &Workload) -> Label {
    Label::new(w.span, format!("service `{}`", w.name))
}
