//! nginx configuration in the model: `server` blocks and their locations
//! become routes in front of the compose services and Kubernetes Services
//! that `proxy_pass` (and `fastcgi_pass`, `uwsgi_pass`, `grpc_pass`) name,
//! directly or through an `upstream`.
//!
//! `include` is resolved like nginx does (globs, relative to the including
//! file, and absolute `/etc/nginx/...` paths mapped onto the folder of the
//! main file), confined to the folder above the main file. Include cycles
//! and nesting deeper than [`MAX_INCLUDE_DEPTH`] are findings. Files that
//! another file includes are read as part of it, not on their own.
//!
//! Besides routes, the directives that change session cookies on the way
//! out are kept as [`ProxyFact`]s for the checks.

use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::model::{Route, RouteKind, Setting, Workload, WorkloadKind};
use crate::source::finding::Finding;
use crate::source::{FileId, FileKind, SourceFile, SourceMap, Span};
use crate::syntax::nginx;

/// Includes nested deeper than this are reported and not followed.
pub const MAX_INCLUDE_DEPTH: usize = 16;
/// At most this many files are included into one main file.
const MAX_INCLUDES: usize = 2000;

/// A directive with its file, after includes are inlined.
#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub name_span: Span,
    pub args: Vec<(String, Span)>,
    pub span: Span,
    pub children: Vec<Node>,
}

impl Node {
    /// A parsed directive of file `id`, with the given children.
    fn of(id: FileId, d: &nginx::Directive, children: Vec<Node>) -> Self {
        Node {
            name: d.name.clone(),
            name_span: Span::new(id, d.name_span.clone()),
            args: d
                .args
                .iter()
                .map(|a| (a.value.clone(), Span::new(id, a.span.clone())))
                .collect(),
            span: Span::new(id, d.span.clone()),
            children,
        }
    }

    fn arg(&self, i: usize) -> Option<&str> {
        self.args.get(i).map(|(a, _)| a.as_str())
    }
}

/// What a proxy does to session cookies or routing, for the checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactKind {
    /// `proxy_cookie_flags name flags…`
    CookieFlags,
    /// `proxy_cookie_path path replacement`
    CookiePath,
    /// `add_header Set-Cookie …`
    SetCookieHeader,
    /// `sticky …` in an upstream: NGINX Plus (`sticky cookie|route|learn
    /// …`) or the third-party nginx-sticky-module-ng (`sticky name=…`).
    Sticky,
    /// A location of a TLS server that proxies without telling the app
    /// the scheme (`X-Forwarded-Proto`).
    NoForwardedProto,
    /// `proxy_pass_request_headers off` in a proxying location that does
    /// not set `Cookie` again: the app never sees the session cookie.
    RequestHeadersOff,
    /// `proxy_set_header Host $host` in a server that listens on a port
    /// other than its scheme's default: the port is dropped from `Host`,
    /// and an app that compares `Origin` with `Host` refuses logins.
    HostWithoutPort,
    /// A prefix location proxied to another path with no
    /// `proxy_cookie_path`: cookies set for the app's path do not match the
    /// browser's.
    PathRewrite,
    /// `proxy_ignore_headers Set-Cookie` under `proxy_cache` without
    /// `proxy_hide_header Set-Cookie`: a response with one user's session
    /// cookie is cached and replayed to others.
    CachedSetCookie,
}

/// One directive of interest with its server's context.
#[derive(Debug, Clone)]
pub struct ProxyFact {
    pub kind: FactKind,
    pub directive: String,
    pub args: Vec<(String, Span)>,
    pub span: Span,
    /// The server block listens with TLS.
    pub tls: bool,
    /// The compose service that runs this nginx, with its image.
    pub image: Option<String>,
}

#[derive(Default)]
struct Upstream {
    servers: Vec<(String, Span)>,
    /// What keeps a user on one server (`ip_hash`, `hash $cookie_x`, `sticky`).
    sticky: Option<Setting>,
}

struct Files<'a> {
    sources: &'a mut SourceMap,
    by_path: HashMap<PathBuf, FileId>,
    /// Each file parsed once; shared, since a file is expanded once per
    /// main file that includes it.
    parsed: HashMap<FileId, Arc<nginx::Config>>,
    findings: Vec<Finding>,
}

