//! Thin entry point: parse the command line and run it.

use std::process::ExitCode;

use clap::Parser;
use uitid_emulator::cli::{Cli, run};

#[tokio::main]
async fn main() -> ExitCode {
    match run(Cli::parse()).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("uitid-emulator: {error:#}");
            ExitCode::FAILURE
        }
    }
}
