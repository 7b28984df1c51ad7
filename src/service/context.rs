//! What the services share, built once at start-up. Private to the service layer: routes reach
//! it only through the service types.

use std::sync::Arc;

use anyhow::Context as _;

use crate::clock::Clock;
use crate::config::Settings;
use crate::directory::Directory;
use crate::store::Store;
use crate::token::{KeyRing, KeyRingCell, TokenService};

use super::accounts::{key_row, user_row};
use super::client_rows::client_row;
use super::guessing::Guessing;
use super::housekeeping::Housekeeping;
use super::journal::Journal;
use super::shared::SharedState;
use super::signing_key;

pub(crate) struct Context {
    pub settings: Arc<Settings>,
    pub store: Store,
    pub tokens: TokenService,
    pub shared: Arc<SharedState>,
    pub housekeeping: Housekeeping,
    /// What this process answered (per process, bounded).
    pub journal: Journal,
    /// Failure budgets of client addresses and API keys (per process), one set for refresh
    /// tokens and one for passwords: a client that fumbles refreshes can still log in.
    pub refresh_guesses: Guessing,
    pub password_guesses: Guessing,
    /// Failed client authentications at the token endpoint, per address and client.
    pub client_guesses: Guessing,
}

impl Context {
    /// Opens the database, seeds it with the configured users, keys and clients, loads the shared state
    /// and watches it, and loads or generates the signing key.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        let store = Store::connect(&settings.database.url).await?;
        let users: Vec<_> = settings.users.iter().map(|u| user_row(u, true)).collect();
        let keys: Vec<_> = settings.api_keys.iter().map(|k| key_row(k, true)).collect();
        store
            .seed_accounts(&users, &keys)
            .await
            .context("cannot store the configured users and API keys")?;
        let clients: Vec<_> = settings
            .clients
            .iter()
            .map(|c| client_row(c, true))
            .collect();
        store
            .seed_clients(&clients)
            .await
            .context("cannot store the configured OAuth2 clients")?;
        let key = signing_key::load(&settings, &store, crate::clock::wall_seconds()).await?;
        let ring = Arc::new(KeyRingCell::new(KeyRing::new(Arc::new(key), Vec::new())?));
        let stored_keys = settings.signing.private_key_file.trim().is_empty();
        let shared = SharedState::load(&store, stored_keys.then(|| ring.clone()))
            .await
            .context("cannot read the shared state")?;
        shared.watch(store.clone());
        Ok(Self {
            tokens: TokenService::new(&settings, ring),
            housekeeping: Housekeeping::start(store.clone(), &shared, &settings.database),
            journal: Journal::default(),
            refresh_guesses: Guessing::start(&settings.rate_limits),
            password_guesses: Guessing::start(&settings.rate_limits),
            client_guesses: Guessing::start(&settings.rate_limits),
            shared,
            store,
            settings: Arc::new(settings),
        })
    }

    /// The current users and API keys.
    pub fn directory(&self) -> Arc<Directory> {
        self.shared.directory()
    }

    pub fn clock(&self) -> &Clock {
        self.shared.clock()
    }

    /// Unix seconds as the emulator sees them.
    pub fn now(&self) -> i64 {
        self.shared.clock().now()
    }

    /// Makes this process see a change it just stored, before the next poll.
    pub async fn reload(&self) -> anyhow::Result<()> {
        self.shared.reload(&self.store).await
    }
}