impl Files<'_> {
    fn config(&mut self, id: FileId) -> Option<Arc<nginx::Config>> {
        if !self.parsed.contains_key(&id) {
            let cfg = nginx::parse(&crate::syntax::template::blank_actions(
                &self.sources.get(id)?.text,
            ));
            self.parsed_now(id, cfg);
        }
        self.parsed.get(&id).cloned()
    }

    /// Keep a file's parse, and report its syntax errors.
    fn parsed_now(&mut self, id: FileId, cfg: nginx::Config) {
        for e in &cfg.errors {
            self.findings.push(Finding::parse_error(
                Span::new(id, e.span.clone()),
                format!("nginx: {}", e.message),
            ));
        }
        self.parsed.insert(id, Arc::new(cfg));
    }

    /// May files under `path` be read: is it inside `root` and the linted
    /// tree (symbolic links resolved, whether it exists or not)?
    fn allowed(&self, path: &Path, root: &Path) -> bool {
        let resolved = crate::source::resolved(path);
        let root = crate::source::resolved(root);
        resolved.starts_with(&root) && self.sources.within_roots(&resolved)
    }

    /// The file at `path`: already read, or read now (confined to `root`).
    /// `Err(true)` when it lies outside (through a symbolic link).
    fn file_at(&mut self, path: &Path, root: &Path) -> Result<FileId, bool> {
        let canon = self.sources.canonical(path).ok_or(false)?;
        let root = self.sources.canonical(root).ok_or(false)?;
        if !canon.starts_with(&root) || !self.sources.within_roots(&canon) {
            return Err(true);
        }
        if !canon.is_file() {
            return Err(false);
        }
        if let Some(id) = self.by_path.get(&canon) {
            return Ok(*id);
        }
        let text = crate::source::read::read_file(&canon, self.sources.read_limit())
            .map_err(|_| false)?
            .text;
        let id = self.sources.add(SourceFile::new(
            crate::source::paths::normalize(path),
            FileKind::Nginx,
            text,
        ));
        self.by_path.insert(canon, id);
        Ok(id)
    }
}

/// Files an `include` pattern names, in name order, and whether a place
/// it names was left out because `allowed` refused it (outside the tree:
/// not listed, not read).
fn resolve_include(
    pattern: &str,
    including: &Path,
    main: &Path,
    allowed: &dyn Fn(&Path) -> bool,
) -> (Vec<PathBuf>, bool) {
    let mut bases: Vec<PathBuf> = Vec::new();
    let inc_dir = including.parent().unwrap_or(Path::new("."));
    let main_dir = main.parent().unwrap_or(Path::new("."));
    let rel: Vec<PathBuf> = if let Some(stripped) = pattern.strip_prefix('/') {
        // `/etc/nginx/conf.d/*.conf` → `conf.d/*.conf`, `nginx/conf.d/*.conf`, …
        let parts: Vec<&str> = stripped.split('/').collect();
        // keep the folder of a pattern: `/etc/nginx/*.conf` must not
        // become `*.conf` next to the main file
        (1..parts.len().saturating_sub(1).max(1))
            .map(|k| parts.get(k..).unwrap_or(&[]).iter().collect())
            .collect()
    } else {
        vec![PathBuf::from(pattern)]
    };
    for r in &rel {
        bases.push(inc_dir.join(r));
        bases.push(main_dir.join(r));
    }
    let mut refused = false;
    for candidate in bases {
        if !allowed(&candidate) {
            refused = true;
            continue;
        }
        let found = glob_files(&candidate);
        if !found.is_empty() {
            return (found, false);
        }
    }
    (Vec::new(), refused)
}

/// An absolute include of the nginx installation (`/etc/nginx/mime.types`,
/// OpenResty's, Angie's) that the image brings: not a file of the tree.
fn of_the_installation(pattern: &str) -> bool {
    ["nginx", "openresty", "angie", "tengine"]
        .iter()
        .any(|n| pattern.contains(n))
}

