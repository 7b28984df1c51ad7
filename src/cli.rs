//! The command line: `uitid-emulator [serve] [--config FILE]`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::load_settings;
use crate::startup::Application;

#[derive(Debug, Parser)]
#[command(
    name = "uitid-emulator",
    version,
    about = "A local stand-in for publiq's UiTiD JWT provider"
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
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let settings = load_settings(cli.config.as_deref())?;
            let app = Application::build(settings).await?;
            app.run_until_stopped().await
        }
    }
}
