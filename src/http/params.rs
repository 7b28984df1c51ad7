//! Strict query and form parsing: a parameter given twice is a 400
//! (`docs/protocol.md#provider-routes`), and so is percent-encoding that does not decode to UTF-8,
//! so no two readers can disagree on a value.

use axum::extract::{FromRequestParts, MatchedPath, Request};
use axum::http::request::Parts;
use percent_encoding::percent_decode_str;

use crate::error::ProviderError;

/// Decoded `name=value` pairs, each name at most once.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text (a query string or a form body).
    pub fn parse(raw: &str) -> Result<Self, ProviderError> {
        let mut pairs: Vec<(String, String)> = Vec::new();
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            let (name, value) = (decode(name)?, decode(value)?);
            if pairs.iter().any(|(n, _)| *n == name) {
                return Err(ProviderError::BadRequest(format!(
                    "Parameter \"{}\" is given more than once.",
                    printable(&name)
                )));
            }
            pairs.push((name, value));
        }
        Ok(Self(pairs))
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The value of `name` unless it is missing or empty.
    pub fn non_empty(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.is_empty())
    }

    /// Only the parameter `wanted` of `raw`, as strictly as [`Params::parse`] reads it (given
    /// twice or not UTF-8: 400), unless missing or empty; every other parameter is left
    /// unread. For queries that belong to someone else (the Entry API gateway's).
    pub fn one_of(raw: &str, wanted: &str) -> Result<Option<String>, ProviderError> {
        let mut found: Option<String> = None;
        for part in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = part.split_once('=').unwrap_or((part, ""));
            if decode(name).ok().as_deref() != Some(wanted) {
                continue;
            }
            if found.is_some() {
                return Err(ProviderError::BadRequest(format!(
                    "Parameter \"{}\" is given more than once.",
                    printable(wanted)
                )));
            }
            found = Some(decode(value)?);
        }
        Ok(found.filter(|v| !v.is_empty()))
    }
}

fn decode(text: &str) -> Result<String, ProviderError> {
    percent_decode_str(&text.replace('+', " "))
        .decode_utf8()
        .map(|v| v.into_owned())
        .map_err(|_| {
            ProviderError::BadRequest("A parameter is not valid percent-encoded UTF-8.".into())
        })
}

/// A parameter name made safe to echo in a plain-text answer.
fn printable(name: &str) -> String {
    name.chars().filter(|c| !c.is_control()).take(64).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Params {
    type Rejection = ProviderError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        // Parsed already by the API-key layer: take it rather than parse or copy it again.
        if let Some(params) = parts.extensions.remove::<Params>() {
            return Ok(params);
        }
        Params::parse(parts.uri.query().unwrap_or(""))
    }
}

/// The route template a request matched (never the raw path or query), for logs and metrics.
pub fn route_of(request: &Request) -> String {
    request
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "<unmatched>".to_owned())
}

#[cfg(test)]
mod tests {
    use axum::http::StatusCode;
    use axum::response::IntoResponse;

    use super::*;

    /// The status and plain-text body `raw` is refused with; panics if it is accepted.
    fn refused(raw: &str) -> (StatusCode, String) {
        match Params::parse(raw) {
            Err(ProviderError::BadRequest(text)) => {
                let status = ProviderError::BadRequest(text.clone())
                    .into_response()
                    .status();
                (status, text)
            }
            other => panic!("{raw:?} is not refused with a text: {other:?}"),
        }
    }

    fn parsed(raw: &str) -> Params {
        Params::parse(raw).unwrap_or_else(|e| panic!("{raw:?} is refused: {e:?}"))
    }

    #[test]
    fn names_and_values_are_form_decoded() {
        #[rustfmt::skip]
        let cases = [
            ("q=a+b", "q", "a b", "+ is a space"),
            ("q=a%20b", "q", "a b", "%20 is a space"),
            ("q=a%2Bb", "q", "a+b", "an encoded + is a plus"),
            ("q=caf%C3%A9", "q", "café", "UTF-8 escapes"),
            ("q=%3D%26", "q", "=&", "encoded separators"),
            ("q=a=b", "q", "a=b", "the value runs from the first ="),
            ("q=%ZZ", "q", "%ZZ", "a malformed escape is kept as it is"),
            ("q=", "q", "", "an empty value"),
            ("q", "q", "", "a name without ="),
            ("my+name=v", "my name", "v", "+ in a name"),
            ("%71=v", "q", "v", "an escape in a name"),
        ];
        for (raw, name, value, case) in cases {
            assert_eq!(parsed(raw).get(name), Some(value), "{case}: {raw:?}");
        }
    }

