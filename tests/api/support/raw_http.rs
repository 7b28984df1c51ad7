//! HTTP/1.1 over a bare TCP connection, for what HTTP client libraries will not send: 1 MiB
//! request targets (their URI types stop at 64 KiB), heads trickled byte by byte, or a body
//! held back after `Expect: 100-continue`.

use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A TCP connection to `base_url` (`http://host:port`).
pub async fn tcp(base_url: &str) -> TcpStream {
    let address = base_url.trim_start_matches("http://");
    TcpStream::connect(address)
        .await
        .expect("the server accepts")
}

/// A raw HTTP/1.1 request with `headers` (each `name: value`) and `body`.
pub fn raw(method: &str, target: &str, headers: &[String], body: &[u8]) -> Vec<u8> {
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: x\r\n");
    for header in headers {
        head.push_str(&format!("{header}\r\n"));
    }
    head.push_str(&format!("Content-Length: {}\r\n\r\n", body.len()));
    [head.into_bytes(), body.to_vec()].concat()
}

/// Sends `request` while reading the answer (the server may answer before reading it all);
/// returns the status code.
pub async fn exchange(base_url: &str, request: Vec<u8>) -> u16 {
    let (mut reader, mut writer) = tcp(base_url).await.into_split();
    let writing = tokio::spawn(async move {
        let _ = writer.write_all(&request).await;
        writer
    });
    let head = read_head(&mut reader).await;
    writing.abort();
    let status = head.split(' ').nth(1).and_then(|s| s.parse().ok());
    status.unwrap_or_else(|| panic!("not an HTTP answer: {head:?}"))
}

/// Reads up to and including the blank line that ends a response head (at most 10 s).
pub async fn read_head(stream: &mut (impl AsyncRead + Unpin)) -> String {
    let mut head = vec![];
    while !head.ends_with(b"\r\n\r\n") {
        let byte = tokio::time::timeout(Duration::from_secs(10), stream.read_u8()).await;
        head.push(
            byte.expect("an answer within 10 s")
                .expect("an open connection"),
        );
    }
    String::from_utf8(head).expect("an ASCII head")
}
