//! What every property shares: its configuration, and for the router's properties a test
//! server (`uitid_emulator::testing::TestServer`) whose router is driven in-process.

use std::net::SocketAddr;

use axum::body::{Body, Bytes};
use axum::extract::connect_info::MockConnectInfo;
use axum::http::{Request, Response};
use proptest::strategy::Strategy;
use proptest::test_runner::{Config, TestCaseError, TestRunner};
use tokio::runtime::Runtime;
use tower::ServiceExt;
use uitid_emulator::testing::TestServer;

/// `cases` cases unless `PROPTEST_CASES` asks for another number; no regression files, so a
/// run leaves nothing behind in the worktree.
pub fn config(cases: u32) -> Config {
    let default = Config::default();
    let asked = std::env::var_os("PROPTEST_CASES").is_some();
    Config {
        cases: if asked { default.cases } else { cases },
        failure_persistence: None,
        ..default
    }
}

/// Keys and a user for the router's properties. Generous failure budgets: the properties fail
/// on purpose many times over, and a 429 would hide the paths behind the limiter.
const CONFIG: &str = r#"
[rate_limits]
address_burst = 10000
address_replenish = "1ms"
key_burst = 10000
key_replenish = "1ms"
[[api_keys]]
key = "prop-key"
name = "Properties"
permissions = ["refresh", "entry_api"]
destinations = ["https://app.test/cb"]
[[api_keys]]
key = "prop-key-anywhere"
name = "Properties, anywhere"
permissions = ["refresh"]
destinations = ["*"]
[[users]]
uid = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c"
nick = "stiksels"
email = "stiksels@example.com"
password = "stiksels-secret"
"#;

/// A test server and the runtime it runs on (declared first, so it is dropped first).
pub struct Harness {
    pub server: TestServer,
    runtime: Runtime,
}

impl Harness {
    /// One request straight into the server's router as if it came from `peer`: the answer
    /// with its body read.
    pub fn send(&self, peer: SocketAddr, request: Request<Body>) -> Response<Bytes> {
        let state = self.server.state().clone();
        let router = uitid_emulator::routes::router(state, Default::default());
        self.runtime.block_on(async {
            let response = router.layer(MockConnectInfo(peer)).oneshot(request).await;
            let (head, body) = response.expect("the router is infallible").into_parts();
            let body = axum::body::to_bytes(body, 1 << 20).await;
            Response::from_parts(head, body.unwrap_or_default())
        })
    }
}

/// Runs `test` on `cases` values of `strategy` against one fresh test server (proptest's macro
/// cannot await, so the runner is driven by hand).
pub fn run_with_server<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(&Harness, S::Value) -> Result<(), TestCaseError>,
) {
    let runtime = Runtime::new().expect("a tokio runtime");
    let server = runtime.block_on(TestServer::builder().toml(CONFIG).start());
    let harness = Harness { server, runtime };
    let result = TestRunner::new(config(cases)).run(&strategy, |value| test(&harness, value));
    if let Err(failure) = result {
        panic!("{failure}");
    }
}
