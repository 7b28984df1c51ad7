//! Settings validation through the public entry point, [`settings_from_toml`]: every rule
//! refuses a configuration with a message naming the offending key
//! (`docs/protocol.md#configuration`), and the embedded sample configuration is valid.

use std::time::Duration;

use super::{DEFAULT_CONFIG, settings_from_toml};

/// A valid configuration setting every table the cases change. A case replaces whole tables
/// (or arrays of tables) of it, so each case's configuration is complete in itself and only
/// breaks the rule under test.
const VALID: &str = r#"
[server]
listen = "127.0.0.1:0"
public_url = "http://localhost:8080"
max_concurrent_requests = 8
[database]
url = "sqlite://emulator.db"
[token]
profile = "v1"
access_ttl = "1h"
refresh_ttl = "none"
[login]
mode = "headless"
headless_user = "ada"

[[api_keys]]
key = "key-one"
name = "One"
permissions = ["refresh", "entry_api"]
destinations = ["https://app.test/cb"]
[[api_keys]]
key = "key-two"
name = "Two"
permissions = ["refresh"]
destinations = ["https://other.test/cb", "*"]

[[users]]
uid = "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11"
nick = "ada"
password = "ada-secret"
[[users]]
uid = "5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22"
nick = "grace"
password = "grace-secret"
"#;

const ADA_UID: &str = "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11";

/// [`VALID`] with the tables in `changes` replacing its own.
pub(super) fn valid_but(changes: &str) -> String {
    let mut config: toml::Table = VALID.parse().expect("VALID is TOML");
    let changes: toml::Table = changes.parse().expect("the change is TOML");
    for (name, value) in changes {
        match (config.get_mut(&name), value) {
            (Some(toml::Value::Table(table)), toml::Value::Table(change)) => table.extend(change),
            (_, value) => {
                config.insert(name, value);
            }
        }
    }
    config.to_string()
}

/// `ada` and then a second user with `fields` (TOML key/value lines).
fn users_then(fields: &str) -> String {
    format!(
        "[[users]]\nuid = \"{ADA_UID}\"\nnick = \"ada\"\npassword = \"p\"\n\
         [[users]]\npassword = \"p\"\n{fields}\n"
    )
}

/// A valid confidential client and then a second client with `fields`.
fn clients_then(fields: &str) -> String {
    format!(
        "[[clients]]\nclient_id = \"one\"\nsecret = \"s1\"\nname = \"One\"\n\
         grants = [\"client_credentials\"]\n\
         [[clients]]\nname = \"Two\"\n{fields}\n"
    )
}

/// `key-one` and then a second API key with `fields`.
fn api_keys_then(fields: &str) -> String {
    format!(
        "[[api_keys]]\nkey = \"key-one\"\nname = \"One\"\n\
         [[api_keys]]\nname = \"Two\"\n{fields}\n"
    )
}

#[test]
fn the_configuration_the_cases_start_from_is_valid() {
    let settings = settings_from_toml(&valid_but("")).unwrap_or_else(|e| panic!("{e}"));

    assert_eq!(settings.users.len(), 2, "both users are read");
    assert_eq!(settings.api_keys.len(), 2, "both API keys are read");
}

