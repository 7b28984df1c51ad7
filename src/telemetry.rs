//! Logging set-up: the global subscriber, pretty or JSON. What a request logs is decided by the
//! trace middleware (`http::middleware::trace`).

use tracing_subscriber::EnvFilter;
use tracing_subscriber::fmt::writer::BoxMakeWriter;

use crate::config::LogFormat;

/// Where log lines go: the server logs to stdout; one-shot commands keep stdout for output.
#[derive(Debug, Clone, Copy)]
pub enum LogTarget {
    Stdout,
    Stderr,
}

/// Installs the global subscriber (`RUST_LOG` wins; default `info`). Safe to call twice.
pub fn init(format: LogFormat, target: LogTarget) {
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let writer = match target {
        LogTarget::Stdout => BoxMakeWriter::new(std::io::stdout),
        LogTarget::Stderr => BoxMakeWriter::new(std::io::stderr),
    };
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer);
    let _ = match format {
        LogFormat::Json => builder
            .json()
            .with_current_span(true)
            .with_span_list(false)
            .try_init(),
        LogFormat::Pretty => {
            let ansi = std::io::IsTerminal::is_terminal(&std::io::stdout());
            builder.with_ansi(ansi).try_init()
        }
    };
}