/// Expand a path whose last component may hold `*`, `?` or `[…]`.
fn glob_files(path: &Path) -> Vec<PathBuf> {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if !name.contains(['*', '?', '[']) {
        return if path.is_file() {
            vec![path.to_path_buf()]
        } else {
            Vec::new()
        };
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    if dir.to_string_lossy().contains(['*', '?', '[']) {
        return Vec::new();
    }
    let Ok(glob) = globset::Glob::new(name) else {
        return Vec::new();
    };
    let m = glob.compile_matcher();
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| m.is_match(e.file_name()))
                .map(|e| e.path())
                .filter(|p| p.is_file())
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

struct Expander<'f, 'a> {
    files: &'f mut Files<'a>,
    main: PathBuf,
    root: PathBuf,
    stack: Vec<FileId>,
    included: HashSet<FileId>,
    count: usize,
}

impl Expander<'_, '_> {
    /// A note: `include {pattern}` leaves the tree and was not followed.
    fn not_followed(&mut self, span: Span, pattern: &str) {
        let mut f = Finding::parse_error(
            span,
            format!(
                "nginx: `include {pattern}` names a file outside the linted tree (only files \
                 under `{}` are read); it was not followed",
                crate::source::display_path(&self.root)
            ),
        );
        f.severity = crate::source::finding::Severity::Note;
        f.primary.message = "not followed".into();
        self.files.findings.push(f);
    }

    fn expand_file(&mut self, id: FileId) -> Vec<Node> {
        let Some(cfg) = self.files.config(id) else {
            return Vec::new();
        };
        self.stack.push(id);
        let out = self.expand(id, &cfg.directives);
        self.stack.pop();
        out
    }

    fn expand(&mut self, id: FileId, dirs: &[nginx::Directive]) -> Vec<Node> {
        let mut out = Vec::new();
        for d in dirs {
            if d.name == "include" && d.block.is_none() {
                out.extend(self.include(id, d));
                continue;
            }
            let children = d
                .block
                .as_deref()
                .map(|b| self.expand(id, b))
                .unwrap_or_default();
            out.push(Node::of(id, d, children));
        }
        out
    }

    fn include(&mut self, id: FileId, d: &nginx::Directive) -> Vec<Node> {
        let Some(pattern) = d.arg(0) else {
            return Vec::new();
        };
        let here = self
            .files
            .sources
            .get(id)
            .map(|f| f.path.clone())
            .unwrap_or_default();
        let mut out = Vec::new();
        let span = Span::new(id, d.span.clone());
        let root = self.root.clone();
        let files = &*self.files;
        let (found, refused) =
            resolve_include(pattern, &here, &self.main, &|p| files.allowed(p, &root));
        if found.is_empty() {
            // not in the repository (`mime.types`, `proxy_params` of the
            // image): kept, so checks know something unknown is included
            out.push(Node::of(id, d, Vec::new()));
            if refused || (pattern.starts_with('/') && !of_the_installation(pattern)) {
                self.not_followed(span, pattern);
            }
        }
        for path in found {
            let inc = match self.files.file_at(&path, &self.root) {
                Ok(inc) => inc,
                Err(outside) => {
                    if outside {
                        self.not_followed(span, pattern);
                    }
                    continue;
                }
            };
            if self.stack.contains(&inc) {
                self.files.findings.push(Finding::parse_error(
                    span,
                    format!(
                        "nginx: include cycle: `{pattern}` includes a file that is already being included"
                    ),
                ));
                continue;
            }
            if self.stack.len() >= MAX_INCLUDE_DEPTH || self.count >= MAX_INCLUDES {
                self.files.findings.push(Finding::parse_error(
                    span,
                    format!(
                        "nginx: includes nested too deep or too many (at `{pattern}`); not followed"
                    ),
                ));
                continue;
            }
            self.count += 1;
            self.included.insert(inc);
            out.extend(self.expand_file(inc));
        }
        out
    }
}

/// Everything read from nginx files.
#[derive(Default)]
pub struct Read {
    pub findings: Vec<Finding>,
    pub facts: Vec<ProxyFact>,
}

/// Read every nginx file, attach routes to the workloads they proxy to.
pub fn read(sources: &mut SourceMap, workloads: &mut [Workload]) -> Read {
    let nginx_files: Vec<(FileId, PathBuf)> = sources
        .iter()
        .filter(|(_, f)| f.kind == FileKind::Nginx)
        .map(|(id, f)| (id, f.path.clone()))
        .collect();
    if nginx_files.is_empty() {
        return Read::default();
    }
    let by_path: HashMap<PathBuf, FileId> = nginx_files
        .par_iter()
        .filter_map(|(id, p)| sources.canonical(p).map(|c| (c, *id)))
        .collect::<Vec<_>>()
        .into_iter()
        .collect();
    // every file found is parsed (in parallel); included ones found later
    // are parsed when first included
    let configs: Vec<(FileId, nginx::Config)> = nginx_files
        .par_iter()
        .filter_map(|(id, _)| {
            Some((
                *id,
                nginx::parse(&crate::syntax::template::blank_actions(
                    &sources.get(*id)?.text,
                )),
            ))
        })
        .collect();
    let mut files = Files {
        sources,
        by_path,
        parsed: HashMap::new(),
        findings: Vec::new(),
    };
    for (id, cfg) in configs {
        files.parsed_now(id, cfg);
    }
    // expand each file; files that others include are not main files
    let mut trees: Vec<(FileId, PathBuf, Vec<Node>)> = Vec::new();
    let mut included_anywhere: HashSet<FileId> = HashSet::new();
    for (id, path) in &nginx_files {
        let main_dir = path.parent().unwrap_or(Path::new("."));
        let root = main_dir
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(main_dir)
            .to_path_buf();
        let mut ex = Expander {
            files: &mut files,
            main: path.clone(),
            root: if root.as_os_str().is_empty() {
                PathBuf::from(".")
            } else {
                root
            },
            stack: Vec::new(),
            included: HashSet::new(),
            count: 0,
        };
        let tree = ex.expand_file(*id);
        included_anywhere.extend(ex.included.iter().copied());
        trees.push((*id, path.clone(), tree));
    }
    let mut out = Read::default();
    let sources: &SourceMap = files.sources;
    let mounts = mounted_images(workloads, sources);
    for (id, path, tree) in trees {
        if included_anywhere.contains(&id) {
            continue;
        }
        let image = nginx_image(&path, &mounts, sources);
        let at = Place {
            main: &path,
            image: image.as_deref(),
            sources,
        };
        routes_of(&tree, &at, workloads, &mut out.facts);
    }
    // report each file's syntax errors once
    out.findings = files.findings;
    out.findings
        .sort_by_key(|f| (f.primary.span, f.message.clone()));
    out.findings
        .dedup_by(|a, b| a.primary.span == b.primary.span && a.message == b.message);
    out
}

/// The folders and files compose services mount, canonical, each with the
/// image of the first service (in workload order) that mounts it.
fn mounted_images(
    workloads: &[Workload],
    sources: &SourceMap,
) -> HashMap<PathBuf, (usize, String)> {
    let mut out: HashMap<PathBuf, (usize, String)> = HashMap::new();
    let hosts = workloads
        .iter()
        .filter_map(|w| Some((w, w.image.as_ref()?.0.clone())))
        .flat_map(|(w, image)| {
            w.volumes
                .iter()
                .flatten()
                .filter_map(|v| v.host.as_ref())
                .map(move |h| (h, image.clone()))
        });
    for (order, (host, image)) in hosts.enumerate() {
        if let Some(h) = sources.canonical(host) {
            out.entry(h).or_insert((order, image));
        }
    }
    out
}

/// The image of the compose service that mounts this nginx file (or a
/// folder above it); the first mount in workload order wins.
fn nginx_image(
    path: &Path,
    mounts: &HashMap<PathBuf, (usize, String)>,
    sources: &SourceMap,
) -> Option<String> {
    let canon = sources.canonical(path)?;
    canon
        .ancestors()
        .filter_map(|a| mounts.get(a))
        .min_by_key(|(order, _)| *order)
        .map(|(_, image)| image.clone())
}

fn all<'a, 'n>(nodes: &'a [Node], name: &'n str) -> impl Iterator<Item = &'a Node> + use<'a, 'n> {
    nodes.iter().filter(move |n| n.name == name)
}

