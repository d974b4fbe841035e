//! The window at 1024×768 and 1280×800, in English and in French: every main view (the case list
//! beside each of the case's seven tabs, the search results, the document viewer), with and without the
//! record panel open, fits the window's width and cuts no text without saying so.
//!
//! The rule, checked by a script in the page after each view has loaded:
//! - the page itself never scrolls sideways: `scrollWidth <= clientWidth` on the document element;
//! - every fixed box (a dialog, a menu, the search results) lies within the window;
//! - every element wider inside than its box (`scrollWidth > clientWidth + 1`, a pixel for rounding)
//!   fails, unless its `overflow-x` is `hidden` or `clip` and it ellipsizes its text: `text-overflow:
//!   ellipsis` on a block container (not a flex or grid box, where no ellipsis is drawn) whose `title`
//!   attribute is the same text (spacing aside), so that the whole of it shows on hover. A box that
//!   scrolls sideways (`auto`, `scroll`) fails as well: no main view is meant to, and that is what
//!   was found;
//! - every element taller inside than its box that does not scroll (`overflow-y` `visible`, `hidden`
//!   or `clip`) fails: its text spills over what follows or is cut at the bottom.
//!
//! Left out: form fields (`input`, `textarea`, `select`), whose text scrolls inside them as it is
//! typed, as everywhere on the platform; text for screen readers only, kept in a box of a pixel; and
//! the viewer's page area, where a page drawn wider than the window is scrolled on purpose.
//!
//! On the timeline, every bar of the strip must have a tooltip and the legend must name the kinds.
//! Screenshots: `window-<width>-<lang>-<view>[-panel].png` in `tests/e2e/screenshots/`.

use crate::driver::*;

const SIZES: [(u32, u32); 2] = [(1024, 768), (1280, 800)];

/// A case name, an evidence file name and the hash beside it are the longest words the app shows.
const LONG_CASE: &str = "Association européenne des consommateurs pour la protection des données personnelles \
     v. Consolidated International Telecommunications Holdings";
const LONG_FILE: &str = "Exhibit_C_Azure_OpenAI_data_processing_addendum_and_API_usage_logs_2023-04_full_export.txt";

/// Each tab, what shows once its content is loaded, and what a user clicks there to open a record
/// beside it (an XPath, so that the evidence chosen is the one with the long name).
const TABS: [(&str, &str, &str); 7] = [
    ("overview", "[data-testid=overview]", "//*[@data-testid='overview']//button[contains(@class,'link')]"),
    ("timeline", "[data-testid=entry]", "//li[@data-testid='entry'][@data-kind='letter']//button"),
    ("correspondence", "[data-testid=thread-letter]", "//li[@data-testid='thread-letter']//button"),
    ("allegations", "[data-testid=allegation-thread]", "//article[@data-testid='allegation-thread']/header/button"),
    ("parties", "[data-testid=case-roles] tr", "//table[@data-testid='case-roles']//button[contains(@class,'link')]"),
    ("agreements", ".view article.card", "//div[@class='view']//article//header/button"),
    (
        "evidence",
        "[data-testid=evidence-row]",
        "//tr[@data-testid='evidence-row']//button[contains(., 'Exhibit_C_Azure')]",
    ),
];

/// What does not fit in the page now, by the rule in this file's comment: one line per element.
const MISFITS: &str = r#"
const problems = [];
const root = document.documentElement;
if (root.scrollWidth > root.clientWidth) {
  problems.push(`the page scrolls sideways: ${root.scrollWidth}px in a ${root.clientWidth}px window`);
}
const flat = (s) => (s || '').replace(/\s+/g, ' ').trim();
const name = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.dataset.testid) s += `[data-testid=${el.dataset.testid}]`;
  if (typeof el.className === 'string' && el.className.trim()) s += '.' + el.className.trim().split(/\s+/).join('.');
  return `${s} "${flat(el.textContent).slice(0, 60)}"`;
};
const blocks = ['block', 'inline-block', 'list-item', 'flow-root', 'table-cell', 'table-caption'];
for (const el of document.querySelectorAll('body *')) {
  if (!(el instanceof HTMLElement)) continue;
  if (el.closest('input, textarea, select, .viewer-scroll')) continue;
  if (el.getClientRects().length === 0) continue;
  const box = el.getBoundingClientRect();
  if (box.width <= 1 && box.height <= 1) continue;
  const style = getComputedStyle(el);
  if (style.position === 'fixed') {
    if (box.left < -1 || box.right > window.innerWidth + 1) {
      problems.push(`${name(el)} runs out of the window: ${Math.round(box.left)}–${Math.round(box.right)}px`);
    }
  }
  const wider = el.scrollWidth - el.clientWidth;
  if (wider > 1) {
    const how = style.overflowX;
    if (how === 'visible') {
      problems.push(`${name(el)} spills ${wider}px out of its box`);
    } else if (how === 'auto' || how === 'scroll') {
      problems.push(`${name(el)} scrolls sideways by ${wider}px`);
    } else if (style.textOverflow !== 'ellipsis' || !blocks.includes(style.display)) {
      problems.push(`${name(el)} is cut by ${wider}px without an ellipsis`);
    } else {
      const text = flat(el.textContent);
      const title = flat(el.getAttribute('title'));
      if (!title || title !== text) {
        problems.push(`${name(el)} is ellipsized without its text in a title ("${title}")`);
      }
    }
  }
  const taller = el.scrollHeight - el.clientHeight;
  if (taller > 1 && !['auto', 'scroll'].includes(style.overflowY)) {
    problems.push(`${name(el)} is ${taller}px taller inside than its box (overflow-y ${style.overflowY})`);
  }
}
return problems;
"#;

