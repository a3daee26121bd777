# Sourced by the browser and scanner checks: the wsgate binary they run.
# ensure_wsgate_binary: $WSGATE_BIN as given, or a release build made now, before the check's
# time limit starts. Needs ROOT and die() from the caller.
ensure_wsgate_binary() {
  if [ -z "$WSGATE_BIN" ]; then
    swift build -c release --product wsgate --package-path "$ROOT" >&2
    WSGATE_BIN="$(swift build -c release --package-path "$ROOT" --show-bin-path)/wsgate"
  fi
  [ -x "$WSGATE_BIN" ] || die "no wsgate binary at $WSGATE_BIN" 2
}
