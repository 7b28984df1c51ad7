//! A control-plane client request checked against the rules of configured clients, and a
//! client as the control plane shows it (`docs/protocol.md#oauth2-clients`).

use super::clients::{ClientInput, ClientView};
use crate::config::ClientSettings;
use crate::error::ControlError;
use crate::model::{Grant, OAuthClient};

/// The rules of configured clients, naming the field at fault.
/// `secret_kept`: the client is being replaced and keeps its stored secret.
pub(super) fn validated(
    client_id: String,
    input: ClientInput,
    secret_kept: bool,
) -> Result<ClientSettings, ControlError> {
    if input.name.trim().is_empty() {
        return Err(ControlError::invalid("name", "must not be empty"));
    }
    let grants = input
        .grants
        .iter()
        .map(|g| {
            Grant::from_wire(g).ok_or_else(|| {
                ControlError::invalid(
                    "grants",
                    format!(
                        "{g:?} is not a grant (client_credentials, authorization_code, \
                         refresh_token, password)"
                    ),
                )
            })
        })
        .collect::<Result<Vec<Grant>, _>>()?;
    let settings = ClientSettings {
        client_id,
        secret: input.secret.unwrap_or_default(),
        name: input.name,
        grants,
        apis: input.apis,
        redirect_uris: input.redirect_uris,
        post_logout_redirect_uris: input.post_logout_redirect_uris,
        public: input.public,
    };
    settings
        .fields(secret_kept)
        .check()
        .map_err(|(field, why)| ControlError::invalid(field, why))?;
    Ok(settings)
}

pub(super) fn view(client: &OAuthClient) -> ClientView {
    ClientView {
        client_id: client.client_id.clone(),
        name: client.name.clone(),
        grants: client.grants.iter().copied().collect(),
        apis: client.apis.clone(),
        redirect_uris: client.redirect_uris.clone(),
        post_logout_redirect_uris: client.post_logout_redirect_uris.clone(),
        public: client.is_public(),
        secret: None,
    }
}

pub(super) fn unknown() -> ControlError {
    ControlError::NotFound {
        field: None,
        message: "no such client".into(),
    }
}
