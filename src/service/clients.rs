//! OAuth2 clients at runtime (`docs/protocol.md#control-plane`): list, read, create, replace
//! and delete, under the same rules as configured `[[clients]]`. A secret is stored only as its
//! hash; it is shown once, when the emulator generated it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Context;
use super::client_input::{unknown, validated, view};
use super::client_rows::client_row;
use crate::error::ControlError;
use crate::model::Grant;
use crate::secret::{OpaqueToken, Secret};
use crate::store::Change;

/// A client as a request gives it: the fields of a configured `[[clients]]` entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ClientInput {
    /// When creating: left out, a UUID is made (publiq issues UUIDs). When replacing: left
    /// out, or the id in the path.
    #[serde(default)]
    pub client_id: Option<String>,
    /// Letters and digits. Creating a confidential client without one generates one (shown
    /// once); replacing without one keeps the current secret.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub secret: Option<Secret>,
    pub name: String,
    // Strings, not `Grant`, so that `validated` can name the field in its 400.
    #[schema(value_type = Vec<Grant>)]
    pub grants: Vec<String>,
    #[serde(default)]
    pub apis: Vec<String>,
    #[serde(default)]
    pub redirect_uris: Vec<String>,
    #[serde(default)]
    pub post_logout_redirect_uris: Vec<String>,
    #[serde(default)]
    pub public: bool,
}

/// A client as the control plane shows it: never its secret, unless the emulator generated it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClientView {
    pub client_id: String,
    pub name: String,
    pub grants: Vec<Grant>,
    pub apis: Vec<String>,
    pub redirect_uris: Vec<String>,
    pub post_logout_redirect_uris: Vec<String>,
    pub public: bool,
    /// Only in the answer that created the client with a generated secret.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<String>,
}

pub struct ClientService {
    ctx: Arc<Context>,
}

impl ClientService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub fn list(&self) -> Vec<ClientView> {
        let directory = self.ctx.directory();
        directory.clients().iter().map(|c| view(c)).collect()
    }

    pub fn get(&self, client_id: &str) -> Result<ClientView, ControlError> {
        let client = self.ctx.directory().client(client_id);
        client.map(|c| view(&c)).ok_or_else(unknown)
    }

    pub async fn create(&self, mut input: ClientInput) -> Result<ClientView, ControlError> {
        let client_id = input
            .client_id
            .take()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let generated =
            (input.secret.is_none() && !input.public).then(OpaqueToken::generate_alphanumeric);
        if let Some(secret) = &generated {
            input.secret = Some(Secret::new(secret.as_str()));
        }
        let settings = validated(client_id.clone(), input, false)?;
        match self
            .ctx
            .store
            .create_client(&client_row(&settings, false))
            .await?
        {
            Change::Done => {
                self.ctx.reload().await?;
                let mut view = self.get(&client_id)?;
                view.secret = generated.map(|g| g.as_str().to_owned());
                Ok(view)
            }
            _ => Err(ControlError::Conflict {
                field: Some("client_id"),
                message: "a client with this id exists already".into(),
            }),
        }
    }

    pub async fn replace(
        &self,
        client_id: &str,
        input: ClientInput,
    ) -> Result<ClientView, ControlError> {
        if input.client_id.as_deref().is_some_and(|id| id != client_id) {
            return Err(ControlError::invalid(
                "client_id",
                "a client cannot be renamed; create a new one",
            ));
        }
        let current = self.ctx.directory().client(client_id).ok_or_else(unknown)?;
        // Without a new secret the stored one stays, which only fits if the client stays
        // confidential (a public client has none to keep).
        let keep_secret = input.secret.is_none() && !input.public && !current.is_public();
        let settings = validated(client_id.to_owned(), input, keep_secret)?;
        let row = client_row(&settings, false);
        match self.ctx.store.replace_client(&row, keep_secret).await? {
            Change::Done => {
                self.ctx.reload().await?;
                self.get(client_id)
            }
            _ => Err(unknown()),
        }
    }

    pub async fn delete(&self, client_id: &str) -> Result<(), ControlError> {
        match self.ctx.store.delete_client(client_id).await? {
            Change::Done => {
                self.ctx.reload().await?;
                tracing::info!("OAuth2 client deleted");
                Ok(())
            }
            _ => Err(unknown()),
        }
    }
}
