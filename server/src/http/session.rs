//! Finds who is calling: the client address (the peer, or the last `X-Forwarded-For` hop when
//! the peer is a trusted proxy) and the session behind the cookie, stored in the request
//! extensions for pages and server functions (`app::server::caller`).

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use cookie::Cookie;
use http::header;

use app::server::caller::RequestFacts;
use app::server::sessions;

use super::state::AppState;

pub async fn resolve_caller(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    let peer = request
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip());
    let forwarded = request
        .headers()
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok());
    let client_addr = match (peer, forwarded) {
        (Some(peer), Some(forwarded)) if state.trusted_proxies.contains(&peer) => {
            forwarded.to_string()
        }
        (Some(peer), _) => peer.to_string(),
        (None, _) => String::new(),
    };
    let cookie_name = state.settings.session_cookie_name();
    let session_token = request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(Cookie::split_parse)
        .flatten()
        .find(|c| c.name() == cookie_name && !c.value().is_empty())
        .map(|c| c.value().to_string());
    let session = match &session_token {
        Some(token) => match sessions::resolve(&state.pool, token, &state.settings).await {
            Ok(session) => session,
            Err(e) => {
                // An unreachable database makes the caller anonymous; the page itself reports it.
                tracing::warn!(error = %e, "could not resolve the session");
                None
            }
        },
        None => None,
    };
    let user_agent = request
        .headers()
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    request.extensions_mut().insert(RequestFacts {
        session,
        session_token,
        client_addr,
        user_agent,
    });
    next.run(request).await
}
