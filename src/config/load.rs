//! Layering, lowest first: `config/default.toml` (every setting's default, embedded), the given
//! TOML file, then environment variables. The sample users and API keys of `default.toml` are
//! only served when no file is given: a file that lists no users means no users.

use std::path::{Path, PathBuf};

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};

use super::Settings;

/// The base layer and sample configuration, embedded so the bare binary runs anywhere.
pub const DEFAULT_CONFIG: &str = include_str!("../../config/default.toml");
/// Tables of `DEFAULT_CONFIG` that are samples, not defaults.
const SAMPLE_TABLES: [&str; 3] = ["users", "api_keys", "clients"];
const ENV_PREFIX: &str = "UITID_EMULATOR__";
const EMBEDDED_NAME: &str = "the embedded default configuration";

/// A configuration that cannot be used; the message names the file, the key and the problem.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct ConfigError(pub String);

/// Loads `path` (or the embedded sample), applies environment overrides and validates.
pub fn load_settings(path: Option<&Path>) -> Result<Settings, ConfigError> {
    let figment = match path {
        Some(path) => {
            if !path.is_file() {
                return Err(ConfigError(format!(
                    "configuration file {}: not found or not a file",
                    path.display()
                )));
            }
            defaults().merge(Toml::file_exact(path))
        }
        None => Figment::from(Toml::string(DEFAULT_CONFIG)),
    };
    let origin = path.map_or(EMBEDDED_NAME.to_string(), |p| p.display().to_string());
    extract(
        figment.merge(Env::prefixed(ENV_PREFIX).split("__")),
        &origin,
    )
}

/// Builds settings from TOML text over the defaults (no environment), for tests and embedding.
pub fn settings_from_toml(toml: &str) -> Result<Settings, ConfigError> {
    extract(
        defaults().merge(Toml::string(toml)),
        "the given configuration",
    )
}

/// `config/default.toml` without its sample users and keys.
fn defaults() -> Figment {
    let mut table: toml::Table = DEFAULT_CONFIG
        .parse()
        .expect("the embedded default configuration is TOML");
    for sample in SAMPLE_TABLES {
        table.remove(sample);
    }
    Figment::from(Serialized::defaults(table))
}

fn extract(figment: Figment, origin: &str) -> Result<Settings, ConfigError> {
    let settings: Settings = figment.extract().map_err(|errors| {
        let lines: Vec<String> = errors.into_iter().map(|e| describe(&e, origin)).collect();
        ConfigError(lines.join("\n"))
    })?;
    settings
        .validate()
        .map_err(|problem| ConfigError(format!("{origin}: {problem}")))?;
    Ok(settings)
}

/// One figment error as "FILE: key `a.b`: what is wrong", naming the environment variable
/// instead of the file when the value came from there.
fn describe(error: &figment::Error, origin: &str) -> String {
    let key = error.path.join(".");
    let source = match error.metadata.as_ref().and_then(|m| m.source.as_ref()) {
        Some(figment::Source::File(file)) => PathBuf::from(file).display().to_string(),
        _ => match error.metadata.as_ref() {
            Some(meta) if meta.name.contains("environment") => {
                format!(
                    "environment variable {ENV_PREFIX}{}",
                    key.to_uppercase().replace('.', "__")
                )
            }
            _ => origin.to_string(),
        },
    };
    if key.is_empty() {
        format!("{source}: {}", error.kind)
    } else {
        format!("{source}: key `{key}`: {}", error.kind)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_inherits_every_default_from_default_toml_but_not_its_sample_accounts() {
        let embedded = settings_from_toml(DEFAULT_CONFIG).unwrap();
        let file = settings_from_toml("[token]\nprofile = \"keycloak\"\n").unwrap();
        assert_eq!(file.server.listen, embedded.server.listen);
        assert_eq!(file.server.request_timeout, embedded.server.request_timeout);
        assert_eq!(file.database.url, embedded.database.url);
        assert_eq!(file.token.client_id, embedded.token.client_id);
        assert_eq!(file.token.profile, crate::config::TokenProfile::Keycloak);
        assert!(!embedded.users.is_empty() && !embedded.api_keys.is_empty());
        assert!(file.users.is_empty(), "sample users are not defaults");
        assert!(file.api_keys.is_empty(), "sample keys are not defaults");
        assert!(!embedded.clients.is_empty());
        assert!(file.clients.is_empty(), "sample clients are not defaults");
    }
}
