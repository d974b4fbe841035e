//! A letter marked privileged from its panel, in French: the basis chosen from the core's words, the
//! panel saying so, and a refusal said in French beside the form.

use crate::driver::*;

#[tokio::test(flavor = "current_thread")]
async fn a_letter_is_marked_privileged_from_its_panel_in_french() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("fr").await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-correspondence]").await;
    app.click("[data-testid=thread-letter] button").await;
    app.click("[data-testid=privilege-mark]").await;
    let basis = app.wait_css("[data-testid=privilege-basis]").await;
    basis.select_by_label("autre fondement").await.expect("choose other");
    app.click("[data-testid=privilege-save]").await;
    let said = app
        .until(
            "the refusal in French",
            async |a: &App| a.texts("[data-testid=privilege] [role=alert]").await,
            |t| !t.is_empty(),
        )
        .await;
    assert!(said[0].contains("sur quoi repose le secret"), "{said:?}");

    basis.select_by_label("secret professionnel de l’avocat").await.expect("choose the basis");
    app.type_into("[data-testid=privilege-description]", "Lettre de conseil sur les conditions de l’API").await;
    app.click("[data-testid=privilege-save]").await;
    let state = app
        .until(
            "the privilege in the panel",
            async |a: &App| a.texts("[data-testid=privilege-state]").await,
            |t| !t.is_empty(),
        )
        .await;
    assert!(state[0].contains("Couvert par le secret") && state[0].contains("secret professionnel"), "{state:?}");
    app.shot("privilege-panel-fr").await;
    app.stop().await;
}
