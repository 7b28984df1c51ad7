//! Prometheus metrics. One recorder per process (the `metrics` facade is global), so several
//! in-process servers share counters. Labels carry route templates, statuses and reasons,
//! never a token, key or user-supplied string.

use std::sync::OnceLock;
use std::time::Duration;

use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

/// Latency buckets in seconds: RS256 signing takes ~0.3 ms, SQLite writes ~1 ms.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
];

/// How often recorded latencies are folded into their buckets. Until then each sample is kept
/// on its own (about 20 bytes), so without this a server nobody scrapes grows with every
/// request; with it, memory is bounded by one interval's worth of samples.
const UPKEEP_INTERVAL: Duration = Duration::from_secs(1);

/// Installs the recorder on first use and returns the handle that renders it.
pub fn handle() -> &'static PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE.get_or_init(|| {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(
                Matcher::Full("http_request_duration_seconds".into()),
                LATENCY_BUCKETS,
            )
            .expect("the bucket list is not empty")
            .build_recorder();
        let handle = recorder.handle();
        // Another recorder may already be installed by an embedding application; then ours
        // only renders what it sees, which is nothing, and that is acceptable.
        let _ = metrics::set_global_recorder(recorder);
        let upkeep = handle.clone();
        // A plain thread: the recorder is process-wide and outlives any one runtime.
        let spawned = std::thread::Builder::new()
            .name("metrics-upkeep".into())
            .spawn(move || {
                loop {
                    std::thread::sleep(UPKEEP_INTERVAL);
                    upkeep.run_upkeep();
                }
            });
        if let Err(error) = spawned {
            tracing::warn!(%error, "cannot start the metrics upkeep; latencies pile up until scraped");
        }
        handle
    })
}

/// Prometheus text exposition of everything recorded so far.
pub fn render() -> String {
    handle().render()
}

/// A token was issued (`kind`: `access` or `refresh`).
pub fn token_issued(kind: &'static str) {
    metrics::counter!("uitid_tokens_issued_total", "kind" => kind).increment(1);
}

/// `/refresh` answered with a new access token.
pub fn refreshed() {
    metrics::counter!("uitid_refreshes_total").increment(1);
}

/// A request was refused; `reason` is one of a fixed set of words.
pub fn refused(reason: &'static str) {
    metrics::counter!("uitid_refusals_total", "reason" => reason).increment(1);
}

/// One answered request.
pub fn request(route: &str, method: &str, status: u16, seconds: f64) {
    let labels = [
        ("route", route.to_owned()),
        ("method", method.to_owned()),
        ("status", status.to_string()),
    ];
    metrics::counter!("http_requests_total", &labels).increment(1);
    let labels = [("route", route.to_owned()), ("method", method.to_owned())];
    metrics::histogram!("http_request_duration_seconds", &labels).record(seconds);
}
