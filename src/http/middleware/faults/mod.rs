//! Applies queued faults (`docs/protocol.md#faults`) to `/connect`, the login form's submission,
//! `/refresh` and `/user`. A fault is decided once the route has served the request, because
//! only then is it known which user the request is about (and whether its answer carries a
//! token to break); the client then gets the fault instead of, or on top of, that answer.

mod answer;

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;

use crate::app::AppState;
use crate::fault::{FaultAction, FaultRoute, FaultSubject};
use crate::http::connection::ConnectionControl;
use crate::service::JournalNote;

/// Route layer state: which route the layer guards.
pub type FaultLayerState = (AppState, FaultRoute);

pub async fn apply_faults(
    State((state, route)): State<FaultLayerState>,
    request: Request,
    next: Next,
) -> Response {
    let connection = request.extensions().get::<ConnectionControl>().cloned();
    let response = next.run(request).await;
    if !state.faults.pending_on(route) {
        return response;
    }
    let note = response.extensions().get::<JournalNote>();
    let subject = FaultSubject {
        route,
        key_hash: note.and_then(|n| n.key_hash.as_ref()).map(|h| &h.0),
        user: note.and_then(|n| n.user.as_deref()),
        client: note.and_then(|n| n.client.as_deref()),
        carries_token: route.hands_out_tokens() && answer::carries_token(route, &response),
    };
    let fault = match state.faults.claim(subject).await {
        Ok(Some(fault)) => fault,
        Ok(None) => return response,
        Err(failure) => {
            // Nothing was claimed, so no fault's count is off: answer as if none were queued.
            tracing::warn!("cannot claim a fault: {failure:#}");
            return response;
        }
    };
    tracing::info!(fault = %fault.describe(), route = route.as_str(), "fault applied");
    let described = fault.describe();
    let mut response = match fault.action {
        FaultAction::Respond {
            status,
            body,
            headers,
        } => answer::replaced(response, status, body, &headers),
        FaultAction::Delay(delay) => {
            tokio::time::sleep(delay).await;
            response
        }
        FaultAction::Token(how) => answer::with_broken_token(&state, route, response, how).await,
        FaultAction::Connection(how) => {
            match &connection {
                Some(connection) => connection.break_with(how),
                None => tracing::warn!("no connection to break (not served by the server loop)"),
            }
            response
        }
    };
    let extensions = response.extensions_mut();
    match extensions.get_mut::<JournalNote>() {
        Some(note) => note.fault = Some(described),
        None => {
            extensions.insert(JournalNote {
                fault: Some(described),
                ..JournalNote::default()
            });
        }
    }
    response
}
