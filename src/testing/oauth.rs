//! [`TestServer`] helpers for OAuth2 clients of the realm (`docs/protocol.md#oauth2-realm`):
//! client tokens, tokens as a login would give them, and the authorization response for a user
//! without a browser.
//!
//! ```
//! use uitid_emulator::testing::TestServer;
//!
//! # #[tokio::main] async fn main() {
//! let server = TestServer::start().await;
//! // The sample configuration's confidential client, and what a library would send.
//! let client = "5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11";
//! let callback = "http://localhost:3000/callback";
//! let authorize = server.url(&format!(
//!     "/realms/uitid/protocol/openid-connect/auth?response_type=code&client_id={client}\
//!      &redirect_uri={callback}&scope=openid&state=s1"
//! ));
//! let redirect = server.authorize_as("stiksels", &authorize).await.unwrap();
//! let code = url::Url::parse(&redirect).unwrap().query_pairs()
//!     .find(|(name, _)| name == "code").unwrap().1.into_owned();
//! let answer: serde_json::Value = reqwest::Client::new()
//!     .post(server.url("/realms/uitid/protocol/openid-connect/token"))
//!     .basic_auth(client, Some("sampleclientsecret"))
//!     .form(&[("grant_type", "authorization_code"), ("code", &code), ("redirect_uri", callback)])
//!     .send().await.unwrap().json().await.unwrap();
//! assert!(answer["refresh_token"].is_string() && answer["id_token"].is_string());
//! # }
//! ```

use super::TestServer;
use crate::error::{AuthorizeError, ControlError};
use crate::service::{FormParams, MintRequest, MintedTokens};

impl TestServer {
    /// A client access token for the OAuth2 client `client_id`, as the client-credentials grant
    /// issues it (`docs/protocol.md#oauth2-tokens`). The embedded sample configuration's client
    /// `5f1c7a38-1b8e-4f6d-9a53-0d3c2b7e9a11` may call the Entry API.
    pub async fn client_token(&self, client_id: &str) -> Result<String, ControlError> {
        let request = MintRequest {
            client: Some(client_id.to_owned()),
            ..MintRequest::default()
        };
        Ok(self.mint(request).await?.jwt)
    }

    /// A user access token of `client_id` for `user` (uid or nick), its rotating refresh token
    /// and, with `scope` containing `openid`, an id_token: what a login would give
    /// (`docs/protocol.md#user-login`).
    pub async fn user_tokens(
        &self,
        user: &str,
        client_id: &str,
        scope: Option<&str>,
    ) -> Result<MintedTokens, ControlError> {
        self.mint(MintRequest {
            user: Some(user.into()),
            client: Some(client_id.into()),
            scope: scope.map(Into::into),
            ..Default::default()
        })
        .await
    }

    /// Where the authorization endpoint would send the browser if `user` logged in at
    /// `authorization_url` (an authorization request as an OIDC library builds it): the
    /// client's redirect URI with `code`, `state`, `session_state` and `iss`. For testing a
    /// client's callback handler without a browser; every check of the request runs, and an
    /// error comes back as the redirect with `error` or as [`AuthorizeError::Page`].
    pub async fn authorize_as(
        &self,
        user: &str,
        authorization_url: &str,
    ) -> Result<String, AuthorizeError> {
        let query = authorization_url.split_once('?').map_or("", |(_, q)| q);
        let params = FormParams::parse(query.as_bytes());
        match self.state.authorize.authorize_as(user, params).await {
            Err(AuthorizeError::Redirect(url)) => Ok(url),
            other => other,
        }
    }
}
