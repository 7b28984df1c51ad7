//! Records every answered request of the provider and the Entry API in the journal
//! (`docs/protocol.md#journal`), with what its handler noted; control-plane and health requests
//! are left out, so checking the journal does not change it.

use std::time::Instant;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::http::params::route_of;
use crate::service::{JournalEntry, JournalNote};

pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let route = route_of(&request);
    if route.starts_with("/_emulator") || route.starts_with("/health") || route == "/metrics" {
        return next.run(request).await;
    }
    let method = request.method().as_str().to_owned();
    let started = Instant::now();
    let response = next.run(request).await;
    let note = response
        .extensions()
        .get::<JournalNote>()
        .cloned()
        .unwrap_or_default();
    state.journal.record(JournalEntry {
        time: state.clock.now(),
        method,
        route,
        status: response.status().as_u16(),
        duration_ms: started.elapsed().as_secs_f64() * 1e3,
        api_key: note.api_key,
        user: note.user,
        client: note.client,
        lineage: note.lineage,
        fault: note.fault,
    });
    response
}
