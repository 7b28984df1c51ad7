//! Compact JSON written the way PHP's `json_encode` writes it with default flags
//! (`docs/protocol.md#v1-tokens`): `/` escaped as `\/` and non-ASCII as `\uXXXX`, so tokens match
//! upstream byte for byte.

use serde_json::{Map, Value};

/// Compact JSON of `members` in their order (serde_json's `preserve_order` keeps insertion
/// order, and re-inserting a member keeps its place); `php_escaping` selects PHP's style.
pub fn to_json(members: &Map<String, Value>, php_escaping: bool) -> String {
    let out = serde_json::to_string(members).expect("a map of JSON values always serializes");
    if php_escaping { php_escape(&out) } else { out }
}

/// Rewrites serde_json output into `json_encode` output. `/` only ever occurs inside strings,
/// and every non-ASCII char does too, so a character-level rewrite is exact.
fn php_escape(json: &str) -> String {
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '/' => out.push_str("\\/"),
            c if c.is_ascii() => out.push(c),
            c => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn members(value: Value) -> Map<String, Value> {
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn slashes_and_non_ascii_are_escaped_like_php() {
        let claims = members(json!({"iss": "http://culudb-jwt-provider.dev", "nick": "Zoë 😀"}));
        assert_eq!(
            to_json(&claims, true),
            r#"{"iss":"http:\/\/culudb-jwt-provider.dev","nick":"Zo\u00eb \ud83d\ude00"}"#
        );
        assert_eq!(
            to_json(&claims, false),
            r#"{"iss":"http://culudb-jwt-provider.dev","nick":"Zoë 😀"}"#
        );
    }

    #[test]
    fn setting_an_existing_member_keeps_its_position() {
        let mut claims = members(json!({"a": 1, "b": 2}));
        claims.insert("a".into(), json!(3));
        assert_eq!(to_json(&claims, false), r#"{"a":3,"b":2}"#);
    }
}
