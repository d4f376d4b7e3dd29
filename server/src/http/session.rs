//! Finds who is calling: the client address (the peer, or the first `X-Forwarded-For` hop from
//! the right that is not a trusted proxy) and the session behind the cookie, stored in the request
//! extensions for pages and server functions (`app::server::caller`).

use std::net::{IpAddr, SocketAddr};

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use cookie::Cookie;
use http::header;

use app::error::AppError;
use app::i18n::Lang;
use app::server::caller::RequestFacts;
use app::server::sessions;

use super::error::HttpError;
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
    let forwarded: Vec<&str> = request
        .headers()
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    let client_addr = peer
        .map(|peer| client_address(peer, &forwarded, &state.trusted_proxies).to_string())
        .unwrap_or_default();
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
    // The static bundle is the same for everyone: no session lookup (and no database) for it.
    let path = request.uri().path();
    let static_file = path.starts_with("/pkg/") || path == "/favicon.svg";
    let session = match session_token.as_ref().filter(|_| !static_file) {
        Some(token) => match sessions::resolve(&state.pool, token, &state.settings).await {
            Ok(session) => session,
            Err(e) => {
                // Who is calling is unknown: answering as if anonymous would send a signed-in
                // person to sign in. The whole answer is "briefly unavailable" (or the failure).
                let lang = request
                    .extensions()
                    .get::<Lang>()
                    .copied()
                    .unwrap_or_default();
                return HttpError::page(lang)(AppError::from(e)).into_response();
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
    let signed_in = session.is_some();
    let server_function =
        request.uri().path().starts_with("/api/") && !request.uri().path().starts_with("/api/v1/");
    request.extensions_mut().insert(RequestFacts {
        session,
        session_token,
        client_addr,
        user_agent,
    });
    let mut response = next.run(request).await;
    // What a signed-in person sees, and every server function's answer, is theirs alone: no
    // browser or shared cache keeps it (a download may say `private, no-store` itself).
    let stored_already = response
        .headers()
        .get(header::CACHE_CONTROL)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("no-store"));
    if (signed_in || server_function) && !stored_already {
        response.headers_mut().insert(
            header::CACHE_CONTROL,
            http::HeaderValue::from_static("no-store"),
        );
    }
    response
}

/// The client's address: the peer, unless the peer is a trusted proxy; then the
/// `X-Forwarded-For` hops (every header line, in order, each a comma-separated list) are walked
/// from the right, skipping trusted proxies, to the first hop that is not one. A hop that is not
/// an address stops the walk at the last trusted hop, since whatever stands left of it was
/// written by the client.
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[IpAddr]) -> IpAddr {
    let mut client = peer;
    if !trusted.contains(&client) {
        return client;
    }
    let hops = forwarded.iter().flat_map(|line| line.split(','));
    for hop in hops.collect::<Vec<_>>().into_iter().rev() {
        match hop.trim().parse::<IpAddr>() {
            Ok(address) => {
                client = address;
                if !trusted.contains(&address) {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use std::net::IpAddr;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_forwards() {
        let trusted = [ip("10.0.0.1")];
        assert_eq!(
            client_address(ip("198.51.100.7"), &["203.0.113.9"], &trusted),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn every_forwarded_line_is_read_and_walked_from_the_right_past_trusted_proxies() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        // The client wrote "1.2.3.4" itself; proxy 10.0.0.2 appended the real client, and
        // proxy 10.0.0.1 added a second header line naming 10.0.0.2.
        let lines = ["1.2.3.4, 203.0.113.9", "10.0.0.2"];
        assert_eq!(
            client_address(ip("10.0.0.1"), &lines, &trusted),
            ip("203.0.113.9")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &["203.0.113.9, 10.0.0.2"], &trusted),
            ip("203.0.113.9")
        );
    }

    #[test]
    fn garbage_or_nothing_forwarded_leaves_the_last_trusted_hop() {
        let trusted = [ip("10.0.0.1"), ip("10.0.0.2")];
        assert_eq!(
            client_address(ip("10.0.0.1"), &["spoofed, 10.0.0.2"], &trusted),
            ip("10.0.0.2")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &[], &trusted),
            ip("10.0.0.1")
        );
        assert_eq!(
            client_address(ip("10.0.0.1"), &["2001:db8::5"], &trusted),
            ip("2001:db8::5")
        );
    }
}
