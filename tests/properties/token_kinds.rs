//! `docs/protocol.md#entry-api-check`: for validly signed tokens of every kind (v1, id_token,
//! client and user access tokens) with any audience, any list of APIs, any API key and a known or
//! unknown user, `/user` answers what an independent reading of the check's table says
//! (`expected` below), driven through the router.

use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use axum::body::Body;
use axum::http::Request;
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{Value, json};

use crate::support::run_with_server;
use crate::tokens::{ISSUER, sign};

const KNOWN_UID: &str = "86a02c65-696d-4c16-a9b1-9e3bc8e6303c";
const UNKNOWN_UID: &str = "0b3c0e3e-6a3c-4d84-9f2b-0c4e1f6c2a11";
/// `token.client_id` of the properties' server (the default).
const PROVIDER: &str = "uitid-emulator";

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    V1,
    Id,
    Client,
    User,
}

#[derive(Debug, Clone)]
struct Case {
    kind: Kind,
    known_user: bool,
    apis: Vec<&'static str>,
    /// The `aud` claim (null: none).
    aud: Value,
    /// The `X-Api-Key` sent, if any.
    key: Option<&'static str>,
}

fn case() -> impl Strategy<Value = Case> {
    let kind = select(vec![Kind::V1, Kind::Id, Kind::Client, Kind::User]);
    let apis = prop::collection::vec(select(vec!["entry", "sapi", "entryx", "uitpas"]), 0..3);
    let aud = select(vec![
        json!(PROVIDER),
        json!("another-client"),
        json!(["another-client", PROVIDER]),
        json!(["https://api.publiq.be"]),
        Value::Null,
    ]);
    let key = select(vec![
        None,
        Some("prop-key"),
        Some("prop-key-anywhere"),
        Some("nope"),
    ]);
    (kind, any::<bool>(), apis, aud, key).prop_map(|(kind, known_user, apis, aud, key)| Case {
        kind,
        known_user,
        apis,
        aud,
        key,
    })
}

impl Case {
    fn claims(&self, now: i64) -> Value {
        let uid = if self.known_user {
            KNOWN_UID
        } else {
            UNKNOWN_UID
        };
        let mut claims = json!({"iss": ISSUER, "iat": now, "exp": now + 600, "sub": uid,
            "https://publiq.be/publiq-apis": self.apis.join(" "), "aud": self.aud});
        let extra = match self.kind {
            Kind::V1 => json!({"uid": uid, "nick": "someone"}),
            Kind::Id => json!({"typ": "ID", "https://publiq.be/uitidv1id": uid}),
            Kind::Client => {
                json!({"typ": "Bearer", "gty": "client-credentials", "sub": "c@clients"})
            }
            Kind::User => json!({"typ": "Bearer", "https://publiq.be/uitidv1id": uid}),
        };
        let object = claims.as_object_mut().unwrap();
        object.extend(extra.as_object().unwrap().clone());
        object.retain(|_, value| !value.is_null());
        claims
    }

    /// The check's table read independently: `/user`'s status for this token.
    fn expected(&self) -> u16 {
        let lists_entry = self.apis.contains(&"entry");
        let aud_ok = match &self.aud {
            Value::String(aud) => aud == PROVIDER,
            Value::Array(auds) => auds.iter().any(|a| a == PROVIDER),
            _ => false,
        };
        let key = match self.key {
            None | Some("nope") => 401,
            Some("prop-key-anywhere") => 403,
            Some(_) => 200,
        };
        match self.kind {
            Kind::V1 => key,
            Kind::Id if !aud_ok => 401,
            Kind::Id if key != 200 => key,
            Kind::Client | Kind::User if !lists_entry => 403,
            Kind::Client => 401,
            Kind::Id | Kind::User if !self.known_user => 401,
            Kind::Id | Kind::User => 200,
        }
    }
}

#[test]
fn at_user_every_kind_of_token_gets_the_answer_the_table_gives() {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    run_with_server(96, case(), |harness, case| {
        let token = sign(
            r#"{"typ":"JWT","alg":"RS256"}"#,
            &case.claims(now).to_string(),
        );
        let mut request = Request::get("/user").header("authorization", format!("Bearer {token}"));
        if let Some(key) = case.key {
            request = request.header("x-api-key", key);
        }
        let peer = SocketAddr::from(([192, 0, 2, 1], 50000));
        let answer = harness.send(peer, request.body(Body::empty()).unwrap());
        prop_assert_eq!(answer.status().as_u16(), case.expected(), "{:?}", case);
        Ok(())
    });
}
