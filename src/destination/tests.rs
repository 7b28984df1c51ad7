use super::*;

fn allowed() -> Vec<AllowedDestination> {
    vec![AllowedDestination::parse("https://app.test/cb").unwrap()]
}

#[test]
fn parser_confusion_attacks_are_refused() {
    let attacks = [
        "https://app.test@evil.test/cb",
        "https://app.test%2F@evil.test",
        "https://app.test.evil.test/cb",
        "https://evilapp.test/cb",
        "https:evil.test",
        "//evil.test/cb",
        "/\\evil.test",
        "https://app.test\\@evil.test",
        "http://app.test/cb",
        "https://app.test/cb\r\nSet-Cookie:x=1",
        "javascript:alert(1)",
        "data:text/html,x",
        "https://аpp.test/cb",
        "http://localhost.evil.test/cb",
        "http://127.0.0.1:80@evil.test/cb",
        "http://[::1]@evil.test",
        "https://@app.test/cb",
        "https://:@app.test/cb",
        "https://app.test/cb#frag",
        "ftp://app.test/cb",
        "",
    ];
    for attack in attacks {
        assert!(
            Destination::check(attack, &allowed()).is_err(),
            "{attack:?} was accepted"
        );
    }
}

#[test]
fn allowed_loopback_and_oob_destinations_pass() {
    for ok in [
        "https://app.test/cb",
        "https://app.test/cb?x=1",
        "https://APP.test:443/cb",
        "http://localhost:5173/cb",
        "http://127.0.0.1:49152/cb",
        "http://[::1]:8000/",
        "oob",
    ] {
        assert!(
            Destination::check(ok, &allowed()).is_ok(),
            "{ok:?} was refused"
        );
    }
}

#[test]
fn wildcard_admits_any_http_url_but_not_userinfo() {
    let any = [AllowedDestination::Any];
    assert!(Destination::check("https://anything.test/x", &any).is_ok());
    assert!(Destination::check("https://a@anything.test/x", &any).is_err());
}

#[test]
fn tokens_replace_existing_token_parameters_and_keep_order() {
    let destination =
        Destination::check("https://app.test/cb?x=1&jwt=a&b=%20&refresh=c", &allowed()).unwrap();
    assert_eq!(
        destination.with_tokens("http://localhost:8080", "J", Some("R")),
        "https://app.test/cb?x=1&b=%20&jwt=J&refresh=R"
    );
    assert_eq!(
        Destination::Oob.with_tokens("http://localhost:8080", "J", None),
        "http://localhost:8080/oob?jwt=J"
    );
}
