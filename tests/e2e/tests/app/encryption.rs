//! An encrypted database in the app: encrypting it from the Security menu, locking it, and the unlock
//! screen that shows nothing of the record until the passphrase is given.

use std::path::{Path, PathBuf};

use crate::driver::*;

/// The files of the app's database: the database, its WAL, its key file, its evidence files.
fn database_files(data_home: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut todo = vec![data_home.join("org.dossier.app")];
    while let Some(dir) = todo.pop() {
        for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = entry.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            if path.is_dir() && name.starts_with("dossier.sqlite") {
                todo.push(path);
            } else if path.is_file() && (name.starts_with("dossier.sqlite") || dir.to_string_lossy().contains(".files"))
            {
                out.push(path);
            }
        }
    }
    out
}

fn holding(files: &[PathBuf], needle: &str) -> Vec<PathBuf> {
    files
        .iter()
        .filter(|f| std::fs::read(f).unwrap_or_default().windows(needle.len()).any(|w| w == needle.as_bytes()))
        .cloned()
        .collect()
}

#[tokio::test(flavor = "current_thread")]
async fn an_encrypted_database_opens_only_with_its_passphrase() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;
    assert!(!holding(&database_files(data.path()), "Microsoft").is_empty(), "the demo database starts in plain text");

    // Encrypting: a mistyped confirmation is caught beside its field, then the database is encrypted.
    app.click("[data-testid=security]").await;
    app.click("[data-testid=encrypt]").await;
    app.type_into("#f-passphrase", "correct horse battery").await;
    app.type_into("#f-confirm", "correct horse batery").await;
    app.click("[data-testid=save]").await;
    let beside = app.wait_css("[data-field=confirm] [data-testid=field-error]").await.text().await.expect("text");
    assert!(beside.contains("differ"), "{beside}");
    app.type_into("#f-confirm", "correct horse battery").await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    assert!(notice.contains("encrypted"), "{notice}");
    let files = database_files(data.path());
    assert!(files.iter().any(|f| f.to_string_lossy().ends_with("dossier.sqlite.key")), "{files:?}");
    assert_eq!(holding(&files, "Microsoft"), Vec::<PathBuf>::new(), "no file of the database names a party");

    // Locked: the unlock screen, and nothing of the record on the page.
    app.click("[data-testid=lock]").await;
    app.wait_css("[data-testid=unlock]").await;
    let page = app.client.source().await.expect("page source");
    assert!(!page.contains("Twitter") && !page.contains("Microsoft"), "a locked window shows nothing of the record");
    app.shot("unlock-en").await;
    app.type_into("[data-testid=passphrase]", "correct horse").await;
    app.click("[data-testid=unlock-button]").await;
    let refused = app.wait_css("[data-testid=unlock-error]").await.text().await.expect("text");
    assert_eq!(refused, "Wrong passphrase.");
    app.type_into("[data-testid=passphrase]", "correct horse battery").await;
    app.click("[data-testid=unlock-button]").await;
    app.wait_css("[data-testid=case-twitter-v-microsoft]").await;
    app.stop().await;

    // A new start opens on the unlock screen; the passphrase opens the demo case again.
    let app = App::start_locked(data.path()).await;
    app.set_lang("fr").await;
    app.shot("unlock-fr").await;
    app.type_into("[data-testid=passphrase]", "correct horse battery").await;
    app.click("[data-testid=unlock-button]").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    let rows = app.until("the demo timeline", App::timeline, |rows| rows.len() > 10).await;
    assert!(rows.iter().any(|(_, kind, title)| kind == "letter" && title.contains("Twitter")), "{rows:?}");

    // A backup from the Security menu is encrypted too.
    let backup = data.path().join("backups").join("copy.sqlite");
    app.click("[data-testid=security]").await;
    app.shot("security-menu-fr").await;
    app.click("[data-testid=backup]").await;
    app.set_path("#f-path", &backup).await;
    app.save_form().await;
    let notice = app.wait_css("[data-testid=notice]").await.text().await.expect("notice");
    assert!(notice.contains("chiffrée") && notice.contains("1 pièce"), "{notice}");
    let copies: Vec<PathBuf> =
        std::fs::read_dir(data.path().join("backups")).expect("list").flatten().map(|e| e.path()).collect();
    assert!(copies.iter().any(|f| f.to_string_lossy().ends_with("copy.sqlite.key")), "{copies:?}");
    assert_eq!(holding(&copies, "Microsoft"), Vec::<PathBuf>::new(), "the backup names no party");
    app.stop().await;
}
