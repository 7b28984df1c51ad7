//! `docs/protocol.md#entry-api-gateway`: which requests the gateway passes on without a check
//! (public reads, CORS preflights) and which it never passes on (the emulator's own routes and
//! namespaces).

use crate::gateway::gateway;
use crate::support::*;

#[tokio::test]
async fn public_reads_and_cors_preflights_pass_without_a_token_and_vouch_for_nobody() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let user = signed(&app, &user_claims(&app, USER_UID, "entry"));
    let passing = [
        app.api.get(app.url("/events?q=concert")),
        app.api.head(app.url("/places/p-1")),
        app.api.get(app.url("/offers/")).bearer_auth(&user),
        app.api
            .get(app.url("/organizers/o-1"))
            .bearer_auth("not-even-a-jwt"),
        app.api
            .request(reqwest::Method::OPTIONS, app.url("/events/e-1"))
            .header("access-control-request-method", "PUT"),
    ];
    for request in passing {
        let response = send(request.header("x-uitid-user", "spoofed")).await;
        assert_eq!(response.status(), 200, "{}", response.url());
    }
    for seen in stub.seen() {
        assert!(
            !seen.headers.iter().any(|(n, _)| n.starts_with("x-uitid-")),
            "{seen:?}"
        );
    }
    let refused = [
        app.api.post(app.url("/events")),
        app.api.get(app.url("/users/me")),
        app.api.get(app.url("/eventsx")),
        app.api.get(app.url("/events/%2e%2e/users")),
        app.api
            .request(reqwest::Method::OPTIONS, app.url("/events")),
    ];
    for request in refused {
        let response = send(request).await;
        assert_problem(
            response,
            401,
            "Authorization header missing.",
            "not a public read",
        )
        .await;
    }
    assert_eq!(stub.seen().len(), 5, "only the public reads went through");
}

#[tokio::test]
async fn the_emulators_own_routes_and_namespaces_are_never_passed_on() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &user_claims(&app, USER_UID, "entry"));
    let own = [
        ("/user", 200),
        ("/public.pem", 200),
        ("/health/live", 200),
        ("/metrics", 200),
        ("/_emulator/journal", 200),
        ("/_emulator/nope", 404),
        ("/health/nope", 404),
        ("/realms/uitid/nope", 404),
        ("/.well-known/nope", 404),
        ("/culturefeed/x", 404),
    ];
    for (path, status) in own {
        let response = send(app.api.get(app.url(path)).bearer_auth(&token)).await;

        assert_eq!(response.status(), status, "{path}");
        if status == 404 {
            assert_eq!(text(response).await, "Not found.", "{path}: the plain 404");
        }
    }
    let wrong_method = send(app.api.post(app.url("/connect")).bearer_auth(&token)).await;
    assert_eq!(
        wrong_method.status(),
        405,
        "a served path with another method"
    );
    assert!(stub.seen().is_empty(), "{:?}", stub.seen());
}
