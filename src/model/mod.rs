//! The unified model: workloads, their settings with provenance, and the
//! stores they use. All cross-file resolution happens while the model is
//! built; checks only read it.

pub mod appconfig;
pub mod build;
pub mod compose;
pub mod discover;
pub mod envfiles;
pub mod haproxy;
pub mod helm;
pub mod kube;
pub mod nginx;
pub mod realm;
pub mod script;
pub mod servletxml;
pub mod symfony;

use crate::source::Span;
use crate::source::finding::{Finding, Label};

/// A configured value, as the workload sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Known(String),
    /// The value cannot be known from the repository (an unset variable,
    /// a variable taken from the shell environment); the reason says why.
    Unknown(String),
}

impl Value {
    pub fn known(&self) -> Option<&str> {
        match self {
            Value::Known(v) => Some(v),
            Value::Unknown(_) => None,
        }
    }
}

/// Where a setting's value was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// Written directly where the key is (compose `environment:`, `.env`).
    Literal,
    /// Supplied through `${VAR}` by a `.env` entry.
    Variable { name: String },
    /// The default part of `${VAR:-default}`, because nothing sets VAR.
    Fallback { name: String },
}

/// One configured value with its provenance.
#[derive(Debug, Clone)]
pub struct Setting {
    pub key: String,
    pub key_span: Span,
    pub value: Value,
    /// Where the value text is written: the place to change.
    pub value_span: Span,
    pub origin: Origin,
    /// The other places the value came through (e.g. the compose line that
    /// references a `.env` variable), nearest first.
    pub via: Vec<Label>,
    /// The value comes from an example file (`.env.example` …).
    pub from_example: bool,
    /// The value comes from a Kubernetes Secret: always masked.
    pub from_secret: bool,
}

impl Setting {
    /// A value written right where it is read: no variable, no example,
    /// no Secret, nothing it came through.
    pub fn literal(
        key: impl Into<String>,
        key_span: Span,
        value: String,
        value_span: Span,
    ) -> Self {
        Setting {
            key: key.into(),
            key_span,
            value: Value::Known(value),
            value_span,
            origin: Origin::Literal,
            via: Vec::new(),
            from_example: false,
            from_secret: false,
        }
    }
}

/// A volume mounted into a workload.
#[derive(Debug, Clone)]
pub struct Volume {
    /// Path in the container.
    pub target: String,
    /// Survives a container being recreated.
    pub persistent: bool,
    /// Named volume or host path behind it (empty for anonymous volumes).
    pub source: String,
    /// For a bind mount, the host path (relative to the working directory).
    pub host: Option<std::path::PathBuf>,
    pub span: Span,
}

/// What kind of thing a workload is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkloadKind {
    /// A docker-compose service.
    ComposeService,
    /// A container started by `docker run` in a script or a Markdown code
    /// block: its environment, volumes and ports are known as for a compose
    /// service.
    DockerRun,
    /// A `.env` file that no compose file in the repository uses: its
    /// settings are known, its deployment is not.
    EnvFile,
    /// A container of a Kubernetes Deployment, StatefulSet, Pod …
    KubeContainer,
    /// The values of a Helm chart.
    HelmValues,
    /// An app config file that no service mounts: its settings are known,
    /// its deployment is not.
    ConfigFile,
    /// A Kubernetes ConfigMap or Secret that an app reads by its name through
    /// the Kubernetes API (Argo CD's `argocd-cm`), not through a container's
    /// `env` or volumes. Kept only when a profile claims the name
    /// (`detect.files`); its entries are its settings.
    KubeSettings,
}

/// What routes users to a workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteKind {
    Ingress,
    Service,
    /// A reverse proxy configured in the repository: an nginx `server`,
    /// Traefik labels, an HAProxy backend.
    Proxy,
}

/// A proxy in front of a workload: an Ingress or a Service.
#[derive(Debug, Clone)]
pub struct Route {
    pub kind: RouteKind,
    pub name: String,
    /// Where the route is defined (its name).
    pub span: Span,
    /// An Ingress with a `tls:` section.
    pub tls: bool,
    /// Annotations of an Ingress (full keys); `sessionAffinity` and
    /// `timeoutSeconds` of a Service.
    pub settings: Vec<Setting>,
    /// A Service that an Ingress routes to.
    pub behind_ingress: bool,
}

/// The ingress-nginx annotation prefix.
pub const INGRESS_NGINX: &str = "nginx.ingress.kubernetes.io/";

impl Route {
    /// How messages name the route: ``Ingress `web` ``, ``Service `web` ``,
    /// or a proxy's own name (``nginx server `shop.example.com` ``).
    pub fn title(&self) -> String {
        match self.kind {
            RouteKind::Ingress => format!("Ingress `{}`", self.name),
            RouteKind::Service => format!("Service `{}`", self.name),
            RouteKind::Proxy => self.name.clone(),
        }
    }

    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.key == key)
    }

    /// An ingress-nginx annotation, by its short name (`affinity`).
    pub fn annotation(&self, name: &str) -> Option<&Setting> {
        self.settings
            .iter()
            .rev()
            .find(|s| s.key.strip_prefix(INGRESS_NGINX) == Some(name))
    }

    /// The AWS Load Balancer Controller's `stickiness.enabled=true`.
    fn alb_stickiness(&self) -> Option<&Setting> {
        self.setting(kube::ALB_ATTRIBUTES).filter(|s| {
            s.value.known().is_some_and(|v| {
                v.split(',')
                    .any(|kv| kv.trim().replace(' ', "") == "stickiness.enabled=true")
            })
        })
    }

    /// Does this route keep a user on one replica, and where is that set?
    pub fn stickiness(&self) -> Option<&Setting> {
        match self.kind {
            RouteKind::Ingress => self
                .annotation("affinity")
                .filter(|s| s.value.known().is_some_and(|v| v.trim() == "cookie"))
                .or_else(|| self.annotation("upstream-hash-by"))
                .or_else(|| self.alb_stickiness()),
            RouteKind::Service => self
                .setting("sessionAffinity")
                .filter(|s| s.value.known().is_some_and(|v| v.trim() == "ClientIP"))
                .or_else(|| self.alb_stickiness())
                .or_else(|| self.setting("sticky"))
                .or_else(|| {
                    self.setting(kube::TRAEFIK_SERVICE_STICKY).filter(|s| {
                        s.value.known().is_some_and(|v| {
                            v.trim().trim_matches('"').eq_ignore_ascii_case("true")
                        })
                    })
                }),
            RouteKind::Proxy => self.setting("sticky"),
        }
    }
}

