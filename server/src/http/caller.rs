//! Who is calling, as extractors: each asks its feature whether the caller may use the route,
//! before any body is read, and refuses through [`HttpError`].

use std::convert::Infallible;

use axum::extract::FromRequestParts;
use http::header;
use http::request::Parts;
use uuid::Uuid;

use app::i18n::Lang;
use app::server::caller::RequestFacts;
use app::server::sessions::Session;

use super::error::HttpError;
use super::state::AppState;

/// The organisation behind the checks API's `Authorization: Bearer <token>`.
pub struct ApiCaller {
    pub organisation: Uuid,
}

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let organisation =
            app::features::api_tokens::service::organisation_for(&state.pool, &state.tokens, token)
                .await?;
        Ok(ApiCaller { organisation })
    }
}

/// The language a program asks for: the first of its `Accept-Language`, else the default.
pub struct AcceptLanguage(pub Lang);

impl<S: Send + Sync> FromRequestParts<S> for AcceptLanguage {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        Ok(AcceptLanguage(
            parts
                .headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(Lang::parse)
                .unwrap_or_default(),
        ))
    }
}

/// A signed-in member whose organisation's batches these are (as for assessments).
pub struct BatchOwner {
    pub session: Session,
    pub owner: Uuid,
    pub client_addr: String,
}

impl<S: Send + Sync> FromRequestParts<S> for BatchOwner {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        let facts = parts.extensions.get::<RequestFacts>();
        let session = facts.and_then(|f| f.session.as_ref());
        let (session, owner) =
            app::features::batches::owner_of(session).map_err(HttpError::page(page_lang(parts)))?;
        Ok(BatchOwner {
            session: session.clone(),
            owner,
            client_addr: facts.map(|f| f.client_addr.clone()).unwrap_or_default(),
        })
    }
}

/// A valuation administrator, who may import reference data.
pub struct ReferenceImporter {
    pub session: Session,
    pub client_addr: String,
}

impl<S: Send + Sync> FromRequestParts<S> for ReferenceImporter {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        let facts = parts.extensions.get::<RequestFacts>();
        let session = facts.and_then(|f| f.session.as_ref());
        let session = app::features::reference::service::importer(session)
            .map_err(HttpError::page(page_lang(parts)))?;
        Ok(ReferenceImporter {
            session: session.clone(),
            client_addr: facts.map(|f| f.client_addr.clone()).unwrap_or_default(),
        })
    }
}

/// The page language the language middleware chose.
fn page_lang(parts: &Parts) -> Lang {
    parts.extensions.get::<Lang>().copied().unwrap_or_default()
}

/// Whether the request asks for JSON answers (the page's script, which sends one file per
/// request) rather than pages.
pub fn wants_json(headers: &http::HeaderMap) -> bool {
    headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|accept| accept.contains("application/json"))
}

/// A signed-in person working on documents or the library (each assessment or library then
/// decides what they may do), and whether they asked for JSON. Not signed in: sent to sign in,
/// or 401 for JSON.
pub struct DocumentsCaller {
    pub session: Session,
    pub caller: app::features::documents::service::Caller,
    pub json: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for DocumentsCaller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, HttpError> {
        let lang = page_lang(parts);
        let json = wants_json(&parts.headers);
        let facts = parts.extensions.get::<RequestFacts>();
        let Some(session) = facts.and_then(|f| f.session.clone()) else {
            let error = app::error::AppError::Unauthenticated;
            return Err(if json {
                HttpError::api(lang)(error)
            } else {
                HttpError::page(lang)(error)
            });
        };
        Ok(DocumentsCaller {
            caller: app::features::documents::service::Caller {
                actor: session.actor.clone(),
                client_addr: facts.map(|f| f.client_addr.clone()).unwrap_or_default(),
                lang,
            },
            session,
            json,
        })
    }
}

/// The caller behind an API token, for the documents API: its organisation and the person who
/// created the token (what it uploads is theirs), in the `Accept-Language` asked for. Which
/// assessments it reaches is decided per assessment (see
/// `app::features::documents::service::token_actor`).
pub struct ApiTokenCaller {
    pub organisation: Uuid,
    pub user: Uuid,
    pub client_addr: String,
    pub lang: Lang,
}

impl FromRequestParts<AppState> for ApiTokenCaller {
    type Rejection = HttpError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, HttpError> {
        let ApiCaller { organisation } = ApiCaller::from_request_parts(parts, state).await?;
        let AcceptLanguage(lang) = AcceptLanguage::from_request_parts(parts, state)
            .await
            .unwrap_or(AcceptLanguage(Lang::En));
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let user = app::features::documents::service::token_user(&state.pool, token)
            .await
            .map_err(HttpError::api(lang))?
            .ok_or(super::error::ApiError::Unauthorized(
                app::i18n::Msg::ApiTokenNotValid,
            ))?;
        Ok(ApiTokenCaller {
            organisation,
            user,
            client_addr: parts
                .extensions
                .get::<RequestFacts>()
                .map(|f| f.client_addr.clone())
                .unwrap_or_default(),
            lang,
        })
    }
}