/// Upstreams and servers at any depth below `nodes` (`http` blocks or a
/// snippet's top level).
fn collect<'a>(
    nodes: &'a [Node],
    ups: &mut HashMap<String, Upstream>,
    servers: &mut Vec<(&'a Node, Vec<&'a Node>)>,
    inherited: &[&'a Node],
    facts: &mut Vec<ProxyFact>,
    image: Option<&str>,
) {
    for n in nodes {
        match n.name.as_str() {
            "http" => {
                let mut inh = inherited.to_vec();
                inh.push(n);
                collect(&n.children, ups, servers, &inh, facts, image);
            }
            "upstream" => {
                let name = n.arg(0).unwrap_or("").to_string();
                let mut u = Upstream::default();
                for c in &n.children {
                    match c.name.as_str() {
                        "server" => {
                            if let Some((a, s)) = c.args.first() {
                                u.servers.push((a.clone(), *s));
                            }
                        }
                        "ip_hash" => u.sticky = Some(sticky_setting(c, "ip_hash")),
                        "hash" => {
                            let key = c.arg(0).unwrap_or("");
                            if key.contains("$remote_addr")
                                || key.contains("$binary_remote_addr")
                                || key.contains("$cookie_")
                                || key.contains("$http_x_forwarded_for")
                                || key.contains("$realip_remote_addr")
                            {
                                u.sticky = Some(sticky_setting(c, &format!("hash {key}")));
                            }
                        }
                        "sticky" => {
                            u.sticky = Some(sticky_setting(c, "sticky"));
                            facts.push(fact(FactKind::Sticky, c, false, image));
                        }
                        _ => {}
                    }
                }
                ups.insert(name, u);
            }
            "server" if !n.children.is_empty() || n.args.is_empty() => {
                servers.push((n, inherited.to_vec()));
            }
            _ => {}
        }
    }
}

