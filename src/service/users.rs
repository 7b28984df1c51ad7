//! Users at runtime (`docs/protocol.md#control-plane`): list, read, create, replace and delete
//! the fake accounts. Deleting a user revokes its refresh tokens. Passwords are stored only as
//! hashes and never shown.

use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;

use super::Context;
use super::accounts::user_row;
use crate::config::UserSettings;
use crate::error::ControlError;
use crate::model::User;
use crate::secret::Secret;
use crate::store::Change;

/// A user as a request gives it: the fields of a configured `[[users]]` entry.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserInput {
    /// Required when creating; when replacing, it may be left out or must match.
    #[serde(default)]
    #[schema(format = "uuid")]
    pub uid: Option<String>,
    /// Not empty (nor only white space).
    #[schema(pattern = "\\S")]
    pub nick: String,
    #[serde(default)]
    pub email: String,
    #[schema(value_type = String)]
    pub password: Secret,
    #[serde(default)]
    pub claims: Map<String, Value>,
}

/// A user as the control plane shows it: never the password.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub uid: String,
    pub nick: String,
    pub email: String,
    pub claims: Map<String, Value>,
}

pub struct UserService {
    ctx: Arc<Context>,
}

impl UserService {
    pub(crate) fn new(ctx: Arc<Context>) -> Self {
        Self { ctx }
    }

    pub fn list(&self) -> Vec<UserView> {
        self.ctx
            .directory()
            .users()
            .iter()
            .map(|u| view(u))
            .collect()
    }

    /// By uid or nick.
    pub fn get(&self, uid_or_nick: &str) -> Result<UserView, ControlError> {
        let user = self.ctx.directory().user(uid_or_nick);
        user.map(|u| view(&u)).ok_or_else(|| unknown(uid_or_nick))
    }

    pub async fn create(&self, input: UserInput) -> Result<UserView, ControlError> {
        let uid = input
            .uid
            .clone()
            .ok_or_else(|| ControlError::invalid("uid", "a uid (UUID) is required"))?;
        let settings = validated(uid, input)?;
        let conflict = ControlError::Conflict {
            field: Some("uid"),
            message: format!(
                "uid {:?} or nick {:?} is taken",
                settings.uid, settings.nick
            ),
        };
        match self
            .ctx
            .store
            .create_user(&user_row(&settings, false))
            .await?
        {
            Change::Done => self.reloaded(&settings.uid).await,
            _ => Err(conflict),
        }
    }

    pub async fn replace(
        &self,
        uid_or_nick: &str,
        input: UserInput,
    ) -> Result<UserView, ControlError> {
        let existing = self.get(uid_or_nick)?;
        if input.uid.as_ref().is_some_and(|uid| *uid != existing.uid) {
            return Err(ControlError::invalid("uid", "a user's uid cannot change"));
        }
        let settings = validated(existing.uid.clone(), input)?;
        let row = user_row(&settings, false);
        match self.ctx.store.replace_user(&existing.uid, &row).await? {
            Change::Done => self.reloaded(&existing.uid).await,
            Change::NotFound => Err(unknown(uid_or_nick)),
            Change::Conflict => Err(ControlError::Conflict {
                field: Some("nick"),
                message: format!("nick {:?} is taken", settings.nick),
            }),
        }
    }

    pub async fn delete(&self, uid_or_nick: &str) -> Result<(), ControlError> {
        let existing = self.get(uid_or_nick)?;
        match self
            .ctx
            .store
            .delete_user(&existing.uid, self.ctx.now())
            .await?
        {
            Change::Done => {
                self.ctx.reload().await?;
                tracing::info!(uid = %existing.uid, "user deleted; its refresh tokens revoked");
                Ok(())
            }
            _ => Err(unknown(uid_or_nick)),
        }
    }

    async fn reloaded(&self, uid: &str) -> Result<UserView, ControlError> {
        self.ctx.reload().await?;
        self.get(uid)
    }
}

/// The same rules as for configured users, naming the field at fault.
fn validated(uid: String, input: UserInput) -> Result<UserSettings, ControlError> {
    if uuid::Uuid::parse_str(&uid).is_err() {
        return Err(ControlError::invalid(
            "uid",
            format!("{uid:?} is not a UUID"),
        ));
    }
    if input.nick.trim().is_empty() {
        return Err(ControlError::invalid("nick", "must not be empty"));
    }
    let text = [
        ("nick", input.nick.as_str()),
        ("email", input.email.as_str()),
    ];
    if let Some(field) = crate::model::field_with_nul(&text) {
        return Err(ControlError::invalid(
            field,
            "must not contain NUL characters",
        ));
    }
    Ok(UserSettings {
        uid,
        nick: input.nick,
        email: input.email,
        password: input.password,
        claims: input.claims,
    })
}

fn view(user: &User) -> UserView {
    UserView {
        uid: user.uid.clone(),
        nick: user.nick.clone(),
        email: user.email.clone(),
        claims: user.claims.clone(),
    }
}

fn unknown(uid_or_nick: &str) -> ControlError {
    ControlError::NotFound {
        field: None,
        message: format!("no user with uid or nick {uid_or_nick:?}"),
    }
}
