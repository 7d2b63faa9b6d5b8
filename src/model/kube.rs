//! Kubernetes manifests → workloads, with ConfigMaps, Secrets, Services,
//! Ingresses and HorizontalPodAutoscalers resolved across files by
//! namespace and name.
//!
//! Each container of a Deployment, StatefulSet, DaemonSet, ReplicaSet,
//! Job, CronJob or Pod is a workload. `env` and `envFrom` values that come
//! from a ConfigMap or Secret point at the line in that object (primary)
//! and keep the container's entry as related. Secret `data` is base64
//! decoded; a value that is not base64 is a finding. Values behind an
//! object that is not in the linted files are unknown, never guessed.

use crate::syntax::base64::decode_base64;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

use crate::model::{Origin, Route, RouteKind, Setting, Value, Volume, Workload, WorkloadKind};
use crate::source::finding::{Finding, Label};
use crate::source::{FileId, SourceFile, SourceMap, Span};
use crate::syntax::yaml::{self, Node};

/// One Kubernetes object.
struct Object<'a> {
    file: FileId,
    kind: String,
    name: String,
    name_span: Span,
    namespace: String,
    node: &'a Node,
}

/// An HPA: (namespace, target kind, target name) → (minReplicas, where).
type Hpa = ((String, String, String), (u32, Span));

/// A container's workload with its pod's labels (for Service selectors).
type PodWorkload = (Workload, BTreeMap<String, String>);

/// The entries of a ConfigMap or Secret.
struct DataObject {
    secret: bool,
    entries: Vec<Setting>,
}

/// All Kubernetes files of a run, read into workloads and loose settings.
///
/// Two passes, each file parsed on its own so that only the trees being
/// read are in memory: the first reads what other files refer to
/// (ConfigMaps, Secrets, HPAs, Services, Ingresses); the second parses the
/// files that hold pods again and reads their containers with all of that
/// known.
pub fn read(
    sources: &SourceMap,
    limits: &yaml::Limits,
) -> (Vec<Workload>, Vec<Setting>, Vec<Finding>) {
    let files: Vec<(FileId, &SourceFile)> = sources
        .iter()
        .filter(|(_, f)| f.kind == crate::source::FileKind::Kubernetes)
        .collect();
    let facts: Vec<FileFacts> = files
        .par_iter()
        .map(|(id, f)| FileFacts::read(*id, f, limits))
        .collect();

    let mut findings = Vec::new();
    // ConfigMaps and Secrets by (namespace, name)
    let mut data: HashMap<(String, String), DataObject> = HashMap::new();
    let mut loose = Vec::new();
    // HPAs: (namespace, kind, name) → (minReplicas, span)
    let mut hpas: HashMap<(String, String, String), (u32, Span)> = HashMap::new();
    let mut service_facts = Vec::new();
    let mut affinities: Vec<Affinity> = Vec::new();
    let mut backend_configs: Vec<((String, String), Setting)> = Vec::new();
    let mut ingress_routes: Vec<(Route, Vec<(String, String)>)> = Vec::new();
    let mut with_pods = Vec::new();
    let mut settings_objects = Vec::new();
    for (f, (id, file)) in facts.into_iter().zip(&files) {
        findings.extend(f.findings);
        settings_objects.extend(f.settings_objects);
        for (key, d) in f.data {
            loose.extend(d.entries.iter().cloned());
            data.insert(key, d);
        }
        hpas.extend(f.hpas);
        service_facts.extend(f.services);
        affinities.extend(f.affinities);
        backend_configs.extend(f.backend_configs);
        ingress_routes.extend(f.ingresses);
        if f.has_pods {
            with_pods.push((*id, *file));
        }
    }

    // workloads, with the pod labels for Service selectors
    let cx = PodCx {
        sources,
        limits,
        data: &data,
        hpas: &hpas,
    };
    let read: Vec<(Vec<PodWorkload>, Vec<Finding>)> = with_pods
        .par_iter()
        .map(|(id, f)| {
            let stream = yaml::parse(&f.text, limits);
            let mut found = Vec::new();
            let ws = objects_of(*id, &stream)
                .iter()
                .flat_map(|o| pod_workloads(o, &cx, &mut found))
                .collect();
            (ws, found)
        })
        .collect();
    let mut workloads: Vec<PodWorkload> = Vec::new();
    for (ws, found) in read {
        workloads.extend(ws);
        findings.extend(found);
    }

    // stickiness other objects give Services
    for s in &mut service_facts {
        if let Some(bc) = &s.backend_config
            && let Some((_, set)) = backend_configs
                .iter()
                .find(|(k, _)| k.0 == s.key.0 && &k.1 == bc)
        {
            s.route.settings.push(set.clone());
        }
        for a in affinities.iter().filter(|a| a.service == s.key) {
            s.route.settings.push(a.setting.clone());
        }
    }
    attach_routes(&mut workloads, service_facts, &ingress_routes);
    let mut out: Vec<Workload> = workloads.into_iter().map(|(w, _)| w).collect();
    for w in &mut out {
        finish_routes(w);
    }
    out.extend(settings_objects);
    (out, loose, findings)
}