fn sticky_setting(n: &Node, what: &str) -> Setting {
    Setting::literal("sticky", n.name_span, what.to_string(), n.span)
}

fn fact(kind: FactKind, n: &Node, tls: bool, image: Option<&str>) -> ProxyFact {
    ProxyFact {
        kind,
        directive: n.name.clone(),
        args: n.args.clone(),
        span: n.span,
        tls,
        image: image.map(str::to_string),
    }
}

/// Does every `listen` of a server serve TLS on a port other than 443?
/// Then browsers send the port in `Origin` and `Referer`, and `$host`
/// does not hold it.
fn listens_off_default_port(server: &Node) -> bool {
    let listens: Vec<&Node> = all(&server.children, "listen").collect();
    !listens.is_empty()
        && listens.iter().all(|l| {
            let ssl = l
                .args
                .iter()
                .skip(1)
                .any(|(a, _)| a == "ssl" || a == "quic" || a == "http3");
            let addr = l.arg(0).unwrap_or("");
            let port = addr.rsplit(':').next().unwrap_or(addr);
            // a plain server on another port is most often a container's
            // (8080) published on 80 or behind another proxy: only TLS
            // ends here, where the browser connects
            ssl && port.parse::<u32>().is_ok_and(|p| p != 443)
        })
}

/// Does a server block listen with TLS?
fn server_tls(server: &Node) -> bool {
    all(&server.children, "listen").any(|l| {
        l.args
            .iter()
            .skip(1)
            .any(|(a, _)| a == "ssl" || a == "quic" || a == "http3")
            || l.arg(0).is_some_and(|a| a == "443" || a.ends_with(":443"))
    }) || all(&server.children, "ssl").any(|s| s.arg(0) == Some("on"))
}

/// The nearest level (location, then its parents) that sets a directive
/// decides, as nginx inherits array directives only when a level has none.
fn nearest<'a>(chain: &[&'a Node], name: &'a str) -> Vec<&'a Node> {
    for level in chain.iter().rev() {
        let here: Vec<&Node> = all(&level.children, name).collect();
        if !here.is_empty() {
            return here;
        }
    }
    Vec::new()
}

/// Where a main nginx file sits: its path, the image of the service that
/// mounts it, and the run's files (for canonical paths).
struct Place<'a> {
    main: &'a Path,
    image: Option<&'a str>,
    sources: &'a SourceMap,
}

