//! `docs/tls.md`: with `server.tls = "self-signed"`, a client whose URLs are hard-coded to
//! publiq's test hosts (a JWT-provider client or a UiTiD v2 one) runs unchanged once the machine
//! trusts `/_emulator/ca.pem` and maps the hosts to the emulator; a client that does not trust
//! the CA fails the handshake; connection faults and the handshake timeout work over TLS.

use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::AsyncReadExt;

use crate::support::*;

const SELF_SIGNED: &str = "[server]\ntls = \"self-signed\"";
const PUBLIQ_HOSTS: [&str; 2] = [ACCOUNT_HOST, ENTRY_API_HOST];

/// A headless server with TLS, and the CA it serves, read without trusting it yet.
async fn self_signed_server() -> (TestApp, String) {
    let app = Setup::headless(USER_NICK)
        .with_sections(SELF_SIGNED)
        .spawn()
        .await;
    let response = send(unverifying_client().get(app.url("/_emulator/ca.pem"))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type"),
        Some("application/x-pem-file")
    );
    let ca = text(response).await;
    (app, ca)
}

/// A client of publiq's test environment, its URLs as in its code: `/connect` in headless
/// mode, then `/refresh`, then the Entry API's `/user`.
async fn hard_coded_client_flow(client: &reqwest::Client) -> Value {
    let connect = format!(
        "https://{ACCOUNT_HOST}/connect?{}",
        connect_query(KEY_WITH_REFRESH, APP_CALLBACK)
    );
    let redirect = send(client.get(connect)).await;
    assert_eq!(redirect.status(), 302, "straight to the destination");
    let tokens = Tokens::from_redirect(&redirect);
    assert!(
        tokens.url.as_str().starts_with(APP_CALLBACK),
        "{}",
        tokens.url
    );
    let refresh = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", tokens.refresh())]);
    let refreshed = send(client.get(format!("https://{ACCOUNT_HOST}/refresh?{refresh}"))).await;
    assert_eq!(refreshed.status(), 200, "the refresh token works");
    let jwt = text(refreshed).await;
    let user = client
        .get(format!("https://{ENTRY_API_HOST}/user"))
        .bearer_auth(&jwt)
        .header("x-api-key", KEY_WITH_REFRESH);
    let user = send(user).await;
    assert_eq!(user.status(), 200, "the Entry API accepts the token");
    user.json().await.expect("the user as JSON")
}

#[tokio::test]
async fn a_client_with_publiqs_hosts_hard_coded_runs_unchanged_trusting_only_the_served_ca() {
    let (app, ca) = self_signed_server().await;
    assert!(ca.starts_with("-----BEGIN CERTIFICATE-----"), "{ca}");
    assert_eq!(
        Some(&ca),
        app.ca_pem().as_ref(),
        "the harness hands out the same CA"
    );
    let client = trusting_client(&ca, &PUBLIQ_HOSTS, app.socket_address());

    let user = hard_coded_client_flow(&client).await;

    assert_eq!(user["uuid"], USER_UID, "{user}");
    assert!(
        app.address.starts_with("https://127.0.0.1:"),
        "{}",
        app.address
    );
    let local = send(client.get(app.url("/health/live"))).await;
    assert_eq!(
        local.status(),
        200,
        "127.0.0.1 is in the certificate, as localhost is"
    );
    assert_eq!(local.version(), reqwest::Version::HTTP_11);
}

#[tokio::test]
async fn a_uitid_v2_client_with_publiqs_hosts_hard_coded_gets_and_uses_a_client_token() {
    let (app, ca) = self_signed_server().await;
    let client = trusting_client(&ca, &PUBLIQ_HOSTS, app.socket_address());
    let realm = format!("https://{ACCOUNT_HOST}/realms/uitid");

    let discovery: Value = send(client.get(format!("{realm}/.well-known/openid-configuration")))
        .await
        .json()
        .await
        .unwrap();
    let form = [
        ("grant_type", "client_credentials"),
        ("client_id", CLIENT_ID),
        ("client_secret", CLIENT_SECRET),
    ];
    let token_url = format!("{realm}/protocol/openid-connect/token");
    let granted: Value = send(client.post(&token_url).form(&form))
        .await
        .json()
        .await
        .unwrap();
    let token = granted["access_token"]
        .as_str()
        .expect("a client access token");
    let user = client
        .get(format!("https://{ENTRY_API_HOST}/user"))
        .bearer_auth(token);
    let user = send(user).await;

    // Discovery names `public_url` (here the test's own address; docs/tls.md sets it to
    // publiq's host), the token came from the hard-coded one.
    let endpoint = app.url("/realms/uitid/protocol/openid-connect/token");
    assert_eq!(discovery["token_endpoint"], endpoint.as_str());
    let detail = "Client access tokens are not supported on this endpoint because a user is \
                  required to return user info.";
    assert_problem(
        user,
        401,
        detail,
        "the Entry API's answer to a client token",
    )
    .await;
}