/// Services to the workloads their selectors match, Ingresses (and
/// `IngressRoute`s) to the workloads behind the Services they name.
fn attach_routes(
    workloads: &mut [PodWorkload],
    service_facts: Vec<ServiceFact>,
    ingress_routes: &[(Route, Vec<(String, String)>)],
) {
    // ordered, so that the routes of a pod are in the same order every run
    let mut services: BTreeMap<(String, String), Vec<usize>> = BTreeMap::new();
    let mut service_routes: BTreeMap<(String, String), Route> = BTreeMap::new();
    for s in service_facts {
        let targets: Vec<usize> = workloads
            .iter()
            .enumerate()
            .filter(|(_, (w, labels))| {
                w.namespace == s.key.0 && s.selector.iter().all(|(k, v)| labels.get(k) == Some(v))
            })
            .map(|(i, _)| i)
            .collect();
        service_routes.insert(s.key.clone(), s.route);
        services.insert(s.key, targets);
    }

    for (_, backends) in ingress_routes {
        for b in backends {
            if let Some(r) = service_routes.get_mut(b) {
                r.behind_ingress = true;
            }
        }
    }
    for (key, targets) in &services {
        for &t in targets {
            if let (Some((w, _)), Some(r)) = (workloads.get_mut(t), service_routes.get(key)) {
                w.routes.push(r.clone());
            }
        }
    }
    for (route, backends) in ingress_routes {
        for b in backends {
            for &t in services.get(b).map(Vec::as_slice).unwrap_or(&[]) {
                if let Some((w, _)) = workloads.get_mut(t)
                    && !w
                        .routes
                        .iter()
                        .any(|r| r.kind == route.kind && r.name == route.name)
                {
                    w.routes.push(route.clone());
                }
            }
        }
    }
}

/// What one Kubernetes file says that other files refer to, read without
/// keeping its tree.
#[derive(Default)]
struct FileFacts {
    findings: Vec<Finding>,
    data: Vec<((String, String), DataObject)>,
    hpas: Vec<Hpa>,
    services: Vec<ServiceFact>,
    ingresses: Vec<(Route, Vec<(String, String)>)>,
    /// Each ConfigMap and Secret as the settings an app may read by name.
    settings_objects: Vec<Workload>,
    /// Holds a workload (Deployment, Pod …): read again in the second pass.
    has_pods: bool,
    /// Stickiness that other objects give a Service (Istio, Gateway API).
    affinities: Vec<Affinity>,
    /// GKE BackendConfigs with session affinity, by (namespace, name).
    backend_configs: Vec<((String, String), Setting)>,
}

/// Stickiness given to the Service `service` (namespace, name) by another
/// object: a setting named `sticky` whose value says what keeps users on
/// one pod, at the place that sets it.
struct Affinity {
    service: (String, String),
    setting: Setting,
}

/// A Service: its pod selector and the route it gives the pods.
struct ServiceFact {
    key: (String, String),
    selector: Vec<(String, String)>,
    route: Route,
    /// The GKE BackendConfig its annotation names.
    backend_config: Option<String>,
}

impl FileFacts {
    fn read(id: FileId, f: &SourceFile, limits: &yaml::Limits) -> FileFacts {
        let stream = yaml::parse(&f.text, limits);
        let mut out = FileFacts {
            findings: crate::model::yaml_errors(id, &stream).collect(),
            ..FileFacts::default()
        };
        for o in &objects_of(id, &stream) {
            match o.kind.as_str() {
                "ConfigMap" | "Secret" => {
                    let d = data_object(o, o.kind == "Secret", &mut out.findings);
                    out.settings_objects.push(Workload {
                        project: o.namespace.clone(),
                        namespace: o.namespace.clone(),
                        settings: d.entries.clone(),
                        ..Workload::new(&o.name, WorkloadKind::KubeSettings, o.name_span)
                    });
                    out.data.push(((o.namespace.clone(), o.name.clone()), d));
                }
                "HorizontalPodAutoscaler" => out.hpas.extend(hpa(o)),
                "Service" => out.services.extend(service(o)),
                "Ingress" => out.ingresses.push(ingress(o)),
                "IngressRoute" if is_traefik(o) => out.ingresses.extend(ingress_route(o)),
                "DestinationRule" => out.affinities.extend(destination_rule(o)),
                "BackendLBPolicy" | "HTTPRoute" => out.affinities.extend(session_persistence(o)),
                "BackendConfig" => out.backend_configs.extend(backend_config(o)),
                k if POD_KINDS.contains(&k) => out.has_pods = true,
                _ => {}
            }
        }
        out
    }
}

/// The kinds whose objects run containers.
const POD_KINDS: [&str; 7] = [
    "Deployment",
    "StatefulSet",
    "ReplicaSet",
    "DaemonSet",
    "Job",
    "CronJob",
    "Pod",
];

/// An HPA: its target, and the smallest replica count it keeps.
fn hpa(o: &Object<'_>) -> Option<Hpa> {
    let spec = o.node.get("spec");
    let target = spec.and_then(|s| s.get("scaleTargetRef"));
    let (Some(kind), Some(name)) = (
        target.and_then(|t| t.get("kind")).and_then(Node::as_str),
        target.and_then(|t| t.get("name")).and_then(Node::as_str),
    ) else {
        return None;
    };
    let min = spec.and_then(|s| s.get("minReplicas"));
    let n = min
        .and_then(Node::as_i64)
        .unwrap_or(1)
        .clamp(0, i64::from(u32::MAX));
    let span = Span::new(o.file, min.map_or(o.name_span.range(), |m| m.span.clone()));
    Some((
        (o.namespace.clone(), kind.to_string(), name.to_string()),
        (u32::try_from(n).unwrap_or(1), span),
    ))
}