    #[test]
    fn a_name_given_twice_is_a_400_naming_it() {
        #[rustfmt::skip]
        let cases = [
            ("a=1&a=2", "a", "the same name"),
            ("a=1&a=1", "a", "the same name and value"),
            ("a=1&a", "a", "the second without a value"),
            ("a=1&%61=2", "a", "the same name once decoded"),
            ("a+b=1&a%20b=2", "a b", "the same name with a space encoded two ways"),
            ("%0Aa=1&%0Aa=2", "a", "control characters are not echoed"),
        ];
        for (raw, name, case) in cases {
            let expected = format!("Parameter \"{name}\" is given more than once.");
            assert_eq!(
                refused(raw),
                (StatusCode::BAD_REQUEST, expected),
                "{case}: {raw:?}"
            );
        }
    }

    #[test]
    fn a_percent_escape_that_is_not_utf8_is_a_400() {
        #[rustfmt::skip]
        let cases = [
            ("q=%FF", "a byte that never starts UTF-8"),
            ("q=%C3%28", "a broken two-byte sequence"),
            ("q=%C3", "a sequence cut short"),
            ("%FF=v", "in a name"),
            ("ok=1&q=%FF%FE", "after a good parameter"),
        ];
        let expected = "A parameter is not valid percent-encoded UTF-8.".to_owned();
        for (raw, case) in cases {
            assert_eq!(
                refused(raw),
                (StatusCode::BAD_REQUEST, expected.clone()),
                "{case}"
            );
        }
    }

    #[test]
    fn empty_parts_are_ignored() {
        #[rustfmt::skip]
        let cases = [
            ("", vec![], "nothing"),
            ("&", vec![], "a lone separator"),
            ("&&a=1&", vec![("a", "1")], "separators around a parameter"),
            ("a=1&&b=2", vec![("a", "1"), ("b", "2")], "a doubled separator"),
        ];
        for (raw, pairs, case) in cases {
            let pairs: Vec<(String, String)> = pairs
                .into_iter()
                .map(|(n, v)| (n.into(), v.into()))
                .collect();
            assert_eq!(parsed(raw).0, pairs, "{case}: {raw:?}");
        }
    }

    #[test]
    fn one_of_reads_one_parameter_strictly_and_leaves_the_others_unread() {
        #[rustfmt::skip]
        let cases = [
            ("apiKey=k&q=%FF&a=1&a=2", Ok(Some("k")), "other parameters may be anything"),
            ("%61piKey=k%20x", Ok(Some("k x")), "decoded as parse decodes"),
            ("apiKey=&q=1", Ok(None), "empty is absent"),
            ("q=1", Ok(None), "missing"),
            ("apiKey=a&apiKey=b", Err("Parameter \"apiKey\" is given more than once."), "twice"),
            ("apiKey=%FF", Err("A parameter is not valid percent-encoded UTF-8."), "not UTF-8"),
        ];
        for (raw, expected, case) in cases {
            let read = Params::one_of(raw, "apiKey").map_err(|e| match e {
                ProviderError::BadRequest(text) => text,
                other => panic!("{case}: {other:?}"),
            });
            let expected = expected
                .map(|v| v.map(str::to_owned))
                .map_err(str::to_owned);
            assert_eq!(read, expected, "{case}");
        }
    }

    #[test]
    fn non_empty_treats_an_empty_or_missing_value_as_absent() {
        let params = parsed("empty=&set=x&bare");
        let cases = [
            ("empty", Some(""), None, "an empty value"),
            ("set", Some("x"), Some("x"), "a value"),
            ("bare", Some(""), None, "a name without ="),
            ("missing", None, None, "a name not given"),
        ];
        for (name, get, non_empty, case) in cases {
            assert_eq!(params.get(name), get, "get: {case}");
            assert_eq!(params.non_empty(name), non_empty, "non_empty: {case}");
        }
    }
}
