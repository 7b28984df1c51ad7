//! Observability (`docs/protocol.md#operations`): Prometheus metrics and request ids. The metrics
//! recorder is global to the test process and other tests run beside these, so counters are
//! compared as "grew by at least", never as absolute values.

use crate::support::*;

async fn metrics(app: &TestApp) -> String {
    let response = app.get("/metrics").await;
    assert_eq!(response.status(), 200);
    let content_type = header(&response, "content-type")
        .unwrap_or_default()
        .to_owned();
    assert!(
        content_type.starts_with("text/plain; version=0.0.4"),
        "Prometheus text exposition, got {content_type:?}"
    );
    text(response).await
}

/// `(metric, labels)` and how much it must at least have grown.
type Growth = (&'static str, &'static [(&'static str, &'static str)], f64);

const GROWTH_AFTER_LOGIN_REFRESH_AND_REFUSAL: &[Growth] = &[
    (
        "http_requests_total",
        &[("route", "/refresh"), ("method", "GET"), ("status", "200")],
        1.0,
    ),
    (
        "http_requests_total",
        &[("route", "/refresh"), ("method", "GET"), ("status", "400")],
        1.0,
    ),
    (
        "http_request_duration_seconds_count",
        &[("route", "/refresh"), ("method", "GET")],
        2.0,
    ),
    ("uitid_tokens_issued_total", &[("kind", "access")], 2.0),
    ("uitid_tokens_issued_total", &[("kind", "refresh")], 1.0),
    ("uitid_refreshes_total", &[], 1.0),
    (
        "uitid_refusals_total",
        &[("reason", "unknown_refresh_token")],
        1.0,
    ),
];

#[tokio::test]
async fn metrics_count_requests_tokens_refreshes_and_refusals_by_reason() {
    let app = TestApp::spawn().await;
    let before = metrics(&app).await;

    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let refresh = tokens.refresh.expect("a refresh token");
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh).await.status(),
        200
    );
    let refused = app
        .refresh_with(KEY_WITH_REFRESH, "not-a-refresh-token")
        .await;
    assert_eq!(refused.status(), 400);
    let after = metrics(&app).await;

    for (name, labels, growth) in GROWTH_AFTER_LOGIN_REFRESH_AND_REFUSAL {
        let was = sample(&before, name, labels).unwrap_or(0.0);
        let now = sample(&after, name, labels)
            .unwrap_or_else(|| panic!("{name}{labels:?} is exported:\n{after}"));
        assert!(now >= was + growth, "{name}{labels:?} went {was} -> {now}");
    }
    let bucket = [("route", "/refresh"), ("method", "GET"), ("le", "+Inf")];
    let count = sample(&after, "http_request_duration_seconds_bucket", &bucket);
    assert!(count.is_some_and(|c| c >= 2.0), "latency histogram buckets");
    assert!(after.contains("# TYPE http_request_duration_seconds histogram"));
}

#[tokio::test]
async fn no_token_api_key_or_client_supplied_path_appears_in_the_metrics() {
    let app = TestApp::spawn().await;
    let tokens = app.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    let refresh = tokens.refresh.clone().expect("a refresh token");
    let bogus = "bogus-refresh-token-7f3a9c";
    let unknown_key = "unknown-api-key-5d2e8b";
    let odd_path = "/no-such-route-e41c07";
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh).await.status(),
        200
    );
    app.refresh_with(KEY_WITH_REFRESH, bogus).await;
    app.refresh_with(unknown_key, &refresh).await;
    assert_eq!(app.get(odd_path).await.status(), 404);

    let exported = metrics(&app).await;

    for secret in [
        tokens.jwt.as_str(),
        &refresh,
        bogus,
        unknown_key,
        odd_path,
        KEY_WITH_REFRESH,
        OTHER_KEY_WITH_REFRESH,
        KEY_WITHOUT_REFRESH,
        KEY_FOR_ANYWHERE,
        USER_PASSWORD,
    ] {
        assert!(
            !exported.contains(secret),
            "{secret:?} leaked into /metrics"
        );
    }
    let unmatched = [
        ("route", "<unmatched>"),
        ("method", "GET"),
        ("status", "404"),
    ];
    assert!(sample(&exported, "http_requests_total", &unmatched).is_some());
}

#[tokio::test]
async fn every_response_carries_a_generated_uuid_request_id() {
    let app = TestApp::spawn().await;

    let mut ids = vec![];
    for path in ["/health/live", "/refresh", "/no-such-route", "/metrics"] {
        let response = app.get(path).await;
        let id = header(&response, "x-request-id")
            .unwrap_or_else(|| panic!("{path} answers without x-request-id"))
            .to_owned();
        uuid::Uuid::parse_str(&id).unwrap_or_else(|e| panic!("{path}: {id:?} is not a UUID: {e}"));
        ids.push(id);
    }

    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 4, "one id per request");
}

#[tokio::test]
async fn a_request_id_sent_by_the_client_is_returned_unchanged() {
    let app = TestApp::spawn().await;

    for path in ["/health/ready", "/refresh?apiKey=nope", "/public.pem"] {
        let request = app.api.get(format!("{}{path}", app.address));
        let response = send(request.header("x-request-id", "lb-trace-0042")).await;

        assert_eq!(
            header(&response, "x-request-id"),
            Some("lb-trace-0042"),
            "{path}"
        );
    }
}

#[tokio::test]
async fn a_request_id_that_is_long_odd_or_given_twice_is_replaced_by_a_fresh_uuid() {
    let app = TestApp::spawn().await;
    let long = "a".repeat(5000);
    let cases: [(&[&str], &str); 5] = [
        (&[long.as_str()], "5,000 characters"),
        (
            &[r#"x" status=200 route=/fake"#],
            "text that forges log fields",
        ),
        (&["lb trace"], "a space"),
        (&[""], "empty"),
        (&["one", "two"], "two ids"),
    ];
    for (ids, case) in cases {
        let mut request = app.api.get(app.url("/health/live"));
        for id in ids {
            request = request.header("x-request-id", *id);
        }
        let response = send(request).await;
        let echoed = header(&response, "x-request-id").unwrap_or_default();
        assert!(uuid_like(echoed), "{case}: got {echoed:?}");
    }
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.split('-').map(str::len).eq([8, 4, 4, 4, 12])
}

/// The value of the sample `name{labels}` (all of them, in any order), if exported.
fn sample(metrics: &str, name: &str, labels: &[(&str, &str)]) -> Option<f64> {
    let mut wanted: Vec<String> = labels.iter().map(|(k, v)| format!("{k}=\"{v}\"")).collect();
    wanted.sort();
    metrics.lines().find_map(|line| {
        let (series, value) = line.rsplit_once(' ')?;
        let (metric, found) = series.split_once('{').unwrap_or((series, "}"));
        let mut found: Vec<String> = found
            .strip_suffix('}')?
            .split(',')
            .map(str::to_owned)
            .collect();
        found.retain(|label| !label.is_empty());
        found.sort();
        (metric == name && found == wanted).then(|| value.parse().ok())?
    })
}
