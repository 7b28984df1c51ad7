//! What the services share, built once at start-up. Private to the service layer: routes reach
//! it only through the service types.

use std::sync::Arc;

use crate::clock::Clock;
use crate::config::Settings;
use crate::directory::Directory;
use crate::store::Store;
use crate::token::TokenService;

use super::housekeeping::Housekeeping;
use super::signing_key;

pub(crate) struct Context {
    pub settings: Arc<Settings>,
    pub store: Store,
    pub tokens: TokenService,
    pub directory: Arc<Directory>,
    pub clock: Clock,
    pub housekeeping: Housekeeping,
}

impl Context {
    /// Opens the database, loads or generates the signing key, and resolves the directory.
    pub async fn start(settings: Settings) -> anyhow::Result<Self> {
        let store = Store::connect(&settings.database.url).await?;
        let clock = Clock::default();
        let key = Arc::new(signing_key::load(&settings, &store, clock.now()).await?);
        let published = vec![key.jwk.clone()];
        Ok(Self {
            tokens: TokenService::new(&settings, key, published)?,
            directory: Arc::new(Directory::from_settings(&settings)),
            housekeeping: Housekeeping::default(),
            store,
            clock,
            settings: Arc::new(settings),
        })
    }
}
