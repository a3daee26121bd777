#!/usr/bin/env bash
# The unit and integration tests under a sanitizer, every binary instrumented (the wsgate the
# integration tests start, too).
#
#   scripts/sanitize.sh address     # AddressSanitizer: out-of-bounds, use-after-free, double free
#   scripts/sanitize.sh thread      # ThreadSanitizer: data races between loops (--threads) and threads
#   scripts/sanitize.sh address --filter PingFloodTests   # extra arguments go to swift test
#
# Builds into .build/sanitize-KIND. The reference suites (websocketd, websockify) are left out:
# they measure the peers, not wsgate. Memory-growth bounds are not asserted in these runs (a
# sanitizer's allocator quarantines freed memory; see Tests/WSGateTestSupport/MemoryBound.swift).
set -euo pipefail
cd "$(dirname "$0")/.."

KIND=${1:-}
case "$KIND" in
    address|thread) shift ;;
    *) sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
BUILD=.build/sanitize-$KIND

# The Swift runtime's own backtracer must not run inside an instrumented process that is
# crashing: the sanitizer prints the report.
export SWIFT_BACKTRACE=enable=no
# Leaks are not what these runs look for: wsgate's forced exit (a second SIGTERM) and some
# tests end with objects alive by design, and process exit frees them. What a leak would cost
# a running gateway (descriptors, children, memory over time) the integration tests check.
export ASAN_OPTIONS="detect_leaks=0:abort_on_error=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
# halt_on_error: the first race fails the run (every report is a bug to fix or to explain).
export TSAN_OPTIONS="halt_on_error=1${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

swift build --build-tests --sanitize="$KIND" --build-path "$BUILD" 2> >(grep -v "Cannot export local symbol" >&2)
swift test --skip-build --sanitize="$KIND" --build-path "$BUILD" \
    --skip WSGateDifferentialTests --skip WSGateWebsockifyComparisonTests "$@"
