//! Redirect targets taken from user input must stay on this site: a same-origin absolute path,
//! never `//host`, a scheme, a backslash or control characters (CR/LF would also split headers).

/// Returns `candidate` when it is a safe local path, otherwise `"/"`.
pub fn safe_return_path(candidate: &str) -> &str {
    let safe = candidate.starts_with('/')
        && !candidate.starts_with("//")
        && !candidate.starts_with("/\\")
        && candidate.len() <= 2048
        && !candidate.chars().any(|c| c.is_control() || c == '\\');
    if safe { candidate } else { "/" }
}

#[cfg(test)]
mod tests {
    use super::safe_return_path;

    #[test]
    fn keeps_local_paths_and_refuses_the_rest() {
        assert_eq!(safe_return_path("/bands?hs=0901"), "/bands?hs=0901");
        assert_eq!(safe_return_path("//evil.example/x"), "/");
        assert_eq!(safe_return_path("https://evil.example"), "/");
        assert_eq!(safe_return_path("/\\evil.example"), "/");
        assert_eq!(safe_return_path("/a\r\nSet-Cookie: x=1"), "/");
        assert_eq!(safe_return_path(""), "/");
        assert_eq!(safe_return_path("relative"), "/");
    }
}
