//! What `docs/protocol.md` promises, read from the file itself so the tests hold the code to it.

use std::collections::BTreeSet;

/// `(method, path template)`, e.g. `("GET", "/_emulator/users/{uid}")`.
pub type Route = (String, String);

/// The routes of the control-plane endpoint table (`docs/protocol.md#control-endpoints`): one
/// row per path, its methods as code spans in the first cell, the path in the second.
pub fn documented_control_routes() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for row in table_rows("control-endpoints") {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let methods = code_spans(cells[1]);
        let paths = code_spans(cells[2]);
        assert_eq!(paths.len(), 1, "one path per row: {row}");
        assert!(!methods.is_empty(), "methods in: {row}");
        for method in methods {
            routes.insert((method, paths[0].clone()));
        }
    }
    routes
}

/// The provider and Entry API routes of the overview's roles table (`docs/protocol.md#overview`):
/// every row but the control plane's and operations', whose third cell lists the routes as code
/// spans, `GET` unless noted (`` `GET` and `POST /login` ``: a bare method applies to the next
/// path too). A path written `.../token` is under the realm's endpoints, as the realm's sections
/// abbreviate them (`docs/protocol.md#oauth2-realm`).
pub fn documented_provider_routes() -> BTreeSet<Route> {
    let mut routes = BTreeSet::new();
    for row in table_rows("overview") {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        if ["Control plane", "Operations"].contains(&cells[1]) {
            continue;
        }
        let mut pending = Vec::new();
        for span in code_spans(cells[3]) {
            let (method, path) = match span.split_once(' ') {
                Some((method, path)) => (method.to_owned(), path.to_owned()),
                None if span.starts_with('/') => ("GET".to_owned(), span),
                None => {
                    pending.push(span);
                    continue;
                }
            };
            let path = match path.strip_prefix("...") {
                Some(rest) => format!("{REALM_ENDPOINTS}{rest}"),
                None => path,
            };
            for method in pending.drain(..).chain([method]) {
                routes.insert((method, path.clone()));
            }
        }
        assert!(pending.is_empty(), "a method without a path: {row}");
    }
    routes
}

/// Where the realm's OpenID Connect endpoints live; `...` in the docs.
const REALM_ENDPOINTS: &str = "/realms/uitid/protocol/openid-connect";

/// The rows of the first table after `<a id="{anchor}">` in `docs/protocol.md`, without the
/// header and its `|---|` line.
fn table_rows(anchor: &str) -> Vec<String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/protocol.md");
    let protocol = std::fs::read_to_string(path).expect("docs/protocol.md");
    let (_, after) = protocol
        .split_once(&format!(r#"<a id="{anchor}"></a>"#))
        .unwrap_or_else(|| panic!("the {anchor} anchor"));
    after
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2)
        .map(str::to_owned)
        .collect()
}

/// The contents of the `` `...` `` spans in a table cell.
fn code_spans(cell: &str) -> Vec<String> {
    cell.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_owned)
        .collect()
}

/// Whether a concrete `path` is an instance of `template` (`{name}` matches one segment).
pub fn matches_template(template: &str, path: &str) -> bool {
    let template: Vec<&str> = template.split('/').collect();
    let path: Vec<&str> = path.split('/').collect();
    template.len() == path.len()
        && template
            .iter()
            .zip(&path)
            .all(|(t, p)| t == p || (t.starts_with('{') && t.ends_with('}') && !p.is_empty()))
}

/// The routes a description names (`described`) are exactly those the docs list.
pub fn assert_same_routes(described: &BTreeSet<Route>, documented: &BTreeSet<Route>) {
    let undescribed: Vec<_> = documented.difference(described).collect();
    let undocumented: Vec<_> = described.difference(documented).collect();
    assert!(
        undescribed.is_empty(),
        "in the docs, not described: {undescribed:?}"
    );
    assert!(
        undocumented.is_empty(),
        "described, not in the docs: {undocumented:?}"
    );
}
