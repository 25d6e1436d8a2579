//! Safe redirect targets, shared by the login form and the language switch.

/// A redirect target that stays on this site: an absolute path, not `//host`
/// or `/\host`, no control characters, not too long; anything else is `/`.
pub fn local_path(candidate: Option<&str>) -> String {
    match candidate {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && path.len() <= 2000
                && !path.chars().any(char::is_control) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

/// `text` percent-encoded for a query value.
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => out.push(byte as char),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// The backtest page after adopting the calibrated risk, on the same period.
pub fn backtest_adopted(from: &str, to: &str) -> String {
    format!(
        "/signals/backtest?from={}&to={}&adopted=1",
        encode_query(from.trim()),
        encode_query(to.trim())
    )
}

#[cfg(test)]
mod tests {
    use super::{encode_query, local_path};

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(encode_query("/people?q=a b&x=é"), "/people%3Fq%3Da%20b%26x%3D%C3%A9");
    }

    #[test]
    fn only_local_paths_are_redirect_targets() {
        assert_eq!(local_path(Some("/?q=zuider")), "/?q=zuider");
        assert_eq!(local_path(Some("/teams/3")), "/teams/3");
        for hostile in [
            "https://evil.example",
            "//evil.example",
            "/\\evil.example",
            "javascript:alert(1)",
            "/a\r\nSet-Cookie: x=1",
            "",
        ] {
            assert_eq!(local_path(Some(hostile)), "/", "{hostile:?}");
        }
        assert_eq!(local_path(None), "/");
    }
}
