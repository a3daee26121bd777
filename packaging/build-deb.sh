#!/usr/bin/env bash
# Builds the Debian package .build/deb/wsgate_VERSION_amd64.deb from this checkout, with
# dpkg-deb alone (no debhelper, no source package):
#
#   packaging/build-deb.sh [--scratch-path=DIR] [--binary=PATH] [--out=DIR]
#
# --scratch-path  SwiftPM's build directory (default: .build)
# --binary        package this wsgate instead of building one (it must not need libswift*.so)
# --out           where the .deb and the staging tree (OUT/root) go (default: .build/deb)
#
# What it does, failing on the first problem:
#  1. swift build -c release --product wsgate (Package.swift links it with the Swift runtime
#     inside and -z now); checks with ldd that no
#     libswift*.so is needed, and that the version the binary prints is Version.swift's and
#     the top entry of packaging/debian/changelog.
#  2. stages the tree: the stripped binary, wsgate.1 and /etc/wsgate/wsgate.conf generated
#     from the binary's --help (packaging/helpgen.py; the page is checked with groff for
#     warnings and for every flag), the systemd units (sandbox.inc inserted), examples under
#     /usr/share/wsgate/examples, the doc directory (copyright generated from LICENSE,
#     changelog, README.md, README.Debian), the lintian overrides.
#  3. writes DEBIAN/: control with Depends from dpkg-shlibdeps plus adduser, Installed-Size
#     counted as dpkg-gencontrol does, conffiles (everything under /etc), md5sums, the
#     maintainer scripts; then dpkg-deb --root-owner-group --build.
# Timestamps are the changelog's date (SOURCE_DATE_EPOCH), so two builds of one commit give
# the same package. Needs: the Swift toolchain, dpkg-dev (dpkg-shlibdeps), binutils (strip),
# python3, groff-base, man-db.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PKG="$ROOT/packaging"
SCRATCH="$ROOT/.build"
BINARY=""
OUT="$ROOT/.build/deb"

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
for arg in "$@"; do
  case "$arg" in
    --scratch-path=?*) SCRATCH="${arg#--scratch-path=}" ;;
    --binary=?*) BINARY="${arg#--binary=}" ;;
    --out=?*) OUT="${arg#--out=}" ;;
    -h|--help) usage; exit 0 ;;
    *) echo "build-deb: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { echo "build-deb: $*"; }
die() { echo "build-deb: error: $*" >&2; exit 1; }
for tool in dpkg-deb dpkg-shlibdeps dpkg-parsechangelog strip python3 groff man gzip ldd; do
  command -v "$tool" >/dev/null || die "$tool is missing (apt-get install dpkg-dev binutils python3 groff-base man-db)"
done
umask 022
export LC_ALL=C.UTF-8

# ---- 1. the binary ---------------------------------------------------------------------------
if [ -z "$BINARY" ]; then
  # Package.swift links release builds of wsgate with the Swift runtime inside
  # (-static-stdlib) and -z now (full RELRO; lintian: hardening-no-bindnow), so the release
  # build CI and the README make is the packaged binary; PIE, RELRO and the non-executable
  # stack are the toolchain's defaults.
  say "swift build -c release --product wsgate"
  (cd "$ROOT" && swift build -c release --product wsgate --scratch-path "$SCRATCH")
  BINARY="$SCRATCH/release/wsgate"
fi
[ -x "$BINARY" ] || die "no executable at $BINARY"
if ldd "$BINARY" | grep -q 'libswift\|libdispatch\|libBlocksRuntime\|libFoundation'; then
  ldd "$BINARY" >&2
  die "$BINARY needs the Swift runtime's shared libraries: not a release build of wsgate?"
fi

VERSION="$("$BINARY" --version | awk 'NR == 1 && $1 == "wsgate" { print $2 }')"
[ -n "$VERSION" ] || die "$BINARY --version did not print 'wsgate VERSION ...'"
SOURCE_VERSION="$(sed -n 's/.*static let version = "\(.*\)".*/\1/p' "$ROOT/Sources/WSGateConfig/Version.swift")"
CHANGELOG="$PKG/debian/changelog"
DEB_VERSION="$(dpkg-parsechangelog -l "$CHANGELOG" -S Version)"
[ "$VERSION" = "$SOURCE_VERSION" ] ||
  die "the binary is version $VERSION, Sources/WSGateConfig/Version.swift says $SOURCE_VERSION (stale build?)"
