//! The route layer: replicas, stickiness, what is in front, TLS.

use super::{Figure, Layer, loc};
use crate::model::{Workload, WorkloadKind};
use crate::source::SourceMap;

pub(super) fn layer(w: &Workload, sources: &SourceMap) -> Layer {
    let mut figs = Vec::new();
    let deployment_known = !matches!(
        w.kind,
        WorkloadKind::EnvFile | WorkloadKind::ConfigFile | WorkloadKind::KubeSettings
    );
    if deployment_known {
        figs.push(Figure {
            default: w.replicas_span.is_none(),
            ..Figure::fact(
                "replicas",
                w.replicas.to_string(),
                w.replicas_span.map(|s| loc(sources, s)),
            )
        });
        let sticky = w.routes.iter().find_map(|r| r.stickiness());
        figs.push(Figure::fact(
            "sticky",
            match sticky {
                Some(s) => format!("yes ({})", s.value.known().unwrap_or("set")),
                None if w
                    .routes
                    .iter()
                    .any(|r| r.kind != crate::model::RouteKind::Service) =>
                {
                    "no (requests spread over the replicas)".into()
                }
                None => "no".into(),
            },
            sticky.map(|s| loc(sources, s.value_span)),
        ));
        for r in &w.routes {
            figs.push(Figure::fact(
                "in front",
                r.title(),
                Some(loc(sources, r.span)),
            ));
        }
        let tls = match w.tls {
            Some(true) => "yes",
            Some(false) => "no",
            None => "not known from the repository",
        };
        figs.push(Figure::fact("TLS", tls, None));
    } else if w.kind == WorkloadKind::KubeSettings {
        figs.push(Figure {
            unknown: Some("the app reads this object through the Kubernetes API".into()),
            ..Figure::fact(
                "deployment",
                "unknown: the app's workloads read these settings by the object's name",
                None,
            )
        });
    } else {
        figs.push(Figure {
            unknown: Some("the file is not used by any deployment in the repository".into()),
            ..Figure::fact(
                "deployment",
                "unknown: no compose file, manifest or chart uses these settings",
                None,
            )
        });
    }
    Layer {
        layer: "route",
        figures: figs,
    }
}
