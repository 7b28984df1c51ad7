//! Integration tests: each starts the real server on a random port with its own SQLite file and
//! talks to it over HTTP, as a client of the real provider would
//! (`docs/protocol.md#provider-routes`, `docs/protocol.md#v1-tokens`).

mod support;

mod accounts;
mod bad_input;
mod big_requests;
mod concurrency;
mod connect;
mod destinations;
mod discovery;
mod harness;
mod headless;
mod housekeeping;
mod keys_and_tokens;
mod login;
mod login_page;
mod logout;
mod logs;
mod oauth_authorize;
mod oauth_authorize_errors;
mod oauth_clients;
mod oauth_code;
mod oauth_code_bindings;
mod oauth_control;
mod oauth_errors;
mod oauth_introspection;
mod oauth_logout;
mod oauth_rotation;
mod oauth_rotation_races;
mod oauth_secrets;
mod oauth_security;
mod oauth_security_logs;
mod oauth_security_tokens;
mod oauth_token;
mod oauth_user_control;
mod oauth_userinfo;
mod oob;
mod process;
mod rate_limits;
mod rate_limits_login;
mod refresh;
mod reliability;
mod reliability_coverage;
mod reset;
mod restart;
mod revocation;
mod rotation;
mod routing;
mod secrets;
mod sessions;
mod shutdown;
mod sql_input;
mod tls;
mod tls_material;
mod token_answers;

// The client loop (Entry API check, clock, minting, keycloak, control-plane access and its
// OpenAPI description).
mod clock;
mod control_access;
mod cross_site;
mod dashboard;
mod entry_api;
mod entry_api_v2;
mod entry_api_v2_tokens;
mod fault_effects;
mod faults;
mod full_disk;
mod gateway;
mod gateway_failures;
mod gateway_observed;
mod gateway_paths;
mod gateway_streaming;
mod journal;
mod keycloak;
mod mint;
mod openapi;
mod provider_openapi;

// Operations (health, metrics, request ids, limits, load shedding, CLI).
mod ops_cli;
mod ops_health;
mod ops_limits;
mod ops_metrics;
