//! `uitid-emulator mint --user U --api-key K`, `--client C`, or `--user U --client C`: tokens
//! issued into the configured database, so a running server on that database honours the
//! refresh token (a rotating one for `--user` with `--client`).

use clap::Args;

use crate::app::App;
use crate::config::Settings;
use crate::error::ControlError;
use crate::service::MintRequest;

#[derive(Debug, Args)]
pub struct MintArgs {
    /// uid or nick of a configured user.
    #[arg(long, required_unless_present = "client")]
    user: Option<String>,
    /// An OAuth2 client's id: alone, a client access token; with --user, a user access token
    /// and a rotating refresh token, as a login gives.
    #[arg(long)]
    client: Option<String>,
    /// With --client: the scopes to ask for, e.g. "openid" for an id_token too.
    #[arg(long)]
    scope: Option<String>,
    /// A configured API key (a refresh token is minted when it has the refresh permission).
    #[arg(long = "api-key")]
    api_key: Option<String>,
    /// Lifetime instead of `token.access_ttl`, e.g. 5m.
    #[arg(long)]
    ttl: Option<String>,
    /// Issue an already expired token.
    #[arg(long)]
    expired: bool,
    /// Print `{"jwt": ..., "refresh": ...}` instead of `jwt=`, `refresh=` (and `id_token=`)
    /// lines.
    #[arg(long)]
    json: bool,
}

pub async fn run(settings: Settings, args: MintArgs) -> anyhow::Result<()> {
    let state = App::start(settings).await?;
    let request = MintRequest {
        user: args.user,
        client: args.client,
        scope: args.scope,
        api_key: args.api_key,
        ttl: args.ttl,
        expired: args.expired,
        ..Default::default()
    };
    let minted = state.mint.mint(&request).await.map_err(|e| match e {
        // Name the command-line flag the field came from.
        ControlError::Invalid { field, message } => {
            anyhow::anyhow!("{}: {message}", field.replace('_', "-"))
        }
        other => anyhow::Error::from(other),
    });
    state.close().await;
    let minted = minted?;
    if args.json {
        println!("{}", serde_json::to_string(&minted)?);
    } else {
        println!("jwt={}", minted.jwt);
        if let Some(refresh) = minted.refresh {
            println!("refresh={refresh}");
        }
        if let Some(id_token) = minted.id_token {
            println!("id_token={id_token}");
        }
    }
    Ok(())
}
