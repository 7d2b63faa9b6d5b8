//! docker-compose files → workloads.
//!
//! Each service becomes a [`Workload`]. `${VAR}` in the compose file is
//! interpolated from the project's `.env` (the `.env` beside the compose
//! file, as docker compose does); the container environment is the
//! `env_file` entries (later files win) overridden by `environment:`.
//! Every value keeps where it was written and what it came through.

use crate::source::paths::normalize;
use crate::syntax::words::split_words;
use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;

use crate::model::envfiles::{EnvFiles, EnvLookup};
use crate::model::{Origin, Route, RouteKind, Setting, Value, Volume, Workload, WorkloadKind};
use crate::source::finding::{Finding, Label};
use crate::source::{FileId, SourceFile, Span};
use crate::syntax::interp::{self, Op, Piece};
use crate::syntax::yaml::{self, Node, NodeKind};

/// Read one compose file, parsed into `stream`, into workloads.
pub fn read(
    file_id: FileId,
    file: &SourceFile,
    stream: &yaml::Stream,
    env_files: &mut EnvFiles,
) -> (Vec<Workload>, Vec<Finding>) {
    let mut cx = Cx {
        file_id,
        file,
        findings: Vec::new(),
        project_env: None,
    };
    cx.findings
        .extend(crate::model::yaml_errors(file_id, stream));
    for d in &stream.duplicate_keys {
        let mut f = Finding::parse_error(
            Span::new(file_id, d.second.clone()),
            format!(
                "duplicate key `{}`: docker compose rejects a mapping with the same key twice",
                d.key
            ),
        );
        f.primary.message = "defined again here".into();
        f.related.push(Label::new(
            Span::new(file_id, d.first.clone()),
            "first defined here",
        ));
        cx.findings.push(f);
    }

    let dir = file
        .path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let project = crate::source::display_path(&dir);
    cx.project_env = env_files.project_env(&dir.join(".env"));

    let mut workloads = Vec::new();
    for doc in &stream.docs {
        // the version 1 format (until 2016) has the services at the top
        let services = match doc.get("services") {
            Some(s) => s.entries(),
            None if is_version_1(doc) => doc.entries(),
            None => &[],
        };
        for entry in services {
            let Some(name) = entry.key.as_str() else {
                continue;
            };
            if !entry.value.is_map() {
                continue;
            }
            workloads.push(cx.service(name, &entry.key, &entry.value, &dir, &project, env_files));
        }
    }
    (workloads, cx.findings)
}

/// A compose file of the version 1 format: no `services:` or `version:`
/// key, and every top-level entry a service (a mapping with `image:` or
/// `build:`).
fn is_version_1(doc: &Node) -> bool {
    let entries = doc.entries();
    !entries.is_empty()
        && doc.get("version").is_none()
        && entries
            .iter()
            .all(|e| e.value.get("image").is_some() || e.value.get("build").is_some())
}

struct Cx<'a> {
    file_id: FileId,
    file: &'a SourceFile,
    findings: Vec<Finding>,
    project_env: Option<EnvLookup>,
}

/// A compose value after interpolation.
struct Resolved {
    value: Value,
    value_span: Span,
    origin: Origin,
    via: Vec<Label>,
}