/// The annotation of the AWS Load Balancer Controller (on an Ingress or a
/// Service) whose `stickiness.enabled=true` keeps users on one target.
pub const ALB_ATTRIBUTES: &str = "alb.ingress.kubernetes.io/target-group-attributes";

/// Istio: a `DestinationRule` whose traffic policy hashes requests
/// (`loadBalancer.consistentHash`) keeps users on one pod of its host.
fn destination_rule(o: &Object<'_>) -> Option<Affinity> {
    let spec = o.node.get("spec")?;
    let host = spec.get("host")?.as_str()?;
    let entry = spec
        .get("trafficPolicy")?
        .get("loadBalancer")?
        .entry("consistentHash")?;
    let service = service_of_host(host, &o.namespace)?;
    Some(Affinity {
        service,
        setting: Setting::literal(
            "sticky",
            Span::new(o.file, entry.key.span.clone()),
            "Istio consistentHash".to_string(),
            Span::new(o.file, entry.key.span.clone()),
        ),
    })
}

/// `name`, `name.namespace`, `name.namespace.svc.cluster.local`: the Service.
fn service_of_host(host: &str, namespace: &str) -> Option<(String, String)> {
    let mut parts = host.split('.');
    let name = parts.next().filter(|n| !n.is_empty() && *n != "*")?;
    let ns = parts.next().unwrap_or(namespace);
    Some((ns.to_string(), name.to_string()))
}

/// Gateway API: `sessionPersistence` of a `BackendLBPolicy` (for the
/// Services it targets) or of an `HTTPRoute` rule (for its backends).
fn session_persistence(o: &Object<'_>) -> Vec<Affinity> {
    let mut out = Vec::new();
    let Some(spec) = o.node.get("spec") else {
        return out;
    };
    let mk = |service: (String, String), at: &yaml::Entry| Affinity {
        service,
        setting: Setting::literal(
            "sticky",
            Span::new(o.file, at.key.span.clone()),
            "Gateway API sessionPersistence".to_string(),
            Span::new(o.file, at.key.span.clone()),
        ),
    };
    let service_ref = |r: &Node| {
        let kind = r.get("kind").and_then(Node::as_str).unwrap_or("Service");
        let name = r.get("name").and_then(Node::as_str)?;
        let ns = r
            .get("namespace")
            .and_then(Node::as_str)
            .unwrap_or(&o.namespace);
        (kind == "Service").then(|| (ns.to_string(), name.to_string()))
    };
    if o.kind == "BackendLBPolicy" {
        if let Some(sp) = spec.entry("sessionPersistence") {
            for r in spec.get("targetRefs").map(Node::items).unwrap_or(&[]) {
                if let Some(s) = service_ref(r) {
                    out.push(mk(s, sp));
                }
            }
        }
        return out;
    }
    for rule in spec.get("rules").map(Node::items).unwrap_or(&[]) {
        let Some(sp) = rule.entry("sessionPersistence") else {
            continue;
        };
        for b in rule.get("backendRefs").map(Node::items).unwrap_or(&[]) {
            if let Some(s) = service_ref(b) {
                out.push(mk(s, sp));
            }
        }
    }
    out
}

/// GKE: a `BackendConfig` with `sessionAffinity.affinityType`
/// `GENERATED_COOKIE` or `CLIENT_IP`.
fn backend_config(o: &Object<'_>) -> Option<((String, String), Setting)> {
    let aff = o.node.get("spec")?.get("sessionAffinity")?;
    let t = aff.entry("affinityType")?;
    let v = t.value.as_str()?;
    matches!(v, "GENERATED_COOKIE" | "CLIENT_IP" | "HTTP_COOKIE").then(|| {
        (
            (o.namespace.clone(), o.name.clone()),
            Setting::literal(
                "sticky",
                Span::new(o.file, t.key.span.clone()),
                format!("GKE BackendConfig {v}"),
                Span::new(o.file, t.value.content_span()),
            ),
        )
    })
}

/// The Service annotation of Traefik's Kubernetes Ingress provider that
/// turns on sticky sessions (`…sticky.cookie: "true"`, with `.name`,
/// `.secure` … beside it).
pub const TRAEFIK_SERVICE_STICKY: &str = "traefik.ingress.kubernetes.io/service.sticky.cookie";