#[test]
fn each_validation_rule_refuses_with_a_message_naming_the_key() {
    #[rustfmt::skip]
    let cases = [
        ("[server]\npublic_url = \"not a url\"".to_owned(), "server.public_url", "public_url is not a URL"),
        ("[server]\npublic_url = \"ftp://files.test/\"".to_owned(), "server.public_url", "public_url is not http(s)"),
        ("[database]\nurl = \"mysql://user:secret@db.test/emulator\"".to_owned(), "database.url", "a database other than SQLite or PostgreSQL"),
        ("[database]\nprune_batch = 0".to_owned(), "database.prune_batch", "pruning nothing"),
        ("[server]\nmax_concurrent_requests = 0".to_owned(), "server.max_concurrent_requests", "no request may be served"),
        ("[token]\naccess_ttl = \"0s\"".to_owned(), "token.access_ttl", "tokens that are expired when issued"),
        ("[token]\naccess_ttl = \"twelve hours\"".to_owned(), "token.access_ttl", "an access_ttl that is not a duration"),
        ("[token]\nrefresh_ttl = \"a fortnight\"".to_owned(), "token.refresh_ttl", "a refresh_ttl that is not a duration"),
        (users_then("uid = \"not-a-uuid\"\nnick = \"grace\""), "users[1].uid", "a uid that is not a UUID"),
        (users_then(&format!("uid = \"{ADA_UID}\"\nnick = \"grace\"")), "users[1]", "a uid used twice"),
        (users_then(&format!("uid = \"{}\"\nnick = \"grace\"", ADA_UID.to_uppercase())), "users[1]", "a uid used twice, in another case"),
        (users_then("uid = \"5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22\"\nnick = \"\""), "users[1].nick", "an empty nick"),
        (users_then("uid = \"5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22\"\nnick = \"  \""), "users[1].nick", "a blank nick"),
        (users_then("uid = \"5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22\"\nnick = \"ada\""), "users[1]", "a nick used twice"),
        (users_then("uid = \"5e0d7a4c-2f4b-4a55-9d1f-3c8b7e0f1a22\"\nnick = \"ADA\""), "users[1]", "a nick used twice, in another case"),
        (api_keys_then("key = \"\""), "api_keys[1].key", "an empty API key"),
        (api_keys_then("key = \"   \""), "api_keys[1].key", "a blank API key"),
        (api_keys_then("key = \"key-one\""), "api_keys[1].key", "an API key listed twice"),
        (api_keys_then("key = \"k\"\ndestinations = [\"ftp://x.test/\"]"), "api_keys[1].destinations[0]", "a destination that is not http(s)"),
        (api_keys_then("key = \"k\"\ndestinations = [\"*\", \"https://a.test/#f\"]"), "api_keys[1].destinations[1]", "a destination with a fragment"),
        ("[login]\nheadless_user = \"nobody\"".to_owned(), "login.headless_user", "a headless user that is not configured"),
        ("[oauth]\nissuer = \"realm\"".to_owned(), "oauth.issuer", "an issuer that is not a URL"),
        ("[oauth]\naccess_ttl = \"0s\"".to_owned(), "oauth.access_ttl", "client tokens expired when issued"),
        ("[oauth]\nrefresh_max_age = \"0s\"".to_owned(), "oauth.refresh_max_age", "refresh chains dead at birth"),
        ("[oauth]\nrefresh_reuse_grace = \"a while\"".to_owned(), "oauth.refresh_reuse_grace", "a grace that is not a duration"),
        (clients_then("client_id = \"one\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]"), "clients[1].client_id", "a client id used twice"),
        (clients_then("client_id = \"\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]"), "clients[1].client_id", "an empty client id"),
        (clients_then("client_id = \"a:b\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]"), "clients[1].client_id", "a client id HTTP Basic cannot carry"),
        (clients_then("client_id = \"two\"\nsecret = \"with-dash\"\ngrants = [\"client_credentials\"]"), "clients[1].secret", "a secret with other than letters and digits"),
        (clients_then("client_id = \"two\"\ngrants = [\"client_credentials\"]"), "clients[1].secret", "a confidential client without a secret"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\npublic = true\ngrants = [\"authorization_code\"]\nredirect_uris = [\"http://localhost/cb\"]"), "clients[1].secret", "a public client with a secret"),
        (clients_then("client_id = \"two\"\npublic = true\ngrants = [\"client_credentials\"]"), "clients[1].grants", "a public client using client credentials"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = []"), "clients[1].grants", "a client with no grant"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"implicit\"]"), "clients.1.grants.0", "a grant the realm does not offer"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"authorization_code\"]"), "clients[1].redirect_uris", "the code grant without a redirect URI"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"authorization_code\"]\nredirect_uris = [\"https://app.test/cb#x\"]"), "clients[1].redirect_uris", "a redirect URI with a fragment"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"authorization_code\"]\nredirect_uris = [\"javascript:alert(1)\"]"), "clients[1].redirect_uris", "a redirect URI that runs code"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]\npost_logout_redirect_uris = [\"/relative\"]"), "clients[1].post_logout_redirect_uris", "a relative logout redirect"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]\napis = [\"entry api\"]"), "clients[1].apis", "an API name with a space"),
        (clients_then("client_id = \"two\"\nsecret = \"s2\"\ngrants = [\"client_credentials\"]\nscopes = [\"x\"]"), "clients.1.scopes", "an unknown client setting"),
        ("[entry_api]\nupstream = \"localhost:4010\"".to_owned(), "entry_api.upstream", "an upstream without a scheme"),
        ("[entry_api]\nupstream = \"ftp://mock.test\"".to_owned(), "entry_api.upstream", "an upstream that is not http(s)"),
        ("[entry_api]\nupstream = \"http://user:pw@mock.test\"".to_owned(), "entry_api.upstream", "an upstream with credentials"),
        ("[entry_api]\nupstream = \"http://mock.test/?a=1\"".to_owned(), "entry_api.upstream", "an upstream with a query"),
        ("[entry_api]\nupstream_timeout = \"0s\"".to_owned(), "entry_api.upstream_timeout", "an upstream never waited for"),
        ("[entry_api]\ngateway = \"on\"".to_owned(), "entry_api.gateway", "a gateway that is not a boolean"),
        ("[entry_api]\npublic_reads = [\"events\"]".to_owned(), "entry_api.public_reads[0]", "a public read without a leading slash"),
        ("[entry_api]\npublic_reads = [\"/events\", \"/places/*\"]".to_owned(), "entry_api.public_reads[1]", "a public read with a wildcard"),
        ("[entry_api]\npublic_reads = [\"/events/../users\"]".to_owned(), "entry_api.public_reads[0]", "a public read with a dot segment"),
        ("[rate_limits]\naddress_burst = 0".to_owned(), "rate_limits.address_burst", "no failure allowed at all"),
        ("[rate_limits]\nkey_burst = 10001".to_owned(), "rate_limits.key_burst", "a burst beyond 10,000"),
        ("[rate_limits]\naddress_burst = -1".to_owned(), "rate_limits.address_burst", "a negative burst"),
        ("[rate_limits]\naddress_replenish = \"0s\"".to_owned(), "rate_limits.address_replenish", "a budget that never runs out"),
        ("[rate_limits]\nkey_replenish = \"2h\"".to_owned(), "rate_limits.key_replenish", "an interval beyond an hour"),
        ("[rate_limits]\nkey_replenish = \"soon\"".to_owned(), "rate_limits.key_replenish", "an interval that is not a duration"),
        ("[rate_limits]\nexempt_loopback = \"yes\"".to_owned(), "rate_limits.exempt_loopback", "an exemption that is not a boolean"),
    ];
    for (change, key, case) in cases {
        let config = valid_but(&change);

        let refused = settings_from_toml(&config).map(|_| ());

        let message = refused.expect_err(case).0;
        assert!(message.contains(&format!("`{key}`")), "{case}: {message}");
    }
}

