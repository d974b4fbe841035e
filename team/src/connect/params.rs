//! The TLS parameters of a libpq connection string that tokio-postgres does not take (`sslmode`'s
//! verifying values, `sslrootcert`), taken out of the string in either of its two forms, the rest
//! left for tokio-postgres to parse.

/// The TLS parameters found, and the string without them.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Tls {
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
}

const TAKEN: [&str; 2] = ["sslmode", "sslrootcert"];

/// Splits `url` into the connection string tokio-postgres parses and the TLS parameters.
pub(super) fn split_tls(url: &str) -> Result<(String, Tls), String> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        split_url(url)
    } else {
        split_pairs(url)
    }
}

fn take(tls: &mut Tls, key: &str, value: String) {
    match key {
        "sslmode" => tls.sslmode = Some(value),
        _ => tls.sslrootcert = Some(value),
    }
}

/// The URL form: TLS parameters are in the query, `&`-separated and percent-encoded.
fn split_url(url: &str) -> Result<(String, Tls), String> {
    let mut tls = Tls::default();
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_string(), tls));
    };
    let mut kept = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').ok_or_else(|| format!("parameter '{pair}' has no value"))?;
        let key = decode(key)?;
        if TAKEN.contains(&key.as_str()) {
            take(&mut tls, &key, decode(value)?);
        } else {
            kept.push(pair);
        }
    }
    let rest = if kept.is_empty() { base.to_string() } else { format!("{base}?{}", kept.join("&")) };
    Ok((rest, tls))
}

fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3).ok_or("a '%' without two hex digits")?;
            out.push(u8::from_str_radix(hex, 16).map_err(|_| format!("'%{hex}' is not a hex escape"))?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "a parameter is not UTF-8 once decoded".to_string())
}

/// The `key=value` form: values may be in single quotes, `\` escapes the next character.
fn split_pairs(text: &str) -> Result<(String, Tls), String> {
    let mut tls = Tls::default();
    let mut kept = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            break;
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            return Err(format!("'{key}' is not followed by '='"));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let value = pair_value(&mut chars)?;
        if TAKEN.contains(&key.as_str()) {
            take(&mut tls, &key, value);
        } else {
            kept.push(format!("{key}='{}'", value.replace('\\', "\\\\").replace('\'', "\\'")));
        }
    }
    Ok((kept.join(" "), tls))
}

fn pair_value(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Result<String, String> {
    let mut value = String::new();
    let quoted = chars.next_if_eq(&'\'').is_some();
    loop {
        match chars.next() {
            None if quoted => return Err("a quoted value is not closed".to_string()),
            None => return Ok(value),
            Some('\'') if quoted => return Ok(value),
            Some(c) if c.is_whitespace() && !quoted => return Ok(value),
            Some('\\') => value.push(chars.next().ok_or("a value ends with '\\'")?),
            Some(c) => value.push(c),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(input: &str, rest: &str, sslmode: Option<&str>, root: Option<&str>) {
        let (got, tls) = split_tls(input).unwrap();
        assert_eq!(got, rest, "{input}");
        assert_eq!(tls.sslmode.as_deref(), sslmode, "{input}");
        assert_eq!(tls.sslrootcert.as_deref(), root, "{input}");
    }

    #[test]
    fn tls_parameters_come_out_of_both_forms() {
        check("postgres://bob@db/dossier", "postgres://bob@db/dossier", None, None);
        check(
            "postgres://bob@db/dossier?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem&connect_timeout=3",
            "postgres://bob@db/dossier?connect_timeout=3",
            Some("verify-full"),
            Some("/etc/ca.pem"),
        );
        check("postgresql://db?sslmode=require", "postgresql://db", Some("require"), None);
        check(
            "host=/tmp/x dbname = 'my db' sslmode=verify-ca sslrootcert='/a b/c\\'s.pem'",
            "host='/tmp/x' dbname='my db'",
            Some("verify-ca"),
            Some("/a b/c's.pem"),
        );
        check("  ", "", None, None);
        assert!(split_tls("host").is_err());
        assert!(split_tls("host='x").is_err());
        assert!(split_tls("postgres://db?sslmode").is_err());
    }
}
