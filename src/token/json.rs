//! Compact JSON written the way PHP's `json_encode` writes it with default flags (PROTOCOL.md
//! 5.1): `/` escaped as `\/` and non-ASCII as `\uXXXX`, so tokens match upstream byte for byte.

use serde_json::Value;

/// An ordered list of claims or header members; order is part of the wire format.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct OrderedJson(Vec<(String, Value)>);

impl OrderedJson {
    pub fn new() -> Self {
        Self::default()
    }

    /// Sets `name`, keeping its position if present, appending it otherwise.
    pub fn set(&mut self, name: &str, value: impl Into<Value>) -> &mut Self {
        let value = value.into();
        match self.0.iter_mut().find(|(n, _)| n == name) {
            Some(slot) => slot.1 = value,
            None => self.0.push((name.to_owned(), value)),
        }
        self
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Compact JSON; `php_escaping` selects PHP's `json_encode` style.
    pub fn to_json(&self, php_escaping: bool) -> String {
        let mut out = String::from("{");
        for (i, (name, value)) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(&Value::from(name.as_str()).to_string());
            out.push(':');
            out.push_str(&value.to_string());
        }
        out.push('}');
        if php_escaping { php_escape(&out) } else { out }
    }
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
    use super::*;

    #[test]
    fn slashes_and_non_ascii_are_escaped_like_php() {
        let mut claims = OrderedJson::new();
        claims
            .set("iss", "http://culudb-jwt-provider.dev")
            .set("nick", "Zoë 😀");
        assert_eq!(
            claims.to_json(true),
            r#"{"iss":"http:\/\/culudb-jwt-provider.dev","nick":"Zo\u00eb \ud83d\ude00"}"#
        );
        assert_eq!(
            claims.to_json(false),
            r#"{"iss":"http://culudb-jwt-provider.dev","nick":"Zoë 😀"}"#
        );
    }

    #[test]
    fn setting_an_existing_member_keeps_its_position() {
        let mut claims = OrderedJson::new();
        claims.set("a", 1).set("b", 2).set("a", 3);
        assert_eq!(claims.to_json(false), r#"{"a":3,"b":2}"#);
    }
}
