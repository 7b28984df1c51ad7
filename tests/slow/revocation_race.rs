//! `docs/reliability.md#concurrency`: a revocation racing refreshes of the same token, trial
//! after trial. Each trial revokes its token, and once the revocation has answered no refresh
//! of it succeeds: a refresh that started after that answer gets 400 `invalid_grant`, so no
//! access token is issued after the revocation committed.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::task::JoinSet;

use crate::scale;
use crate::support::*;

/// Clients refreshing the token while it is revoked.
const REFRESHERS: usize = 4;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "slow suite: cargo test --test slow -- --ignored"]
async fn in_every_trial_the_token_is_revoked_and_no_refresh_after_the_answer_succeeds() {
    let trials = scale::size("revoke/refresh trials", 200, 1000);
    let app = TestApp::spawn().await;
    let started = Instant::now();
    let (mut before, mut overlapped, mut late) = (0, 0, 0);
    for trial in 0..trials {
        let token = mint(
            &app,
            json!({"user": USER_NICK, "api_key": KEY_WITH_REFRESH}),
        )
        .await;
        let url = app.url(&format!(
            "/refresh?{}",
            form_query(&[
                ("apiKey", KEY_WITH_REFRESH),
                ("refresh", token["refresh"].as_str().unwrap())
            ])
        ));
        let answered = Arc::new(AtomicBool::new(false));
        let refreshes = spawn_refreshers(&app, &url, &answered);
        // A different moment in each trial: the revocation lands before, between or after refreshes.
        tokio::time::sleep(Duration::from_micros(trial as u64 % 7 * 300)).await;
        let revoked = app
            .api
            .delete(app.url(&format!(
                "/_emulator/refresh-tokens?user={USER_NICK}&api_key={KEY_WITH_REFRESH}"
            )))
            .send()
            .await
            .expect("the revocation is answered");
        answered.store(true, Ordering::Release);
        let status = revoked.status();
        let body: Value = revoked.json().await.expect("a JSON answer");

        assert_eq!(
            (status.as_u16(), &body["revoked"]),
            (200, &json!(1)),
            "trial {trial}: {body}"
        );
        for (after_answer, status) in refreshes.join_all().await.into_iter().flatten() {
            assert!(matches!(status, 200 | 400), "trial {trial}: a {status}");
            if after_answer {
                late += 1;
                assert_eq!(
                    status, 400,
                    "trial {trial}: a refresh sent after the revocation answered"
                );
            } else if status == 200 {
                before += 1;
            } else {
                overlapped += 1; // refused: the revocation committed before its answer arrived
            }
        }
    }
    eprintln!(
        "{trials} trials in {:?}: before the revocation answered, {before} refreshes succeeded \
         and {overlapped} were refused; all {late} sent after it were refused",
        started.elapsed()
    );
}

/// Clients refreshing `url` until the first refresh they send after `answered`; each answer
/// with whether its request left after the revocation was answered.
fn spawn_refreshers(
    app: &TestApp,
    url: &str,
    answered: &Arc<AtomicBool>,
) -> JoinSet<Vec<(bool, u16)>> {
    let mut refreshers = JoinSet::new();
    for _ in 0..REFRESHERS {
        let (api, url, answered) = (app.api.clone(), url.to_owned(), answered.clone());
        refreshers.spawn(async move {
            let mut seen = vec![];
            loop {
                let after_answer = answered.load(Ordering::Acquire);
                let status = send(api.get(&url)).await.status().as_u16();
                seen.push((after_answer, status));
                if after_answer {
                    return seen;
                }
            }
        });
    }
    refreshers
}
