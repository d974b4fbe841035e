//! A database from an older Dossier: its first start in this version upgrades it, keeps a copy from
//! before, and says so once; the footer says the app's version and the schema it writes.

use std::path::Path;
use std::time::Duration;

use dossier_core::store::schema_version;

use crate::driver::*;

/// A schema-1 database holding records, as the Dossier of that time wrote it (the core's fixture).
fn version_1(path: &Path) {
    let conn = rusqlite::Connection::open(path).expect("create a version-1 file");
    conn.execute_batch(include_str!("../../../../core/src/store/migrations/0001_record.sql")).expect("schema 1");
    conn.pragma_update(None, "foreign_keys", false).expect("load as a dump loads");
    conn.execute_batch(include_str!("../../../../core/tests/fixtures/db-v1.sql")).expect("its records");
    conn.pragma_update(None, "user_version", 1).expect("mark it version 1");
}

#[tokio::test(flavor = "current_thread")]
async fn an_older_database_is_upgraded_and_the_app_says_so_once() {
    let home = tempfile::tempdir().expect("temp dir");
    let db = home.path().join("v1.sqlite");
    version_1(&db);
    let env = [("DOSSIER_DB", db.to_str().expect("a UTF-8 path"))];

    let app = App::start_with(home.path(), &env).await;
    let notice = app.wait_css("[data-testid=upgrade-notice]").await.text().await.expect("notice");
    let to = schema_version();
    assert!(notice.contains(&format!("from schema version 1 to {to}")), "{notice}");
    assert!(notice.contains(&format!("v1.sqlite.before-v{to}-")), "names the copy from before: {notice}");
    let about = app.wait_css("[data-testid=about]").await.text().await.expect("about");
    assert_eq!(about, format!("Dossier {} · database schema {to}", env!("CARGO_PKG_VERSION")));
    app.shot("upgrade-notice-en").await;
    app.stop().await;

    // The next start finds nothing to upgrade and says nothing of it.
    let app = App::start_with(home.path(), &env).await;
    app.wait_css("[data-testid=about]").await;
    // The page asks for the notice once, right after the lock status: a moment is enough for it.
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(app.texts("[data-testid=upgrade-notice]").await, Vec::<String>::new());
    app.stop().await;
}