fn routes_of(tree: &[Node], at: &Place, workloads: &mut [Workload], facts: &mut Vec<ProxyFact>) {
    let (main, image) = (at.main, at.image);
    let mut ups = HashMap::new();
    let mut servers = Vec::new();
    collect(tree, &mut ups, &mut servers, &[], facts, image);
    // a snippet's own cookie directives (a file included in a `location`)
    cookie_facts(tree, false, image, facts);
    for (server, inherited) in servers {
        let tls = server_tls(server);
        let name = all(&server.children, "server_name")
            .flat_map(|n| n.args.iter().map(|(a, _)| a.clone()))
            .find(|a| a != "_" && !a.is_empty())
            .unwrap_or_else(|| "_".to_string());
        let mut chain: Vec<&Node> = inherited.clone();
        chain.push(server);
        // cookie directives at http and server level
        for level in &chain {
            cookie_facts(&level.children, tls, image, facts);
        }
        let mut locations: Vec<Vec<&Node>> = Vec::new();
        gather_locations(server, &chain, &mut locations);
        // a server without locations may proxy itself
        locations.push(chain.clone());
        if listens_off_default_port(server) {
            for loc_chain in &locations {
                if let Some(h) = nearest(loc_chain, "proxy_set_header")
                    .into_iter()
                    .find(|h| {
                        h.arg(0).is_some_and(|k| k.eq_ignore_ascii_case("Host"))
                            && h.arg(1)
                                .is_some_and(|v| v == "$host" || v == "$server_name")
                    })
                    && !facts
                        .iter()
                        .any(|f| f.span == h.span && f.kind == FactKind::HostWithoutPort)
                {
                    facts.push(fact(FactKind::HostWithoutPort, h, tls, image));
                }
            }
        }
        for loc_chain in locations {
            let Some(loc) = loc_chain.last() else {
                continue;
            };
            if !std::ptr::eq(*loc, server) {
                cookie_facts(&loc.children, tls, image, facts);
            }
            let Some(pass) = loc.children.iter().find(|c| {
                matches!(
                    c.name.as_str(),
                    "proxy_pass" | "fastcgi_pass" | "uwsgi_pass" | "grpc_pass" | "scgi_pass"
                )
            }) else {
                continue;
            };
            if pass.name == "proxy_pass" {
                header_facts(&loc_chain, tls, image, facts);
                path_rewrite_fact(&loc_chain, pass, tls, image, facts);
            }
            let Some((target, target_span)) = pass.args.first() else {
                continue;
            };
            if tls && pass.name == "proxy_pass" {
                let headers = nearest(&loc_chain, "proxy_set_header");
                let told = headers.iter().any(|h| {
                    h.arg(0).is_some_and(|k| {
                        k.eq_ignore_ascii_case("X-Forwarded-Proto")
                            || k.eq_ignore_ascii_case("Forwarded")
                            || k.eq_ignore_ascii_case("X-Forwarded-Ssl")
                            || k.eq_ignore_ascii_case("X-Forwarded-Scheme")
                    })
                });
                // an include we could not read may set it (`proxy_params`)
                let unknown = loc_chain.iter().any(|l| {
                    l.children
                        .iter()
                        .any(|c| c.name == "include" && c.arg(0).is_some_and(may_set_headers))
                });
                if !told && !unknown {
                    facts.push(fact(FactKind::NoForwardedProto, pass, tls, image));
                }
            }
            let Some(host) = host_of(target) else {
                continue;
            };
            let (hosts, sticky) = match ups.get(&host) {
                Some(u) => (
                    u.servers
                        .iter()
                        .filter_map(|(s, _)| host_of(s))
                        .collect::<Vec<_>>(),
                    u.sticky.clone(),
                ),
                None => (vec![host.clone()], None),
            };
            for h in hosts {
                for w in workloads
                    .iter_mut()
                    .filter(|w| serves(w, &h, main, at.sources))
                {
                    if w.routes.iter().any(|r| r.span == *target_span) {
                        continue;
                    }
                    let mut settings: Vec<Setting> = sticky.iter().cloned().collect();
                    settings.extend(location_settings(&loc_chain, pass));
                    w.routes.push(Route {
                        kind: RouteKind::Proxy,
                        name: format!("nginx server `{name}`"),
                        span: *target_span,
                        tls,
                        settings,
                        behind_ingress: false,
                    });
                }
            }
        }
    }
}

