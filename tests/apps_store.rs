//! The official deployment files of the datastores (under
//! `fixtures/<app>-official/`, copied unchanged from the image's repository
//! or documentation): the findings and the session lifecycle of each, as a
//! user sees them. Each finding was checked by hand against the image's
//! code.

#![allow(clippy::expect_used)]

mod common;

use common::{check_fixture as check, sessions_fixture as sessions};

/// The official PostgreSQL image's example: `POSTGRES_PASSWORD: example`.
#[test]
fn postgres_official_check() {
    insta::assert_snapshot!(
        "apps_store_postgres_official_check",
        check("postgres-official")
    );
}

#[test]
fn postgres_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_postgres_official_sessions",
        sessions("postgres-official")
    );
}

/// The official MySQL image's example: `MYSQL_ROOT_PASSWORD: example`.
#[test]
fn mysql_official_check() {
    insta::assert_snapshot!("apps_store_mysql_official_check", check("mysql-official"));
}

#[test]
fn mysql_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_mysql_official_sessions",
        sessions("mysql-official")
    );
}

/// The official MariaDB image's example: `MARIADB_ROOT_PASSWORD: example`.
#[test]
fn mariadb_official_check() {
    insta::assert_snapshot!(
        "apps_store_mariadb_official_check",
        check("mariadb-official")
    );
}

#[test]
fn mariadb_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_mariadb_official_sessions",
        sessions("mariadb-official")
    );
}

/// The official MongoDB image's example: `MONGO_INITDB_ROOT_PASSWORD: example`.
#[test]
fn mongodb_official_check() {
    insta::assert_snapshot!(
        "apps_store_mongodb_official_check",
        check("mongodb-official")
    );
}

#[test]
fn mongodb_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_mongodb_official_sessions",
        sessions("mongodb-official")
    );
}

/// Elasticsearch and Kibana with no settings: nothing to report.
#[test]
fn elasticsearch_official_check() {
    insta::assert_snapshot!(
        "apps_store_elasticsearch_official_check",
        check("elasticsearch-official")
    );
}

#[test]
fn elasticsearch_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_elasticsearch_official_sessions",
        sessions("elasticsearch-official")
    );
}

/// OpenSearch's 2.x compose file: the admin password from the
/// environment, data on volumes. Nothing to report.
#[test]
fn opensearch_official_check() {
    insta::assert_snapshot!(
        "apps_store_opensearch_official_check",
        check("opensearch-official")
    );
}

#[test]
fn opensearch_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_opensearch_official_sessions",
        sessions("opensearch-official")
    );
}

/// MinIO's distributed example: no credentials, so each node runs with
/// minioadmin/minioadmin.
#[test]
fn minio_official_check() {
    insta::assert_snapshot!("apps_store_minio_official_check", check("minio-official"));
}

#[test]
fn minio_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_minio_official_sessions",
        sessions("minio-official")
    );
}

/// RabbitMQ's Consul example: an Erlang cookie the rules cannot judge, and
/// the localhost-only `guest` user. Nothing to report.
#[test]
fn rabbitmq_official_check() {
    insta::assert_snapshot!(
        "apps_store_rabbitmq_official_check",
        check("rabbitmq-official")
    );
}

#[test]
fn rabbitmq_official_sessions() {
    insta::assert_snapshot!(
        "apps_store_rabbitmq_official_sessions",
        sessions("rabbitmq-official")
    );
}

/// The Kubernetes examples' MinIO: the legacy `MINIO_SECRET_KEY` set to
/// `minio123`, the password of MinIO's own guides.
#[test]
fn minio_k8s_example_check() {
    insta::assert_snapshot!(
        "apps_store_minio_k8s_example_check",
        check("minio-k8s-example")
    );
}

/// Oracle's MySQL Server image in runtipi's Mixpost: recognised by its
/// image, its passwords from the store's variables, its data on a volume.
#[test]
fn mysql_server_store_check() {
    insta::assert_snapshot!(
        "apps_store_mysql_server_store_check",
        check("store-runtipi-mixpost")
    );
}

#[test]
fn mysql_server_store_sessions() {
    insta::assert_snapshot!(
        "apps_store_mysql_server_store_sessions",
        sessions("store-runtipi-mixpost")
    );
}
