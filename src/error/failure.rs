//! The failure every surface shares: the database or the machine let a request down. A client
//! should retry after [`Failure::Unavailable`] (503) and report [`Failure::Internal`] (500).

/// An infrastructure problem; its cause is logged, never sent.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    /// 503 with `Retry-After`: the database is busy, locked or unwritable.
    #[error("service unavailable")]
    Unavailable(#[source] anyhow::Error),
    /// 500 `An internal server error occurred.`
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl From<anyhow::Error> for Failure {
    fn from(error: anyhow::Error) -> Self {
        let causes = || {
            error
                .chain()
                .filter_map(|cause| cause.downcast_ref::<sqlx::Error>())
        };
        if causes().any(|e| sqlite_code(e) == Some(SQLITE_READONLY)) {
            // The connection that failed may never write again (`store/read_only.rs`).
            crate::store::note_read_only_failure();
        }
        if causes().any(is_unavailable) {
            Self::Unavailable(error)
        } else {
            Self::Internal(error)
        }
    }
}

impl From<sqlx::Error> for Failure {
    fn from(error: sqlx::Error) -> Self {
        anyhow::Error::from(error).into()
    }
}

/// Database conditions a client should retry after rather than treat as a bug.
fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        // SQLite's primary result codes: BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13,
        // CANTOPEN 14.
        sqlx::Error::Database(db) => match sqlite_code(error) {
            Some(code) => matches!(code, 5 | 6 | 8 | 10 | 13 | 14),
            None => db.code().is_some_and(|code| postgres_unavailable(&code)),
        },
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs of a server that is unreachable, overloaded, shutting down, read-only
/// or out of disk, or of a transaction it asks to retry (serialization failure, deadlock).
fn postgres_unavailable(sqlstate: &str) -> bool {
    let class = sqlstate.get(..2).unwrap_or_default();
    matches!(class, "08" | "53" | "57") || matches!(sqlstate, "25006" | "40001" | "40P01" | "55P03")
}

const SQLITE_READONLY: i64 = 8;

/// SQLite's primary result code of a SQLite error (the low byte of an extended code); `None`
/// for any other error, PostgreSQL's included.
fn sqlite_code(error: &sqlx::Error) -> Option<i64> {
    let sqlx::Error::Database(db) = error else {
        return None;
    };
    db.try_downcast_ref::<sqlx::sqlite::SqliteError>()?;
    Some(db.code()?.parse::<i64>().ok()? & 0xff)
}
