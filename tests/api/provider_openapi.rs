//! `docs/provider-openapi.json`: the provider routes and the Entry API check in machine form, the
//! description `scripts/fuzz.sh` fuzzes the server against. Written by hand, so it is held here to
//! the routes `docs/protocol.md#overview` lists, to the Entry API's documented problems, and to
//! what the server answers, so that it cannot drift silently.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::openapi::{assert_references_resolve_and_ids_are_unique, operations};
use crate::support::*;

fn description() -> Value {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/provider-openapi.json");
    let text = std::fs::read_to_string(path).expect("docs/provider-openapi.json");
    serde_json::from_str(&text).expect("docs/provider-openapi.json is JSON")
}

/// `value`, or what its `$ref` points to (siblings such as a description are left aside).
fn resolve<'a>(api: &'a Value, mut value: &'a Value) -> &'a Value {
    while let Some(reference) = value["$ref"].as_str() {
        let pointer = reference.strip_prefix('#').expect("a local reference");
        value = api.pointer(pointer).expect("the reference resolves");
    }
    value
}

#[test]
fn the_description_is_openapi_3_and_lists_exactly_the_documented_provider_routes() {
    let api = description();

    let version = api["openapi"].as_str().unwrap_or("");
    assert!(version.starts_with("3."), "openapi: {version:?}");
    let described: BTreeSet<Route> = operations(&api)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let documented = documented_provider_routes();
    assert!(documented.len() >= 13, "the table was read: {documented:?}");
    assert_same_routes(&described, &documented);
}

#[test]
fn every_reference_resolves_and_operation_ids_are_unique() {
    let api = description();

    assert_references_resolve_and_ids_are_unique(&api);
}

/// A request with no parameters, cookies or body is refused or served the documented way, and
/// the answer's status, Content-Type and required headers are the ones described.
#[tokio::test]
async fn a_bare_request_to_every_described_operation_gets_a_declared_answer() {
    let app = TestApp::spawn().await;
    let api = description();

    for (method, path, operation) in operations(&api) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let response = send(app.api.request(method.clone(), app.url(&path))).await;

        let status = response.status().as_u16();
        let case = format!("{method} {path}: {status}");
        let declared = &operation["responses"][status.to_string()];
        assert!(!declared.is_null(), "{case} is not declared");
        let declared = resolve(&api, declared);
        if let Some(content) = declared["content"].as_object() {
            let content_type = header(&response, "content-type").unwrap_or("(none)");
            assert!(content.contains_key(content_type), "{case}: {content_type}");
        }
        for (name, definition) in declared["headers"].as_object().into_iter().flatten() {
            if resolve(&api, definition)["required"] == true {
                assert!(header(&response, name).is_some(), "{case}: {name}");
            }
        }
    }
}

/// The problem details of `/user` are the ones `docs/protocol.md#entry-api-check` shows, members
/// in the same order.
#[test]
fn the_entry_api_problems_are_the_documented_ones() {
    let api = description();
    let protocol =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/protocol.md"))
            .expect("docs/protocol.md");
    let (_, section) = protocol
        .split_once(r#"<a id="entry-api-check"></a>"#)
        .expect("the entry-api-check anchor");
    let (_, block) = section
        .split_once("```json\n")
        .expect("the problem examples");
    let (block, _) = block.split_once("```").expect("the end of the examples");

    let examples: Vec<Value> = block
        .lines()
        .map(|line| serde_json::from_str(line).expect("one problem per line"))
        .collect();
    assert_eq!(examples.len(), 3);
    let user = &api["paths"]["/user"]["get"]["responses"];
    for example in examples {
        let status = example["status"].to_string();
        let content = &resolve(&api, &user[&status])["content"]["application/problem+json"];
        let schema = resolve(&api, &content["schema"]);
        let members: Vec<&String> = example.as_object().unwrap().keys().collect();
        let required: Vec<&str> = schema["required"]
            .as_array()
            .expect("required members")
            .iter()
            .map(|m| m.as_str().unwrap())
            .collect();
        assert_eq!(members, required, "{status}: the members, in order");
        assert_eq!(schema["additionalProperties"], false, "{status}");
        for member in ["type", "title", "status"] {
            let described = &schema["properties"][member]["const"];
            assert_eq!(described, &example[member], "{status}: {member}");
        }
    }
}
