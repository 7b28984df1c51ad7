//! OAuth2 clients between their three forms: the configuration (or a control-plane request),
//! the stored row, and the model the directory holds.

use std::collections::BTreeSet;

use crate::config::ClientSettings;
use crate::model::{Grant, OAuthClient};
use crate::secret::TokenHash;
use crate::store::ClientRow;

fn json_list<T: serde::Serialize>(list: &[T]) -> String {
    serde_json::to_string(list).unwrap_or_else(|_| "[]".into())
}

pub(crate) fn client_row(client: &ClientSettings, configured: bool) -> ClientRow {
    let secret = client.secret.expose();
    ClientRow {
        client_id: client.client_id.clone(),
        secret_hash: (!client.public).then(|| TokenHash::of(secret.as_bytes()).0.to_vec()),
        name: client.name.clone(),
        grants: json_list(&client.grants),
        apis: json_list(&client.apis),
        redirect_uris: json_list(&client.redirect_uris),
        post_logout_redirect_uris: json_list(&client.post_logout_redirect_uris),
        configured,
    }
}

/// A stored client; `None` (logged) for a row no validated input could have produced.
pub(crate) fn client_of(row: ClientRow) -> Option<OAuthClient> {
    let secret_hash = match &row.secret_hash {
        None => Some(None),
        Some(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
            .ok()
            .map(|hash| Some(TokenHash(hash))),
    };
    let grants: Option<BTreeSet<Grant>> = serde_json::from_str(&row.grants).ok();
    let lists: Option<[Vec<String>; 3]> = (|| {
        Some([
            serde_json::from_str(&row.apis).ok()?,
            serde_json::from_str(&row.redirect_uris).ok()?,
            serde_json::from_str(&row.post_logout_redirect_uris).ok()?,
        ])
    })();
    let (Some(secret_hash), Some(grants), Some([apis, redirect_uris, post_logout])) =
        (secret_hash, grants, lists)
    else {
        tracing::warn!(client_id = %row.client_id, "a stored client is unreadable and is skipped");
        return None;
    };
    Some(OAuthClient {
        client_id: row.client_id,
        secret_hash,
        name: row.name,
        grants,
        apis,
        redirect_uris,
        post_logout_redirect_uris: post_logout,
    })
}
