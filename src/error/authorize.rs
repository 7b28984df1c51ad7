//! What the authorization endpoint failed with (`docs/protocol.md#authorization-endpoint`).

use super::Failure;

#[derive(Debug, thiserror::Error)]
pub enum AuthorizeError {
    /// 400 HTML page with this text: an unknown client or a redirect URI it did not register.
    /// Never a redirect: the URI is not known to be the client's.
    #[error("authorization request refused")]
    Page(String),
    /// 302 to this URL: the client's redirect URI with `error`, `error_description`, `state`
    /// and `iss` (RFC 6749 section 4.1.2.1, RFC 9207).
    #[error("authorization error sent back to the client")]
    Redirect(String),
    #[error(transparent)]
    Failure(#[from] Failure),
}
