//! Entry API stand-ins for the gateway's tests (`docs/protocol.md#entry-api-gateway`): a tiny
//! axum server on port 0 that records what reached it and echoes it back, and upstreams that
//! misbehave: one that never answers, one that hangs up, a port nobody listens on.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http_body_util::BodyExt;
use serde_json::{Map, Value, json};
use tokio::io::AsyncReadExt;
use tokio::net::TcpListener;
use tokio::sync::Notify;

/// One request as the stub received it.
#[derive(Debug, Clone)]
pub struct Seen {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    /// Every header, names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body_bytes: usize,
}

impl Seen {
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self.headers.iter().find(|(n, _)| n == name);
        found.map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct Record {
    seen: Mutex<Vec<Seen>>,
    /// Body bytes received so far, counted as they arrive.
    receiving: AtomicUsize,
    /// Lets a held-back answer (`/stream/{bytes}`) send its second half.
    release: Notify,
}

/// A running stand-in; it stops with the test's runtime.
#[derive(Clone)]
pub struct Stub {
    pub url: String,
    record: Arc<Record>,
}

impl Stub {
    /// Answers every request 200 with `{"method", "path", "query", "headers", "body_bytes"}`;
    /// `GET /stream/{bytes}` answers that many bytes, the first MiB at once and the rest only
    /// after [`Stub::release`].
    pub async fn echo() -> Self {
        let record = Arc::new(Record::default());
        let router = Router::new()
            .route("/stream/{bytes}", get(held_back))
            .fallback(echo)
            .with_state(record.clone());
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        Self { url, record }
    }

    /// Accepts and reads requests but never answers.
    pub async fn hanging() -> String {
        let router = Router::new().fallback(|| async {
            tokio::time::sleep(Duration::from_secs(3600)).await;
            "too late"
        });
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        url
    }

    /// Reads the start of each request, then closes the connection without a byte.
    pub async fn closing() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((mut stream, _)) = listener.accept().await {
                let mut buffer = [0u8; 1024];
                let _ = stream.read(&mut buffer).await;
            }
        });
        url
    }

    /// A loopback port nobody listens on: connections are refused.
    pub async fn refusing() -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
        let url = format!("http://{}", listener.local_addr().unwrap());
        drop(listener);
        url
    }

    /// Every request received so far, oldest first.
    pub fn seen(&self) -> Vec<Seen> {
        self.record.seen.lock().unwrap().clone()
    }

    /// Body bytes received so far, including a body still arriving.
    pub fn receiving(&self) -> usize {
        self.record.receiving.load(Ordering::SeqCst)
    }

    /// Lets a held-back `/stream/{bytes}` answer finish.
    pub fn release(&self) {
        self.record.release.notify_one();
    }
}

/// Records the request, reading its body frame by frame (never all at once), then echoes it.
async fn echo(State(record): State<Arc<Record>>, request: Request) -> Response {
    let (parts, mut body) = request.into_parts();
    let mut body_bytes = 0;
    while let Some(Ok(frame)) = body.frame().await {
        if let Some(data) = frame.data_ref() {
            body_bytes += data.len();
            record.receiving.fetch_add(data.len(), Ordering::SeqCst);
        }
    }
    let headers: Vec<(String, String)> = parts
        .headers
        .iter()
        .map(|(n, v)| (n.as_str().to_owned(), v.to_str().unwrap_or("?").to_owned()))
        .collect();
    let seen = Seen {
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        headers: headers.clone(),
        body_bytes,
    };
    record.seen.lock().unwrap().push(seen.clone());
    let headers: Map<String, Value> = headers.into_iter().map(|(n, v)| (n, v.into())).collect();
    let echoed = json!({"method": seen.method, "path": seen.path, "query": seen.query,
        "headers": headers, "body_bytes": body_bytes});
    (
        [("content-type", "application/json"), ("x-stub", "echo")],
        echoed.to_string(),
    )
        .into_response()
}

/// `bytes` bytes of `a`: one MiB at once, the rest in 64 KiB chunks after [`Stub::release`].
async fn held_back(State(record): State<Arc<Record>>, Path(bytes): Path<usize>) -> Response {
    const FIRST: usize = 1 << 20;
    const CHUNK: usize = 64 * 1024;
    let state = (0usize, record);
    let chunks = futures_util::stream::unfold(state, move |(sent, record)| async move {
        if sent >= bytes {
            return None;
        }
        if sent == FIRST.min(bytes) {
            record.release.notified().await;
        }
        let size = if sent < FIRST {
            FIRST.min(bytes)
        } else {
            CHUNK.min(bytes - sent)
        };
        let chunk = Bytes::from(vec![b'a'; size]);
        Some((Ok::<_, Infallible>(chunk), (sent + size, record)))
    });
    let length = bytes.to_string();
    (
        [("content-length", length.as_str())],
        Body::from_stream(chunks),
    )
        .into_response()
}
