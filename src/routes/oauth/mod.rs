//! The OAuth2 realm `uitid` (`docs/protocol.md#oauth2-realm`): discovery, the authorization
//! and token endpoints, userinfo, logout, introspection and revocation. The JWKS is served with
//! the other keys (`routes/keys.rs`).

mod authorize;
mod discovery;
mod introspection;
mod logout;
mod params;
mod token;
mod userinfo;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::fault::FaultRoute;
use crate::http::middleware::faults::apply_faults;

/// Where the realm's OpenID Connect endpoints live.
pub const ENDPOINTS: &str = "/realms/uitid/protocol/openid-connect";
/// The token endpoint's path under the realm; the Auth0-compatible alias shares its faults.
pub const TOKEN_PATH: &str = "/realms/uitid/protocol/openid-connect/token";
pub const AUTHORIZE_PATH: &str = "/realms/uitid/protocol/openid-connect/auth";
pub const LOGOUT_PATH: &str = "/realms/uitid/protocol/openid-connect/logout";

pub fn router(state: AppState) -> Router<AppState> {
    let faults = |route| axum::middleware::from_fn_with_state((state.clone(), route), apply_faults);
    Router::new()
        .route(
            "/realms/uitid/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route(
            "/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route(
            AUTHORIZE_PATH,
            get(authorize::authorize_get)
                .post(authorize::authorize_post)
                .route_layer(faults(FaultRoute::Authorize)),
        )
        .route(
            TOKEN_PATH,
            post(token::realm_token).route_layer(faults(FaultRoute::Token)),
        )
        .route(
            "/oauth/token",
            post(token::auth0_token).route_layer(faults(FaultRoute::Token)),
        )
        .route(
            "/realms/uitid/protocol/openid-connect/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
        )
        .route(
            LOGOUT_PATH,
            get(logout::logout_get).post(logout::logout_post),
        )
        .route(
            "/realms/uitid/protocol/openid-connect/token/introspect",
            post(introspection::introspect),
        )
        .route(
            "/realms/uitid/protocol/openid-connect/revoke",
            post(introspection::revoke),
        )
}
