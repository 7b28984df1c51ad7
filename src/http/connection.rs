//! A handle on the connection a request arrived on, put in the request's extensions by the
//! server, so a `connection` fault (`docs/protocol.md#faults`) can break it instead of
//! answering. The server's stream reads the handle before every write.

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};

use crate::fault::BrokenConnection;

#[derive(Debug, Clone, Default)]
pub struct ConnectionControl(Arc<AtomicU8>);

const INTACT: u8 = 0;

impl ConnectionControl {
    /// From now on this connection sends nothing more of what is written to it than `how`
    /// allows, and then closes.
    pub fn break_with(&self, how: BrokenConnection) {
        let code = match how {
            BrokenConnection::Reset => 1,
            BrokenConnection::Empty => 2,
            BrokenConnection::Truncated => 3,
        };
        self.0.store(code, Ordering::Release);
    }

    pub fn broken(&self) -> Option<BrokenConnection> {
        match self.0.load(Ordering::Acquire) {
            INTACT => None,
            1 => Some(BrokenConnection::Reset),
            2 => Some(BrokenConnection::Empty),
            _ => Some(BrokenConnection::Truncated),
        }
    }
}