fn service(o: &Object<'_>) -> Option<ServiceFact> {
    let spec = o.node.get("spec");
    let selector: Vec<(String, String)> = string_pairs(spec.and_then(|s| s.get("selector")));
    if selector.is_empty() {
        return None;
    }
    let mut settings = Vec::new();
    if let Some(a) = spec.and_then(|s| s.entry("sessionAffinity")) {
        settings.push(literal(o.file, "sessionAffinity", &a.key, &a.value));
    }
    if let Some(e) = spec
        .and_then(|s| s.get("sessionAffinityConfig"))
        .and_then(|c| c.get("clientIP"))
        .and_then(|c| c.entry("timeoutSeconds"))
    {
        settings.push(literal(o.file, "timeoutSeconds", &e.key, &e.value));
    }
    if let Some(t) = spec.and_then(|s| s.entry("type")) {
        settings.push(literal(o.file, "type", &t.key, &t.value));
    }
    // Traefik's Kubernetes Ingress provider reads stickiness from the
    // Service's annotations
    let notes = annotations(
        o.file,
        o.node.get("metadata").and_then(|m| m.get("annotations")),
    );
    // GKE: `cloud.google.com/backend-config: '{"default": "name"}'`
    let backend_config = notes
        .iter()
        .find(|s| s.key.ends_with("cloud.google.com/backend-config"))
        .and_then(|s| s.value.known())
        .and_then(|v| serde_json::from_str::<serde_json::Value>(v).ok())
        .and_then(|v| {
            v.get("default")
                .or_else(|| v.get("ports").and_then(|p| p.as_object()?.values().next()))
                .and_then(|n| n.as_str().map(str::to_string))
        });
    settings.extend(
        notes
            .into_iter()
            .filter(|s| s.key.starts_with(TRAEFIK_SERVICE_STICKY) || s.key == ALB_ATTRIBUTES),
    );
    Some(ServiceFact {
        backend_config,
        key: (o.namespace.clone(), o.name.clone()),
        selector,
        route: Route {
            kind: RouteKind::Service,
            name: o.name.clone(),
            span: o.name_span,
            tls: false,
            settings,
            behind_ingress: false,
        },
    })
}

fn ingress(o: &Object<'_>) -> (Route, Vec<(String, String)>) {
    let spec = o.node.get("spec");
    let mut backends = Vec::new();
    let mut add_backend = |b: Option<&Node>| {
        let Some(b) = b else { return };
        let name = b
            .get("service")
            .and_then(|s| s.get("name"))
            .or_else(|| b.get("serviceName"))
            .and_then(Node::as_str);
        if let Some(n) = name {
            backends.push((o.namespace.clone(), n.to_string()));
        }
    };
    add_backend(spec.and_then(|s| s.get("defaultBackend").or_else(|| s.get("backend"))));
    for rule in spec
        .and_then(|s| s.get("rules"))
        .map(Node::items)
        .unwrap_or(&[])
    {
        for path in rule
            .get("http")
            .and_then(|h| h.get("paths"))
            .map(Node::items)
            .unwrap_or(&[])
        {
            add_backend(path.get("backend"));
        }
    }
    let tls = spec
        .and_then(|s| s.get("tls"))
        .is_some_and(|t| !t.items().is_empty());
    let mut settings = annotations(
        o.file,
        o.node.get("metadata").and_then(|m| m.get("annotations")),
    );
    // ingress-nginx's annotations do nothing on an Ingress of another
    // controller (GCE, ALB, Traefik …)
    let class = spec
        .and_then(|s| s.get("ingressClassName"))
        .and_then(Node::as_str)
        .or_else(|| {
            settings
                .iter()
                .find(|s| s.key == "kubernetes.io/ingress.class")
                .and_then(|s| s.value.known())
        })
        .map(str::to_ascii_lowercase);
    if class.as_deref().is_some_and(|c| !c.contains("nginx")) {
        settings.retain(|s| !s.key.starts_with(crate::model::INGRESS_NGINX));
    }
    (
        Route {
            kind: RouteKind::Ingress,
            name: o.name.clone(),
            span: o.name_span,
            tls,
            settings,
            behind_ingress: false,
        },
        backends,
    )
}

/// A Traefik CRD (`traefik.io/…` or the older `traefik.containo.us/…`).
fn is_traefik(o: &Object<'_>) -> bool {
    o.node
        .get("apiVersion")
        .and_then(Node::as_str)
        .is_some_and(|v| v.starts_with("traefik.io/") || v.starts_with("traefik.containo.us/"))
}

/// A Traefik `IngressRoute`: one proxy route per Kubernetes Service it
/// sends to, with that service's `sticky.cookie` as settings named
/// `sticky.cookie`, `sticky.cookie.secure`, … TLS when the route has a
/// `tls` section or listens on a `websecure`/`https` entry point.
fn ingress_route(o: &Object<'_>) -> Vec<(Route, Vec<(String, String)>)> {
    let spec = o.node.get("spec");
    let tls = spec.is_some_and(|s| {
        s.get("tls").is_some()
            || s.get("entryPoints")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .any(|e| {
                    e.as_str().is_some_and(|e| {
                        matches!(e.to_ascii_lowercase().as_str(), "websecure" | "https")
                    })
                })
    });
    let mut out = Vec::new();
    for route in spec
        .and_then(|s| s.get("routes"))
        .map(Node::items)
        .unwrap_or(&[])
    {
        for svc in route.get("services").map(Node::items).unwrap_or(&[]) {
            let kind = svc.get("kind").and_then(Node::as_str).unwrap_or("Service");
            let Some(name) = svc.get("name").and_then(Node::as_str) else {
                continue;
            };
            if kind != "Service" {
                continue;
            }
            let namespace = svc
                .get("namespace")
                .and_then(Node::as_str)
                .unwrap_or(&o.namespace);
            let mut settings = Vec::new();
            if let Some(sticky) = svc.entry("sticky")
                && let Some(cookie) = sticky.value.entry("cookie")
            {
                let marker = Setting::literal(
                    "sticky.cookie",
                    Span::new(o.file, cookie.key.span.clone()),
                    "true".to_string(),
                    Span::new(o.file, cookie.key.span.clone()),
                );
                for e in cookie.value.entries() {
                    let Some(k) = e.key.as_str() else { continue };
                    settings.push(literal(
                        o.file,
                        &format!("sticky.cookie.{k}"),
                        &e.key,
                        &e.value,
                    ));
                }
                settings.push(marker.clone());
                settings.push(Setting {
                    key: "sticky".into(),
                    ..marker
                });
            }
            out.push((
                Route {
                    kind: RouteKind::Proxy,
                    name: format!("Traefik IngressRoute `{}`", o.name),
                    span: Span::new(
                        o.file,
                        svc.get("name")
                            .map_or(o.name_span.range(), |n| n.span.clone()),
                    ),
                    tls,
                    settings,
                    behind_ingress: false,
                },
                vec![(namespace.to_string(), name.to_string())],
            ));
        }
    }
    out
}

