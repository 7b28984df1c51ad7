//! The whole client loop against an in-process emulator: headless login through `/connect`,
//! an Entry API call, the token expiring (by moving the emulator's clock), a refresh, and the
//! retry succeeding. Run it with `cargo run --example refresh_loop`.

use std::time::Duration;

use reqwest::redirect::Policy;
use uitid_emulator::testing::TestServer;

const API_KEY: &str = "sample-key-with-refresh";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let server = TestServer::builder().headless("stiksels").start().await;
    let http = reqwest::Client::builder()
        .redirect(Policy::none())
        .build()?;

    // 1. Login: /connect redirects to our callback with jwt and refresh in the query.
    let connect = server.url(&format!(
        "/connect?apiKey={API_KEY}&destination=http://localhost/callback"
    ));
    let response = http.get(connect).send().await?;
    let location = response.headers()["location"].to_str()?.to_owned();
    let callback = url::Url::parse(&location)?;
    let param = |name: &str| {
        callback
            .query_pairs()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.into_owned())
    };
    let (jwt, refresh) = (
        param("jwt").expect("jwt"),
        param("refresh").expect("refresh"),
    );
    println!("logged in; refresh token received: {}", !refresh.is_empty());

    // 2. Use the token.
    let user = |jwt: String| {
        http.get(server.url("/user"))
            .bearer_auth(jwt)
            .header("x-api-key", API_KEY)
            .send()
    };
    println!("GET /user -> {}", user(jwt.clone()).await?.status());

    // 3. Let it expire: 13 h pass on the emulator's clock in no time.
    server.advance_clock(Duration::from_secs(13 * 3600)).await;
    let expired = user(jwt.clone()).await?;
    println!(
        "13 h later, GET /user -> {} {}",
        expired.status(),
        expired.text().await?
    );

    // 4. Refresh (the body is the bare JWT) and retry.
    let url = server.url(&format!("/refresh?apiKey={API_KEY}&refresh={refresh}"));
    let jwt = http
        .get(url)
        .send()
        .await?
        .error_for_status()?
        .text()
        .await?;
    println!("after /refresh, GET /user -> {}", user(jwt).await?.status());
    server.stop().await;
    Ok(())
}
