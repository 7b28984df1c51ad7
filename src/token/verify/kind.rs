//! What kind of token passed the signature, time and issuer checks, read from its claims the way
//! UiTdatabank reads them (`docs/protocol.md#entry-api-check`), and who it speaks for.

use serde_json::{Map, Value};

/// The claim listing the publiq APIs an access token's client may call, space-separated.
pub const PUBLIQ_APIS: &str = "https://publiq.be/publiq-apis";
/// The user's v1 id in tokens of the realm and of the keycloak profile.
const UITID_V1_ID: &str = "https://publiq.be/uitidv1id";
/// What a client access token's `sub` ends with after the client id.
const CLIENT_SUFFIX: &str = "@clients";

/// The four kinds, decided in this order by the first claim that matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// Has a `uid` claim: the JWT provider's classic token.
    V1,
    /// `typ` is `"ID"`: the id_token the JWT provider hands out with the keycloak profile.
    IdToken,
    /// `gty` is `"client-credentials"`: an OAuth2 client's own token.
    ClientAccess,
    /// Anything else: an OAuth2 access token on behalf of a user.
    UserAccess,
}

impl TokenKind {
    pub fn of(claims: &Map<String, Value>) -> Self {
        let text = |name: &str| claims.get(name).and_then(Value::as_str);
        if claims.contains_key("uid") {
            Self::V1
        } else if text("typ") == Some("ID") {
            Self::IdToken
        } else if text("gty") == Some("client-credentials") {
            Self::ClientAccess
        } else {
            Self::UserAccess
        }
    }

    /// The claim that must hold a non-empty string (`sub`, or `uid` for v1 tokens).
    pub fn subject_claim(self) -> &'static str {
        match self {
            Self::V1 => "uid",
            _ => "sub",
        }
    }

    /// Access tokens need no API key but must list `entry`; the JWT provider's tokens need a key.
    pub fn is_access_token(self) -> bool {
        matches!(self, Self::ClientAccess | Self::UserAccess)
    }

    /// A fixed word for logs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::V1 => "v1",
            Self::IdToken => "id_token",
            Self::ClientAccess => "client_access_token",
            Self::UserAccess => "user_access_token",
        }
    }

    /// The uid of the user the token speaks for: `uid` (v1), else `https://publiq.be/uitidv1id`,
    /// else `sub`; none for a client's own token.
    pub fn user_id(self, claims: &Map<String, Value>) -> Option<&str> {
        let names: &[&str] = match self {
            Self::V1 => &["uid"],
            Self::IdToken | Self::UserAccess => &[UITID_V1_ID, "sub"],
            Self::ClientAccess => &[],
        };
        first_text(claims, names)
    }

    /// The OAuth2 client an access token was issued to: `azp`, else (client tokens) `sub`
    /// without its `@clients`; none for the JWT provider's tokens.
    pub fn client_id(self, claims: &Map<String, Value>) -> Option<&str> {
        match self {
            Self::ClientAccess => first_text(claims, &["azp"]).or_else(|| {
                let sub = first_text(claims, &["sub"])?;
                Some(sub.strip_suffix(CLIENT_SUFFIX).unwrap_or(sub))
            }),
            Self::UserAccess => first_text(claims, &["azp"]),
            Self::V1 | Self::IdToken => None,
        }
    }
}

/// Whether `aud` (a string or an array of strings) names `audience`.
pub fn audience_contains(claims: &Map<String, Value>, audience: &str) -> bool {
    match claims.get("aud") {
        Some(Value::String(aud)) => aud == audience,
        Some(Value::Array(auds)) => auds.iter().any(|a| a.as_str() == Some(audience)),
        _ => false,
    }
}

/// Whether the space-separated [`PUBLIQ_APIS`] claim lists `api` (a claim that is not a string
/// lists nothing).
pub fn lists_api(claims: &Map<String, Value>, api: &str) -> bool {
    claims
        .get(PUBLIQ_APIS)
        .and_then(Value::as_str)
        .is_some_and(|apis| apis.split(' ').any(|a| a == api))
}

/// The first of `names` holding a non-empty string.
fn first_text<'a>(claims: &'a Map<String, Value>, names: &[&str]) -> Option<&'a str> {
    names.iter().find_map(|name| {
        claims
            .get(*name)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn claims(value: Value) -> Map<String, Value> {
        value.as_object().expect("an object").clone()
    }

    #[test]
    fn the_kind_is_decided_by_the_first_matching_claim_in_upstreams_order() {
        #[rustfmt::skip]
        let cases = [
            (json!({"uid": "u", "typ": "ID", "gty": "client-credentials"}), TokenKind::V1, "uid first"),
            (json!({"uid": ""}), TokenKind::V1, "an empty uid still makes a v1 token"),
            (json!({"typ": "ID", "gty": "client-credentials"}), TokenKind::IdToken, "typ ID before gty"),
            (json!({"typ": "Bearer", "gty": "client-credentials"}), TokenKind::ClientAccess, "a client token"),
            (json!({"typ": "Bearer", "sub": "s"}), TokenKind::UserAccess, "a user token"),
            (json!({"typ": "id", "gty": "password"}), TokenKind::UserAccess, "anything else"),
        ];
        for (value, kind, case) in cases {
            assert_eq!(TokenKind::of(&claims(value)), kind, "{case}");
        }
    }

    #[test]
    fn who_a_token_speaks_for_comes_from_its_claims() {
        let user = claims(json!({"sub": "s", "https://publiq.be/uitidv1id": "v1", "azp": "c"}));
        assert_eq!(TokenKind::UserAccess.user_id(&user), Some("v1"));
        assert_eq!(TokenKind::UserAccess.client_id(&user), Some("c"));
        let bare = claims(json!({"sub": "s", "https://publiq.be/uitidv1id": ""}));
        assert_eq!(TokenKind::IdToken.user_id(&bare), Some("s"));
        assert_eq!(TokenKind::IdToken.client_id(&bare), None);
        let client = claims(json!({"sub": "abc@clients"}));
        assert_eq!(TokenKind::ClientAccess.client_id(&client), Some("abc"));
        assert_eq!(TokenKind::ClientAccess.user_id(&client), None);
    }

    #[test]
    fn audiences_and_apis_are_read_as_upstream_reads_them() {
        assert!(audience_contains(&claims(json!({"aud": "a"})), "a"));
        assert!(audience_contains(&claims(json!({"aud": ["b", "a"]})), "a"));
        assert!(!audience_contains(&claims(json!({"aud": "ab"})), "a"));
        assert!(!audience_contains(&claims(json!({})), "a"));
        assert!(lists_api(
            &claims(json!({PUBLIQ_APIS: "sapi entry"})),
            "entry"
        ));
        assert!(!lists_api(
            &claims(json!({PUBLIQ_APIS: "entryx sapi"})),
            "entry"
        ));
        assert!(!lists_api(
            &claims(json!({PUBLIQ_APIS: ["entry"]})),
            "entry"
        ));
        assert!(!lists_api(&claims(json!({})), "entry"));
    }
}
