//! `[entry_api]`: the Entry API gateway (`docs/protocol.md#entry-api-gateway`): where accepted
//! requests to paths the emulator does not serve go, and which reads pass without a token.

use std::time::Duration;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EntryApiSettings {
    /// `http://` or `https://` base URL of an Entry API stand-in; empty: no upstream.
    #[serde(default)]
    pub upstream: String,
    /// Whether paths the emulator does not serve are authenticated and passed on; unset: on
    /// exactly when `upstream` is set. On without an upstream, accepted requests get a 404.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gateway: Option<bool>,
    /// Path prefixes whose `GET` and `HEAD` requests pass without a token: each names itself
    /// and every path below it.
    pub public_reads: Vec<String>,
    /// How long the upstream may take to send its answer's headers; then a 502.
    #[serde(with = "humantime_serde")]
    pub upstream_timeout: Duration,
}

impl EntryApiSettings {
    /// Whether the gateway route exists at all.
    pub fn gateway_enabled(&self) -> bool {
        self.gateway.unwrap_or(!self.upstream.is_empty())
    }

    /// The upstream without a trailing slash, when there is one.
    pub fn upstream_base(&self) -> Option<&str> {
        Some(self.upstream.trim_end_matches('/')).filter(|u| !u.is_empty())
    }

    /// Whether a `GET`/`HEAD` of `path` (as sent, percent-encoded) is one of the public reads.
    /// A path with a `.` or `..` segment never is: an upstream that resolves them could land
    /// outside the prefix.
    pub fn is_public_read(&self, path: &str) -> bool {
        let dot_segment = path.split('/').any(|segment| {
            let decoded = percent_encoding::percent_decode_str(segment).decode_utf8_lossy();
            decoded == "." || decoded == ".."
        });
        !dot_segment && self.public_reads.iter().any(|p| path_under(path, p))
    }

    pub(super) fn validate(&self) -> Result<(), String> {
        if !self.upstream.is_empty() {
            check_upstream(&self.upstream)
                .map_err(|why| format!("key `entry_api.upstream`: {why}"))?;
        }
        if self.upstream_timeout.is_zero() {
            return Err("key `entry_api.upstream_timeout`: must be longer than 0s".into());
        }
        for (i, prefix) in self.public_reads.iter().enumerate() {
            check_prefix(prefix)
                .map_err(|why| format!("key `entry_api.public_reads[{i}]`: {why}"))?;
        }
        Ok(())
    }
}

/// Whether `path` is `prefix` or below it (`/events` covers `/events/1`, not `/eventsx`).
pub fn path_under(path: &str, prefix: &str) -> bool {
    let prefix = prefix.trim_end_matches('/');
    path.strip_prefix(prefix)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

fn check_upstream(upstream: &str) -> Result<(), String> {
    let url = url::Url::parse(upstream).map_err(|e| format!("not a URL ({e})"))?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err("must be an http:// or https:// URL".into());
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("must name a host".into());
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("must not hold user information".into());
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("must have no query or fragment: request paths are appended to it".into());
    }
    Ok(())
}

fn check_prefix(prefix: &str) -> Result<(), String> {
    if !prefix.starts_with('/') {
        return Err(format!("{prefix:?} must start with \"/\""));
    }
    let plain = |c: char| c.is_ascii_graphic() && !matches!(c, '?' | '#' | '*' | '%');
    if !prefix.chars().all(plain) {
        return Err(format!(
            "{prefix:?} must be a plain path: no spaces, `?`, `#`, `*` or `%`"
        ));
    }
    if prefix.split('/').any(|s| s == "." || s == "..") {
        return Err(format!("{prefix:?} must have no `.` or `..` segments"));
    }
    Ok(())
}
