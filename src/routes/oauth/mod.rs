//! The OAuth2 realm `uitid` (`docs/protocol.md#oauth2-realm`): discovery and the token
//! endpoint. The JWKS is served with the other keys (`routes/keys.rs`).

mod discovery;
mod params;
mod token;

use axum::Router;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::fault::FaultRoute;
use crate::http::middleware::faults::apply_faults;

/// The token endpoint's path under the realm; the Auth0-compatible alias shares its faults.
pub const TOKEN_PATH: &str = "/realms/uitid/protocol/openid-connect/token";

pub fn router(state: AppState) -> Router<AppState> {
    let faults =
        || axum::middleware::from_fn_with_state((state.clone(), FaultRoute::Token), apply_faults);
    Router::new()
        .route(
            "/realms/uitid/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route(
            "/.well-known/openid-configuration",
            get(discovery::discovery),
        )
        .route(TOKEN_PATH, post(token::realm_token).route_layer(faults()))
        .route(
            "/oauth/token",
            post(token::auth0_token).route_layer(faults()),
        )
}
