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

/// The parameters of a request to the realm (a form, a query string, or the alias's JSON), and
/// whether one was given twice (RFC 6749 section 3.1 and 3.2 forbid it).
#[derive(Default)]
pub struct FormParams {
    pub params: HashMap<String, String>,
    pub duplicated: bool,
}

impl FormParams {
    /// `application/x-www-form-urlencoded` text: a body or a query string.
    pub fn parse(encoded: &[u8]) -> Self {
        let mut form = Self::default();
        for (name, value) in url::form_urlencoded::parse(encoded) {
            let earlier = (form.params).insert(name.into_owned(), value.into_owned());
            form.duplicated |= earlier.is_some();
        }
        form
    }

    /// A parameter, if given and not empty.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// A request to an endpoint that authenticates the client (token, introspection, revocation),
/// as the HTTP layer parsed it.
pub struct TokenRequest {
    pub form: FormParams,
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
