//! The server's SQL: shipped inside the binary (`dossier team server-sql` prints it) so that a client
//! and the server it sets up always agree on the schema version.

/// The version of `server.sql`, kept in the server's `dossier_schema` table.
pub const SCHEMA_VERSION: i32 = 1;

const SERVER_SQL: &str = include_str!("server.sql");

/// The SQL a DBA runs once, as a superuser, in the database that becomes the team server: roles,
/// tables, row level security, the append trigger and the functions. Running it again is harmless.
/// With `pg_role`, it also creates that person's login (see [`login_sql`]).
pub fn server_sql(pg_role: Option<&str>) -> String {
    let mut sql = SERVER_SQL.to_string();
    if let Some(name) = pg_role {
        sql.push('\n');
        sql.push_str(&login_sql(name));
    }
    sql
}

/// The SQL that gives a person a login on the team server, a member of `dossier_member`, unless it
/// exists already. It sets no password: the DBA sets one (`\password NAME` in psql) or maps the login
/// to a certificate in `pg_hba.conf`. Any name is quoted safely.
pub fn login_sql(name: &str) -> String {
    let ident = quote_ident(name);
    let literal = quote_literal(name);
    let tag = dollar_tag(name);
    format!(
        "DO {tag}\nBEGIN\n  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal}) THEN\n    \
         CREATE ROLE {ident} LOGIN;\n  END IF;\nEND\n{tag};\nGRANT dossier_member TO {ident};\n"
    )
}

/// An identifier in double quotes, its quotes doubled: any text names exactly itself.
pub(crate) fn quote_ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A string literal in single quotes, its quotes doubled (standard_conforming_strings, on since
/// PostgreSQL 9.1, makes backslashes plain characters).
fn quote_literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// A dollar-quote tag the name does not contain, so the name cannot end the quoted block.
fn dollar_tag(name: &str) -> String {
    (0..).map(|i| format!("$login{i}$")).find(|tag| !name.contains(tag.as_str())).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_keeps_odd_names_whole() {
        assert_eq!(quote_ident(r#"a"b"#), r#""a""b""#);
        assert_eq!(quote_literal("o'neil"), "'o''neil'");
        assert_eq!(dollar_tag("x$login0$y"), "$login1$");
        let sql = login_sql("bob\"; DROP TABLE space; --");
        assert!(sql.contains(r#"CREATE ROLE "bob""; DROP TABLE space; --" LOGIN"#), "{sql}");
    }
}
