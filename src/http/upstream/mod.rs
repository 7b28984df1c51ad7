//! The Entry API gateway's way to its upstream (`docs/protocol.md#entry-api-gateway`): one pooled
//! HTTP/1.1 client (hyper-util's), each request passed on with its method, path, query, headers
//! and body, both bodies streamed, never buffered. Hop-by-hop headers are dropped both ways; the
//! caller's `X-Uitid-*` headers are dropped and the verified identity is set in their place.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderName, HeaderValue, Uri, Version, header};
use axum::response::Response;
use hyper_rustls::{ConfigBuilderExt, HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioExecutor;

/// Headers about one connection, not the message (RFC 9110 section 7.6.1), plus the ones a
/// `Connection` header lists.
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "keep-alive",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "proxy-authenticate",
    "proxy-authorization",
];
/// The identity headers; a caller's own are never passed on.
const IDENTITY_PREFIX: &str = "x-uitid-";
pub const USER_HEADER: &str = "x-uitid-user";
pub const CLIENT_HEADER: &str = "x-uitid-client";

/// Who the gateway vouches for: the user's uid and the OAuth2 client, when known.
#[derive(Debug, Default, Clone, Copy)]
pub struct Identity<'a> {
    pub user: Option<&'a str>,
    pub client: Option<&'a str>,
}

/// Why the upstream gave no answer to pass back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpstreamFailure {
    /// No connection could be made (refused, unknown host, TLS).
    Unreachable,
    /// No answer's headers within `entry_api.upstream_timeout`.
    TimedOut,
    /// The connection closed, or what came back was not HTTP.
    BadAnswer,
    /// The caller's body went over the gateway's limit while it was being passed on.
    BodyTooLarge,
    /// The caller's body broke off (it went away): nobody is left to answer.
    CallerGone,
}

pub struct Upstream {
    client: Client<HttpsConnector<HttpConnector>, Body>,
    /// Without a trailing slash; request paths are appended to it.
    base: String,
    timeout: Duration,
}

impl Upstream {
    /// A client for `base` (`http://` or `https://`, validated by the configuration).
    pub fn new(base: &str, timeout: Duration) -> Self {
        let mut http = HttpConnector::new();
        http.enforce_http(false); // the TLS wrapper below takes the https URLs
        http.set_nodelay(true);
        http.set_connect_timeout(Some(timeout));
        let https = HttpsConnectorBuilder::new()
            .with_tls_config(tls_config(base))
            .https_or_http()
            .enable_http1()
            .wrap_connector(http);
        Self {
            client: Client::builder(TokioExecutor::new()).build(https),
            base: base.trim_end_matches('/').to_owned(),
            timeout,
        }
    }

    /// Passes `request` on and hands back the upstream's answer, its body still streaming.
    /// Failures are logged here (never with the query, a token or a key) and returned.
    pub async fn forward(
        &self,
        request: Request,
        identity: Identity<'_>,
    ) -> Result<Response, UpstreamFailure> {
        let (mut parts, body) = request.into_parts();
        let method = parts.method.clone();
        let target = parts.uri.path_and_query().map_or("/", |p| p.as_str());
        let Ok(uri) = format!("{}{target}", self.base).parse::<Uri>() else {
            tracing::warn!(%method, "entry api upstream: the request target makes no URI");
            return Err(UpstreamFailure::BadAnswer);
        };
        parts.uri = uri;
        parts.version = Version::HTTP_11;
        parts.extensions = Default::default();
        prepare_request_headers(&mut parts.headers, identity);
        let sent = self.client.request(Request::from_parts(parts, body));
        let answer = match tokio::time::timeout(self.timeout, sent).await {
            Ok(Ok(answer)) => answer,
            Ok(Err(error)) => return Err(failed(&method, &error)),
            Err(_) => {
                tracing::warn!(%method, timeout = ?self.timeout, "entry api upstream: no answer in time");
                return Err(UpstreamFailure::TimedOut);
            }
        };
        let (mut parts, body) = answer.into_parts();
        strip_hop_by_hop(&mut parts.headers);
        Ok(Response::from_parts(parts, Body::new(body)))
    }
}

/// TLS for https upstreams: the system's trust store. Without one, https upstreams fail at
/// connect (502, logged); the server still starts, since the gateway is a side road.
fn tls_config(base: &str) -> rustls::ClientConfig {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let builder = || {
        rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .expect("aws-lc-rs supports the default protocol versions")
    };
    if base.starts_with("https:") {
        match builder().with_native_roots() {
            Ok(native) => return native.with_no_client_auth(),
            Err(error) => tracing::warn!(
                %error,
                "entry_api.upstream is https but no CA certificates were found (set SSL_CERT_FILE); its connections will fail"
            ),
        }
    }
    builder()
        .with_root_certificates(rustls::RootCertStore::empty())
        .with_no_client_auth()
}

/// The request's headers as the upstream gets them: no hop-by-hop headers, no `Host` (the
/// client names the upstream's), no caller-made `X-Uitid-*`, and the verified identity.
fn prepare_request_headers(headers: &mut HeaderMap, identity: Identity<'_>) {
    strip_hop_by_hop(headers);
    headers.remove(header::HOST);
    let spoofed: Vec<HeaderName> = headers
        .keys()
        .filter(|name| name.as_str().starts_with(IDENTITY_PREFIX))
        .cloned()
        .collect();
    for name in spoofed {
        headers.remove(name);
    }
    let verified = [
        (USER_HEADER, identity.user),
        (CLIENT_HEADER, identity.client),
    ];
    for (name, value) in verified {
        // Claims are text; one that is no header value is left out rather than mangled.
        if let Some(value) = value.and_then(|v| HeaderValue::from_str(v).ok()) {
            headers.insert(name, value);
        }
    }
}

fn strip_hop_by_hop(headers: &mut HeaderMap) {
    let listed: Vec<HeaderName> = headers
        .get_all(header::CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|name| HeaderName::from_bytes(name.trim().as_bytes()).ok())
        .collect();
    for name in listed.iter().map(HeaderName::as_str).chain(HOP_BY_HOP) {
        headers.remove(name);
    }
}

/// What a failed exchange means, logged with its cause (hyper's errors name no URI).
fn failed(
    method: &axum::http::Method,
    error: &hyper_util::client::legacy::Error,
) -> UpstreamFailure {
    let chain = || causes(error);
    let cause: Vec<String> = chain().map(ToString::to_string).collect();
    let cause = cause.join(": ");
    let body_error = chain()
        .filter_map(|e| e.downcast_ref::<hyper::Error>())
        .any(hyper::Error::is_user);
    let failure = if chain().any(|e| e.is::<http_body_util::LengthLimitError>()) {
        UpstreamFailure::BodyTooLarge
    } else if body_error {
        UpstreamFailure::CallerGone
    } else if error.is_connect() {
        UpstreamFailure::Unreachable
    } else {
        UpstreamFailure::BadAnswer
    };
    match failure {
        UpstreamFailure::BodyTooLarge | UpstreamFailure::CallerGone => {
            tracing::info!(%method, ?failure, "entry api request body ended early: {cause}");
        }
        _ => tracing::warn!(%method, ?failure, "entry api upstream failed: {cause}"),
    }
    failure
}

/// `error` and its sources, outermost first.
fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e| StdError::source(*e))
}

#[cfg(test)]
mod tests;