impl Cx<'_> {
    fn span(&self, r: Range<usize>) -> Span {
        Span::new(self.file_id, r)
    }

    /// The source range of `rel` (relative to the scalar's value) when the
    /// scalar is written without escapes; else the whole scalar.
    fn sub_span(&self, node: &Node, rel: Range<usize>) -> Span {
        let content = node.content_span();
        if node.as_str() == Some(self.file.slice(content.clone())) {
            self.span(content.start + rel.start..content.start + rel.end)
        } else {
            self.span(content)
        }
    }

    fn lookup(&self, name: &str) -> Option<(String, Span)> {
        self.project_env.as_ref()?.get(name)
    }

    /// Interpolate the part `rel` of a scalar node's value.
    fn resolve(&mut self, node: &Node, rel: Range<usize>, key: &str) -> Resolved {
        let whole = node.as_str().unwrap_or("");
        let text = whole.get(rel.clone()).unwrap_or("");
        let here = self.sub_span(node, rel.clone());
        if !text.contains('$') {
            return Resolved {
                value: Value::Known(text.to_string()),
                value_span: here,
                origin: Origin::Literal,
                via: Vec::new(),
            };
        }
        let pieces = match interp::parse_template(text) {
            Ok(p) => p,
            Err(e) => {
                let at = self.sub_span(node, rel.start + e.span.start..rel.start + e.span.end);
                self.findings.push(Finding::parse_error(
                    at,
                    format!("invalid interpolation in `{key}`: {}", e.message),
                ));
                return Resolved {
                    value: Value::Unknown("the value has an invalid interpolation".into()),
                    value_span: here,
                    origin: Origin::Literal,
                    via: Vec::new(),
                };
            }
        };
        let vars: Vec<&interp::VarRef> = pieces
            .iter()
            .filter_map(|p| match p {
                Piece::Var(v) => Some(v),
                Piece::Lit { .. } => None,
            })
            .collect();
        // a variable set to a value the repository does not tell
        if let Some((name, why, at)) = vars.iter().find_map(|v| {
            let (why, at) = self.project_env.as_ref()?.unknown(&v.name)?;
            Some((v.name.clone(), why, at))
        }) {
            let single = matches!(pieces.as_slice(), [Piece::Var(_)]);
            return Resolved {
                value: Value::Unknown(format!("`{name}` is {why}")),
                value_span: if single { at } else { here },
                origin: if single {
                    Origin::Variable { name: name.clone() }
                } else {
                    Origin::Literal
                },
                via: vec![if single {
                    Label::new(
                        here,
                        if name == key {
                            format!("`{key}` is read here")
                        } else {
                            format!("`{key}` is set from `{name}`")
                        },
                    )
                } else {
                    Label::new(at, format!("`{name}` is set here"))
                }],
            };
        }
        let lookup = |n: &str| self.lookup(n).map(|(v, _)| v);
        let ev = interp::evaluate(&pieces, &lookup);
        let value = if let Some(name) = ev.unresolved.first() {
            Value::Unknown(format!(
                "`{name}` is not set in the project's .env; its value comes from the environment docker compose runs in"
            ))
        } else if let Some((r, _)) = ev.errors.first() {
            Value::Unknown(format!(
                "`{}` must be set (`:?` in the compose file)",
                r.name
            ))
        } else {
            Value::Known(ev.value.clone())
        };
        // a value that is exactly one reference points at where it comes from
        if let [Piece::Var(v)] = pieces.as_slice()
            && let Some((value_span, origin, via)) =
                self.single_reference(v, &ev, (node, rel.clone()), key, here)
        {
            return Resolved {
                value,
                value_span,
                origin,
                via,
            };
        }
        let via = vars
            .iter()
            .filter_map(|v| {
                self.lookup(&v.name)
                    .map(|(_, s)| Label::new(s, format!("`{}` is set here", v.name)))
            })
            .collect();
        Resolved {
            value,
            value_span: here,
            origin: Origin::Literal,
            via,
        }
    }

    /// Where a value that is exactly one reference comes from: the `.env`
    /// entry that sets it, or the default text of `${VAR:-default}` when
    /// nothing does. `None` when neither applies.
    fn single_reference(
        &self,
        v: &interp::VarRef,
        ev: &interp::Evaluated,
        (node, rel): (&Node, Range<usize>),
        key: &str,
        here: Span,
    ) -> Option<(Span, Origin, Vec<Label>)> {
        if let Some((_, env_span)) = self.lookup(&v.name)
            && !matches!(v.op, Op::AltIfSet | Op::AltIfSetNonEmpty)
        {
            let label = if v.name == key {
                format!("`{key}` is read here")
            } else {
                format!("`{key}` is set from `{}`", v.name)
            };
            return Some((
                env_span,
                Origin::Variable {
                    name: v.name.clone(),
                },
                vec![Label::new(here, label)],
            ));
        }
        let used = ev.defaults_used.iter().find(|d| d.name == v.name)?;
        let arg = used.arg.as_ref()?;
        if matches!(used.op, Op::AltIfSet | Op::AltIfSetNonEmpty) {
            return None;
        }
        let span = self.sub_span(node, rel.start + arg.span.start..rel.start + arg.span.end);
        Some((
            span,
            Origin::Fallback {
                name: v.name.clone(),
            },
            Vec::new(),
        ))
    }

    fn resolve_whole(&mut self, node: &Node, key: &str) -> Resolved {
        let len = node.as_str().map_or(0, str::len);
        self.resolve(node, 0..len, key)
    }

    fn service(
        &mut self,
        name: &str,
        key: &Node,
        svc: &Node,
        dir: &Path,
        project: &str,
        env_files: &mut EnvFiles,
    ) -> Workload {
        let image = svc.get("image").and_then(|n| {
            let raw = n.as_str()?;
            let r = self.resolve_whole(n, "image");
            let known = match r.value.known() {
                Some(v) => Some(v.to_string()),
                // `repo:${TAG}`: the repository is known when only the tag
                // (or digest) is not
                None => image_repository_end(raw).and_then(|end| {
                    let repo = self.resolve(n, 0..end, "image");
                    repo.value.known().map(str::to_string)
                }),
            };
            known.map(|v| (v, self.span(n.span.clone())))
        });
        let mut settings: Vec<Setting> = Vec::new();
        self.env_files(svc, name, dir, env_files, &mut settings);
        self.environment(svc, &mut settings);
        let (replicas, replicas_span) = self.replicas(svc);
        let labels = self.labels(svc);
        let routes = traefik_route(name, &labels).into_iter().collect();
        Workload {
            project: project.to_string(),
            image,
            replicas,
            replicas_span,
            settings,
            volumes: Some(self.volumes(svc, dir)),
            command: self.command(svc),
            routes,
            labels,
            ports: svc
                .get("ports")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|p| Some((p.as_str()?.to_string(), self.span(p.span.clone()))))
                .collect(),
            ..Workload::new(
                name,
                WorkloadKind::ComposeService,
                self.span(key.span.clone()),
            )
        }
    }

    fn env_files(
        &mut self,
        svc: &Node,
        service: &str,
        dir: &Path,
        env_files: &mut EnvFiles,
        out: &mut Vec<Setting>,
    ) {
        let Some(node) = svc.get("env_file") else {
            return;
        };
        let items: Vec<&Node> = if node.is_seq() {
            node.items().iter().collect()
        } else {
            vec![node]
        };
        for item in items {
            let (path_node, required) = if item.is_map() {
                (
                    item.get("path"),
                    item.get("required").and_then(Node::as_bool).unwrap_or(true),
                )
            } else {
                (Some(item), true)
            };
            let Some(path_node) = path_node else { continue };
            let r = self.resolve_whole(path_node, "env_file");
            let Some(rel) = r.value.known() else { continue };
            let path = normalize(&dir.join(rel));
            let here = self.span(path_node.span.clone());
            match env_files.load(&path) {
                Some(entries) => {
                    for e in entries {
                        let mut s = e.clone();
                        s.via.push(Label::new(
                            here,
                            format!("read by service `{service}` through env_file"),
                        ));
                        out.push(s);
                    }
                }
                None => {
                    let (label, why) = env_files.why_not_read(&path);
                    // an optional file may be missing; one that is there
                    // and not read is said
                    if !required && label == "not found" {
                        continue;
                    }
                    let mut f = Finding::parse_error(
                        here,
                        format!(
                            "env_file `{rel}` of service `{service}` {why}; its settings cannot be checked"
                        ),
                    );
                    f.severity = crate::source::finding::Severity::Note;
                    f.primary.message = label.into();
                    self.findings.push(f);
                }
            }
        }
    }

    fn environment(&mut self, svc: &Node, out: &mut Vec<Setting>) {
        let Some(env) = svc.get("environment") else {
            return;
        };
        for e in env.entries() {
            let Some(key) = e.key.as_str() else { continue };
            let key_span = self.span(e.key.span.clone());
            let setting = match &e.value.kind {
                NodeKind::Scalar(_) if !e.value.is_null() => {
                    let r = self.resolve_whole(&e.value, key);
                    self.setting(key, key_span, r)
                }
                _ if e.value.is_null() => self.passed_through(key, key_span),
                _ => continue,
            };
            out.push(setting);
        }
        for item in env.items() {
            let Some(text) = item.as_str() else { continue };
            let setting = match text.split_once('=') {
                Some((k, _)) => {
                    let key_span = self.sub_span(item, 0..k.len());
                    let r = self.resolve(item, k.len() + 1..text.len(), k);
                    self.setting(k, key_span, r)
                }
                None => {
                    let key_span = self.span(item.span.clone());
                    self.passed_through(text, key_span)
                }
            };
            out.push(setting);
        }
    }

    fn setting(&self, key: &str, key_span: Span, r: Resolved) -> Setting {
        Setting {
            key: key.to_string(),
            key_span,
            value: r.value,
            value_span: r.value_span,
            origin: r.origin,
            via: r.via,
            from_example: false,
            from_secret: false,
        }
    }

    /// `environment: [KEY]` or `KEY:` with no value: taken from the
    /// environment compose runs in, which includes the project's `.env`.
    fn passed_through(&self, key: &str, key_span: Span) -> Setting {
        match self.lookup(key) {
            Some((v, span)) => Setting {
                key: key.to_string(),
                key_span,
                value: Value::Known(v),
                value_span: span,
                origin: Origin::Variable {
                    name: key.to_string(),
                },
                via: vec![Label::new(key_span, format!("`{key}` is passed through"))],
                from_example: false,
                from_secret: false,
            },
            None => Setting {
                key: key.to_string(),
                key_span,
                value: Value::Unknown(format!(
                    "`{key}` is passed through from the environment docker compose runs in"
                )),
                value_span: key_span,
                origin: Origin::Literal,
                via: Vec::new(),
                from_example: false,
                from_secret: false,
            },
        }
    }

    fn replicas(&mut self, svc: &Node) -> (u32, Option<Span>) {
        let node = svc
            .get("deploy")
            .and_then(|d| d.get("replicas"))
            .or_else(|| svc.get("scale"));
        let Some(node) = node else { return (1, None) };
        let r = self.resolve_whole(node, "replicas");
        let n = r
            .value
            .known()
            .and_then(|v| v.trim().parse::<u32>().ok())
            .unwrap_or(1);
        (n, Some(r.value_span))
    }

    fn volumes(&mut self, svc: &Node, dir: &Path) -> Vec<Volume> {
        let mut out = Vec::new();
        for v in svc.get("volumes").map(Node::items).unwrap_or(&[]) {
            let span = self.span(v.span.clone());
            if v.is_map() {
                let kind = v.get("type").and_then(Node::as_str).unwrap_or("volume");
                let Some(target) = v.get("target").and_then(Node::as_str) else {
                    continue;
                };
                let source = v.get("source").and_then(Node::as_str).unwrap_or("");
                out.push(long_volume(kind, source, target, dir, span));
            } else if v.as_str().is_some() {
                let r = self.resolve_whole(v, "volumes");
                // a source from a variable that nothing here sets
                // (`${DATA_DIR}:/var/lib/mysql`) is still a mount on a
                // known target
                let raw = v.as_str().unwrap_or("");
                let text = match r.value.known() {
                    Some(t) => t,
                    None => match split_volume(raw).as_slice() {
                        [_, t] | [_, t, _] if !t.contains('$') => raw,
                        _ => continue,
                    },
                };
                if let Some(v) = short_volume(text, dir, span) {
                    out.push(v);
                }
            }
        }
        for t in svc.get("tmpfs").map(Node::items).unwrap_or(&[]) {
            if let Some(target) = t.as_str() {
                out.push(Volume {
                    target: target.split(':').next().unwrap_or(target).to_string(),
                    persistent: false,
                    source: String::new(),
                    host: None,
                    span: self.span(t.span.clone()),
                });
            }
        }
        out
    }

    fn command(&mut self, svc: &Node) -> Vec<(String, Span)> {
        let Some(node) = svc.get("command") else {
            return Vec::new();
        };
        if node.is_seq() {
            return node
                .items()
                .iter()
                .filter_map(|i| {
                    i.as_str()?;
                    let r = self.resolve_whole(i, "command");
                    Some((
                        r.value.known().unwrap_or("").to_string(),
                        self.span(i.span.clone()),
                    ))
                })
                .collect();
        }
        let Some(text) = node.as_str() else {
            return Vec::new();
        };
        let content = node.content_span();
        let direct = Some(self.file.slice(content.clone())) == node.as_str();
        let source = self.file.slice(content.clone());
        let mut from = 0;
        split_words(text)
            .into_iter()
            .map(|(w, r)| {
                if direct {
                    return (w, self.sub_span(node, r));
                }
                // a folded or escaped scalar: find the word in the source
                let raw = text.get(r.clone()).unwrap_or("");
                match source.get(from..).and_then(|s| s.find(raw)) {
                    Some(i) if !raw.is_empty() => {
                        let start = content.start + from + i;
                        from += i + raw.len();
                        (w, self.span(start..start + raw.len()))
                    }
                    _ => (w, self.span(content.clone())),
                }
            })
            .collect()
    }

    fn labels(&mut self, svc: &Node) -> Vec<Setting> {
        let Some(labels) = svc.get("labels") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in labels.entries() {
            if let Some(key) = e.key.as_str()
                && e.value.as_str().is_some()
            {
                let r = self.resolve_whole(&e.value, key);
                out.push(self.setting(key, self.span(e.key.span.clone()), r));
            }
        }
        for item in labels.items() {
            if let Some(text) = item.as_str()
                && let Some((k, _)) = text.split_once('=')
            {
                let key_span = self.sub_span(item, 0..k.len());
                let r = self.resolve(item, k.len() + 1..text.len(), k);
                out.push(self.setting(k, key_span, r));
            }
        }
        out
    }
}

