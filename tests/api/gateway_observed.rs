//! `docs/protocol.md#entry-api-gateway`, `docs/protocol.md#journal`: gateway requests are
//! counted, logged and journaled under one fixed route template, never the raw path, and no
//! token, key or query string reaches the journal, the metrics or the logs.

use serde_json::{Value, json};

use crate::gateway::gateway;
use crate::support::*;

const ROUTE: &str = "/{*entry_api}";

#[tokio::test]
async fn the_journal_shows_gateway_requests_under_one_route_with_key_user_and_token_id() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let user_token = user_claims(&app, USER_UID, "entry");
    let jti = user_token["jti"].as_str().unwrap().to_owned();
    let user_token = signed(&app, &user_token);
    let v1 = jwt(&app, USER_NICK).await;
    let url = app.url("/events/e-123/labels?secret=query-secret");
    send(app.api.put(url.clone()).bearer_auth(&user_token)).await;
    send(
        app.api
            .put(url.clone())
            .bearer_auth(&v1)
            .header("x-api-key", KEY_WITH_REFRESH),
    )
    .await;
    send(app.api.put(url)).await;

    let journal = app
        .api
        .get(app.url("/_emulator/journal"))
        .query(&[("route", ROUTE)]);
    let body: Value = send(journal).await.json().await.unwrap();

    let entries = body["entries"].as_array().unwrap();
    let summary: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!([
                e["route"],
                e["method"],
                e["status"],
                e["api_key"],
                e["user"]
            ])
        })
        .collect();
    assert_eq!(
        summary,
        [
            json!([ROUTE, "PUT", 401, null, null]),
            json!([ROUTE, "PUT", 200, "App with refresh", USER_UID]),
            json!([ROUTE, "PUT", 200, null, USER_UID]),
        ]
    );
    assert_eq!(entries[2]["lineage"], format!("access token {jti}"));
    let text = body.to_string();
    for secret in [
        user_token.as_str(),
        &v1,
        KEY_WITH_REFRESH,
        "query-secret",
        "e-123",
    ] {
        assert!(!text.contains(secret), "{secret} is in the journal");
    }
}

#[tokio::test]
async fn metrics_count_gateway_requests_under_the_fixed_route_label() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &client_claims(&app, "entry"));
    for id in ["e-unique-4711", "e-unique-4712"] {
        let url = app.url(&format!("/events/{id}?secret=query-secret"));
        assert_eq!(
            send(app.api.get(url).bearer_auth(&token)).await.status(),
            200
        );
    }

    let metrics = text(app.get("/metrics").await).await;

    let labelled = metrics.lines().any(|line| {
        line.starts_with("http_requests_total{")
            && line.contains(r#"route="/{*entry_api}""#)
            && line.contains(r#"status="200""#)
    });
    assert!(labelled, "a gateway series in:\n{metrics}");
    for secret in ["e-unique-4711", "query-secret", token.as_str()] {
        assert!(!metrics.contains(secret), "{secret} is in the metrics");
    }
}

#[tokio::test]
async fn gateway_logs_at_trace_level_name_the_failure_but_no_token_key_or_query() {
    let setup = Setup::headless(USER_NICK);
    let upstream = Stub::refusing().await;
    let sections = format!("[entry_api]\nupstream = \"{upstream}\"");
    let (dir, config) = server_dir(&setup.with_sections(&sections));
    let env = [("RUST_LOG", "trace".to_owned())];
    let running = ServerProcess::start(dir.path(), Some(&config), &env).await;
    // Signed in-process with the same shared key, for the binary's issuer.
    let signer = server("").await;
    let issuer = json!({"iss": format!("{}/realms/uitid", running.base)});
    let user_token = signed(
        &signer,
        &changed(user_claims(&signer, USER_UID, "entry"), issuer),
    );
    let v1 = jwt(&signer, USER_NICK).await;
    let url = format!("{}/events/e-1?secret=query-secret-4711", running.base);
    let api = client();
    let bad_gateway = send(api.post(&url).bearer_auth(&user_token)).await;
    let with_key = api
        .post(format!("{url}&apiKey={KEY_WITH_REFRESH}"))
        .bearer_auth(&v1);
    assert_eq!(send(with_key).await.status(), 502);
    let refused = send(
        api.post(&url)
            .bearer_auth(&v1)
            .header("x-api-key", "key-secret-4711"),
    )
    .await;

    let finished = running.terminate().await;

    let statuses = (bad_gateway.status().as_u16(), refused.status().as_u16());
    assert_eq!(statuses, (502, 401));
    let logs = format!("{}{}", finished.stdout, finished.stderr);
    assert!(
        logs.contains("entry api upstream failed"),
        "the cause is logged:\n{logs}"
    );
    assert!(
        logs.contains(r#"/{*entry_api}"#),
        "the route label is logged"
    );
    let signature = user_token.rsplit('.').next().unwrap();
    for secret in [
        user_token.as_str(),
        signature,
        v1.as_str(),
        KEY_WITH_REFRESH,
        "key-secret-4711",
        "query-secret-4711",
        "e-1?",
    ] {
        assert!(!logs.contains(secret), "{secret} is in the logs");
    }
}
