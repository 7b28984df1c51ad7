//! Everything the integration tests share, each concern in one place: the configuration
//! ([`setup`]), the in-process server ([`app`]), requests and answers ([`http`]), a browser with
//! cookies ([`browser`]), the Entry API and control plane ([`client_loop`]), what
//! `docs/protocol.md` promises ([`docs`]), an independent JWT verifier ([`jwt`]) and forger
//! ([`forge`], with the realm's token shapes in [`realm_tokens`]), an Entry API stand-in for the
//! gateway ([`upstream_stub`]), the built binary ([`process`]), HTTP over raw TCP ([`raw_http`])
//! and HTTPS clients ([`tls`]); user login on the OAuth2 realm is in [`authorize`], next to the
//! token endpoint's [`oauth`]. Test modules take it all with `use crate::support::*`.

pub mod app;
pub mod authorize;
pub mod browser;
pub mod client_loop;
pub mod database;
pub mod docs;
pub mod forge;
pub mod http;
pub mod jwt;
pub mod oauth;
#[path = "../../common/postgres.rs"]
pub mod postgres;
pub mod process;
pub mod raw_http;
pub mod realm_tokens;
pub mod setup;
pub mod tls;
pub mod upstream_stub;

pub use app::*;
pub use browser::*;
pub use client_loop::*;
pub use docs::*;
pub use forge::*;
pub use http::*;
pub use jwt::*;
pub use process::*;
pub use raw_http::*;
pub use realm_tokens::*;
pub use setup::*;
pub use tls::*;
pub use upstream_stub::*;
