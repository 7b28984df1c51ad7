//! `GET /_emulator/openapi.json` (`docs/protocol.md#control-plane`): the control plane as
//! OpenAPI 3. Each route module registers its handlers with `routes!`, which takes the method and
//! path from the handler's `#[utoipa::path]`; the router and this description come from those
//! same declarations, so neither can name a route the other lacks.

use std::sync::Arc;

use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};
use utoipa::{OpenApi as _, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::http::error::ControlErrorBody;

const ADMIN_TOKEN: &str = "admin_token";

/// The access rule's refusals (`docs/protocol.md#control-plane`, "Access rule"), which every
/// route can answer and no handler declares: response name, status, description.
const REFUSALS: [(&str, &str, &str); 2] = [
    (
        "AdminTokenRequired",
        "401",
        "`admin.token` is configured and the request does not carry it.",
    ),
    (
        "LoopbackOnly",
        "403",
        "No `admin.token` is configured and the caller is not on loopback, or the request is \
         addressed to a foreign host name, or a browser sent a change for another origin.",
    ),
];

/// The document's fixed parts; the paths come from the route modules.
#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "uitid-emulator control plane",
        description = "Drives the emulator from a test: clock, minting, refresh tokens, users, \
                       API keys, signing keys, the local TLS CA, faults, the request journal, \
                       reset, and the dashboard page."
    ),
    components(schemas(ControlErrorBody))
)]
struct ControlApi;

/// An empty document to merge the route modules' routers into.
pub(super) fn start() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ControlApi::openapi())
}

pub(super) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(openapi_json))
}

/// The finished document, as the handler serves it.
#[derive(Clone)]
pub(super) struct Document(Arc<OpenApi>);

/// Adds the access rule, which the control router applies as a layer: the security scheme and
/// its refusals on every operation.
pub(super) fn finish(mut api: OpenApi) -> Document {
    let scheme = HttpBuilder::new()
        .scheme(HttpAuthScheme::Bearer)
        .description(Some(
            "`Authorization: Bearer <admin.token>` when `admin.token` is configured; \
             without one, loopback clients are served with no header and others refused.",
        ))
        .build();
    // The empty requirement is the alternative without a token (loopback, none configured).
    let token = SecurityRequirement::new(ADMIN_TOKEN, Vec::<String>::new());
    api.security = Some(vec![token, SecurityRequirement::default()]);
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(ADMIN_TOKEN, SecurityScheme::Http(scheme));
    let error = RefOr::Ref(Ref::from_schema_name(ControlErrorBody::name()));
    let error = ContentBuilder::new().schema(Some(error)).build();
    for (name, _, description) in REFUSALS {
        let response = ResponseBuilder::new()
            .description(description)
            .content("application/json", error.clone())
            .build();
        components.responses.insert(name.into(), RefOr::T(response));
    }
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (name, status, _) in REFUSALS {
                let refusal = RefOr::Ref(Ref::from_response_name(name));
                operation.responses.responses.insert(status.into(), refusal);
            }
        }
    }
    Document(Arc::new(api))
}

/// This document.
#[utoipa::path(
    get,
    path = "/_emulator/openapi.json",
    tag = "openapi",
    operation_id = "openapi",
    responses((status = 200, description = "An OpenAPI 3 document", content_type = "application/json"))
)]
async fn openapi_json(Extension(document): Extension<Document>) -> Response {
    Json(&*document.0).into_response()
}