[ "$VERSION" = "$DEB_VERSION" ] ||
  die "wsgate is version $VERSION but packaging/debian/changelog's top entry is $DEB_VERSION: add an entry (dch -v $VERSION)"
MAINTAINER="$(dpkg-parsechangelog -l "$CHANGELOG" -S Maintainer)"
SOURCE_DATE_EPOCH="$(dpkg-parsechangelog -l "$CHANGELOG" -S Timestamp)"
export SOURCE_DATE_EPOCH
DATE="$(date -u -d "@$SOURCE_DATE_EPOCH" +%Y-%m-%d)"
ARCH="$(dpkg --print-architecture)"
[ "$ARCH" = amd64 ] || say "warning: building on $ARCH, the package says amd64"
ARCH=amd64
say "wsgate $VERSION, $MAINTAINER, $DATE"

# ---- 2. the tree -----------------------------------------------------------------------------
STAGE="$OUT/root"
rm -rf "$STAGE"
mkdir -p "$STAGE"
HELP="$OUT/help.txt"
"$BINARY" --help > "$HELP"

install -d "$STAGE/usr/bin"
# As dh_strip does: no symbol tables, no .comment/.note (the swift5_* reflection sections
# the runtime needs are kept).
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
  -o "$STAGE/usr/bin/wsgate" "$BINARY"
chmod 0755 "$STAGE/usr/bin/wsgate"
[ "$("$STAGE/usr/bin/wsgate" --version | awk '{ print $2 }')" = "$VERSION" ] || die "the stripped binary does not run"

# wsgate(1) from --help, checked: groff must not warn, and every flag must be on the page.
install -d "$STAGE/usr/share/man/man1"
MAN="$OUT/wsgate.1"
python3 "$PKG/helpgen.py" man "$PKG/wsgate.1.in" "$VERSION" "$DATE" < "$HELP" > "$MAN"
WARNINGS="$(groff -man -ww -z -Tutf8 "$MAN" 2>&1 || true)"
[ -z "$WARNINGS" ] || die "groff warns about wsgate.1: $WARNINGS"
RENDERED="$(MANWIDTH=200 man -l "$MAN" 2>/dev/null)"
for flag in $(python3 "$PKG/helpgen.py" flags < "$HELP"); do
  grep -qE -- "--$flag([^a-z-]|$)" <<<"$RENDERED" || die "wsgate.1 does not mention --$flag"
done
gzip -9n < "$MAN" > "$STAGE/usr/share/man/man1/wsgate.1.gz"

# /etc/wsgate/wsgate.conf: the commented head, then every flag from --help.
install -d "$STAGE/etc/wsgate"
{ cat "$PKG/wsgate.conf.head"; python3 "$PKG/helpgen.py" conf < "$HELP"; } > "$STAGE/etc/wsgate/wsgate.conf"

# systemd units (Debian 12 keeps packaged units in /lib/systemd/system).
UNITS="$STAGE/lib/systemd/system"
install -d "$UNITS"
for unit in wsgate.service wsgate@.service; do
  awk -v sandbox="$PKG/systemd/sandbox.inc" '
    $0 == "@SANDBOX@" { while ((getline line < sandbox) > 0) print line; close(sandbox); found = 1; next }
    { print }
    END { if (!found) { print "no @SANDBOX@ line" > "/dev/stderr"; exit 1 } }' \
    "$PKG/systemd/$unit.in" > "$UNITS/$unit"
done
install -m 0644 "$PKG/systemd/wsgate.socket" "$UNITS/wsgate.socket"

