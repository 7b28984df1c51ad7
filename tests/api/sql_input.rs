//! `docs/reliability.md#hostile-input`: SQL-looking text in every parameter of the provider
//! routes, the Entry API check and the control plane's lookups. Each is an ordinary unknown or
//! wrong value: never a 5xx, no row of any table that holds users, keys, tokens or sessions
//! changes, and no answer shows a database error, SQL or a stack trace.

use reqwest::RequestBuilder;
use serde_json::json;

use crate::support::*;

const SQL: &[&str] = &[
    "' OR '1'='1",
    "x'; DELETE FROM users; --",
    "\" OR 1=1 --",
    "1 UNION SELECT hash FROM refresh_tokens",
];

/// What no answer may contain (the payloads themselves may be echoed, quoted).
const LEAKS: &[&str] = &[
    "sqlite",
    "sqlx",
    "syntax error",
    "no such table",
    "no such column",
    "returned from database",
    "panicked",
    "backtrace",
    ".rs:",
];

/// Rows per table; `flows` is left out, since a `/connect` whose bad `lang` falls back to `nl`
/// starts a flow as it should.
async fn row_counts(app: &TestApp) -> Vec<(&'static str, i64)> {
    let url = format!("sqlite://{}", app.database_path().display());
    let pool = sqlx::SqlitePool::connect(&url).await.expect("the database");
    let mut counts = vec![];
    for table in ["users", "api_keys", "signing_keys", "sessions", "faults"] {
        let sql = format!("SELECT count(*) FROM {table}");
        counts.push((
            table,
            sqlx::query_scalar(&sql).fetch_one(&pool).await.unwrap(),
        ));
    }
    let sql = "SELECT count(*) FROM refresh_tokens WHERE revoked_at IS NULL";
    counts.push((
        "live refresh_tokens",
        sqlx::query_scalar(sql).fetch_one(&pool).await.unwrap(),
    ));
    pool.close().await;
    counts
}

/// Every request carrying `value` in one parameter, with a name for the failure message.
fn requests(app: &TestApp, form: &LoginForm, value: &str) -> Vec<(String, RequestBuilder)> {
    let get = |path: &str, pairs: &[(&str, &str)]| {
        let case = format!("{path} {pairs:?}");
        (
            case,
            app.api
                .get(app.url(&format!("{path}?{}", form_query(pairs)))),
        )
    };
    let (key, cb) = (KEY_WITH_REFRESH, APP_CALLBACK);
    let mut requests = vec![
        get("/connect", &[("apiKey", value), ("destination", cb)]),
        get("/connect", &[("apiKey", key), ("destination", value)]),
        get(
            "/connect",
            &[("apiKey", key), ("destination", cb), ("lang", value)],
        ),
        get(
            "/culturefeed/oauth/connect",
            &[("apiKey", key), ("destination", value)],
        ),
        get("/login", &[("flow", value)]),
        get("/refresh", &[("apiKey", value), ("refresh", value)]),
        get("/refresh", &[("apiKey", key), ("refresh", value)]),
        get("/logout", &[("destination", value)]),
        get("/logout", &[("apiKey", value), ("destination", cb)]),
        get("/oob", &[("jwt", value), ("refresh", value)]),
        get("/user", &[("apiKey", value)]),
        get("/_emulator/refresh-tokens", &[("user", value)]),
        get("/_emulator/refresh-tokens", &[("api_key", value)]),
    ];
    let encoded: String = url::form_urlencoded::byte_serialize(value.as_bytes()).collect();
    for path in ["users", "api-keys", "refresh-tokens", "faults"] {
        let url = app.url(&format!("/_emulator/{path}/{encoded}"));
        requests.push((format!("DELETE {path}/{value}"), app.api.delete(url)));
    }
    for filter in ["user", "api_key"] {
        let query = form_query(&[(filter, value)]);
        let url = app.url(&format!("/_emulator/refresh-tokens?{query}"));
        requests.push((
            format!("DELETE refresh-tokens?{filter}"),
            app.api.delete(url),
        ));
    }
    let headers = [
        ("x-api-key", value.to_owned()),
        ("authorization", format!("Bearer {value}")),
    ];
    for (name, header_value) in headers {
        let request = app.api.get(app.url("/user")).header(name, header_value);
        requests.push((format!("/user with {name}"), request));
    }
    let mint = app.api.post(app.url("/_emulator/tokens"));
    requests.push((
        "mint".into(),
        mint.json(&json!({"user": value, "api_key": value})),
    ));
    for field in ["flow", "csrf", "username", "password", "action"] {
        let mut fields = vec![("flow", form.flow.as_str()), ("csrf", &form.csrf)];
        fields.extend([
            ("username", USER_NICK),
            ("password", "wrong"),
            ("action", "login"),
        ]);
        fields
            .iter_mut()
            .filter(|(n, _)| *n == field)
            .for_each(|f| f.1 = value);
        let post = app.api.post(app.url("/login")).form(&fields);
        requests.push((format!("POST /login with {field}"), post));
    }
    requests
}

#[tokio::test]
async fn sql_in_every_parameter_is_an_ordinary_bad_value_and_changes_no_row() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let browser = app.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    let before = row_counts(&app).await;

    for value in SQL {
        for (case, request) in requests(&app, &form, value) {
            let response = send(request).await;
            let status = response.status();
            let body = text(response).await.to_lowercase();

            assert!(status.as_u16() < 500, "{case} {value:?}: {status}");
            for leak in LEAKS {
                assert!(!body.contains(leak), "{case} {value:?}: {leak} in {body}");
            }
        }
    }

    assert_eq!(row_counts(&app).await, before, "no row changed");
    let still = app.refresh_with(KEY_WITH_REFRESH, &refresh).await;
    assert_eq!(still.status(), 200, "the token issued before still works");
    let own_form = browser.submit_login(&form, USER_NICK, USER_PASSWORD).await;
    assert_eq!(
        own_form.status(),
        303,
        "the form, untouched by the attempts, logs in"
    );
}
