//! A handler that panics answers the generic 500 (logged), instead of dropping the connection.

use std::any::Any;

use axum::response::{IntoResponse, Response};

use crate::error::Failure;

pub fn panic_response(_: Box<dyn Any + Send + 'static>) -> Response {
    tracing::error!("a request handler panicked");
    Failure::Internal(anyhow::anyhow!("handler panicked")).into_response()
}
