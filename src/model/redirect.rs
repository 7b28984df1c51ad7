//! Which redirect URIs a client accepts (`docs/protocol.md#authorization-endpoint`,
//! `docs/reliability.md#open-redirects`): exactly a registered one, except that a registered
//! loopback URI accepts any port (RFC 8252 section 7.3). Strict: a URI must read back exactly as
//! written, so no two parsers can disagree about where a code goes.

use url::{Host, Url};

use super::OAuthClient;

impl OAuthClient {
    /// Whether `presented` may receive this client's authorization responses.
    pub fn accepts_redirect(&self, presented: &str) -> bool {
        accepts(&self.redirect_uris, presented)
    }

    /// Whether logout may send the browser to `presented`.
    pub fn accepts_post_logout_redirect(&self, presented: &str) -> bool {
        accepts(&self.post_logout_redirect_uris, presented)
    }
}

fn accepts(registered: &[String], presented: &str) -> bool {
    if registered.iter().any(|r| r == presented) {
        return true;
    }
    let Some(presented) = strict(presented) else {
        return false;
    };
    if !is_loopback(&presented) {
        return false;
    }
    registered
        .iter()
        .filter_map(|r| strict(r))
        .any(|r| is_loopback(&r) && without_port(&r) == without_port(&presented))
}

/// The URI parsed, if it is an http(s) URI without userinfo or fragment that serializes back
/// to exactly what was written.
fn strict(raw: &str) -> Option<Url> {
    let url = Url::parse(raw).ok()?;
    let plain = matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.fragment().is_none()
        && url.as_str() == raw;
    plain.then_some(url)
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(name)) => name == "localhost",
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

fn without_port(url: &Url) -> String {
    let mut url = url.clone();
    // Only fails for URLs that cannot have a port, which `strict` already refused.
    let _ = url.set_port(None);
    url.to_string()
}

#[cfg(test)]
mod tests {
    use super::accepts;

    #[test]
    fn exact_or_loopback_with_any_port() {
        let registered = [
            "http://localhost:3000/callback".to_owned(),
            "https://app.example/cb".to_owned(),
        ];
        assert!(accepts(&registered, "https://app.example/cb"));
        assert!(accepts(&registered, "http://localhost:51234/callback"));
        assert!(accepts(&registered, "http://localhost/callback"));
        for refused in [
            "https://app.example/cb/",
            "https://app.example/cb?x=1",
            "https://app.example/cb#f",
            "https://APP.example/cb",
            "https://app.example.evil/cb",
            "https://app.example@evil.test/cb",
            "http://localhost:3000/callback/../other",
            "http://localhost:3000/callback#x",
            "http://localhost:3000/other",
            "http://127.0.0.1:3000/callback",
            "http://user@localhost:3000/callback",
            "javascript:alert(1)",
            "",
        ] {
            assert!(!accepts(&registered, refused), "{refused} was accepted");
        }
    }
}
