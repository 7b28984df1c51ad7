//! Integration tests: each starts the real server on a random port with its own SQLite file
//! and talks to it over HTTP, as a client of the real provider would (PROTOCOL.md 4, 5).

mod browser;
mod helpers;
mod setup;
mod verify;

mod bad_input;
mod connect;
mod destinations;
mod headless;
mod keys_and_tokens;
mod login;
mod logout;
mod oob;
mod refresh;
mod routing;
mod sessions;

