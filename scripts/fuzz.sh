#!/usr/bin/env bash
# Coverage-guided fuzzing of wsgate's parsers with libFuzzer (swiftc -sanitize=fuzzer,address).
#
#   scripts/fuzz.sh TARGET SECONDS [LIBFUZZER-ARGS...]   fuzz one target for SECONDS
#   scripts/fuzz.sh all SECONDS                          every target, one after the other
#   scripts/fuzz.sh TARGET FILE...                       replay inputs (a crash file) once
#   scripts/fuzz.sh --list                               the targets
#
# The library targets are built with coverage instrumentation and AddressSanitizer into
# .build/fuzz (never the release build); each target is Fuzz/Targets/TARGET.swift plus
# Fuzz/Support, linked with libFuzzer into .build/fuzz/bin/TARGET. Fuzz/Corpus/TARGET holds
# the seeds (in the repository, small) and .build/fuzz/corpus/TARGET what the fuzzer found
# interesting (not committed). A finding stops the run with a non-zero status and leaves
# .build/fuzz/findings/TARGET/crash-…; make it a regression test on bytes, then fix it.
set -euo pipefail
cd "$(dirname "$0")/.."

BUILD=.build/fuzz
# The Swift runtime's backtracer would run inside the crashing process under ASan; libFuzzer
# and ASan report the crash themselves.
export SWIFT_BACKTRACE=enable=no
TARGETS=($(cd Fuzz/Targets && ls *.swift | sed 's/\.swift$//'))

usage() { sed -n '2,15p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }

case "${1:-}" in
    --list) printf '%s\n' "${TARGETS[@]}"; exit 0 ;;
    -h|--help|"") usage; exit 0 ;;
esac
[ $# -ge 2 ] || { usage >&2; exit 2; }
TARGET=$1
shift

build_libraries() {
    # Every library module, instrumented; the fuzz targets link the objects they need.
    for module in WSGateServer WSGateCLI WSGateRoomProtocol WSGateCompression WSGateAuth WSGatePasswords WSGateLimits; do
        # Exclusivity checks back on (Package.swift drops them from release builds).
        swift build -c release --build-path "$BUILD" --target "$module" -Xswiftc -sanitize=fuzzer,address -Xswiftc -enable-testing \
            -Xswiftc -g -Xswiftc -enforce-exclusivity=checked >/dev/null
    done
}

build_target() {
    local name=$1 libs
    libs=$(swift build -c release --build-path "$BUILD" --show-bin-path)
    mkdir -p "$BUILD/bin"
    local objects=("$libs"/CWSGateLinux.build/*.o "$libs"/CWSGateTLS.build/*.o)
    for module in WSGateCore WSGatePosix WSGateHTTP WSGateConfig WSGateTLS WSGateEventLoop WSGateWebSocket \
                  WSGateBackends WSGateRelay WSGateCLI WSGateServer WSGateJSON WSGateRoomProtocol WSGateCompression \
                  WSGateAuth WSGatePasswords WSGateLimits; do
        objects+=("$libs/$module.build"/*.o)
    done
    # -lssl -lcrypto: the TLS layer under the transport (Debian's OpenSSL, as the gateway links it);
    # -lz: Debian's zlib under permessage-deflate; -lcrypt: libxcrypt under the htpasswd check.
    swiftc -sanitize=fuzzer,address -parse-as-library -swift-version 6 -O -g \
        -I "$libs/Modules" -Xcc -fmodule-map-file="$libs/CWSGateLinux.build/module.modulemap" \
        -Xcc -fmodule-map-file="$libs/CWSGateTLS.build/module.modulemap" -Xcc -fmodule-map-file=Sources/COpenSSL/module.modulemap \
        -Xcc -fmodule-map-file=Sources/CZlib/module.modulemap -Xcc -fmodule-map-file=Sources/CCrypt/module.modulemap \
        Fuzz/Support/*.swift "Fuzz/Targets/$name.swift" "${objects[@]}" -lssl -lcrypto -lz -lcrypt -o "$BUILD/bin/$name" \
        2> >(grep -v "Cannot export local symbol" >&2)
}

run_target() {
    local name=$1 seconds=$2 status=0
    shift 2
    mkdir -p "$BUILD/corpus/$name" "$BUILD/findings/$name" "Fuzz/Corpus/$name"
    local log="$BUILD/findings/$name/last-run.log"
    echo "fuzz: $name for $seconds s"
    # -error_exitcode: any crash, trap, sanitizer report or broken invariant fails the run.
    "$BUILD/bin/$name" -max_total_time="$seconds" -error_exitcode=77 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$BUILD/findings/$name/" -print_final_stats=1 "$@" \
        "$BUILD/corpus/$name" "Fuzz/Corpus/$name" >"$log" 2>&1 || status=$?
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb|Fatal error|invariant broken|ERROR: |SUMMARY|Test unit written" "$log" || true
    if [ "$status" -ne 0 ]; then echo "fuzz: $name FAILED (exit $status), full log: $log"; fi
    return "$status"
}

build_libraries
if [ "$TARGET" = all ]; then
    for name in "${TARGETS[@]}"; do build_target "$name"; done
    failed=()
    for name in "${TARGETS[@]}"; do run_target "$name" "$@" || failed+=("$name"); done
    [ ${#failed[@]} -eq 0 ] || { echo "fuzz: findings in: ${failed[*]}"; exit 1; }
    echo "fuzz: ${#TARGETS[@]} targets, no finding"
    exit 0
fi
[ -f "Fuzz/Targets/$TARGET.swift" ] || { echo "fuzz: no target $TARGET (scripts/fuzz.sh --list)" >&2; exit 2; }
build_target "$TARGET"
if [[ "$1" =~ ^[0-9]+$ ]]; then
    run_target "$TARGET" "$@"
else
    "$BUILD/bin/$TARGET" "$@"  # replay the given inputs
fi