#[test]
fn the_headless_user_may_be_named_by_nick_or_uid() {
    for user in ["ada", ADA_UID, "grace"] {
        let config = valid_but(&format!("[login]\nheadless_user = \"{user}\""));

        let settings = settings_from_toml(&config);

        assert!(settings.is_ok(), "{user}: {:?}", settings.err());
    }
}

#[test]
fn refresh_ttl_is_none_or_a_duration() {
    #[rustfmt::skip]
    let cases = [
        ("none", None, "none"),
        ("", None, "empty"),
        (" none ", None, "none with spaces"),
        ("14d", Some(Duration::from_secs(14 * 86_400)), "days"),
        ("1h 30m", Some(Duration::from_secs(5_400)), "hours and minutes"),
    ];
    for (value, expected, case) in cases {
        let config = valid_but(&format!("[token]\nrefresh_ttl = \"{value}\""));

        let settings = settings_from_toml(&config).unwrap_or_else(|e| panic!("{case}: {e}"));

        assert_eq!(settings.token.refresh_ttl, expected, "{case}");
    }
}

#[test]
fn rate_limits_are_on_for_every_address_by_default_and_each_setting_can_be_changed() {
    let defaults = settings_from_toml(&valid_but("")).unwrap_or_else(|e| panic!("{e}"));
    let changed = valid_but(
        "[rate_limits]\nenabled = false\naddress_burst = 1\naddress_replenish = \"1ms\"\n\
         key_burst = 10000\nkey_replenish = \"1h\"\nexempt_loopback = true",
    );

    let changed = settings_from_toml(&changed).unwrap_or_else(|e| panic!("{e}"));

    let limits = &defaults.rate_limits;
    assert!(limits.enabled && !limits.exempt_loopback, "{limits:?}");
    let limits = &changed.rate_limits;
    assert!(!limits.enabled && limits.exempt_loopback, "{limits:?}");
    assert_eq!((limits.address_burst, limits.key_burst), (1, 10_000));
    assert_eq!(limits.address_replenish, Duration::from_millis(1));
    assert_eq!(limits.key_replenish, Duration::from_secs(3600));
}

