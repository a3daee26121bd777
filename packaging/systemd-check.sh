#!/usr/bin/env bash
# The units under a real systemd, on a machine whose PID 1 is not systemd: boots systemd as
# PID 1 of throwaway namespaces (pid, mount, network, uts, ipc, cgroup) on an overlay of /
# whose writes all go to a tmpfs, then runs `packaging/runtime-check.py systemd` inside:
#
#   packaging/systemd-check.sh [--deb=FILE]   (default: .build/deb/wsgate_VERSION_amd64.deb)
#
# Inside, it installs the package with apt-get (postinst enables and starts the units), talks
# to the shipped configuration on 127.0.0.1:8080 (Type=notify status, socket activation),
# probes the sandbox from a spawned program (wsgate@probe.service), restarts the service and
# upgrades the package under load (no attempt refused, the socket never restarted), stops an
# instance with sessions open (1001 each, Result=success), starts one with a configuration
# error (fails at once, no restart loop), removes (stopped, masked) and purges (nothing left).
# Nothing of it reaches the machine: when the script ends, PID 1 of the namespaces is killed
# and the overlay goes with them.
#
# Needs root with CAP_SYS_ADMIN (a VM, or a privileged container), overlayfs, unshare and
# nsenter (util-linux) and systemd installed. Where that is missing (a plain Docker
# container) it says so and exits 77: run the manual check of packaging/README.md on a
# machine booted with systemd instead.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEB=""
for arg in "$@"; do
  case "$arg" in
    --deb=?*) DEB="${arg#--deb=}" ;;
    -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "systemd-check: unknown argument: $arg (see --help)" >&2; exit 2 ;;
  esac
done
say() { echo "systemd-check: $*"; }
skip() { say "skipped: $*"; exit 77; }

[ "$(id -u)" = 0 ] || skip "needs root"
[ "$(cat /proc/1/comm)" != systemd ] || skip "systemd is PID 1 here: use the manual check (packaging/README.md)"
for tool in unshare nsenter setsid /lib/systemd/systemd; do
  command -v "$tool" >/dev/null || skip "$tool is missing"
done
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlayfs"
unshare --mount --pid --fork --net --cgroup --propagation private true 2>/dev/null ||
  skip "cannot create namespaces (not enough privileges: a plain container?)"
if [ -z "$DEB" ]; then
  DEB="$ROOT/.build/deb/wsgate_$(dpkg-parsechangelog -l "$ROOT/packaging/debian/changelog" -S Version)_amd64.deb"
  [ -f "$DEB" ] || { echo "systemd-check: no $DEB: run packaging/build-deb.sh first" >&2; exit 2; }
fi
DEB="$(cd "$(dirname "$DEB")" && pwd)/$(basename "$DEB")"
case "$DEB" in "$ROOT"/*) ;; *) echo "systemd-check: the package must lie inside $ROOT" >&2; exit 2 ;; esac

WORK="$(mktemp -d /tmp/systemd-check.XXXXXX)"
mkdir -p "$WORK/mnt"
BOOT_PID=""
SYSTEMD_PID=""
cleanup() {
  # systemd is PID 1 of the namespaces: killing it ends every process in them, and the
  # mounts go with the last one. (--kill-child does the same if this script is killed.)
  if [ -n "$SYSTEMD_PID" ]; then kill -9 "$SYSTEMD_PID" 2>/dev/null || true; fi
  if [ -n "$BOOT_PID" ]; then
    # unshare reaps systemd and exits; it is only killed if it does not.
    for _ in $(seq 1 50); do kill -0 "$BOOT_PID" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$BOOT_PID" 2>/dev/null || true
    wait "$BOOT_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Units of the machine that have no business in the test boot (they may be absent).
MASK="systemd-udevd.service systemd-udev-trigger.service systemd-udevd-control.socket
      systemd-udevd-kernel.socket timers.target getty.target console-getty.service
      systemd-timesyncd.service systemd-networkd.service systemd-resolved.service"

say "booting systemd in namespaces (log: $WORK/boot.log)"
# unshare --fork: its child is PID 1 of the new pid namespace, and execs systemd.
# shellcheck disable=SC2016 # the inner shell expands its variables
setsid unshare --mount --pid --fork --kill-child --net --uts --ipc --cgroup --propagation private \
  env MNT="$WORK/mnt" REPO="$ROOT" MASK="$MASK" bash -c '
  set -euo pipefail
  mount -t tmpfs -o size=2g tmpfs "$MNT"
  mkdir -p "$MNT/upper" "$MNT/work" "$MNT/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$MNT/upper,workdir=$MNT/work" "$MNT/root"
  R="$MNT/root"
  # The checkout, in case it is on another file system than / (the overlay shows / only).
  mkdir -p "$R$REPO" && mount --rbind "$REPO" "$R$REPO"
  ip link set lo up 2>/dev/null || true
  hostname wsgate-systemd-check
  mkdir -p "$R/etc/systemd/system"
  for unit in $MASK; do ln -sf /dev/null "$R/etc/systemd/system/$unit"; done
  printf "[Unit]\nDescription=wsgate package check boot\nRequires=basic.target\nAfter=basic.target\n" \
    > "$R/etc/systemd/system/pkgcheck-boot.target"
  rm -f "$R/usr/sbin/policy-rc.d"      # a container image may forbid starting services
  cd "$R"
  mkdir -p .oldroot
  pivot_root . .oldroot
  exec env -i container=wsgate-check PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    /lib/systemd/systemd --unit=pkgcheck-boot.target --show-status=0 --log-target=console
' > "$WORK/boot.log" 2>&1 < /dev/null &
BOOT_PID=$!

# systemd is the child of unshare; wait until it answers and has reached its target.
for _ in $(seq 1 100); do
  SYSTEMD_PID="$(pgrep -P "$BOOT_PID" -x systemd || true)"
  if [ -n "$SYSTEMD_PID" ] &&
     nsenter -t "$SYSTEMD_PID" -a systemctl is-active --quiet pkgcheck-boot.target 2>/dev/null; then
    break
  fi
  kill -0 "$BOOT_PID" 2>/dev/null || { cat "$WORK/boot.log"; say "FAIL: the namespaces did not come up"; exit 1; }
  sleep 0.2
done
nsenter -t "$SYSTEMD_PID" -a systemctl is-active --quiet pkgcheck-boot.target ||
  { cat "$WORK/boot.log"; say "FAIL: systemd did not reach its target in 20 s"; exit 1; }
say "systemd $(nsenter -t "$SYSTEMD_PID" -a systemctl --version | head -n 1 | awk '{ print $2 }') is PID 1 of the namespaces ($(nsenter -t "$SYSTEMD_PID" -a systemctl is-system-running || true))"

STATUS=0
nsenter -t "$SYSTEMD_PID" -a env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C.UTF-8 \
  /usr/bin/python3 "$ROOT/packaging/runtime-check.py" systemd --deb="$DEB" || STATUS=$?
if [ "$STATUS" != 0 ]; then
  say "--- journal of the wsgate units ---"
  nsenter -t "$SYSTEMD_PID" -a journalctl --no-pager -o short-monotonic -u 'wsgate*' | tail -n 60 || true
  say "FAIL"
  exit 1
fi
say "all checks passed under systemd"
