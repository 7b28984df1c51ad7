//! uitid-emulator: a drop-in local stand-in for publiq's UiTiD JWT provider (`/connect`,
//! `/refresh`, `/logout`) and the Entry API's token check, for client developers' tests.
//!
//! Start with `docs/architecture.md` in the repository: the module map, the path of one request
//! through the layers, and where to add a route, a use case, a query, a middleware or a config
//! key. The wire contract is `docs/protocol.md`.
//!
//! Rust tests start the emulator in-process with [`testing::TestServer::start`] (random port,
//! temporary database, clock and minting at hand); embedders use [`startup::Application::build`]
//! on port 0 and read the real port from [`startup::Application::port`].

pub mod app;
pub mod cli;
pub mod clock;
pub mod config;
pub mod destination;
pub mod directory;
pub mod error;
pub mod fault;
pub mod http;
pub mod metrics;
pub mod model;
pub mod routes;
pub mod secret;
pub mod server;
pub mod service;
pub mod startup;
pub mod store;
pub mod telemetry;
pub mod testing;
pub mod tls;
pub mod token;

pub use config::Settings;
pub use startup::Application;