/// What reading a pod's containers needs from the rest of the run.
struct PodCx<'a> {
    sources: &'a SourceMap,
    limits: &'a yaml::Limits,
    data: &'a HashMap<(String, String), DataObject>,
    hpas: &'a HashMap<(String, String, String), (u32, Span)>,
}

/// The workloads (one per container) of an object that runs pods, with
/// the pod labels for Service selectors.
fn pod_workloads(o: &Object<'_>, cx: &PodCx<'_>, findings: &mut Vec<Finding>) -> Vec<PodWorkload> {
    let mut out = Vec::new();
    let (pod, replicas_node) = match o.kind.as_str() {
        "Deployment" | "StatefulSet" | "ReplicaSet" | "DaemonSet" => (
            o.node.get("spec").and_then(|s| s.get("template")),
            o.node.get("spec").and_then(|s| s.get("replicas")),
        ),
        "Job" => (o.node.get("spec").and_then(|s| s.get("template")), None),
        "CronJob" => (
            o.node
                .get("spec")
                .and_then(|s| s.get("jobTemplate"))
                .and_then(|j| j.get("spec"))
                .and_then(|s| s.get("template")),
            None,
        ),
        "Pod" => (Some(o.node), None),
        _ => return out,
    };
    let Some(pod) = pod else { return out };
    let labels: BTreeMap<String, String> =
        string_pairs(pod.get("metadata").and_then(|m| m.get("labels")))
            .into_iter()
            .collect();
    let mut replicas = replicas_node
        .and_then(Node::as_i64)
        .map_or(1, |n| u32::try_from(n.max(0)).unwrap_or(1));
    let mut replicas_span = replicas_node.map(|n| Span::new(o.file, n.span.clone()));
    if let Some((min, span)) = cx
        .hpas
        .get(&(o.namespace.clone(), o.kind.clone(), o.name.clone()))
    {
        replicas = replicas.max(*min);
        replicas_span = Some(*span);
    }
    let claim_templates: Vec<String> = o
        .node
        .get("spec")
        .and_then(|s| s.get("volumeClaimTemplates"))
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|t| t.get("metadata")?.get("name")?.as_str().map(str::to_string))
        .collect();
    let Some(spec) = pod.get("spec") else {
        return out;
    };
    let volumes = pod_volumes(spec, &claim_templates);
    let containers = spec.get("containers").map(Node::items).unwrap_or(&[]);
    for c in containers {
        let cname = c.get("name").and_then(Node::as_str).unwrap_or("container");
        let name = if containers.len() == 1 {
            o.name.clone()
        } else {
            format!("{}/{cname}", o.name)
        };
        let mut config_files = Vec::new();
        let w = Workload {
            project: o.namespace.clone(),
            image: c
                .get("image")
                .and_then(|i| Some((i.as_str()?.to_string(), Span::new(o.file, i.span.clone())))),
            replicas,
            replicas_span,
            settings: {
                // config files from ConfigMap volumes come first: the
                // environment wins over them, as the apps apply it
                let mut settings = mounted_configs(
                    (cx.sources, cx.limits),
                    (o.file, &o.namespace),
                    (spec, c),
                    cx.data,
                    (findings, &mut config_files),
                );
                settings.extend(container_env(o, c, cx.data));
                settings
            },
            volumes: Some(mounts(o.file, c, &volumes)),
            command: ["command", "args"]
                .iter()
                .flat_map(|k| c.get(k).map(Node::items).unwrap_or(&[]))
                .filter_map(|a| Some((a.as_str()?.to_string(), Span::new(o.file, a.span.clone()))))
                .collect(),
            namespace: o.namespace.clone(),
            config_files,
            ..Workload::new(name, WorkloadKind::KubeContainer, o.name_span)
        };
        out.push((w, labels.clone()));
    }
    out
}

