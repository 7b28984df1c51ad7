//! The answers faults make: a replacement response, or the route's own answer with its access
//! token broken (the bare JWT of `/refresh`, the `jwt` parameter of a login redirect, the
//! token endpoint's `access_token`).

use axum::body::Body;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::app::AppState;
use crate::error::Failure;
use crate::fault::{BrokenToken, FaultRoute};
use crate::http::middleware::BODY_LIMIT;

/// Whether `response` hands out an access token a `token` fault could break.
pub fn carries_token(route: FaultRoute, response: &Response) -> bool {
    match route {
        FaultRoute::Refresh | FaultRoute::Token => response.status() == StatusCode::OK,
        FaultRoute::Connect | FaultRoute::Login => location(response).and_then(jwt_param).is_some(),
        FaultRoute::User | FaultRoute::Authorize => false,
    }
}

/// The fault's answer instead of `original`; `original`'s extensions (what the journal notes)
/// are kept. Without a `Content-Type` among `headers`, a body is plain text.
pub fn replaced(
    original: Response,
    status: u16,
    body: String,
    headers: &[(String, String)],
) -> Response {
    let (parts, _) = original.into_parts();
    let mut response = Response::new(Body::from(body));
    *response.extensions_mut() = parts.extensions;
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let map = response.headers_mut();
    for (name, value) in headers {
        // Checked when the fault was queued.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            map.append(name, value);
        }
    }
    if !map.contains_key(header::CONTENT_TYPE) {
        map.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
    }
    response
}

/// `response` with its access token broken as `how` says.
pub async fn with_broken_token(
    state: &AppState,
    route: FaultRoute,
    response: Response,
    how: BrokenToken,
) -> Response {
    match broken(state, route, response, how).await {
        Ok(response) => response,
        Err(failure) => failure.into_response(),
    }
}

async fn broken(
    state: &AppState,
    route: FaultRoute,
    response: Response,
    how: BrokenToken,
) -> Result<Response, Failure> {
    let (mut parts, body) = response.into_parts();
    if route == FaultRoute::Token {
        return broken_json(state, parts, body, how).await;
    }
    if route == FaultRoute::Refresh {
        let bytes = axum::body::to_bytes(body, BODY_LIMIT)
            .await
            .map_err(|e| Failure::Internal(anyhow::anyhow!("cannot read the answer: {e}")))?;
        let jwt = String::from_utf8_lossy(&bytes);
        let broken = state.faults.break_token(&jwt, how)?;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Ok(Response::from_parts(parts, Body::from(broken)));
    }
    let location = parts
        .headers
        .get(header::LOCATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (start, end) = jwt_param(location)
        .ok_or_else(|| Failure::Internal(anyhow::anyhow!("the redirect carries no jwt")))?;
    let broken = state.faults.break_token(&location[start..end], how)?;
    let rewritten = format!("{}{broken}{}", &location[..start], &location[end..]);
    let value = HeaderValue::try_from(rewritten)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("broken redirect: {e}")))?;
    parts.headers.insert(header::LOCATION, value);
    Ok(Response::from_parts(parts, body))
}

/// The token endpoint's JSON answer with its `access_token` broken; other members kept.
async fn broken_json(
    state: &AppState,
    mut parts: axum::http::response::Parts,
    body: Body,
    how: BrokenToken,
) -> Result<Response, Failure> {
    let bytes = axum::body::to_bytes(body, BODY_LIMIT)
        .await
        .map_err(|e| Failure::Internal(anyhow::anyhow!("cannot read the answer: {e}")))?;
    let mut answer: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&bytes)
        .map_err(|e| Failure::Internal(anyhow::anyhow!("the answer is not JSON: {e}")))?;
    let jwt = answer
        .get("access_token")
        .and_then(|t| t.as_str())
        .unwrap_or("");
    let broken = state.faults.break_token(jwt, how)?;
    answer.insert("access_token".into(), broken.into());
    parts.headers.remove(header::CONTENT_LENGTH);
    let json = serde_json::Value::Object(answer).to_string();
    Ok(Response::from_parts(parts, Body::from(json)))
}

fn location(response: &Response) -> Option<&str> {
    response.headers().get(header::LOCATION)?.to_str().ok()
}

/// Byte range of the `jwt` parameter's value in a redirect target's query (the provider
/// appends it itself, so it is never percent-encoded: `docs/protocol.md#login`).
fn jwt_param(location: &str) -> Option<(usize, usize)> {
    let query_start = location.find('?')? + 1;
    let query_end = location.find('#').unwrap_or(location.len());
    let mut offset = query_start;
    for pair in location.get(query_start..query_end)?.split('&') {
        if let Some(value) = pair.strip_prefix("jwt=") {
            let start = offset + 4;
            return Some((start, start + value.len()));
        }
        offset += pair.len() + 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::jwt_param;

    #[test]
    fn finds_the_jwt_parameter_and_nothing_that_merely_ends_in_jwt() {
        let location = "https://app.example/cb?myjwt=x&jwt=a.b.c&refresh=r#frag";
        let (start, end) = jwt_param(location).unwrap();
        assert_eq!(&location[start..end], "a.b.c");
        assert_eq!(jwt_param("https://app.example/cb?myjwt=x#jwt=y"), None);
        assert_eq!(jwt_param("https://app.example/cb"), None);
    }
}
