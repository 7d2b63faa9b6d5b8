//! Deployment files of LLM and automation platforms with a profile
//! (under `fixtures/`, copied unchanged from the app's repository or from
//! an app store): the findings and the session lifecycle of each, as a
//! user sees them. Each finding was checked by hand against the app's code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// Dokploy's Dify template: `SECRET_KEY` from one variable in the three API
/// services, storage on a volume. Nothing to report.
#[test]
fn dify_official_check() {
    insta::assert_snapshot!("apps_ai_dify_official_check", check("store-dokploy-dify"));
}

#[test]
fn dify_official_sessions() {
    insta::assert_snapshot!(
        "apps_ai_dify_official_sessions",
        sessions("store-dokploy-dify")
    );
}

/// Flowise's `docker/docker-compose.yml`: the data directory on a volume,
/// every setting a `${VAR}`. Nothing to report.
#[test]
fn flowise_official_check() {
    insta::assert_snapshot!("apps_ai_flowise_official_check", check("flowise-official"));
}

#[test]
fn flowise_official_sessions() {
    insta::assert_snapshot!(
        "apps_ai_flowise_official_sessions",
        sessions("flowise-official")
    );
}

/// Langflow's `docker_example/docker-compose.yml`: the config directory,
/// with the generated key, on a volume. Nothing to report.
#[test]
fn langflow_official_check() {
    insta::assert_snapshot!(
        "apps_ai_langflow_official_check",
        check("langflow-official")
    );
}

#[test]
fn langflow_official_sessions() {
    insta::assert_snapshot!(
        "apps_ai_langflow_official_sessions",
        sessions("langflow-official")
    );
}

/// AnythingLLM's Docker guide compose example: `JWT_SECRET` is the guide's
/// placeholder.
#[test]
fn anythingllm_official_check() {
    insta::assert_snapshot!(
        "apps_ai_anythingllm_official_check",
        check("anythingllm-official")
    );
}

#[test]
fn anythingllm_official_sessions() {
    insta::assert_snapshot!(
        "apps_ai_anythingllm_official_sessions",
        sessions("anythingllm-official")
    );
}
