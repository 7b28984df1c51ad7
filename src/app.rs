//! The application state every handler gets: one service per use case, wired once at start-up
//! (`docs/architecture.md#the-state`). Cheap to share: handlers take `State<AppState>`.

use std::sync::Arc;

use crate::config::Settings;
use crate::directory::Directory;
use crate::service::{
    ApiKeyService, AuthorizeService, ClientService, ClockService, ConnectService, Context,
    EntryApiService, FaultService, HealthService, JournalService, KeyService, LoginService,
    LogoutService, MintService, RealmLogoutService, RefreshService, RefreshTokenService,
    ResetService, TlsService, TokenEndpointService, UserInfoService, UserService,
};

/// What every handler gets.
pub type AppState = Arc<App>;

pub struct App {
    ctx: Arc<Context>,
    pub connect: ConnectService,
    pub login: LoginService,
    pub refresh: RefreshService,
    pub logout: LogoutService,
    pub entry_api: EntryApiService,
    pub keys: KeyService,
    pub clock: ClockService,
    pub mint: MintService,
    pub refresh_tokens: RefreshTokenService,
    pub users: UserService,
    pub api_keys: ApiKeyService,
    pub clients: ClientService,
    pub reset: ResetService,
    pub faults: FaultService,
    pub journal: JournalService,
    pub health: HealthService,
    pub oauth_token: TokenEndpointService,
    pub authorize: AuthorizeService,
    pub userinfo: UserInfoService,
    pub realm_logout: RealmLogoutService,
    /// The server's TLS identity and the local CA (`docs/tls.md`), loaded once at start.
    pub tls: TlsService,
}

impl App {
    /// Opens the database, loads or generates the signing key and the TLS material, and wires
    /// the services.
    pub async fn start(settings: Settings) -> anyhow::Result<AppState> {
        let ctx = Arc::new(Context::start(settings).await?);
        let tls = TlsService::load(&ctx).await?;
        Ok(Arc::new(Self {
            tls,
            connect: ConnectService::new(ctx.clone()),
            login: LoginService::new(ctx.clone()),
            refresh: RefreshService::new(ctx.clone()),
            logout: LogoutService::new(ctx.clone()),
            entry_api: EntryApiService::new(ctx.clone()),
            keys: KeyService::new(ctx.clone()),
            clock: ClockService::new(ctx.clone()),
            mint: MintService::new(ctx.clone()),
            refresh_tokens: RefreshTokenService::new(ctx.clone()),
            users: UserService::new(ctx.clone()),
            api_keys: ApiKeyService::new(ctx.clone()),
            clients: ClientService::new(ctx.clone()),
            reset: ResetService::new(ctx.clone()),
            faults: FaultService::new(ctx.clone()),
            journal: JournalService::new(ctx.clone()),
            health: HealthService::new(ctx.clone()),
            oauth_token: TokenEndpointService::new(ctx.clone()),
            authorize: AuthorizeService::new(ctx.clone()),
            userinfo: UserInfoService::new(ctx.clone()),
            realm_logout: RealmLogoutService::new(ctx.clone()),
            ctx,
        }))
    }

    /// The validated settings this server runs with (`public_url` resolved for port 0).
    pub fn settings(&self) -> &Settings {
        &self.ctx.settings
    }

    /// The configured users and API keys (read-only lookups).
    pub fn directory(&self) -> Arc<Directory> {
        self.ctx.directory()
    }

    /// Closes the database once serving has stopped.
    pub async fn close(&self) {
        self.ctx.store.close().await;
    }
}
