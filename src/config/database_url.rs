//! `database.url` may carry a PostgreSQL password: it is shown (by `config check`, in `Debug`
//! output and in error messages) with the password replaced, never in clear.

use serde::Serializer;

/// The URL with any password replaced by `***`; an unparsable URL is not shown at all.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            if parsed.password().is_some() {
                // Only fails for URLs that cannot have a password, which this one has.
                let _ = parsed.set_password(Some("***"));
            }
            parsed.to_string()
        }
        Err(_) => "(not a URL)".to_owned(),
    }
}

pub(super) fn serialize<S: Serializer>(url: &str, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&redacted(url))
}

#[cfg(test)]
mod tests {
    use super::redacted;

    #[test]
    fn passwords_are_replaced_and_the_rest_kept() {
        let url = "postgres://uitid:s3cret@db.internal:5432/uitid?sslmode=require";
        let shown = redacted(url);
        assert!(!shown.contains("s3cret"), "{shown}");
        assert_eq!(
            shown,
            "postgres://uitid:***@db.internal:5432/uitid?sslmode=require"
        );
        assert_eq!(
            redacted("postgres://emu@127.0.0.1:5432/db"),
            "postgres://emu@127.0.0.1:5432/db"
        );
        assert_eq!(
            redacted("sqlite://data/db.sqlite"),
            "sqlite://data/db.sqlite"
        );
    }
}
