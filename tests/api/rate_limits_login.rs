//! `docs/reliability.md#guessing`, the login form: a password can be guessed, so once a
//! client address or the key that started the flow has spent its failures, every attempt is
//! refused with 429 before its password is checked, the right one too, until `Retry-After`
//! has passed; a login that succeeds spends nothing.

use std::time::Duration;

use crate::support::*;

fn limits(address: u32, address_every: &str, key: u32) -> Setup {
    Setup::default().with_sections(&format!(
        "[rate_limits]\naddress_burst = {address}\naddress_replenish = \"{address_every}\"\n\
         key_burst = {key}\nkey_replenish = \"1h\"\nexempt_loopback = false"
    ))
}

async fn wrong(browser: &Browser, form: &LoginForm) -> reqwest::Response {
    browser.submit_login(form, USER_NICK, "a wrong guess").await
}

async fn right(browser: &Browser, form: &LoginForm) -> reqwest::Response {
    browser.submit_login(form, USER_NICK, USER_PASSWORD).await
}

#[tokio::test]
async fn once_the_burst_of_wrong_passwords_is_spent_the_right_one_waits_for_retry_after() {
    let server = limits(2, "1s", 1000).spawn().await;
    let browser = server.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;

    let burst = [
        wrong(&browser, &form).await.status(),
        wrong(&browser, &form).await.status(),
    ];
    let blocked = wrong(&browser, &form).await;
    let retry_after: u64 = header(&blocked, "retry-after").unwrap().parse().unwrap();
    let right_while_blocked = right(&browser, &form).await.status();
    tokio::time::sleep(Duration::from_secs(retry_after) + Duration::from_millis(100)).await;
    let right_after = right(&browser, &form).await;

    assert_eq!(burst, [200, 200], "the form again, with an error line");
    assert_eq!(blocked.status(), 429);
    assert_eq!(retry_after, 1, "one failure grows back per second");
    assert_eq!(
        right_while_blocked, 429,
        "refused before the password is checked"
    );
    assert_eq!(right_after.status(), 303, "then the right password logs in");
    Tokens::from_redirect(&right_after);
}

#[tokio::test]
async fn logins_that_succeed_spend_nothing() {
    let server = limits(1, "1h", 1).spawn().await;

    for _ in 0..20 {
        server.log_in(KEY_WITH_REFRESH, APP_CALLBACK).await;
    }
    let browser = server.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    let first_failure = wrong(&browser, &form).await.status();
    let second_failure = wrong(&browser, &form).await.status();

    assert_eq!(
        first_failure, 200,
        "twenty logins left the budget of one whole"
    );
    assert_eq!(second_failure, 429);
}

#[tokio::test]
async fn the_key_that_started_the_flow_has_a_budget_of_its_own() {
    let server = limits(1000, "1h", 2).spawn().await;
    let browser = server.browser();
    let form = browser
        .open_form(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    let other = browser
        .open_form(&connect_query(OTHER_KEY_WITH_REFRESH, OTHER_CALLBACK))
        .await;

    let spent = [
        wrong(&browser, &form).await.status(),
        wrong(&browser, &form).await.status(),
        right(&browser, &form).await.status(),
    ];
    let other_key = [
        wrong(&browser, &other).await.status(),
        right(&browser, &other).await.status(),
    ];

    assert_eq!(spent, [200, 200, 429], "the key's two failures are spent");
    assert_eq!(
        other_key,
        [200, 303],
        "another key's flow from the same address is not"
    );
}

#[tokio::test]
async fn failed_refreshes_do_not_spend_the_login_budget() {
    let app = limits(1, "1h", 1000).spawn().await;
    for _ in 0..3 {
        let guess = app.refresh_with(KEY_WITH_REFRESH, "a-guess").await;
        assert!(matches!(guess.status().as_u16(), 400 | 429));
    }
    assert_eq!(
        app.refresh_with(KEY_WITH_REFRESH, "a-guess").await.status(),
        429,
        "refreshes are spent"
    );
    let login = app
        .browser()
        .log_in(&connect_query(KEY_WITH_REFRESH, APP_CALLBACK))
        .await;
    assert_eq!(login.status(), 303, "a login still goes through");
}
