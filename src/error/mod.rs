//! One error type per wire surface, each variant documented with the answer it becomes:
//! [`ProviderError`] (plain text, `docs/protocol.md#provider-routes`), [`EntryApiError`]
//! (problem+json, `docs/protocol.md#entry-api-check`), [`ControlError`] (JSON naming the
//! field, `docs/protocol.md#control-plane`) and [`OAuthError`] (Keycloak's JSON,
//! `docs/protocol.md#token-endpoint`). All of them share [`Failure`], the 500/503 of an
//! infrastructure problem. The mapping to HTTP lives in `http::error`; internal causes are
//! logged there, never sent.

mod authorize;
mod failure;
mod oauth;

pub use authorize::AuthorizeError;
pub use failure::Failure;
pub use oauth::{INVALID_CLIENT, OAuthError};

/// A client address, API key or OAuth2 client has no failed attempt left
/// (`docs/protocol.md#rate-limits`); each surface answers it in its own format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyFailures {
    /// Seconds until the next attempt may be made (`Retry-After`).
    pub retry_after: u64,
}

impl From<TooManyFailures> for ProviderError {
    fn from(blocked: TooManyFailures) -> Self {
        Self::TooManyRequests {
            retry_after: blocked.retry_after,
        }
    }
}

impl From<TooManyFailures> for OAuthError {
    fn from(blocked: TooManyFailures) -> Self {
        Self::TooManyRequests {
            retry_after: blocked.retry_after,
        }
    }
}

/// What a JWT-provider route (`/connect`, `/login`, `/refresh`, `/logout`, ...) failed with.
#[derive(Debug, thiserror::Error)]
pub enum ProviderError {
    /// 400 with a plain-text body: upstream's convention for every provider error.
    /// (Display never shows the text: it may echo what a client sent.)
    #[error("bad request")]
    BadRequest(String),
    /// 400 with an empty body: upstream's answer to a refused key or a cancelled login.
    #[error("rejected")]
    Rejected,
    /// 403 with a plain-text body (a login form that fails its CSRF check).
    #[error("forbidden")]
    Forbidden(String),
    /// 404 `Not found.`
    #[error("not found")]
    NotFound,
    /// 429 `Too many failed attempts; try again later.` with `Retry-After: <retry_after>`
    /// (seconds): too many failed refreshes or logins (`docs/protocol.md#rate-limits`).
    #[error("too many failed attempts")]
    TooManyRequests { retry_after: u64 },
    #[error(transparent)]
    Failure(#[from] Failure),
}

/// What the Entry API's authentication, `GET /user` or the gateway failed with.
#[derive(Debug, thiserror::Error)]
pub enum EntryApiError {
    /// 401 problem+json with this `detail`.
    #[error("unauthorized")]
    Unauthorized(String),
    /// 403 problem+json: the API key lacks the `entry_api` permission.
    #[error("forbidden")]
    Forbidden,
    /// 403 problem+json: an access token whose client may not use the Entry API.
    #[error("token not for the entry api")]
    TokenForbidden,
    /// 404 problem+json: the gateway accepted the request but has no upstream to pass it to.
    #[error("no upstream")]
    NoUpstream,
    /// 502 problem+json with this `detail`: the upstream gave no proper answer (the cause is
    /// logged where it happened).
    #[error("bad gateway")]
    BadGateway(&'static str),
    #[error(transparent)]
    Failure(#[from] Failure),
}

/// What a control-plane request (`/_emulator/*`) failed with; JSON `{"error", "field"}`.
#[derive(Debug, thiserror::Error)]
pub enum ControlError {
    /// 400: the request field `field` is not acceptable.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    /// 404: what the request names does not exist (`field` when a request field named it).
    #[error("not found: {message}")]
    NotFound {
        field: Option<&'static str>,
        message: String,
    },
    /// 409: the request would duplicate what `field` must keep unique, or cannot be done in
    /// this configuration.
    #[error("conflict: {message}")]
    Conflict {
        field: Option<&'static str>,
        message: String,
    },
    /// 400: the body is not the expected JSON (no single field to blame).
    #[error("malformed request: {0}")]
    Malformed(String),
    /// 401: an admin token is configured and the request did not carry it.
    #[error("admin token required")]
    AdminTokenRequired,
    /// 403: no admin token is configured and the caller is not on loopback.
    #[error("loopback only")]
    LoopbackOnly,
    /// 403: a browser sent a changing request on behalf of a page from another origin.
    #[error("cross-site request")]
    CrossSite,
    /// 403: no admin token is configured and `Host` names neither loopback nor `public_url`'s
    /// host (DNS rebinding).
    #[error("foreign host")]
    ForeignHost,
    #[error(transparent)]
    Failure(#[from] Failure),
}

impl ControlError {
    /// A 400 naming the offending request field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Invalid {
            field,
            message: message.into(),
        }
    }
}

/// Infrastructure errors (`?` on a query or on anyhow) become a surface's `Failure` variant.
macro_rules! failure_conversions {
    ($($surface:ty),*) => {$(
        impl From<anyhow::Error> for $surface {
            fn from(error: anyhow::Error) -> Self {
                Self::Failure(error.into())
            }
        }
        impl From<sqlx::Error> for $surface {
            fn from(error: sqlx::Error) -> Self {
                Self::Failure(error.into())
            }
        }
    )*};
}

failure_conversions!(
    ProviderError,
    EntryApiError,
    ControlError,
    OAuthError,
    AuthorizeError
);