/// Set `sticky` and `tls` from the routes.
pub fn finish_routes(w: &mut Workload) {
    w.sticky = w.routes.iter().any(|r| r.stickiness().is_some());
    // Services carry no TLS. An Ingress says whether it serves TLS; a proxy
    // configured in the repository counts only when it does (TLS may be
    // terminated in front of it, which the repository does not show).
    let proxy_tls = w.routes.iter().any(|r| r.kind == RouteKind::Proxy && r.tls);
    let ingresses: Vec<&Route> = w
        .routes
        .iter()
        .filter(|r| r.kind == RouteKind::Ingress)
        .collect();
    w.tls = if proxy_tls {
        Some(true)
    } else if ingresses.is_empty() {
        None
    } else {
        Some(ingresses.iter().any(|r| r.tls))
    };
}

/// The string entries of a mapping (labels, a selector), in order.
fn string_pairs(map: Option<&Node>) -> Vec<(String, String)> {
    map.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| Some((e.key.as_str()?.to_string(), e.value.as_str()?.to_string())))
        .collect()
}

/// Annotations with string values, as settings named by their keys.
pub fn annotations(file: FileId, map: Option<&Node>) -> Vec<Setting> {
    map.map(Node::entries)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            let k = e.key.as_str()?;
            e.value.as_str()?;
            Some(literal(file, k, &e.key, &e.value))
        })
        .collect()
}

/// A setting whose value is written right there.
pub fn literal(file: FileId, key: &str, key_node: &Node, value: &Node) -> Setting {
    Setting::literal(
        key,
        Span::new(file, key_node.span.clone()),
        value.as_str().unwrap_or("").to_string(),
        Span::new(file, value.content_span()),
    )
}

/// The objects of a file's documents, in order.
fn objects_of(file: FileId, stream: &yaml::Stream) -> Vec<Object<'_>> {
    let mut objects = Vec::new();
    for doc in &stream.docs {
        collect(file, doc, &mut objects);
    }
    objects
}

/// The objects of a document (a `List` holds its `items`).
fn collect<'a>(file: FileId, doc: &'a Node, out: &mut Vec<Object<'a>>) {
    let Some(kind) = doc.get("kind").and_then(Node::as_str) else {
        return;
    };
    if kind == "List" || kind.ends_with("List") {
        for item in doc.get("items").map(Node::items).unwrap_or(&[]) {
            collect(file, item, out);
        }
        return;
    }
    let meta = doc.get("metadata");
    let name_node = meta.and_then(|m| m.get("name"));
    out.push(Object {
        file,
        kind: kind.to_string(),
        name: name_node.and_then(Node::as_str).unwrap_or("").to_string(),
        name_span: Span::new(file, name_node.map_or(doc.span.clone(), |n| n.span.clone())),
        namespace: meta
            .and_then(|m| m.get("namespace"))
            .and_then(Node::as_str)
            .unwrap_or("default")
            .to_string(),
        node: doc,
    });
}

fn data_object(o: &Object<'_>, secret: bool, findings: &mut Vec<Finding>) -> DataObject {
    let mut entries = Vec::new();
    let what = if secret { "Secret" } else { "ConfigMap" };
    for e in o.node.get("data").map(Node::entries).unwrap_or(&[]) {
        let Some(key) = e.key.as_str() else { continue };
        let mut s = literal(o.file, key, &e.key, &e.value);
        s.from_secret = secret;
        if secret {
            let raw = e.value.as_str().unwrap_or("");
            s.value = match decode_base64(raw) {
                Some(bytes) => match String::from_utf8(bytes) {
                    Ok(v) => Value::Known(v),
                    Err(_) => Value::Unknown("the Secret value is binary".into()),
                },
                None => {
                    findings.push(Finding::parse_error(
                        s.value_span,
                        format!(
                            "Secret `{}`: the value of `{key}` is not valid base64",
                            o.name
                        ),
                    ));
                    Value::Unknown("the Secret value is not valid base64".into())
                }
            };
        }
        s.via
            .push(Label::new(o.name_span, format!("{what} `{}`", o.name)));
        entries.push(s);
    }
    if secret {
        for e in o.node.get("stringData").map(Node::entries).unwrap_or(&[]) {
            let Some(key) = e.key.as_str() else { continue };
            let mut s = literal(o.file, key, &e.key, &e.value);
            s.from_secret = true;
            s.via
                .push(Label::new(o.name_span, format!("Secret `{}`", o.name)));
            entries.push(s);
        }
    }
    DataObject { secret, entries }
}

fn container_env(
    o: &Object<'_>,
    c: &Node,
    data: &HashMap<(String, String), DataObject>,
) -> Vec<Setting> {
    let mut out = env_from(o, c, data);
    for e in c.get("env").map(Node::items).unwrap_or(&[]) {
        out.extend(env_entry(o, e, data));
    }
    out
}

/// A setting whose value the repository does not give.
fn unknown(key: &str, key_span: Span, why: String) -> Setting {
    Setting {
        key: key.to_string(),
        key_span,
        value: Value::Unknown(why),
        value_span: key_span,
        origin: Origin::Literal,
        via: Vec::new(),
        from_example: false,
        from_secret: false,
    }
}

