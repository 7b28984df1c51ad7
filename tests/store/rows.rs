//! Sample rows for the cases: what the services would store, with recognisable values.

use uitid_emulator::store::{
    ApiKeyRow, ClientRow, CodeRecord, FaultRow, NewChain, NewRefreshToken, UserRow,
};

/// A 32-byte hash whose bytes are all `byte`.
pub fn hash(byte: u8) -> [u8; 32] {
    [byte; 32]
}

pub fn user(uid: &str, nick: &str, configured: bool) -> UserRow {
    UserRow {
        uid: uid.to_owned(),
        nick: nick.to_owned(),
        email: format!("{uid}@example.test"),
        password_hash: hash(uid.len() as u8).to_vec(),
        claims: r#"{"given_name":"Test"}"#.to_owned(),
        configured,
    }
}

pub fn api_key(byte: u8, name: &str, configured: bool) -> ApiKeyRow {
    ApiKeyRow {
        key_hash: hash(byte).to_vec(),
        name: name.to_owned(),
        key_hint: format!("{byte:02x}..."),
        permissions: r#"["refresh"]"#.to_owned(),
        destinations: "[]".to_owned(),
        configured,
    }
}

/// A confidential client (secret hash of `byte`s), or a public one when `byte` is 0.
pub fn client(id: &str, byte: u8, configured: bool) -> ClientRow {
    ClientRow {
        client_id: id.to_owned(),
        secret_hash: (byte != 0).then(|| hash(byte).to_vec()),
        name: format!("Client {id}"),
        grants: r#"["client_credentials"]"#.to_owned(),
        apis: r#"["entry"]"#.to_owned(),
        redirect_uris: "[]".to_owned(),
        post_logout_redirect_uris: "[]".to_owned(),
        configured,
    }
}

pub fn token(byte: u8, uid: &str, key: u8, expires_at: Option<i64>) -> NewRefreshToken {
    NewRefreshToken {
        token_hash: hash(byte),
        user_uid: uid.to_owned(),
        api_key_hash: hash(key),
        created_at: 1_000,
        expires_at,
    }
}

/// A fault on `route` used `times` times; `id` and `remaining` are the store's to set.
pub fn fault(route: &str, times: i64) -> FaultRow {
    FaultRow {
        id: 0,
        route: route.to_owned(),
        api_key_hash: None,
        api_key_name: None,
        user_uid: None,
        times,
        remaining: 0,
        action: r#"{"status":503}"#.to_owned(),
        breaks_token: false,
        created_at: 1_000,
        client_id: None,
    }
}

/// An authorization code (hash of `byte`s) of client `c1` for `u1` in session `s1`, logged in at
/// 1,000, until `expires_at`.
pub fn code(byte: u8, expires_at: i64) -> CodeRecord {
    CodeRecord {
        code_hash: hash(byte).to_vec(),
        client_id: "c1".to_owned(),
        redirect_uri: "https://app.example.test/cb".to_owned(),
        code_challenge: Some("E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM".to_owned()),
        nonce: Some("n-0S6".to_owned()),
        scope: "openid profile email".to_owned(),
        user_uid: "u1".to_owned(),
        sid: "s1".to_owned(),
        auth_time: 1_000,
        expires_at,
    }
}

/// A chain whose current token is the hash of `byte`s, of client `c1` for `u1` in session
/// `sid`, granted `scope`, made at 1,000 and ending at `expires_at`.
pub fn chain(byte: u8, sid: &str, scope: &str, expires_at: i64) -> NewChain {
    NewChain {
        token_hash: hash(byte),
        user_uid: "u1".to_owned(),
        client_id: "c1".to_owned(),
        sid: sid.to_owned(),
        scope: scope.to_owned(),
        nonce: None,
        auth_time: 1_000,
        created_at: 1_000,
        expires_at,
    }
}