/// A thing that runs.
#[derive(Debug, Clone)]
pub struct Workload {
    pub name: String,
    pub kind: WorkloadKind,
    /// Where the workload is defined (the service key).
    pub span: Span,
    /// The compose project (directory of the compose file) it belongs to.
    pub project: String,
    pub image: Option<(String, Span)>,
    /// Detected app profile id.
    pub app: Option<String>,
    /// What the app was recognised by (`image postgres:16`), for
    /// `--show-services`.
    pub recognised_by: Option<String>,
    /// Replica count and where it is set.
    pub replicas: u32,
    pub replicas_span: Option<Span>,
    /// Container environment, after env_file and `environment:` merging.
    pub settings: Vec<Setting>,
    /// Volumes; `None` when the deployment is not known.
    pub volumes: Option<Vec<Volume>>,
    /// `command:` as words, each with its span.
    pub command: Vec<(String, Span)>,
    /// Requests of one user always reach the same replica.
    pub sticky: bool,
    /// Served over TLS by a route in front of it; `None` when no route
    /// is known.
    pub tls: Option<bool>,
    /// Ingresses and Services in front of the workload.
    pub routes: Vec<Route>,
    /// Kubernetes namespace.
    pub namespace: String,
    pub labels: Vec<Setting>,
    pub ports: Vec<(String, Span)>,
    /// Where, inside the container, the app config files it reads from the
    /// repository are (a bind-mounted `application.yml`, a `php.ini` from a
    /// ConfigMap): they tell which app it runs.
    pub config_files: Vec<String>,
    /// An app config file the workload reads could not be read (too
    /// large, not text): what it does not set elsewhere is unknown, and no
    /// default is assumed for it.
    pub settings_unread: bool,
}

impl WorkloadKind {
    /// A container whose environment, volumes and ports the repository
    /// states: a compose service or a `docker run`.
    pub fn is_container(self) -> bool {
        matches!(self, WorkloadKind::ComposeService | WorkloadKind::DockerRun)
    }
}

impl Workload {
    /// A workload of `kind` defined at `span`: one replica, no settings,
    /// deployment facts unknown (no volumes, routes or TLS). Readers fill
    /// in what they know with struct update syntax.
    pub fn new(name: impl Into<String>, kind: WorkloadKind, span: Span) -> Self {
        Workload {
            name: name.into(),
            kind,
            span,
            project: String::new(),
            image: None,
            app: None,
            recognised_by: None,
            replicas: 1,
            replicas_span: None,
            settings: Vec::new(),
            volumes: None,
            command: Vec::new(),
            sticky: false,
            tls: None,
            routes: Vec::new(),
            namespace: String::new(),
            labels: Vec::new(),
            ports: Vec::new(),
            config_files: Vec::new(),
            settings_unread: false,
        }
    }

    pub fn setting(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.key == key)
    }

    /// Is `path` (or a parent of it) on a persistent volume? `None` when the
    /// deployment is not known.
    pub fn is_persistent(&self, path: &str) -> Option<bool> {
        let vols = self.volumes.as_ref()?;
        let path = path.trim_end_matches('/');
        Some(vols.iter().any(|v| {
            let t = v.target.trim_end_matches('/');
            v.persistent && (path == t || path.starts_with(&format!("{t}/")) || t.is_empty())
        }))
    }
}

/// The whole picture of one run.
#[derive(Debug, Default)]
pub struct Model {
    pub workloads: Vec<Workload>,
    /// `.env` entries that no workload reads (still checked for secrets).
    pub loose: Vec<Setting>,
    /// Findings produced while reading (parse errors).
    pub findings: Vec<Finding>,
    /// For each real `.env` file, the values its example file next to it
    /// (`.env.example`, `.env.sample` …) documents: key → (value, span).
    pub example_values: std::collections::HashMap<crate::source::FileId, ExampleValues>,
    /// Proxy directives that change session cookies, for the checks.
    pub proxy_facts: Vec<nginx::ProxyFact>,
}

/// The entries of an example `.env` file, by key.
pub type ExampleValues = std::collections::HashMap<String, (String, Span)>;

/// A YAML file's syntax errors as findings (`invalid YAML: …`).
pub fn yaml_errors(
    file: crate::source::FileId,
    stream: &crate::syntax::yaml::Stream,
) -> impl Iterator<Item = Finding> + '_ {
    stream.errors.iter().map(move |e| {
        Finding::parse_error(
            Span::new(file, e.span.clone()),
            format!("invalid YAML: {}", e.message),
        )
    })
}