# The examples, runnable, outside /usr/share/doc (which dpkg's path-exclude may drop on
# minimal systems); the doc directory links to them. Only /bin/sh scripts stay executable:
# another interpreter (python3 for chat-server.py) would have to be a dependency (lintian:
# python3-script-but-no-python3-dep); those are run as "python3 FILE", as they say.
EXAMPLES="$STAGE/usr/share/wsgate/examples"
install -d "$EXAMPLES"
for file in "$ROOT"/examples/*; do
  [ -f "$file" ] || continue
  if [ -x "$file" ] && [ "$(head -n 1 "$file")" = "#!/bin/sh" ]; then mode=0755; else mode=0644; fi
  install -m "$mode" "$file" "$EXAMPLES/"
done

DOC="$STAGE/usr/share/doc/wsgate"
install -d "$DOC"
ln -s ../../wsgate/examples "$DOC/examples"
gzip -9n < "$CHANGELOG" > "$DOC/changelog.gz"
gzip -9n < "$ROOT/README.md" > "$DOC/README.md.gz"
install -m 0644 "$PKG/README.Debian" "$DOC/README.Debian"
COPYRIGHT_LINE="$(sed -n '1s/^Copyright (c) //p' "$ROOT/LICENSE")"
[ -n "$COPYRIGHT_LINE" ] || die "LICENSE does not start with 'Copyright (c) '"
LICENSE_TEXT="$(sed -n '/^Redistribution/,$p' "$ROOT/LICENSE" | sed 's/^$/./; s/^/ /')"
python3 - "$PKG/debian/copyright.in" "$DOC/copyright" "$MAINTAINER" "$COPYRIGHT_LINE" "$LICENSE_TEXT" <<'PY'
import sys
template, out, maintainer, copyright, text = sys.argv[1:]
page = open(template, encoding="utf-8").read()
for key, value in (("@MAINTAINER@", maintainer), ("@COPYRIGHT@", copyright), ("@LICENSE_TEXT@", text)):
    assert key in page, key
    page = page.replace(key, value)
open(out, "w", encoding="utf-8").write(page)
PY

install -d "$STAGE/usr/share/lintian/overrides"
install -m 0644 "$PKG/debian/lintian-overrides" "$STAGE/usr/share/lintian/overrides/wsgate"

# ---- 3. DEBIAN/ ------------------------------------------------------------------------------
install -d "$STAGE/DEBIAN"
for script in postinst prerm postrm; do
  install -m 0755 "$PKG/debian/$script" "$STAGE/DEBIAN/$script"
done
(cd "$STAGE" && find etc -type f | sort | sed 's|^|/|') > "$STAGE/DEBIAN/conffiles"

# Depends: what dpkg-shlibdeps finds for the binary (it wants a debian/control to exist),
# plus adduser for postinst.
SHLIBS_DIR="$OUT/shlibdeps"
rm -rf "$SHLIBS_DIR"
mkdir -p "$SHLIBS_DIR/debian"
printf 'Source: wsgate\n\nPackage: wsgate\nArchitecture: %s\n' "$ARCH" > "$SHLIBS_DIR/debian/control"
SHLIBS="$(cd "$SHLIBS_DIR" && dpkg-shlibdeps -O -e"$STAGE/usr/bin/wsgate" 2>"$OUT/shlibdeps.log")" ||
  { cat "$OUT/shlibdeps.log" >&2; die "dpkg-shlibdeps failed"; }
SHLIBS="${SHLIBS#shlibs:Depends=}"
[ -n "$SHLIBS" ] || die "dpkg-shlibdeps found no dependencies"
DEPENDS="adduser, $SHLIBS"

# Installed-Size as dpkg-gencontrol counts it: KiB per file rounded up, 1 per directory or
# symlink.
INSTALLED_SIZE="$(cd "$STAGE" && find . -path ./DEBIAN -prune -o ! -path . -printf '%y %s\n' |
  awk '$1 == "f" { total += int(($2 + 1023) / 1024) } $1 != "f" { total += 1 } END { print total }')"

sed -e "s|@VERSION@|$VERSION|" -e "s|@MAINTAINER@|$MAINTAINER|" \
    -e "s|@INSTALLED_SIZE@|$INSTALLED_SIZE|" -e "s|@DEPENDS@|$DEPENDS|" \
    "$PKG/debian/control.in" > "$STAGE/DEBIAN/control"
grep -q '@[A-Z_]*@' "$STAGE/DEBIAN/control" && die "control: a placeholder is left"

(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -printf '%P\n' | sort | xargs -d '\n' md5sum) \
  > "$STAGE/DEBIAN/md5sums"
chmod 0644 "$STAGE/DEBIAN/control" "$STAGE/DEBIAN/conffiles" "$STAGE/DEBIAN/md5sums"

find "$STAGE" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +
DEB="$OUT/wsgate_${VERSION}_${ARCH}.deb"
rm -f "$DEB"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
say "$DEB ($(stat -c %s "$DEB") bytes, Installed-Size: $INSTALLED_SIZE KiB)"
say "Depends: $DEPENDS"
