//! Where a login may send its tokens (`docs/protocol.md#connect`,
//! `docs/reliability.md#open-redirects`): `oob`, any loopback URL, or an absolute http(s) URL on
//! the API key's allow-list. Parsing is strict so that no two parsers can disagree about the host
//! the tokens go to.

use url::{Host, Url};

/// One entry of an API key's `destinations`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AllowedDestination {
    /// `*`: any http(s) destination (upstream's behaviour, opt-in only).
    Any,
    /// Same scheme, host, port and path; the query string may differ.
    Exact(Url),
}

/// `*`, or the URL as parsed (normalised: `https://a.test` shows as `https://a.test/`).
impl std::fmt::Display for AllowedDestination {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Any => f.write_str("*"),
            Self::Exact(url) => f.write_str(url.as_str()),
        }
    }
}

/// A destination that passed the rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// Upstream's out-of-band value: resolves to this server's `/oob`.
    Oob,
    Url(Url),
}

impl AllowedDestination {
    pub fn parse(entry: &str) -> Result<Self, String> {
        if entry == "*" {
            return Ok(Self::Any);
        }
        parse_absolute(entry).map(Self::Exact)
    }

    fn admits(&self, url: &Url) -> bool {
        match self {
            Self::Any => true,
            Self::Exact(allowed) => {
                allowed.scheme() == url.scheme()
                    && allowed.host() == url.host()
                    && allowed.port_or_known_default() == url.port_or_known_default()
                    && allowed.path() == url.path()
            }
        }
    }
}

impl Destination {
    /// Applies the rules to a raw `destination` value for a key with `allowed` entries.
    pub fn check(raw: &str, allowed: &[AllowedDestination]) -> Result<Self, String> {
        if raw == "oob" {
            return Ok(Self::Oob);
        }
        let url = parse_absolute(raw)?;
        if is_loopback(&url) || allowed.iter().any(|entry| entry.admits(&url)) {
            Ok(Self::Url(url))
        } else {
            Err("it is not on the allow-list of this API key".into())
        }
    }

    /// The redirect target with `jwt` (and `refresh`) appended: existing parameters keep their
    /// order and bytes, any `jwt`/`refresh` already present are dropped (`docs/protocol.md#login`).
    pub fn with_tokens(&self, public_base: &str, jwt: &str, refresh: Option<&str>) -> String {
        let mut url = match self {
            Self::Oob => {
                Url::parse(&format!("{public_base}/oob")).expect("public_url is validated")
            }
            Self::Url(url) => url.clone(),
        };
        let mut parts: Vec<String> = url
            .query()
            .unwrap_or("")
            .split('&')
            .filter(|part| !part.is_empty() && !is_token_parameter(part))
            .map(str::to_owned)
            .collect();
        // Tokens are URL-safe (base64url and '.'), so they need no encoding.
        parts.push(format!("jwt={jwt}"));
        if let Some(refresh) = refresh {
            parts.push(format!("refresh={refresh}"));
        }
        url.set_query(Some(&parts.join("&")));
        url.into()
    }

    /// Where `/logout-confirm` sends the browser.
    pub fn plain(&self, public_base: &str) -> String {
        match self {
            Self::Oob => format!("{public_base}/oob"),
            Self::Url(url) => url.to_string(),
        }
    }

    /// The form kept in a flow record.
    pub fn stored(&self) -> String {
        match self {
            Self::Oob => "oob".into(),
            Self::Url(url) => url.to_string(),
        }
    }

    /// Reads back a destination that passed [`Destination::check`] when its flow was stored.
    pub fn restore(stored: &str) -> anyhow::Result<Self> {
        if stored == "oob" {
            Ok(Self::Oob)
        } else {
            Ok(Self::Url(Url::parse(stored)?))
        }
    }
}

fn is_token_parameter(part: &str) -> bool {
    let name = part.split('=').next().unwrap_or("");
    let name = percent_encoding::percent_decode_str(&name.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned();
    name == "jwt" || name == "refresh"
}

fn parse_absolute(raw: &str) -> Result<Url, String> {
    if raw
        .chars()
        .any(|c| c.is_control() || c.is_whitespace() || c == '\\')
    {
        return Err("it contains characters a URL may not contain".into());
    }
    let lower = raw.get(..8).unwrap_or(raw).to_ascii_lowercase();
    if !(lower.starts_with("http://") || lower.starts_with("https://")) {
        return Err("it must be an absolute http or https URL, a loopback URL or oob".into());
    }
    if broken_percent_sequence(raw) {
        // The URL parser passes a stray `%` through, so `Location` would carry it as is.
        return Err("it contains a % that is not followed by two hex digits".into());
    }
    let url = Url::parse(raw).map_err(|e| format!("it is not a valid URL ({e})"))?;
    // The parser drops an empty user information (`http://@evil.test`, `http://:@evil.test`),
    // so look for its `@` in the authority as written: after the slashes, before the path.
    let authority = raw[raw.find(':').unwrap_or(0) + 1..].trim_start_matches('/');
    let has_at = authority
        .split(['/', '?', '#'])
        .next()
        .is_some_and(|a| a.contains('@'));
    if has_at || !url.username().is_empty() || url.password().is_some() {
        return Err("it must not contain user information".into());
    }
    if url.fragment().is_some() {
        return Err("it must not contain a fragment".into());
    }
    if url.host().is_none() {
        return Err("it has no host".into());
    }
    Ok(url)
}

fn broken_percent_sequence(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && !bytes
                .get(i + 1..i + 3)
                .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    })
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(domain)) => domain == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests;
