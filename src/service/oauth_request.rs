//! A token request as the HTTP layer hands it to the token endpoint's use case, and what the
//! endpoint grants (`docs/protocol.md#token-endpoint`). No `Debug`: they carry secrets and tokens.

use std::collections::HashMap;
use std::net::IpAddr;

/// Client credentials of an `Authorization: Basic` header.
pub enum BasicCredentials {
    Absent,
    /// Not `Basic base64(id:secret)`: a failed client authentication.
    Malformed,
    Given {
        client_id: String,
        secret: String,
    },
}

/// A token request, as the HTTP layer parsed it.
pub struct TokenRequest {
    /// The form's (or JSON body's) parameters, each given once.
    pub params: HashMap<String, String>,
    /// A parameter was given more than once (RFC 6749 section 3.2 forbids it).
    pub duplicated: bool,
    pub basic: BasicCredentials,
    pub peer: Option<IpAddr>,
}

/// What the endpoint answers with, and what the journal notes.
pub struct TokenGranted {
    pub access_token: String,
    pub expires_in: i64,
    /// A rotating refresh token and the seconds its chain has left (`refresh_expires_in`).
    pub refresh: Option<(String, i64)>,
    /// With the `openid` scope.
    pub id_token: Option<String>,
    /// The login's session id, for a user login.
    pub session_state: Option<String>,
    pub scope: String,
    pub client_id: String,
    /// The uid of the user a user login's tokens speak for.
    pub user: Option<String>,
    /// The journal's token lineage: `client credentials -> <jti>` or
    /// `chain <id> #<rotations> -> <jti>`.
    pub lineage: String,
}

/// A parameter of the request, if given and not empty.
pub(crate) fn param<'a>(request: &'a TokenRequest, name: &str) -> Option<&'a str> {
    request
        .params
        .get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
}
