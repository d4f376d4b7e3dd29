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
            app::features::api_tokens::service::organisation_for(&state.pool, token).await?;
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
