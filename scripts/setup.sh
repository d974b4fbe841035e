# Shared by scripts/run and scripts/test: functions that install what Dossier needs when it is missing.
# Sourced, not run.

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

need_rust() {
  if ! command -v cargo >/dev/null 2>&1; then
    if [ -x "$HOME/.cargo/bin/cargo" ]; then
      export PATH="$HOME/.cargo/bin:$PATH"
    else
      log "installing the Rust toolchain (rustup)"
      need_apt curl ca-certificates build-essential
      curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal
      export PATH="$HOME/.cargo/bin:$PATH"
    fi
  fi
  if ! command -v cc >/dev/null 2>&1; then
    need_apt build-essential
  fi
}

# The formatter and the linter scripts/test runs (rustup's minimal profile leaves them out).
need_rust_tools() {
  if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
    log "installing rustfmt and clippy"
    rustup component add rustfmt clippy
  fi
}

# need_apt PKG...: installs the Debian packages that are not installed yet.
need_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

# What the desktop app needs to build and run on Debian (WebKitGTK and friends), plus Xvfb, the
# WebKit WebDriver and ImageMagick for the end-to-end tests and their screenshots, the DejaVu fonts
# the PDF report is set in (regular, bold and italic faces: -core and -extra; WenQuanYi Micro Hei for
# Chinese, Japanese and Korean, which DejaVu lacks, in the PDF and the app alike), qpdf to read its
# bookmarks back, pandoc and unzip to read exported Word documents back in
# the tests, and what reads the text of evidence documents: Poppler's tools (a PDF's text layer, and its
# pages rendered for OCR) and Tesseract with its English and French data; zstd, with which the tests'
# forger reads the change log's compressed parts (core/tests/fixtures/forge/forge.py); python3, with
# which the capture test closes the app's capture window as a window manager would (close_window.py).
DESKTOP_APT=(libwebkit2gtk-4.1-dev build-essential libssl-dev libxdo-dev libayatana-appindicator3-dev
  librsvg2-dev xvfb xauth imagemagick webkit2gtk-driver xdotool pkg-config curl ca-certificates
  pandoc unzip poppler-utils qpdf fonts-dejavu-core fonts-dejavu-extra fonts-wqy-microhei
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-fra zstd python3)

need_desktop() {
  need_apt "${DESKTOP_APT[@]}"
}

# What scripts/test-package checks the package's contents with: man (renders the manual pages),
# desktop-file-validate (the menu entry), appstreamcli (the AppStream metainfo), and sqlite3 (writes
# the database of an older schema the upgrade starts from).
PACKAGE_APT=(man-db desktop-file-utils appstream sqlite3)

need_package_tools() {
  need_apt "${PACKAGE_APT[@]}"
}

# Debian's headless Chromium, which `dossier capture` draws a page's full screenshot with (the .deb
# recommends it; without it a capture is kept with its missing screenshot said), and which the CLI's
# capture tests need (cli/tests/it/capture.rs).
CAPTURE_APT=(chromium)

need_capture() {
  need_apt "${CAPTURE_APT[@]}"
}

# A real Secret Service for the CLI's keyring tests (cli/tests/it/keyring.rs), which fail without it:
# a private session bus (dbus-run-session), GNOME Keyring's daemon on it, dbus-send to lock its
# collection, and secret-tool to look at what Dossier kept there as a reviewer would.
KEYRING_APT=(dbus-daemon dbus-bin gnome-keyring libsecret-tools)

need_keyring() {
  need_apt "${KEYRING_APT[@]}"
}

# PostgreSQL for the team server's tests (team/tests: a throw-away cluster per test binary, started by
# the tests themselves, as the `postgres` user when they run as root) and openssl, which makes its
# self-signed certificate for the TLS test. Debian's package would also create and start a system
# cluster nobody uses: `create_main_cluster = false` says not to, written before the package is
# installed, in createcluster.conf's snippet folder (createcluster.conf includes it): a
# createcluster.conf written before its package would be a conffile clash for dpkg to ask about.
POSTGRES_APT=(postgresql openssl)

need_postgres() {
  if ! dpkg-query -W -f='${Status}' postgresql 2>/dev/null | grep -q "install ok installed"; then
    local sudo=""
    [ "$(id -u)" -ne 0 ] && sudo="sudo"
    $sudo mkdir -p /etc/postgresql-common/createcluster.d
    echo 'create_main_cluster = false' | $sudo tee /etc/postgresql-common/createcluster.d/dossier.conf >/dev/null
  fi
  need_apt "${POSTGRES_APT[@]}"
}

# The tools a reviewer reads Dossier's PDFs with, in a virtual environment of their own (Debian's
# Python refuses pip installs into the system): pypdf (pages, links, bookmarks, page labels) and the
# Free Law Project's x-ray, which finds redactions that only cover their text. The tests find its
# Python through DOSSIER_PDF_PYTHON.
PDF_CHECKERS=("pypdf==7.1.0" "x-ray==0.4.0" "PyMuPDF==1.24.14")

need_pdf_checkers() {
  need_apt python3-venv
  local venv="${XDG_CACHE_HOME:-$HOME/.cache}/dossier/pdf-checkers"
  local stamp="$venv/.dossier-pins"
  if [ ! -x "$venv/bin/python" ] || [ "$(cat "$stamp" 2>/dev/null)" != "${PDF_CHECKERS[*]}" ]; then
    log "installing the PDF checkers (${PDF_CHECKERS[*]})"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${PDF_CHECKERS[@]}"
    echo "${PDF_CHECKERS[*]}" > "$stamp"
  fi
  export DOSSIER_PDF_PYTHON="$venv/bin/python"
}

need_node() {
  if ! command -v npm >/dev/null 2>&1; then
    need_apt nodejs npm
  fi
}

# Installs the UI's npm packages exactly as locked, when they are missing or the lock file changed.
need_ui_packages() {
  need_node
  local stamp=ui/node_modules/.dossier-lock
  if [ ! -f "$stamp" ] || ! cmp -s ui/package-lock.json "$stamp"; then
    log "installing the UI's npm packages"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    cp ui/package-lock.json "$stamp"
  fi
}

need_tauri_driver() {
  export PATH="$HOME/.cargo/bin:$PATH"
  if ! command -v tauri-driver >/dev/null 2>&1; then
    log "installing tauri-driver"
    cargo install tauri-driver --locked --version 2.1.0
  fi
}

# Builds the web UI into ui/dist, which the desktop binary embeds.
build_ui() {
  need_ui_packages
  (cd ui && npm run --silent build)
}
