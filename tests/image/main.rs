//! The container image, run for real: only what the image itself decides (its user, the
//! /data volume, the HEALTHCHECK, the listen address behind a published port, the stop
//! signal), plus one login and refresh through the published port. Everything else about
//! the server is tested in-process by tests/api.
//!
//! Every test is #[ignore]d: they need Docker and a built image, so plain `cargo test` needs
//! neither. With a Docker Engine at hand:
//!
//!     docker build -t uitid-emulator:ci .
//!     cargo test --test image -- --ignored          # UITID_IMAGE=NAME:TAG for another tag

mod support;

use std::time::{Duration, Instant};

use support::{Emulator, Options, Volume, client, inspect_image};
use testcontainers::bollard::models::HealthStatusEnum;

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn runs_as_the_unprivileged_numeric_user_10001() {
    let config = inspect_image().await.config.expect("image config");
    // Numeric, so Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
    assert_eq!(config.user.as_deref(), Some("10001:10001"));

    let emulator = Emulator::start().await;
    assert_eq!(emulator.exec(&["id", "-u"]).await, (0, "10001".to_owned()));
    assert_eq!(emulator.exec(&["id", "-g"]).await, (0, "10001".to_owned()));
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn keeps_its_database_on_the_declared_data_volume() {
    let config = inspect_image().await.config.expect("image config");
    assert!(
        config
            .volumes
            .unwrap_or_default()
            .iter()
            .any(|v| v == "/data"),
        "the image declares VOLUME /data"
    );

    let emulator = Emulator::start().await;
    let mounts = emulator.inspect().await.mounts.unwrap_or_default();
    assert!(
        mounts.iter().any(
            |m| m.destination.as_deref() == Some("/data") && m.typ.as_deref() == Some("volume")
        ),
        "a volume is mounted on /data: {mounts:?}"
    );
    let (status, _) = emulator
        .exec(&["test", "-s", "/data/uitid-emulator.db"])
        .await;
    assert_eq!(status, 0, "/data/uitid-emulator.db exists and is not empty");
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn a_new_container_on_the_same_data_volume_signs_with_the_same_key() {
    // The generated signing key lives in the database on /data, not in the container.
    let volume = Volume::new();
    let data_volume = Some(volume.0.as_str());
    let public_key = async || {
        let emulator = Emulator::start_with(Options {
            env: &[],
            data_volume,
        })
        .await;
        let response = emulator.get("/public.pem").await;
        assert_eq!(response.status(), 200);
        let pem = response.text().await.expect("public key");
        assert!(pem.contains("BEGIN PUBLIC KEY"), "{pem}");
        pem // the container is removed here, the named volume stays
    };
    let first = public_key().await;
    let second = public_key().await;
    assert_eq!(first, second);
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn becomes_healthy_through_its_own_healthcheck() {
    // Emulator::start waits for Docker's health status "healthy", from the HEALTHCHECK.
    let emulator = Emulator::start().await;
    let health = emulator.inspect().await.state.and_then(|s| s.health);
    assert_eq!(
        health.and_then(|h| h.status),
        Some(HealthStatusEnum::HEALTHY)
    );

    assert_eq!(emulator.exec(&["uitid-emulator", "healthcheck"]).await.0, 0);
    let closed_port = [
        "uitid-emulator",
        "healthcheck",
        "--url",
        "http://127.0.0.1:9/health/ready",
    ];
    assert_ne!(emulator.exec(&closed_port).await.0, 0, "and it can fail");
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn listens_on_all_interfaces_so_the_published_port_reaches_it() {
    let emulator = Emulator::start().await;
    for path in ["/health/live", "/health/ready"] {
        assert_eq!(emulator.get(path).await.status(), 200, "GET {path}");
    }
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn stops_within_seconds_with_exit_code_0_on_docker_stop() {
    let emulator = Emulator::start().await;
    // docker stop sends SIGTERM and kills after 10 s (exit 137) a server that ignores it.
    let started = Instant::now();
    emulator
        .container
        .stop_with_timeout(Some(10))
        .await
        .expect("docker stop");
    let took = started.elapsed();
    let exit_code = emulator.container.exit_code().await.expect("exit code");
    println!("docker stop took {took:.2?}, exit code {exit_code:?}");
    assert_eq!(exit_code, Some(0), "clean exit on SIGTERM");
    assert!(took < Duration::from_secs(5), "docker stop took {took:.2?}");
}

#[tokio::test]
#[ignore = "needs Docker and a built image (see the module docs)"]
async fn logs_in_headless_and_refreshes_through_the_published_port() {
    let emulator = Emulator::start_with(Options {
        env: &[
            ("UITID_EMULATOR__LOGIN__MODE", "headless"),
            ("UITID_EMULATOR__LOGIN__HEADLESS_USER", "stiksels"),
        ],
        data_volume: None,
    })
    .await;
    let api_key = ("apiKey", "sample-key-with-refresh");

    let connect = client()
        .get(format!("{}/connect", emulator.base_url))
        .query(&[api_key, ("destination", "https://client.example/callback")])
        .send()
        .await
        .expect("GET /connect");
    assert_eq!(connect.status(), 302);
    let location = connect.headers()["location"].to_str().expect("Location");
    let location = url::Url::parse(location).expect("an absolute Location");
    let param = |name: &str| {
        let value = location
            .query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, v)| v);
        value
            .unwrap_or_else(|| panic!("no {name}= in {location}"))
            .into_owned()
    };
    assert!(is_jwt(&param("jwt")), "{location}");
    let refresh_token = param("refresh");

    let refresh = client()
        .get(format!("{}/refresh", emulator.base_url))
        .query(&[api_key, ("refresh", refresh_token.as_str())])
        .send()
        .await
        .expect("GET /refresh");
    assert_eq!(refresh.status(), 200);
    let content_type = refresh.headers()["content-type"]
        .to_str()
        .expect("Content-Type");
    assert!(content_type.starts_with("text/plain"), "{content_type}");
    let body = refresh.text().await.expect("body");
    assert!(is_jwt(body.trim()), "a JWT: {body}");
}

/// Three non-empty base64url parts separated by dots.
fn is_jwt(token: &str) -> bool {
    let parts: Vec<_> = token.split('.').collect();
    parts.len() == 3
        && parts.iter().all(|part| {
            !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}
