//! `docs/protocol.md#entry-api-gateway`: bodies stream through the gateway both ways. The
//! stand-in sees an upload's first bytes while the rest is still held back by the client, and
//! the client reads a download's first MiB while the stand-in still holds back the rest: a
//! gateway that buffered would deadlock both tests. Bodies over 32 MiB are refused.

use std::time::Duration;

use tokio::io::AsyncWriteExt;
use tokio::net::tcp::OwnedWriteHalf;

use crate::gateway::gateway;
use crate::support::*;

const MIB: usize = 1 << 20;
const CHUNK: usize = 256 * 1024;

/// Writes `count` chunks of [`CHUNK`] bytes in chunked transfer coding.
async fn write_chunks(writer: &mut OwnedWriteHalf, count: usize) {
    let data = vec![b'x'; CHUNK];
    for _ in 0..count {
        let size = format!("{CHUNK:x}\r\n");
        writer.write_all(size.as_bytes()).await.unwrap();
        writer.write_all(&data).await.unwrap();
        writer.write_all(b"\r\n").await.unwrap();
    }
}

/// Waits until `stub` has received at least `bytes` body bytes (at most 10 s).
async fn wait_for_bytes(stub: &Stub, bytes: usize, why: &str) {
    let waited = tokio::time::timeout(Duration::from_secs(10), async {
        while stub.receiving() < bytes {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    });
    waited
        .await
        .unwrap_or_else(|_| panic!("{why}: only {} bytes arrived", stub.receiving()));
}

/// A chunked `POST /images`: the head and `first` chunks, then, once the upstream has seen a
/// MiB of them, `rest` chunks; the answer's head.
async fn upload(app: &TestApp, stub: &Stub, token: &str, first: usize, rest: usize) -> String {
    let (mut reader, mut writer) = tcp(&app.address).await.into_split();
    let head = format!(
        "POST /images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n"
    );
    writer.write_all(head.as_bytes()).await.unwrap();
    write_chunks(&mut writer, first).await;
    wait_for_bytes(
        stub,
        MIB,
        "the upstream sees the upload before it has all arrived",
    )
    .await;
    // The server may answer (413) and close before the rest is written: that is not an error.
    // The write half is handed back, not dropped: dropping it half-closes the connection,
    // which the server takes for a client that went away.
    let writing = tokio::spawn(async move {
        write_chunks(&mut writer, rest).await;
        let _ = writer.write_all(b"0\r\n\r\n").await;
        writer
    });
    let head = read_head(&mut reader).await;
    writing.abort();
    head
}

#[tokio::test]
async fn a_20_mib_upload_streams_to_the_upstream_while_it_is_still_being_sent() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &client_claims(&app, "entry"));

    let head = upload(&app, &stub, &token, 8, 72).await;

    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert_eq!(stub.seen()[0].body_bytes, 20 * MIB, "every byte arrived");
}

#[tokio::test]
async fn a_20_mib_answer_streams_to_the_client_while_the_upstream_still_holds_it_back() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &client_claims(&app, "entry"));
    let request = app
        .api
        .get(app.url(&format!("/stream/{}", 20 * MIB)))
        .bearer_auth(&token);

    let mut response = send(request).await;

    assert_eq!(response.status(), 200);
    let mut received = 0;
    let first_mib = tokio::time::timeout(Duration::from_secs(10), async {
        while received < MIB {
            received += response
                .chunk()
                .await
                .unwrap()
                .expect("more of the body")
                .len();
        }
    });
    first_mib
        .await
        .expect("the first MiB arrives before the upstream sends the rest");
    stub.release();
    while let Some(chunk) = response.chunk().await.expect("the rest of the body") {
        received += chunk.len();
    }
    assert_eq!(received, 20 * MIB);
}

#[tokio::test]
async fn a_body_over_32_mib_is_refused_with_413() {
    let stub = Stub::echo().await;
    let app = gateway(&stub.url).await;
    let token = signed(&app, &client_claims(&app, "entry"));
    let declared = format!(
        "POST /images HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\n\
         Content-Length: {}\r\n\r\n",
        32 * MIB + 1
    );

    let status = exchange(&app.address, declared.into_bytes()).await;
    let streamed = upload(&app, &stub, &token, 8, 128).await;

    assert_eq!(
        status, 413,
        "a declared length over the limit, before any byte"
    );
    assert!(
        streamed.starts_with("HTTP/1.1 413"),
        "a chunked body over the limit: {streamed}"
    );
}