/// Sets the size of the window (WebKitWebDriver asks the app's window to resize; under a bare X server
/// there is no frame, so the page gets the whole of it) and waits until the page has that size.
pub(crate) async fn resize(app: &App, width: u32, height: u32) {
    app.client.set_window_size(width, height).await.expect("set the window's size");
    let inner = async |a: &App| {
        let v = a.client.execute("return [window.innerWidth, window.innerHeight];", vec![]).await;
        v.ok().and_then(|v| serde_json::from_value::<(u32, u32)>(v).ok()).unwrap_or_default()
    };
    app.until("the window's new size", inner, |s| *s == (width, height)).await;
}

/// Every bar of the timeline's strip has a tooltip, and the legend beneath names the colours' kinds;
/// what is missing is added to `found`.
async fn strip_says_what_its_bars_are(app: &App, lang: &str, found: &mut Vec<String>) {
    let legend = app.texts("[data-testid=strip-legend]").await.concat();
    let words: &[&str] = match lang {
        "en" => &["event, letter", "Allegation, status change", "Deadline", "Paler", "Selected"],
        _ => &["événement, lettre", "Allégation, changement de statut", "Échéance", "Plus pâle", "Sélectionnée"],
    };
    for word in words.iter().filter(|w| !legend.contains(**w)) {
        found.push(format!("timeline-{lang}: the strip's legend does not name '{word}': '{legend}'"));
    }
    let bars = app
        .client
        .execute(
            "const bars = [...document.querySelectorAll('[data-testid=timeline-strip] svg[role=img] g.bar')];
             return [bars.length, bars.filter((g) => !g.querySelector('title')?.textContent.trim()).length];",
            vec![],
        )
        .await
        .expect("the strip's bars");
    let (count, untitled) = serde_json::from_value::<(u64, u64)>(bars).expect("two counts");
    assert!(count >= 10, "the demo's timeline draws its entries as bars: {count}");
    if untitled > 0 {
        found.push(format!("timeline-{lang}: {untitled} of {count} bars of the strip have no tooltip"));
    }
}

/// Checks the page as it is now, keeps a screenshot named `shot`, and adds what does not fit to `found`.
pub(crate) async fn check(app: &App, shot: &str, found: &mut Vec<String>) {
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let misfits = app.client.execute(MISFITS, vec![]).await.expect("the layout check");
    for problem in misfits.as_array().into_iter().flatten() {
        found.push(format!("{shot}: {}", problem.as_str().unwrap_or_default()));
    }
    app.shot(shot).await;
}

/// Searches, checks the results as `shot`, and closes them with Escape.
async fn search(app: &App, shot: &str, found: &mut Vec<String>) {
    app.type_into("[data-testid=search]", "Microsoft").await;
    app.wait_css("[data-testid=hit]").await;
    check(app, shot, found).await;
    app.wait_css("[data-testid=search]").await.send_keys("\u{e00c}").await.expect("Escape");
    app.wait_gone("[data-testid=search-results]").await;
}

#[tokio::test(flavor = "current_thread")]
async fn every_main_view_fits_the_window_at_1024_and_1280_in_english_and_french() {
    let _one = ONE_AT_A_TIME.lock().await;
    let data = tempfile::tempdir().expect("temp dir");
    let app = App::start(data.path()).await;
    app.set_lang("en").await;

    // The longest things a user gives: a case's name, and a file whose name has no space to break at.
    app.click("[data-testid=new-case]").await;
    app.type_into("#f-title", LONG_CASE).await;
    app.save_form().await;
    app.click("[data-testid=case-twitter-v-microsoft]").await;
    app.click("[data-testid=tab-evidence]").await;
    let file = data.path().join(LONG_FILE);
    std::fs::write(&file, b"Usage logs of the API, April 2023.\n").expect("write");
    app.click("[data-testid=attach-file]").await;
    app.set_path("#f-path", &file).await;
    app.save_form().await;
    app.wait_css("[data-testid=evidence-row]").await;
    app.click("[data-testid=record-panel] .panel-head button").await;
    app.wait_gone("[data-testid=record-panel]").await;

    let mut found = Vec::new();
    for (width, height) in SIZES {
        resize(&app, width, height).await;
        for lang in ["en", "fr"] {
            app.set_lang(lang).await;
            let at = format!("window-{width}-{lang}");
            for (tab, loaded, record) in TABS {
                app.click(&format!("[data-testid=tab-{tab}]")).await;
                app.wait_css(loaded).await;
                check(&app, &format!("{at}-{tab}"), &mut found).await;
                if tab == "timeline" {
                    strip_says_what_its_bars_are(&app, lang, &mut found).await;
                }
                app.click_xpath(record).await;
                app.wait_css("[data-testid=record-panel] .panel-actions").await;
                check(&app, &format!("{at}-{tab}-panel"), &mut found).await;
                if tab == "evidence" {
                    search(&app, &format!("{at}-search-panel"), &mut found).await;
                    app.click("[data-testid=view-evidence]").await;
                    app.wait_css("[data-testid=viewer-text]").await;
                    check(&app, &format!("{at}-viewer"), &mut found).await;
                    app.click("[data-testid=viewer-close]").await;
                    app.wait_gone("[data-testid=viewer]").await;
                }
                app.click("[data-testid=record-panel] .panel-head button").await;
                app.wait_gone("[data-testid=record-panel]").await;
            }
            search(&app, &format!("{at}-search"), &mut found).await;
        }
    }
    app.stop().await;
    assert!(found.is_empty(), "{} things do not fit:\n{}", found.len(), found.join("\n"));
}
