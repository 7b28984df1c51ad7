//! Counts requests between their headers and their response, so shutdown can tell an idle
//! connection (close it) from a request still being answered (let it finish).

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

/// Requests between their headers and their response.
#[derive(Clone, Default)]
pub struct InFlight(Arc<AtomicUsize>);

impl InFlight {
    /// Completes once no request has been in flight for a moment, so a response that was just
    /// produced is also written out.
    pub async fn settled(&self) {
        let mut quiet_checks = 0;
        while quiet_checks < 5 {
            quiet_checks = if self.0.load(Ordering::Acquire) == 0 {
                quiet_checks + 1
            } else {
                0
            };
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

pub async fn count_in_flight(
    State(in_flight): State<InFlight>,
    request: Request,
    next: Next,
) -> Response {
    in_flight.0.fetch_add(1, Ordering::AcqRel);
    // Decrement even if the handler's future is dropped (client gone, timeout).
    let _guard = DecrementOnDrop(&in_flight.0);
    next.run(request).await
}

struct DecrementOnDrop<'a>(&'a AtomicUsize);

impl Drop for DecrementOnDrop<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}
