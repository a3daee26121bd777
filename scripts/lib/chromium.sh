# Headless Chromium for the browser checks (scripts/novnc-check.sh, scripts/devconsole-check.sh),
# sourced by them after scripts/lib/process-groups.sh: Chromium is started with `start`, so
# `cleanup` ends it and every process it spawned, and its profile lives in $TMP, which `cleanup`
# removes. The caller lists chromium:chromium in its required commands. CHROMIUM_HOME, when set
# (scripts/lib/nss-trust.sh), is Chromium's HOME: where it finds the NSS database it trusts.

# start_chromium WIDTH,HEIGHT: headless Chromium on about:blank with remote debugging on a free
# loopback port; sets DEVTOOLS_PORT once that port listens (fails after 30 s).
start_chromium() {
  # --no-sandbox: CI runs as root, where Chromium refuses its sandbox; it loads only local pages.
  start chromium env -u DISPLAY HOME="${CHROMIUM_HOME:-${HOME:-/}}" chromium --headless=new \
    --no-sandbox --disable-gpu --disable-dev-shm-usage \
    --no-first-run --no-default-browser-check --disable-extensions \
    --disable-background-networking --disable-component-update --disable-sync --mute-audio \
    --password-store=basic --user-data-dir="$TMP/chromium" --window-size="$1" \
    --remote-debugging-address=127.0.0.1 --remote-debugging-port=0 about:blank
  wait_until 30 chromium "$LAST_PID" devtools_port
}

# devtools_port: true once Chromium has written its DevTools port and listens on it.
devtools_port() {
  [ -s "$TMP/chromium/DevToolsActivePort" ] || return 1
  DEVTOOLS_PORT="$(head -n 1 "$TMP/chromium/DevToolsActivePort")"
  [ -n "$DEVTOOLS_PORT" ] && listening "$DEVTOOLS_PORT"
}