/// Traefik labels as a route in front of the service: TLS when a router
/// has `tls=true`, a cert resolver, or a `websecure`/`https` entry point;
/// sticky when `…loadbalancer.sticky.cookie` is set.
fn traefik_route(service: &str, labels: &[Setting]) -> Option<Route> {
    let lower = |l: &Setting| l.key.to_ascii_lowercase();
    let value = |l: &Setting| l.value.known().unwrap_or("").trim().to_ascii_lowercase();
    let router = labels
        .iter()
        .find(|l| lower(l).starts_with("traefik.http.routers."))?;
    let tls = labels.iter().any(|l| {
        let (k, v) = (lower(l), value(l));
        k.starts_with("traefik.http.routers.")
            && ((k.ends_with(".tls") && v == "true")
                || k.ends_with(".tls.certresolver")
                || (k.ends_with(".entrypoints")
                    && (v.contains("websecure") || v.contains("https"))))
    });
    let mut settings: Vec<Setting> = labels
        .iter()
        .filter(|l| {
            let k = lower(l);
            k.starts_with("traefik.http.services.") && k.contains(".loadbalancer.sticky.cookie")
        })
        .cloned()
        .collect();
    let sticky = settings.iter().find(|l| {
        let k = lower(l);
        !(k.ends_with(".sticky.cookie") && value(l) == "false")
    });
    if let Some(s) = sticky.cloned() {
        settings.push(Setting {
            key: "sticky".into(),
            ..s
        });
    }
    Some(Route {
        kind: RouteKind::Proxy,
        name: format!("Traefik router of `{service}`"),
        span: router.key_span,
        tls,
        settings,
        behind_ingress: false,
    })
}

