//! API keys at runtime (`docs/protocol.md#control-plane`): list, read, create, replace and
//! delete. A key is stored only as its hash; listings show its first characters. Deleting a key
//! revokes the refresh tokens bound to it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::Context;
use super::accounts::key_row;
use crate::config::ApiKeySettings;
use crate::destination::AllowedDestination;
use crate::error::ControlError;
use crate::model::{ApiKey, Permission};
use crate::secret::{OpaqueToken, Secret, TokenHash};
use crate::store::Change;

/// A key as a request gives it: the fields of a configured `[[api_keys]]` entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApiKeyInput {
    /// When creating: the key clients will present; left out, a random one is made (and shown
    /// once, in the answer). When replacing: left out, or the key in the path.
    #[serde(default)]
    #[schema(value_type = Option<String>, pattern = "\\S")]
    pub key: Option<Secret>,
    /// Not empty (nor only white space).
    #[schema(pattern = "\\S")]
    pub name: String,
    /// What the key may do; anything else is a 400 naming `permissions`.
    // Strings, not `Permission`, so that `validated` can name the field in its 400.
    #[serde(default)]
    #[schema(value_type = Vec<Permission>)]
    pub permissions: Vec<String>,
    /// `*` or absolute http(s) URLs the key may be sent back to.
    #[serde(default)]
    pub destinations: Vec<String>,
}

/// A key as the control plane shows it: never the key, only its first characters.
#[derive(Debug, Serialize, ToSchema)]
pub struct ApiKeyView {
    pub name: String,
    pub key_hint: String,
    pub permissions: Vec<Permission>,
    pub destinations: Vec<String>,
    /// The key itself, only in the answer that created it with a generated key.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
}

pub struct ApiKeyService {
    ctx: Arc<Context>,
}

impl ApiKeyService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub fn list(&self) -> Vec<ApiKeyView> {
        self.ctx
            .directory()
            .api_keys()
            .iter()
            .map(|k| view(k))
            .collect()
    }

    pub fn get(&self, presented: &str) -> Result<ApiKeyView, ControlError> {
        let key = self.ctx.directory().api_key(presented);
        key.map(|k| view(&k)).ok_or_else(unknown)
    }

    pub async fn create(&self, input: ApiKeyInput) -> Result<ApiKeyView, ControlError> {
        let generated = input.key.is_none().then(OpaqueToken::generate);
        let key = match (&input.key, &generated) {
            (Some(key), _) => key.expose().to_owned(),
            (None, Some(generated)) => generated.as_str().to_owned(),
            (None, None) => unreachable!("a key is generated when none is given"),
        };
        let settings = validated(key.clone(), input)?;
        match self
            .ctx
            .store
            .create_api_key(&key_row(&settings, false))
            .await?
        {
            Change::Done => {
                self.ctx.reload().await?;
                let mut view = self.get(&key)?;
                view.key = generated.map(|g| g.as_str().to_owned());
                Ok(view)
            }
            _ => Err(ControlError::Conflict {
                field: Some("key"),
                message: "this API key exists already".into(),
            }),
        }
    }

    pub async fn replace(
        &self,
        presented: &str,
        input: ApiKeyInput,
    ) -> Result<ApiKeyView, ControlError> {
        if input.key.as_ref().is_some_and(|k| k.expose() != presented) {
            return Err(ControlError::invalid(
                "key",
                "a key cannot be renamed; create a new one",
            ));
        }
        let settings = validated(presented.to_owned(), input)?;
        match self
            .ctx
            .store
            .replace_api_key(&key_row(&settings, false))
            .await?
        {
            Change::Done => {
                self.ctx.reload().await?;
                self.get(presented)
            }
            _ => Err(unknown()),
        }
    }

    pub async fn delete(&self, presented: &str) -> Result<(), ControlError> {
        let hash = TokenHash::of(presented.as_bytes());
        match self
            .ctx
            .store
            .delete_api_key(hash.as_bytes(), self.ctx.now())
            .await?
        {
            Change::Done => {
                self.ctx.reload().await?;
                tracing::info!("API key deleted; its refresh tokens revoked");
                Ok(())
            }
            _ => Err(unknown()),
        }
    }
}

/// The same rules as for configured keys, naming the field at fault.
fn validated(key: String, input: ApiKeyInput) -> Result<ApiKeySettings, ControlError> {
    if key.trim().is_empty() {
        return Err(ControlError::invalid("key", "must not be empty"));
    }
    if input.name.trim().is_empty() {
        return Err(ControlError::invalid("name", "must not be empty"));
    }
    if let Some(field) = crate::model::field_with_nul(&[("key", &key), ("name", &input.name)]) {
        return Err(ControlError::invalid(
            field,
            "must not contain NUL characters",
        ));
    }
    let permissions = input
        .permissions
        .iter()
        .map(|p| {
            serde_json::from_value(serde_json::Value::String(p.clone())).map_err(|_| {
                ControlError::invalid(
                    "permissions",
                    format!("{p:?} is not a permission (refresh, entry_api)"),
                )
            })
        })
        .collect::<Result<Vec<Permission>, _>>()?;
    for destination in &input.destinations {
        AllowedDestination::parse(destination).map_err(|why| {
            ControlError::invalid("destinations", format!("{destination:?}: {why}"))
        })?;
    }
    Ok(ApiKeySettings {
        key: Secret::new(key),
        name: input.name,
        permissions,
        destinations: input.destinations,
    })
}

fn view(key: &ApiKey) -> ApiKeyView {
    let mut permissions: Vec<Permission> = key.permissions.iter().copied().collect();
    permissions.sort_by_key(|p| *p as u8);
    ApiKeyView {
        name: key.name.clone(),
        key_hint: key.hint.clone(),
        permissions,
        destinations: key.destinations.iter().map(ToString::to_string).collect(),
        key: None,
    }
}

fn unknown() -> ControlError {
    ControlError::NotFound {
        field: None,
        message: "no such API key".into(),
    }
}
