//! Operations: `GET /health/live` (the process answers), `GET /health/ready` (the database
//! accepts a write and the signing key is loaded) and `GET /metrics` (Prometheus text).
//! These routes are outside load shedding, so probes still answer under overload.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use serde_json::json;

use crate::app::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health/live", get(live))
        .route("/health/ready", get(ready))
        .route("/metrics", get(metrics))
}

async fn live() -> Json<serde_json::Value> {
    Json(json!({ "status": "ok" }))
}

async fn ready(State(state): State<AppState>) -> impl IntoResponse {
    let kid = state.keys.active_kid().to_owned();
    match state.health.database_writable().await {
        Ok(()) => (
            StatusCode::OK,
            Json(json!({ "status": "ok", "database": "writable", "signing_key": kid })),
        ),
        Err(error) => {
            tracing::warn!("readiness: database not writable: {error:#}");
            let body =
                json!({ "status": "unavailable", "database": "not writable", "signing_key": kid });
            (StatusCode::SERVICE_UNAVAILABLE, Json(body))
        }
    }
}

async fn metrics() -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        crate::metrics::render(),
    )
}