#[tokio::test]
async fn a_client_that_does_not_trust_the_ca_fails_the_handshake_and_others_carry_on() {
    let (app, ca) = self_signed_server().await;
    let untrusting = untrusting_client(&PUBLIQ_HOSTS, app.socket_address());
    let plain_http = app.address.replace("https://", "http://");

    let refused = untrusting
        .get(format!("https://{ACCOUNT_HOST}/health/live"))
        .send()
        .await;
    let cleartext = client()
        .get(format!("{plain_http}/health/live"))
        .send()
        .await;

    let error = refused.expect_err("no CA trusted: the handshake fails");
    assert!(error.is_connect(), "{error:?}");
    assert!(
        cleartext.is_err(),
        "plain HTTP gets no HTTP answer: {cleartext:?}"
    );
    let client = trusting_client(&ca, &PUBLIQ_HOSTS, app.socket_address());
    let user = hard_coded_client_flow(&client).await;
    assert_eq!(user["uuid"], USER_UID);
}

#[tokio::test]
async fn without_a_ca_of_its_own_ca_pem_is_a_404_saying_why() {
    let plain = TestApp::spawn().await;

    let response = plain.get("/_emulator/ca.pem").await;

    assert_eq!(response.status(), 404);
    let body: Value = response.json().await.unwrap();
    let error = body["error"].as_str().unwrap_or_default();
    assert!(error.contains("does not serve TLS"), "{body}");
}

#[tokio::test]
async fn connection_faults_still_reset_close_or_cut_off_the_answer_over_tls() {
    let (app, ca) = self_signed_server().await;
    let client = trusting_client(&ca, &PUBLIQ_HOSTS, app.socket_address());
    let connect = format!(
        "https://{ACCOUNT_HOST}/connect?{}",
        connect_query(KEY_WITH_REFRESH, APP_CALLBACK)
    );
    let tokens = Tokens::from_redirect(&send(client.get(connect)).await);
    let query = form_query(&[("apiKey", KEY_WITH_REFRESH), ("refresh", tokens.refresh())]);
    let refresh = || {
        client
            .get(format!("https://{ACCOUNT_HOST}/refresh?{query}"))
            .send()
    };

    for broken in ["reset", "empty"] {
        let fault = json!({"route": "/refresh", "connection": broken});
        let queued = send(client.post(app.url("/_emulator/faults")).json(&fault)).await;
        assert_eq!(queued.status(), 201, "{broken}");

        let outcome = refresh().await;

        assert!(outcome.is_err(), "{broken}: no answer, {outcome:?}");
    }
    let fault = json!({"route": "/refresh", "connection": "truncated"});
    send(client.post(app.url("/_emulator/faults")).json(&fault)).await;
    let truncated = refresh().await.expect("the head arrives");
    assert_eq!(truncated.status(), 200);
    assert!(truncated.text().await.is_err(), "the body is cut short");
    let normal = refresh().await.expect("then normal again");
    assert_eq!(text(normal).await.split('.').count(), 3, "a JWT");
}

#[tokio::test]
async fn a_stalled_handshake_holds_up_nobody_and_is_cut_off_after_the_header_read_timeout() {
    let app = Setup::default()
        .with_sections("[server]\ntls = \"self-signed\"\nheader_read_timeout = \"3s\"")
        .spawn()
        .await;
    let client = trusting_client(&app.ca_pem().unwrap(), &[], app.socket_address());
    let mut stalled = tokio::net::TcpStream::connect(app.socket_address())
        .await
        .unwrap();

    // Were the handshake done in the accept loop, this would wait the stalled client's 3 s.
    let live = client.get(app.url("/health/live")).send();
    let served = tokio::time::timeout(Duration::from_millis(2500), live).await;
    let mut byte = [0u8; 1];
    let closed = tokio::time::timeout(Duration::from_secs(5), stalled.read(&mut byte)).await;

    assert_eq!(
        served.expect("served at once").expect("an answer").status(),
        200
    );
    let read = closed.expect("the server closes the stalled connection");
    assert!(
        matches!(read, Ok(0) | Err(_)),
        "nothing but the close: {read:?}"
    );
}
