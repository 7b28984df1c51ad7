//! `docs/protocol.md#openapi`: `GET /_emulator/openapi.json` describes every control-plane route,
//! and only those the server has. The routes are checked three ways: the description against the
//! endpoint table in `docs/protocol.md#control-endpoints`, the description against the running
//! server, and the access-rule test's route list against the description.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::control_access::CONTROL_ROUTES;
use crate::support::*;

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

async fn description(app: &TestApp) -> Value {
    let response = app.get("/_emulator/openapi.json").await;
    assert_eq!(response.status(), 200);
    let content_type = header(&response, "content-type").unwrap_or("").to_owned();
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    response.json().await.expect("a JSON document")
}

/// Every `(METHOD, path template)` with the operation the description gives it.
pub(crate) fn operations(api: &Value) -> Vec<(String, String, &Value)> {
    let paths = api["paths"].as_object().expect("paths is an object");
    let mut found = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((method.to_uppercase(), path.clone(), operation));
            }
        }
    }
    found
}

#[tokio::test]
async fn the_description_is_openapi_3_and_lists_exactly_the_documented_control_routes() {
    let app = TestApp::spawn().await;

    let api = description(&app).await;

    let version = api["openapi"].as_str().unwrap_or("");
    assert!(version.starts_with("3."), "openapi: {version:?}");
    assert!(api["info"]["title"].is_string(), "an info title");
    let described: BTreeSet<(String, String)> = operations(&api)
        .into_iter()
        .map(|(method, path, _)| (method, path))
        .collect();
    let documented = documented_control_routes();
    assert!(documented.len() >= 15, "the table was read: {documented:?}");
    assert_same_routes(&described, &documented);
}

/// A concrete path for a template: ids nobody has, so the answers are 404s from the handlers.
fn concrete(template: &str) -> String {
    template
        .replace("{id}", "999999")
        .replace("{uid}", "nobody")
        .replace("{key}", "no-such-key")
        .replace("{client_id}", "no-such-client")
}

#[tokio::test]
async fn every_described_route_is_served_and_answers_a_status_it_declares() {
    let app = TestApp::spawn().await;
    let api = description(&app).await;

    for (method, template, operation) in operations(&api) {
        let path = concrete(&template);
        assert!(
            !path.contains('{'),
            "a value for every parameter of {template}"
        );
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        // An empty body: a route that requires one answers 400 before doing anything.
        let response = send(app.api.request(method.clone(), app.url(&path))).await;

        let status = response.status().as_u16();
        let json = header(&response, "content-type").is_some_and(|v| v.contains("json"));
        let case = format!("{method} {path}: {status}");
        assert_ne!(status, 405, "{case}: the router has no such method");
        assert!(
            status != 404 || json,
            "{case}: the router's 404, not a handler's"
        );
        let declared = &operation["responses"];
        assert!(
            declared.get(status.to_string()).is_some(),
            "{case} is not declared"
        );
        if operation["requestBody"]["required"] == true {
            assert_eq!(status, 400, "{case}: a required body was left out");
        }
    }
}

#[tokio::test]
async fn errors_and_the_access_rule_are_described() {
    let app = TestApp::spawn().await;
    let api = description(&app).await;

    let scheme = &api["components"]["securitySchemes"]["admin_token"];
    assert_eq!(scheme["type"], "http");
    assert_eq!(scheme["scheme"], "bearer");
    let security = api["security"].as_array().expect("a security list");
    assert!(
        security.iter().any(|r| r.get("admin_token").is_some()),
        "{security:?}"
    );
    assert!(
        security.iter().any(|r| r == &serde_json::json!({})),
        "the loopback case"
    );
    let error = &api["components"]["schemas"]["ControlErrorBody"];
    assert_eq!(error["required"], serde_json::json!(["error"]));
    assert!(error["properties"]["field"].is_object(), "{error}");
    for (method, path, operation) in operations(&api) {
        let responses = &operation["responses"];
        let case = format!("{method} {path}");
        for status in ["401", "403"] {
            assert!(responses.get(status).is_some(), "{case}: {status}");
        }
        // docs/protocol.md#control-plane: a body that is not the expected JSON is a 400, an
        // unknown id, user or key a 404.
        if operation.get("requestBody").is_some() {
            assert_error_schema(responses, "400", &case);
        }
        if path.contains('{') {
            assert_error_schema(responses, "404", &case);
        }
    }
}

fn assert_error_schema(responses: &Value, status: &str, case: &str) {
    let schema = &responses[status]["content"]["application/json"]["schema"]["$ref"];
    assert_eq!(
        schema, "#/components/schemas/ControlErrorBody",
        "{case}: {status}"
    );
}

#[tokio::test]
async fn every_reference_resolves_and_operation_ids_are_unique() {
    let app = TestApp::spawn().await;
    let api = description(&app).await;

    assert_references_resolve_and_ids_are_unique(&api);
}

/// Every `$ref` points into the document, and no two operations share an `operationId`.
pub(crate) fn assert_references_resolve_and_ids_are_unique(api: &Value) {
    let mut references = Vec::new();
    collect_references(api, &mut references);
    assert!(!references.is_empty());
    for reference in references {
        let pointer = reference.strip_prefix('#').expect("a local reference");
        assert!(api.pointer(pointer).is_some(), "{reference} resolves");
    }
    let ids: Vec<&str> = operations(api)
        .iter()
        .map(|(_, _, op)| op["operationId"].as_str().expect("an operationId"))
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(unique.len(), ids.len(), "{ids:?}");
}

pub(crate) fn collect_references(value: &Value, into: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get("$ref") {
                into.push(reference.clone());
            }
            map.values().for_each(|v| collect_references(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_references(v, into)),
        _ => {}
    }
}

#[tokio::test]
async fn the_access_rule_tests_cover_every_described_path() {
    let app = TestApp::spawn().await;
    let api = description(&app).await;

    for (_, template, _) in operations(&api) {
        let covered = CONTROL_ROUTES
            .iter()
            .any(|(_, path)| matches_template(&template, path));
        assert!(
            covered,
            "{template} is missing from control_access::CONTROL_ROUTES"
        );
    }
}
