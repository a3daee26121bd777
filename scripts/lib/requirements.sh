# The browser checks' start-up test: every REQUIRED entry ("command:package" or
# "/absolute/path:package") must exist and the Python at $PY must import websockets; otherwise
# say (the caller's `say`) what is missing and which apt packages bring it, and exit 2.
check_requirements() {
  local missing=() packages=() apt=() req what pkg
  for req in "${REQUIRED[@]}"; do
    what="${req%:*}" pkg="${req##*:}"
    if [[ "$what" == /* ]]; then [ -e "$what" ] && continue; else command -v "$what" >/dev/null && continue; fi
    missing+=("$what"); [[ " ${packages[*]} " == *" $pkg "* ]] || packages+=("$pkg")
  done
  if [ -x "$PY" ] && ! "$PY" -c 'import websockets' 2>/dev/null; then
    missing+=("$PY: module websockets"); packages+=(python3-websockets)
  fi
  [ ${#missing[@]} -gt 0 ] || return 0
  say "missing: ${missing[*]}"
  for pkg in "${packages[@]}"; do [ "$pkg" = swift-toolchain ] || apt+=("$pkg"); done
  [ ${#apt[@]} -eq 0 ] || say "install with: apt-get install -y --no-install-recommends ${apt[*]}"
  [ ${#apt[@]} -eq ${#packages[@]} ] || say "swift: install the Swift toolchain, or pass --wsgate-bin=PATH"
  exit 2
}