/// What a location does for WebSockets, as route settings:
/// `nginx.proxy_pass`, `nginx.upgrade` (a `proxy_set_header Upgrade …`)
/// and `nginx.proxy_read_timeout`.
fn location_settings(chain: &[&Node], pass: &Node) -> Vec<Setting> {
    let mk = |key: &str, n: &Node, value: String, span: Span| {
        Setting::literal(key, n.name_span, value, span)
    };
    let mut out = vec![mk("nginx.proxy_pass", pass, pass.name.clone(), pass.span)];
    if pass.name != "proxy_pass" {
        return out;
    }
    if let Some(u) = nearest(chain, "proxy_set_header")
        .into_iter()
        .find(|h| h.arg(0).is_some_and(|k| k.eq_ignore_ascii_case("Upgrade")))
    {
        out.push(mk(
            "nginx.upgrade",
            u,
            u.arg(1).unwrap_or("").to_string(),
            u.span,
        ));
    }
    if let Some(t) = nearest(chain, "proxy_read_timeout").into_iter().last()
        && let Some((v, span)) = t.args.first()
    {
        out.push(mk("nginx.proxy_read_timeout", t, v.clone(), *span));
    }
    out
}

fn gather_locations<'a>(n: &'a Node, chain: &[&'a Node], out: &mut Vec<Vec<&'a Node>>) {
    for c in &n.children {
        if c.name == "location" || c.name == "if" || c.name == "limit_except" {
            let mut ch = chain.to_vec();
            ch.push(c);
            out.push(ch.clone());
            gather_locations(c, &ch, out);
        }
    }
}

fn cookie_facts(nodes: &[Node], tls: bool, image: Option<&str>, facts: &mut Vec<ProxyFact>) {
    for n in nodes {
        let kind = match n.name.as_str() {
            "proxy_cookie_flags" => FactKind::CookieFlags,
            "proxy_cookie_path" => FactKind::CookiePath,
            "add_header"
                if n.arg(0)
                    .is_some_and(|h| h.eq_ignore_ascii_case("Set-Cookie")) =>
            {
                FactKind::SetCookieHeader
            }
            _ => continue,
        };
        if !facts.iter().any(|f| f.span == n.span) {
            facts.push(fact(kind, n, tls, image));
        }
    }
}

/// What a proxying location does to the cookies on their way: the request
/// headers not passed (`proxy_pass_request_headers off` with no `Cookie`
/// set again), and responses cached with the `Set-Cookie` they carry
/// (`proxy_ignore_headers Set-Cookie` under `proxy_cache`, with no
/// `proxy_hide_header Set-Cookie`).
fn header_facts(chain: &[&Node], tls: bool, image: Option<&str>, facts: &mut Vec<ProxyFact>) {
    let has_arg = |nodes: &[&Node], name: &str| {
        nodes
            .iter()
            .any(|n| n.args.iter().any(|(a, _)| a.eq_ignore_ascii_case(name)))
    };
    let mut push = |kind: FactKind, n: &Node| {
        if !facts.iter().any(|f| f.span == n.span && f.kind == kind) {
            facts.push(fact(kind, n, tls, image));
        }
    };
    if let Some(off) = nearest(chain, "proxy_pass_request_headers")
        .into_iter()
        .last()
        && off.arg(0).is_some_and(|a| a.eq_ignore_ascii_case("off"))
    {
        let set = nearest(chain, "proxy_set_header");
        if !set
            .iter()
            .any(|h| h.arg(0).is_some_and(|k| k.eq_ignore_ascii_case("Cookie")))
        {
            push(FactKind::RequestHeadersOff, off);
        }
    }
    let caching = nearest(chain, "proxy_cache")
        .into_iter()
        .last()
        .is_some_and(|c| c.arg(0).is_some_and(|a| !a.eq_ignore_ascii_case("off")));
    let ignored = nearest(chain, "proxy_ignore_headers");
    if caching
        && let Some(ignore) = ignored.iter().find(|n| {
            n.args
                .iter()
                .any(|(a, _)| a.eq_ignore_ascii_case("Set-Cookie"))
        })
        && !has_arg(&nearest(chain, "proxy_hide_header"), "Set-Cookie")
    {
        push(FactKind::CachedSetCookie, ignore);
    }
}

/// The path of a `proxy_pass` URL (`http://x:8080/app/` → `/app/`);
/// `None` when it has none (`http://x:8080`).
pub fn url_path(target: &str) -> Option<&str> {
    let (_, rest) = target.split_once("://")?;
    rest.find('/').and_then(|i| rest.get(i..))
}