/// `envFrom`: every entry of the ConfigMaps and Secrets named, prefixed.
fn env_from(
    o: &Object<'_>,
    c: &Node,
    data: &HashMap<(String, String), DataObject>,
) -> Vec<Setting> {
    let mut out = Vec::new();
    for from in c.get("envFrom").map(Node::items).unwrap_or(&[]) {
        let prefix = from.get("prefix").and_then(Node::as_str).unwrap_or("");
        for (field, what) in [("configMapRef", "ConfigMap"), ("secretRef", "Secret")] {
            let Some(r) = from.get(field) else { continue };
            let Some(name) = r.get("name").and_then(Node::as_str) else {
                continue;
            };
            let here = Span::new(o.file, r.span.clone());
            match data.get(&(o.namespace.clone(), name.to_string())) {
                Some(d) if d.secret == (what == "Secret") => {
                    for s in &d.entries {
                        let mut s = s.clone();
                        s.key = format!("{prefix}{}", s.key);
                        s.via.push(Label::new(
                            here,
                            format!("read through envFrom {what} `{name}`"),
                        ));
                        out.push(s);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// One `env` entry: a value, a ConfigMap or Secret key, or unknown.
fn env_entry(
    o: &Object<'_>,
    e: &Node,
    data: &HashMap<(String, String), DataObject>,
) -> Option<Setting> {
    let name_node = e.get("name")?;
    let key = name_node.as_str()?;
    let key_span = Span::new(o.file, name_node.span.clone());
    if let Some(v) = e.get("value") {
        let mut s = literal(o.file, key, name_node, v);
        if v.is_null() {
            s.value = Value::Known(String::new());
        }
        return Some(s);
    }
    let Some(from) = e.get("valueFrom") else {
        return Some(unknown(key, key_span, "the env entry has no value".into()));
    };
    let refs = [
        ("configMapKeyRef", "ConfigMap", false),
        ("secretKeyRef", "Secret", true),
    ];
    let Some((r, what, secret)) = refs
        .iter()
        .find_map(|(f, w, s)| from.get(f).map(|r| (r, *w, *s)))
    else {
        return Some(unknown(
            key,
            key_span,
            "set from the pod's own fields at run time".into(),
        ));
    };
    let name = r.get("name").and_then(Node::as_str).unwrap_or("");
    let wanted = r.get("key").and_then(Node::as_str).unwrap_or("");
    let entry = data
        .get(&(o.namespace.clone(), name.to_string()))
        .filter(|d| d.secret == secret)
        .and_then(|d| d.entries.iter().rev().find(|s| s.key == wanted));
    Some(match entry {
        Some(s) => {
            let mut s = s.clone();
            s.key = key.to_string();
            s.key_span = key_span;
            s.via.insert(
                0,
                Label::new(key_span, format!("`{key}` is read from {what} `{name}`")),
            );
            s
        }
        None => {
            let mut s = unknown(
                key,
                key_span,
                format!(
                    "{what} `{name}` (namespace `{}`) with key `{wanted}` is not in the linted files",
                    o.namespace
                ),
            );
            s.from_secret = secret;
            s
        }
    })
}

/// Map a range of `decoded` (a YAML scalar's value) back into the source
/// text at `span`: each line of the value is found verbatim, in order, in
/// the source (true for literal blocks and plain one-line values). A range
/// whose line cannot be found maps to the whole scalar.
struct LineMap {
    /// (start in decoded, start in source) per decoded line.
    lines: Vec<(usize, Option<usize>)>,
    whole: std::ops::Range<usize>,
}

impl LineMap {
    fn new(decoded: &str, source: &str, span: std::ops::Range<usize>) -> Self {
        let raw = source.get(span.clone()).unwrap_or("");
        let mut lines = Vec::new();
        let mut cursor = 0;
        let mut at = 0;
        for line in decoded.split_inclusive('\n') {
            let text = line.trim_end_matches(['\n', '\r']);
            let found = if text.is_empty() {
                None
            } else {
                raw.get(cursor..).and_then(|r| r.find(text)).map(|i| {
                    cursor += i + text.len();
                    span.start + cursor - text.len()
                })
            };
            lines.push((at, found));
            at += line.len();
        }
        LineMap { lines, whole: span }
    }

    fn map(&self, r: std::ops::Range<usize>) -> std::ops::Range<usize> {
        let idx = self.lines.partition_point(|(start, _)| *start <= r.start);
        match idx.checked_sub(1).and_then(|i| self.lines.get(i)) {
            Some((dstart, Some(sstart))) => {
                sstart + (r.start - dstart)..sstart + (r.end.max(r.start) - dstart)
            }
            _ => self.whole.clone(),
        }
    }
}

/// App config files (php.ini, grafana.ini, app.ini, redis.conf, Spring
/// properties and YAML) that a container mounts from a ConfigMap volume, as
/// settings pointing into the ConfigMap.
/// Syntax errors in these files are findings at their line in the ConfigMap
/// (the same error found again through another container is dropped later).
fn mounted_configs(
    (sources, limits): (&SourceMap, &yaml::Limits),
    (file, namespace): (FileId, &str),
    (spec, c): (&Node, &Node),
    data: &HashMap<(String, String), DataObject>,
    (findings, config_files): (&mut Vec<Finding>, &mut Vec<String>),
) -> Vec<Setting> {
    use crate::model::discover::{NameKind, classify_name};
    let mut out = Vec::new();
    let cm_volumes = configmap_volumes(spec);
    for m in c.get("volumeMounts").map(Node::items).unwrap_or(&[]) {
        let Some((cm_name, items)) = m
            .get("name")
            .and_then(Node::as_str)
            .and_then(|n| cm_volumes.get(n))
        else {
            continue;
        };
        let Some(mount_path) = m.get("mountPath").and_then(Node::as_str) else {
            continue;
        };
        let sub_path = m.get("subPath").and_then(Node::as_str);
        let Some(obj) = data
            .get(&(namespace.to_string(), (*cm_name).to_string()))
            .filter(|d| !d.secret)
        else {
            continue;
        };
        for entry in &obj.entries {
            let rel = items
                .get(&entry.key)
                .cloned()
                .unwrap_or_else(|| entry.key.clone());
            let in_container = match sub_path {
                Some(sp) if sp == rel => mount_path.to_string(),
                Some(_) => continue,
                None if !items.is_empty() && !items.contains_key(&entry.key) => continue,
                None => format!("{}/{rel}", mount_path.trim_end_matches('/')),
            };
            let Value::Known(text) = &entry.value else {
                continue;
            };
            let by_name = |p: &str| match classify_name(std::path::Path::new(p)) {
                NameKind::Known(k) if k.is_app_config() => Some(k),
                // a Keycloak realm file, by its content
                NameKind::MaybeJson => {
                    crate::model::discover::classify_json_text(std::path::Path::new(p), text)
                }
                _ => None,
            };
            let Some(kind) = by_name(&in_container).or_else(|| by_name(&entry.key)) else {
                continue;
            };
            let cm_file = entry.value_span.file;
            let Some(src) = sources.get(cm_file) else {
                continue;
            };
            let (settings, errors) =
                crate::model::appconfig::read_text(cm_file, kind, text, limits);
            let lm = LineMap::new(text, &src.text, entry.value_span.range());
            for (span, message) in errors {
                findings.push(Finding::parse_error(
                    Span::new(cm_file, lm.map(span)),
                    format!(
                        "{message} (in `{}` of ConfigMap `{cm_name}`, mounted at {in_container})",
                        entry.key
                    ),
                ));
            }
            let via = Label::new(
                Span::new(file, m.span.clone()),
                format!(
                    "`{}` of ConfigMap `{cm_name}` mounted at {in_container}",
                    entry.key
                ),
            );
            config_files.push(in_container.clone());
            for mut s in settings {
                s.key_span = Span::new(cm_file, lm.map(s.key_span.range()));
                s.value_span = Span::new(cm_file, lm.map(s.value_span.range()));
                s.via.push(via.clone());
                out.push(s);
            }
        }
    }
    out
}

/// The ConfigMap volumes of a pod: volume name → (ConfigMap name, key →
/// path from `items`).
fn configmap_volumes(spec: &Node) -> HashMap<&str, (&str, HashMap<String, String>)> {
    let mut cm_volumes: HashMap<&str, (&str, HashMap<String, String>)> = HashMap::new();
    for v in spec.get("volumes").map(Node::items).unwrap_or(&[]) {
        let (Some(name), Some(cm)) = (v.get("name").and_then(Node::as_str), v.get("configMap"))
        else {
            continue;
        };
        let Some(cm_name) = cm.get("name").and_then(Node::as_str) else {
            continue;
        };
        let items = cm
            .get("items")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .filter_map(|i| {
                Some((
                    i.get("key")?.as_str()?.to_string(),
                    i.get("path")?.as_str()?.to_string(),
                ))
            })
            .collect();
        cm_volumes.insert(name, (cm_name, items));
    }
    cm_volumes
}

/// Pod volumes by name → persistent?
fn pod_volumes(spec: &Node, claim_templates: &[String]) -> HashMap<String, bool> {
    let mut out: HashMap<String, bool> =
        claim_templates.iter().map(|n| (n.clone(), true)).collect();
    for v in spec.get("volumes").map(Node::items).unwrap_or(&[]) {
        let Some(name) = v.get("name").and_then(Node::as_str) else {
            continue;
        };
        let persistent = ![
            "emptyDir",
            "configMap",
            "secret",
            "downwardAPI",
            "projected",
            "ephemeral",
        ]
        .iter()
        .any(|k| v.get(k).is_some());
        out.insert(name.to_string(), persistent);
    }
    out
}

fn mounts(file: FileId, c: &Node, volumes: &HashMap<String, bool>) -> Vec<Volume> {
    c.get("volumeMounts")
        .map(Node::items)
        .unwrap_or(&[])
        .iter()
        .filter_map(|m| {
            let target = m.get("mountPath")?.as_str()?.to_string();
            let name = m.get("name").and_then(Node::as_str).unwrap_or("");
            Some(Volume {
                target,
                persistent: volumes.get(name).copied().unwrap_or(false),
                source: name.to_string(),
                host: None,
                span: Span::new(file, m.span.clone()),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64() {
        assert_eq!(decode_base64("Y2hhbmdlbWU="), Some(b"changeme".to_vec()));
        assert_eq!(decode_base64("Y2hhbmdlbWU"), Some(b"changeme".to_vec()));
        assert_eq!(decode_base64(""), Some(Vec::new()));
        assert_eq!(decode_base64("not base64!"), None);
        assert_eq!(decode_base64("Y2=h"), None);
        assert_eq!(decode_base64("Y"), None);
    }
}
