//! The command line. `uitid-emulator` alone runs the server on the embedded sample config.

mod check;
mod healthcheck;
mod keygen;
mod mint;
mod probe_tls;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::load_settings;
use crate::startup::Application;
use crate::telemetry::{self, LogTarget};

#[derive(Debug, Parser)]
#[command(
    name = "uitid-emulator",
    version,
    about = "A local stand-in for publiq's UiTiD JWT provider and the Entry API token check",
    after_help = "Without a subcommand, `serve` runs. Every setting can be overridden by an \
                  environment variable: UITID_EMULATOR__SECTION__KEY, e.g. \
                  UITID_EMULATOR__SERVER__LISTEN=0.0.0.0:8080."
)]
pub struct Cli {
    /// Configuration file (TOML); default: the embedded sample configuration.
    #[arg(long, short, global = true, value_name = "FILE")]
    pub config: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default).
    Serve,
    /// Write a new RSA-2048 private key (PKCS#8 PEM) for `signing.private_key_file`; the
    /// public key is printed, ready for resource servers.
    Keygen {
        /// Where to write the private key (created with mode 0600).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
        /// Replace an existing file.
        #[arg(long)]
        force: bool,
    },
    /// Issue tokens straight into the configured database, without a login.
    Mint(mint::MintArgs),
    /// Exit 0 when the server answers its readiness probe, 1 otherwise (for Docker/compose).
    /// Speaks TLS to an https:// URL, without verifying the certificate (`cli/probe_tls.rs`).
    Healthcheck {
        /// Readiness URL; default: derived from `server.listen` (https:// when the server
        /// serves TLS).
        #[arg(long, value_name = "URL")]
        url: Option<String>,
    },
    /// Configuration tools.
    Config {
        #[command(subcommand)]
        action: ConfigAction,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Validate FILE (with environment overrides) and print the effective configuration,
    /// secrets redacted.
    Check { file: PathBuf },
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = cli.config.as_deref();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = load_settings(config)?;
            telemetry::init(settings.log.format, LogTarget::Stdout);
            Application::build(settings)
                .await?
                .run_until_stopped()
                .await
        }
        Command::Keygen { out, force } => keygen::run(&out, force).await,
        Command::Mint(args) => {
            let settings = load_settings(config)?;
            telemetry::init(settings.log.format, LogTarget::Stderr);
            mint::run(settings, args).await
        }
        Command::Healthcheck { url } => healthcheck::run(url, config),
        Command::Config {
            action: ConfigAction::Check { file },
        } => check::run(&file),
    }
}
