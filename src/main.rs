//! Thin entry point: parse the command line, set up logging, run.

use std::process::ExitCode;

use clap::Parser;
use uitid_emulator::cli::{Cli, run};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    uitid_emulator::telemetry::init();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("uitid-emulator: {error:#}");
            ExitCode::FAILURE
        }
    }
}
