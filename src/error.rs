//! The one error type requests end in. Each variant's doc names the answer it becomes; the
//! HTTP mapping lives in `http::error`, and internal causes are logged there, never sent.

/// What a request failed with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// 400 with a plain-text body: upstream's convention for every provider error.
    /// (Display never shows the text: it may echo what a client sent.)
    #[error("bad request")]
    BadRequest(String),
    /// 401 `application/problem+json` of the Entry API with this `detail` (PROTOCOL.md 6).
    #[error("unauthorized")]
    Unauthorized(String),
    /// 403 `application/problem+json`: the key lacks the `entry_api` permission.
    #[error("entry api forbidden")]
    EntryApiForbidden,
    /// A control-plane refusal: JSON `{"error": message, "field": field}` with this status.
    #[error("control plane: {status}")]
    Control {
        status: u16,
        message: String,
        field: Option<&'static str>,
    },
    /// 400 with an empty body (upstream's answer to a refused key or a cancelled login).
    #[error("rejected")]
    Rejected,
    /// 403 with a plain-text body.
    #[error("forbidden")]
    Forbidden(String),
    /// 404 with a plain-text body.
    #[error("not found")]
    NotFound,
    /// 503 with `Retry-After`: the database is busy, locked or unwritable.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 500 `An internal server error occurred.`
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A 400 from the control plane naming the offending request field.
    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        Self::Control {
            status: 400,
            message: message.into(),
            field: Some(field),
        }
    }
}

impl From<anyhow::Error> for Error {
    fn from(error: anyhow::Error) -> Self {
        let unavailable = error
            .chain()
            .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
            .any(is_unavailable);
        if unavailable {
            Self::Unavailable(error)
        } else {
            Self::Internal(error)
        }
    }
}

impl From<sqlx::Error> for Error {
    fn from(error: sqlx::Error) -> Self {
        anyhow::Error::from(error).into()
    }
}

/// SQLite conditions a client should retry after rather than treat as a bug.
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(db) => {
            // Primary result codes: BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
            let code = db.code().and_then(|c| c.parse::<i64>().ok()).unwrap_or(0);
            matches!(code & 0xff, 5 | 6 | 8 | 10 | 13 | 14)
        }
        _ => false,
    }
}