/// A volume written `source:target[:options]` or `target` (compose's short
/// syntax, `docker run -v`); a source that starts with `.` or `/` is a bind
/// mount of that host path.
pub(crate) fn short_volume(text: &str, dir: &Path, span: Span) -> Option<Volume> {
    let (source, target) = match split_volume(text).as_slice() {
        [t] => ("", *t),
        [s, t] | [s, t, _] => (*s, *t),
        _ => return None,
    };
    let host =
        (source.starts_with('.') || source.starts_with('/')).then(|| normalize(&dir.join(source)));
    Some(Volume {
        target: target.to_string(),
        persistent: true,
        source: source.to_string(),
        host,
        span,
    })
}

/// A volume of the long syntax (`type`, `source`, `target`; compose's
/// mapping form, `docker run --mount`).
pub(crate) fn long_volume(
    kind: &str,
    source: &str,
    target: &str,
    dir: &Path,
    span: Span,
) -> Volume {
    Volume {
        target: target.to_string(),
        persistent: kind != "tmpfs",
        host: (kind == "bind").then(|| normalize(&dir.join(source))),
        source: source.to_string(),
        span,
    }
}

/// `./data:/var/lib/x:ro` → `["./data", "/var/lib/x", "ro"]`, keeping a
/// Windows drive letter (`C:\data:/x`) in the first part.
fn split_volume(text: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = text.split(':').collect();
    if parts.len() >= 3
        && parts.first().is_some_and(|p| p.len() == 1)
        && let Some(drive_len) = parts.first().map(|p| p.len())
        && let Some(rest_len) = parts.get(1).map(|p| p.len())
    {
        let joined = text.get(..drive_len + 1 + rest_len).unwrap_or("");
        parts.drain(..2);
        parts.insert(0, joined);
    }
    parts
}

