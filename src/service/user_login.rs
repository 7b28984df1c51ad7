//! What every user login on the OAuth2 realm ends with (`docs/protocol.md#authorization-codes`):
//! a single-use code for the client, and the redirect that carries it.

use super::Context;
use super::authorization::{AuthorizationRequest, with_query};
use crate::error::Failure;
use crate::secret::OpaqueToken;
use crate::store::CodeRecord;

/// How long a code can be exchanged (Keycloak's default "code lifespan").
pub const CODE_TTL_SECONDS: i64 = 60;

/// A code about to be handed out, and the row that remembers what it stands for.
pub struct IssuedCode {
    pub code: OpaqueToken,
    pub record: CodeRecord,
}

impl Context {
    /// A code for `request`, logged in as `user_uid` in session `sid` at `auth_time`.
    pub(crate) fn new_code(
        &self,
        request: &AuthorizationRequest,
        user_uid: &str,
        sid: &str,
        auth_time: i64,
    ) -> IssuedCode {
        let code = OpaqueToken::generate();
        let record = CodeRecord {
            code_hash: code.hash().0.to_vec(),
            client_id: request.client_id.clone(),
            redirect_uri: request.redirect_uri.clone(),
            code_challenge: request.code_challenge.clone(),
            nonce: request.nonce.clone(),
            scope: request.scope.clone(),
            user_uid: user_uid.to_owned(),
            sid: sid.to_owned(),
            auth_time,
            expires_at: self.now() + CODE_TTL_SECONDS,
        };
        IssuedCode { code, record }
    }

    /// Issues and stores a code for a login that needed no form (SSO, headless, tests);
    /// answers the authorization response that carries it.
    pub(crate) async fn issue_code(
        &self,
        request: &AuthorizationRequest,
        user_uid: &str,
        sid: &str,
        auth_time: i64,
    ) -> Result<String, Failure> {
        let issued = self.new_code(request, user_uid, sid, auth_time);
        self.store.insert_code(&issued.record).await?;
        Ok(self.code_response(request, &issued.code, sid))
    }

    /// The successful authorization response: `code`, `state`, `session_state`, `iss`.
    pub(crate) fn code_response(
        &self,
        request: &AuthorizationRequest,
        code: &OpaqueToken,
        sid: &str,
    ) -> String {
        let mut members = vec![("code", code.as_str())];
        members.extend(request.state.as_deref().map(|s| ("state", s)));
        members.push(("session_state", sid));
        members.push(("iss", self.tokens.oauth_issuer()));
        with_query(&request.redirect_uri, &members)
    }
}

/// A fresh session id (`sid`, `session_state`): random, unrelated to any cookie.
pub fn new_sid() -> String {
    uuid::Uuid::new_v4().to_string()
}
