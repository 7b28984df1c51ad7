//! Hand-made tokens of the OAuth2 realm's shapes (`docs/protocol.md#entry-api-check`): client
//! and user access tokens and the JWT provider's id_token, claims as publiq's realm writes them,
//! signed with the server's key by the `rsa` crate ([`super::forge`]), never by the emulator's
//! own token code.

use serde_json::{Value, json};

use super::app::TestApp;
use super::forge::{sign_rs256, signing_key};

/// The client id hand-made realm tokens name (the embedded sample client's; the Entry API
/// check reads tokens, not the client list).
pub const FORGED_CLIENT_ID: &str = "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11";
/// The realm's default issuer on a test server: `<public_url>/realms/uitid`.
pub fn realm_issuer(server: &TestApp) -> String {
    format!("{}/realms/uitid", server.address)
}

/// Claims of a client access token (client credentials) for `apis`, issued now.
pub fn client_claims(server: &TestApp, apis: &str) -> Value {
    let now = server.now();
    json!({
        "exp": now + 86_400, "iat": now, "jti": uuid_like("c"), "iss": realm_issuer(server),
        "sub": format!("{FORGED_CLIENT_ID}@clients"), "typ": "Bearer", "azp": FORGED_CLIENT_ID,
        "scope": "openid", "gty": "client-credentials",
        "https://publiq.be/publiq-apis": apis, "https://publiq.be/client-name": "Sample integration",
    })
}

/// Claims of a user access token (authorization code) of the user `uid`, for `apis`.
pub fn user_claims(server: &TestApp, uid: &str, apis: &str) -> Value {
    let now = server.now();
    json!({
        "exp": now + 86_400, "iat": now, "auth_time": now, "jti": uuid_like("u"),
        "iss": realm_issuer(server), "aud": ["https://api.publiq.be"], "sub": uid,
        "typ": "Bearer", "azp": FORGED_CLIENT_ID, "sid": uuid_like("s"), "scope": "openid email profile",
        "https://publiq.be/publiq-apis": apis, "https://publiq.be/client-name": "Sample integration",
        "https://publiq.be/email": "stiksels@example.com", "https://publiq.be/uitidv1id": uid,
    })
}

/// Claims of the JWT provider's id_token (keycloak profile) of `uid` with audience `aud`.
pub fn id_claims(server: &TestApp, uid: &str, aud: &str) -> Value {
    let now = server.now();
    json!({
        "exp": now + 36_000, "iat": now, "auth_time": now, "jti": uuid_like("i"),
        "iss": realm_issuer(server), "aud": aud, "sub": uid, "typ": "ID", "azp": aud,
        "sid": uuid_like("s"), "email": "stiksels@example.com", "email_verified": true,
        "nickname": "stiksels", "name": "stiksels", "preferred_username": "stiksels@example.com",
        "https://publiq.be/uitidv1id": uid,
    })
}

/// `claims` with `changes` applied (`null` removes a claim).
pub fn changed(mut claims: Value, changes: Value) -> Value {
    let object = claims.as_object_mut().expect("claims are an object");
    for (name, value) in changes.as_object().expect("changes are an object") {
        match value {
            Value::Null => object.remove(name),
            value => object.insert(name.clone(), value.clone()),
        };
    }
    claims
}

/// `claims` signed RS256 by the server's own key, with a realm-style header.
pub fn signed(server: &TestApp, claims: &Value) -> String {
    let header = r#"{"alg":"RS256","typ":"JWT"}"#;
    sign_rs256(&signing_key(server), header, &claims.to_string())
}

/// A distinct id per call, prefixed to tell the kinds apart in a failure message.
fn uuid_like(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    format!("{prefix}-{:032x}", NEXT.fetch_add(1, Ordering::Relaxed))
}