/// A prefix location that proxies to another path (`location /app-dev/ {
/// proxy_pass http://x:8080/app/; }`) with no `proxy_cookie_path`: an app
/// served under a path of its own (a servlet container's context path)
/// sets its cookies with `Path=/app`, which does not match the pages the
/// browser sees (`/app-dev/…`), so the browser never sends them back.
fn path_rewrite_fact(
    chain: &[&Node],
    pass: &Node,
    tls: bool,
    image: Option<&str>,
    facts: &mut Vec<ProxyFact>,
) {
    let Some(loc) = chain.last().filter(|l| l.name == "location") else {
        return;
    };
    // a prefix location: `location /a/` or `location ^~ /a/`
    let prefix = match loc.args.as_slice() {
        [(p, _)] => p.as_str(),
        [(m, _), (p, _)] if m == "^~" => p.as_str(),
        _ => return,
    };
    let Some(target) = pass.arg(0) else { return };
    if target.contains('$') {
        return;
    }
    let Some(path) = url_path(target) else { return };
    let trimmed = path.trim_end_matches('/');
    if trimmed.is_empty() || prefix.trim_end_matches('/') == trimmed {
        return;
    }
    // the browser's path lies under the app's: its cookies still match
    if prefix.starts_with(&format!("{trimmed}/")) {
        return;
    }
    // an app's own path is one segment (`/app`), and so is the location's;
    // deeper paths are endpoints or files, not where an app lives
    let one_segment = |p: &str| {
        let p = p.trim_matches('/');
        !p.is_empty() && !p.contains('/')
    };
    const FILES: [&str; 9] = [
        "static", "assets", "public", "media", "images", "img", "js", "css", "fonts",
    ];
    if !one_segment(trimmed) || !one_segment(prefix) || FILES.contains(&trimmed.trim_matches('/')) {
        return;
    }
    if !nearest(chain, "proxy_cookie_path").is_empty() {
        return;
    }
    if !facts
        .iter()
        .any(|f| f.span == pass.span && f.kind == FactKind::PathRewrite)
    {
        facts.push(fact(FactKind::PathRewrite, pass, tls, image));
    }
}

/// Could an include that is not in the repository set proxy headers?
/// (`mime.types` and the FastCGI/uWSGI/SCGI parameter files cannot.)
fn may_set_headers(pattern: &str) -> bool {
    let name = pattern.rsplit('/').next().unwrap_or(pattern);
    !(name.contains("mime")
        || name.starts_with("fastcgi")
        || name.starts_with("uwsgi")
        || name.starts_with("scgi")
        || name.contains("gzip")
        || name.contains("ssl")
        || name.contains("tls"))
}

/// `http://app:3000/x` → `app`; `unix:` sockets and variables → `None`.
pub fn host_of(target: &str) -> Option<String> {
    let t = target.split_once("://").map_or(target, |(_, rest)| rest);
    if t.starts_with("unix:") || t.contains('$') {
        return None;
    }
    let hostport = t.split('/').next().unwrap_or("");
    let host = if let Some(rest) = hostport.strip_prefix('[') {
        rest.split(']').next().unwrap_or("")
    } else {
        hostport.split(':').next().unwrap_or("")
    };
    (!host.is_empty()).then(|| host.to_ascii_lowercase())
}

/// Is `host` the name of this workload: a compose service of a project
/// that holds the nginx file, or a Kubernetes Service in front of it?
pub fn serves(w: &Workload, host: &str, main: &Path, sources: &SourceMap) -> bool {
    match w.kind {
        WorkloadKind::ComposeService | WorkloadKind::DockerRun => {
            w.name.eq_ignore_ascii_case(host) && {
                let canon_p = sources.canonical(Path::new(&w.project));
                let canon_m = sources.canonical(main);
                match (canon_p, canon_m) {
                    (Some(p), Some(m)) => m.starts_with(&p),
                    _ => true,
                }
            }
        }
        WorkloadKind::KubeContainer => {
            let short = host.split('.').next().unwrap_or(host);
            w.routes
                .iter()
                .any(|r| r.kind == RouteKind::Service && r.name.eq_ignore_ascii_case(short))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn hosts() {
        assert_eq!(host_of("http://app:3000/x").as_deref(), Some("app"));
        assert_eq!(host_of("app:9000").as_deref(), Some("app"));
        assert_eq!(host_of("http://[::1]:80").as_deref(), Some("::1"));
        assert_eq!(host_of("http://$backend"), None);
        assert_eq!(host_of("unix:/run/php.sock"), None);
    }
}