/// A map from variable name to its value and where it is set.
pub type VarMap = HashMap<String, (String, Span)>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_volumes() {
        assert_eq!(split_volume("data:/data"), ["data", "/data"]);
        assert_eq!(split_volume("./x:/y:ro"), ["./x", "/y", "ro"]);
        assert_eq!(split_volume("/only"), ["/only"]);
        assert_eq!(split_volume(r"C:\x:/y"), [r"C:\x", "/y"]);
    }
}

/// Where the repository of an image reference ends: the byte offset of
/// the `:` of its tag or the `@` of its digest, outside `${…}` and after
/// its last `/`; `None` when it has neither or the repository itself is
/// not literal-free of such a split.
fn image_repository_end(raw: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut last_slash = 0;
    let mut end = None;
    let bytes = raw.as_bytes();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'$' if bytes.get(i + 1) == Some(&b'{') => {
                depth += 1;
                i += 1;
            }
            b'}' if depth > 0 => depth -= 1,
            b'/' if depth == 0 => {
                last_slash = i;
                end = None;
            }
            b':' | b'@' if depth == 0 && end.is_none() && i > last_slash => end = Some(i),
            _ => {}
        }
        i += 1;
    }
    end.filter(|&e| e > 0)
}

#[cfg(test)]
mod image_tests {
    use super::image_repository_end;

    #[test]
    fn the_repository_ends_at_the_tag_or_digest() {
        fn cut(s: &str) -> Option<&str> {
            image_repository_end(s).and_then(|e| s.get(..e))
        }
        assert_eq!(
            cut("posthog/posthog:${POSTHOG_VERSION}"),
            Some("posthog/posthog")
        );
        assert_eq!(
            cut("${REGISTRY:-ghcr.io}/immich-app/immich-server:${TAG:-release}"),
            Some("${REGISTRY:-ghcr.io}/immich-app/immich-server")
        );
        assert_eq!(cut("localhost:5000/app:${TAG}"), Some("localhost:5000/app"));
        assert_eq!(cut("redis@${DIGEST}"), Some("redis"));
        assert_eq!(cut("${IMAGE}"), None);
        assert_eq!(cut("${IMAGE:-nginx:1}"), None);
        assert_eq!(cut("nginx"), None);
    }
}
