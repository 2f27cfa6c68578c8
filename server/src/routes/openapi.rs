//! `GET /openapi.json`: the OpenAPI 3.1 description collected from the handlers' annotations,
//! completed with the authentication schemes and the JSON errors every route may answer.

use std::sync::Arc;

use axum::http::header::CONTENT_TYPE;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;
use tiledesk_protocol::ErrorBody;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};
use utoipa::{PartialSchema, ToSchema};

use crate::state::AppState;

/// Error answers any route may give, with when.
const ERRORS: [(&str, &str); 12] = [
    (
        "400",
        "Malformed JSON, path or query, or an invalid or unknown project id",
    ),
    ("401", "Missing or invalid credentials"),
    (
        "403",
        "The caller's role in the project is too low, or the resource is someone else's",
    ),
    ("404", "No such object"),
    (
        "408",
        "The body did not arrive in full within the body timeout (30 s by default)",
    ),
    (
        "409",
        "The object is not in a state that allows this (such as routing a closed request)",
    ),
    (
        "413",
        "The body is over 500 KB (refused from its declared length, before it is sent)",
    ),
    ("414", "The URL is over 8 KiB"),
    ("415", "The body is not declared as `application/json`"),
    ("422", "A body field is missing or invalid"),
    (
        "429",
        "Too many requests from this user (valid credentials) or address (anything else), or \
         too many failed sign-ins for this account or address; see `Retry-After`",
    ),
    ("431", "Over 100 headers, or over 32 KiB of headers"),
];

pub fn routes(description: OpenApi) -> Router<AppState> {
    let json: Arc<str> = complete(description)
        .to_json()
        .unwrap_or_else(|_| "{}".to_owned())
        .into();
    Router::new().route(
        "/openapi.json",
        get(move || {
            let json = Arc::clone(&json);
            async move { ([(CONTENT_TYPE, "application/json")], json.to_string()).into_response() }
        }),
    )
}

/// Adds the title, the `basic` and `jwt` security schemes (required unless a route says
/// otherwise) and the error answers to every operation.
fn complete(mut api: OpenApi) -> OpenApi {
    api.info = utoipa::openapi::InfoBuilder::new()
        .title("tiledesk-local")
        .version(env!("CARGO_PKG_VERSION"))
        .license(Some(utoipa::openapi::License::new(env!(
            "CARGO_PKG_LICENSE"
        ))))
        .build();
    api.info.description = Some(
        "A Tiledesk-compatible chat API: REST, webhooks and custom events. Authenticate with \
         `Authorization: Basic base64(email:password)` or `Authorization: JWT <token>`."
            .to_owned(),
    );
    let components = api.components.get_or_insert_with(Default::default);
    components
        .schemas
        .insert(ErrorBody::name().into_owned(), ErrorBody::schema());
    components.security_schemes.insert(
        "basic".to_owned(),
        SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Basic).build()),
    );
    components.security_schemes.insert(
        "jwt".to_owned(),
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "Authorization",
            "`JWT <token>` as returned by the sign-in endpoints",
        ))),
    );
    api.security = Some(vec![
        SecurityRequirement::new("basic", Vec::<String>::new()),
        SecurityRequirement::new("jwt", Vec::<String>::new()),
    ]);
    for item in api.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            add_errors(operation);
        }
    }
    api
}

fn add_errors(operation: &mut Operation) {
    for (status, description) in ERRORS {
        let response = ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(ErrorBody::name())))
                    .build(),
            )
            .build();
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert(response.into());
    }
}