#[test]
fn the_embedded_sample_configuration_is_valid_and_has_the_documented_accounts() {
    let settings = settings_from_toml(DEFAULT_CONFIG).unwrap_or_else(|e| panic!("{e}"));

    let nicks: Vec<&str> = settings.users.iter().map(|u| u.nick.as_str()).collect();
    let keys: Vec<&str> = settings.api_keys.iter().map(|k| k.key.expose()).collect();
    assert_eq!(
        nicks,
        ["stiksels", "noemail"],
        "the users testing::TestServer names"
    );
    assert_eq!(
        keys,
        ["sample-key-with-refresh", "sample-key-without-refresh"],
        "the keys testing::TestServer names"
    );
    let clients: Vec<&str> = settings.clients.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        clients,
        [
            "Sample integration",
            "Sample integration without Entry API access"
        ]
    );
    assert_eq!(settings.oauth.access_ttl, Duration::from_secs(86_400));
    assert_eq!(
        settings.oauth_issuer(),
        "http://localhost:8080/realms/uitid"
    );
}

#[test]
fn the_gateway_is_on_exactly_when_an_upstream_is_set_unless_said_otherwise() {
    #[rustfmt::skip]
    let cases = [
        ("", false, "no upstream"),
        ("upstream = \"http://mock.test:4010/\"", true, "an upstream"),
        ("gateway = true", true, "on without an upstream"),
        ("upstream = \"https://mock.test\"\ngateway = false", false, "off with an upstream"),
    ];
    for (table, enabled, case) in cases {
        let config = valid_but(&format!("[entry_api]\n{table}"));

        let settings = settings_from_toml(&config).unwrap_or_else(|e| panic!("{case}: {e}"));

        assert_eq!(settings.entry_api.gateway_enabled(), enabled, "{case}");
    }
}

#[test]
fn public_reads_cover_their_paths_and_below_but_no_dot_segments() {
    let settings = settings_from_toml(&valid_but("")).unwrap_or_else(|e| panic!("{e}"));
    let entry_api = &settings.entry_api;
    #[rustfmt::skip]
    let cases = [
        ("/events", true), ("/events/", true), ("/events/1/calendar-summary", true),
        ("/places/x", true), ("/organizers", true), ("/offers/", true),
        ("/eventsx", false), ("/event", false), ("/users", false), ("/", false),
        ("/events/../users", false), ("/events/%2e%2E/users", false), ("/events/./x", false),
    ];
    for (path, public) in cases {
        assert_eq!(entry_api.is_public_read(path), public, "{path}");
    }
}
