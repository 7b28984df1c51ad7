//! `docs/protocol.md#dashboard`: `GET /_emulator/` shows the emulator's state to a person, from
//! the same services as the JSON endpoints, escaped, under a policy that loads nothing from
//! elsewhere, and behind the control plane's access rule. The buttons are driven in Chromium by
//! `tests/browser/dashboard.js`.

use serde_json::{Value, json};

use crate::support::*;

/// 2026-01-01T00:00:00Z: the clock is frozen here so the page's times are known.
const NEW_YEAR: i64 = 1_767_225_600;

/// The page's HTML, after checking the headers every answer of it carries.
async fn dashboard(app: &TestApp) -> String {
    let response = app.get("/_emulator/").await;
    assert_eq!(response.status(), 200);
    assert_html_page(&response);
    let csp = header(&response, "content-security-policy").unwrap_or_default();
    for directive in [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "connect-src 'self'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ] {
        assert!(csp.contains(directive), "{directive} in {csp}");
    }
    text(response).await
}

async fn refresh_token_ids(app: &TestApp) -> Vec<i64> {
    let listing = get_json(&app.api, &app.url("/_emulator/refresh-tokens")).await;
    let tokens = listing["refresh_tokens"].as_array().expect("a listing");
    tokens.iter().filter_map(|t| t["id"].as_i64()).collect()
}

#[tokio::test]
async fn the_page_shows_users_keys_tokens_signing_keys_and_the_journal_newest_first() {
    let app = TestApp::spawn().await;
    set_clock(&app, json!({"at": NEW_YEAR, "frozen": true})).await;
    let refresh = app.refresh_token().await;
    let id = refresh_token_ids(&app).await[0];
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh).await.status(),
        200
    );
    let kid = app.state().keys.active_kid();
    let fault = json!({"route": "/user", "user": USER_NICK, "times": 2, "status": 503});
    assert_eq!(post(&app, "faults", &fault).await.status(), 201);

    let page = dashboard(&app).await;

    for (shown, what) in [
        (USER_NICK, "a configured user"),
        (USER_EMAIL, "its email"),
        (USER_UID, "its uid"),
        ("App with refresh", "an API key's name"),
        ("entry_api", "a permission"),
        (
            &format!("id=\"refresh-token-{id}\""),
            "the logged-in token's row",
        ),
        (&format!("data-revoke=\"{id}\""), "its Revoke button"),
        (&kid, "the active signing key"),
        ("2026-01-01T00:00:00Z", "times in UTC"),
        (&format!("data-unix=\"{NEW_YEAR}\""), "the clock's now"),
        ("Pending faults", "the faults section"),
        (&format!("user {USER_UID}"), "whom the fault matches"),
        ("status 503", "what it does"),
        ("2 of 2", "its uses left"),
        (
            &format!("refresh token {id} -&gt; "),
            "the refresh's lineage",
        ),
    ] {
        assert!(page.contains(shown), "{what}: {shown} in {page}");
    }
    let newest = page
        .find("GET /refresh")
        .expect("the refresh in the journal");
    let older = page.find("POST /login").expect("the login in the journal");
    assert!(newest < older, "the journal is newest first");
    for secret in [refresh.as_str(), KEY_WITH_REFRESH, USER_PASSWORD] {
        assert!(!page.contains(secret), "no secret on the page: {secret}");
    }
}

#[tokio::test]
async fn a_revoked_token_shows_when_it_was_revoked_and_has_no_button() {
    let app = TestApp::spawn().await;
    let refresh = app.refresh_token().await;
    let id = refresh_token_ids(&app).await[0];
    let revoked = send(
        app.api
            .delete(app.url(&format!("/_emulator/refresh-tokens/{id}"))),
    )
    .await;
    assert_eq!(revoked.status(), 200);

    let page = dashboard(&app).await;

    assert!(
        page.contains(&format!("id=\"refresh-token-{id}\" class=\"revoked\"")),
        "{page}"
    );
    assert!(!page.contains(&format!("data-revoke=\"{id}\"")), "{page}");
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, &refresh).await.status(),
        400
    );
}

/// `docs/protocol.md#dashboard`: live chains are OAuth2 sessions, with user, client and
/// rotations; a chain revoked for reuse leaves the sessions and says why in the token list.
#[tokio::test]
async fn live_oauth2_sessions_are_listed_and_a_reused_chain_says_why_it_was_revoked() {
    let app = TestApp::spawn().await;
    let mint = json!({"user": USER_NICK, "client": CLIENT_ID});
    let kept: Value = post(&app, "tokens", &mint).await.json().await.unwrap();
    let reused: Value = post(&app, "tokens", &mint).await.json().await.unwrap();
    let ids = refresh_token_ids(&app).await;
    let (reused_id, kept_id) = (ids[0], ids[1]);
    let reused = reused["refresh"].as_str().unwrap();
    let kept = kept["refresh"].as_str().unwrap();
    assert_eq!(refresh_grant(&app, kept).await, 200);
    assert_eq!(refresh_grant(&app, reused).await, 200);
    assert_eq!(refresh_grant(&app, reused).await, 400, "a reuse");

    let page = dashboard(&app).await;

    let sessions = &page[page.find("id=\"sessions\"").expect("the sessions section")..];
    let sessions = &sessions[..sessions.find("</section>").unwrap()];
    assert!(
        sessions.contains(&format!("id=\"session-{kept_id}\"")),
        "{sessions}"
    );
    assert!(
        sessions.contains(CLIENT_ID) && sessions.contains(USER_NICK),
        "{sessions}"
    );
    assert!(
        !sessions.contains(&format!("session-{reused_id}")),
        "{sessions}"
    );
    let revoked = format!("id=\"refresh-token-{reused_id}\" class=\"revoked\"");
    let row = &page[page.find(&revoked).expect("the reused chain is revoked")..];
    assert!(row[..row.find("</tr>").unwrap()].contains("reuse"), "{row}");
}

/// The test client's refresh-token grant: its status.
async fn refresh_grant(app: &TestApp, token: &str) -> u16 {
    let form = [
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    let response = crate::support::oauth::post_form(app, crate::support::oauth::TOKEN_PATH, &form);
    response.await.status().as_u16()
}

#[tokio::test]
async fn the_clock_shows_its_offset_and_whether_it_stands_still() {
    let app = TestApp::spawn().await;
    set_clock(&app, json!({"advance": "1h", "frozen": true})).await;

    let page = dashboard(&app).await;

    // A frozen clock's offset from wall time shrinks as wall time runs on: a second boundary
    // may fall between freezing it and rendering the page.
    let offset = page
        .split("id=\"clock-offset\" data-seconds=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .and_then(|seconds| seconds.parse::<i64>().ok());
    assert!(
        matches!(offset, Some(3598..=3600)),
        "offset {offset:?}: {page}"
    );
    assert!(page.contains("yes: time stands still"), "{page}");
}

#[tokio::test]
async fn a_key_retiring_after_the_year_9999_is_shown_as_unix_seconds_not_a_500() {
    let app = Setup::generated_key().spawn().await;
    // The overlap saturates: the old key retires at i64::MAX, beyond RFC 3339's four-digit years.
    let rotated = post(&app, "keys/rotate", &json!({"overlap": i64::MAX})).await;
    assert_eq!(rotated.status(), 200);

    let page = dashboard(&app).await;

    assert!(page.contains(&i64::MAX.to_string()), "{page}");
}

#[tokio::test]
async fn text_from_users_keys_and_clients_is_escaped() {
    let app = TestApp::spawn().await;
    let hostile = "<script>alert(1)</script>";
    let user = json!({
        "uid": "0f4b8a7e-2c1d-4e5f-9a8b-7c6d5e4f3a2b",
        "nick": hostile,
        "email": "\"><img src=x onerror=alert(2)>",
        "password": "secret",
        "claims": {"note": "</code><b>bold</b>"},
    });
    assert_eq!(post(&app, "users", &user).await.status(), 201);
    let key = json!({"key": "hostile-key", "name": "<i>name</i>"});
    assert_eq!(post(&app, "api-keys", &key).await.status(), 201);
    let client = json!({"name": "<u>client</u>", "grants": ["client_credentials"]});
    assert_eq!(post(&app, "clients", &client).await.status(), 201);

    let page = dashboard(&app).await;

    assert!(
        page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{page}"
    );
    assert!(
        page.contains("&lt;u&gt;client&lt;/u&gt;"),
        "the client is listed"
    );
    for raw in [hostile, "<img", "<b>bold", "<i>name", "<u>client"] {
        assert!(!page.contains(raw), "{raw} is not markup on the page");
    }
}

#[tokio::test]
async fn the_page_loads_only_its_own_script_and_style_which_are_served_with_their_types() {
    let app = TestApp::spawn().await;

    let page = dashboard(&app).await;
    let script = app.get("/_emulator/dashboard.js").await;
    let style = app.get("/_emulator/dashboard.css").await;

    assert!(
        !page.contains("<style") && !page.contains(" style="),
        "no inline style"
    );
    assert_eq!(page.matches("<script").count(), 1, "one script");
    let references: Vec<&str> = ["src=\"", "href=\""]
        .iter()
        .flat_map(|a| page.split(a).skip(1))
        .map(|rest| rest.split('"').next().unwrap_or(""))
        .collect();
    assert!(
        references.contains(&"/_emulator/dashboard.js"),
        "{references:?}"
    );
    assert!(
        references.contains(&"/_emulator/dashboard.css"),
        "{references:?}"
    );
    for reference in references {
        assert!(
            reference.starts_with('/') || reference.starts_with('#'),
            "{reference}"
        );
    }
    for (response, media_type, member) in [
        (script, "text/javascript", "/_emulator/refresh-tokens/"),
        (style, "text/css", "font"),
    ] {
        assert_eq!(response.status(), 200);
        let content_type = header(&response, "content-type")
            .unwrap_or_default()
            .to_owned();
        assert!(content_type.starts_with(media_type), "{content_type}");
        assert_eq!(header(&response, "x-content-type-options"), Some("nosniff"));
        assert!(text(response).await.contains(member));
    }
}

#[tokio::test]
async fn with_an_admin_token_the_page_and_its_files_need_it_like_every_control_route() {
    let app = server("[admin]\ntoken = \"s3cret-admin-token\"").await;
    for path in [
        "/_emulator/",
        "/_emulator/dashboard.js",
        "/_emulator/dashboard.css",
    ] {
        let without = send(app.api.get(app.url(path))).await;
        assert_control_error(without, 401, None, path).await;
        let with = send(app.api.get(app.url(path)).bearer_auth("s3cret-admin-token")).await;
        assert_eq!(with.status(), 200, "{path}");
    }
    let body: Value = get_json(&app.api, &app.url("/_emulator/")).await;
    assert!(
        body["error"].is_string(),
        "the refusal is the control plane's JSON"
    );
}
