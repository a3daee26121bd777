// swift-tools-version:6.0
// wsgate: a WebSocket gateway for Linux. One SwiftPM target per layer; dependencies point down
// only (see docs/architecture.md). No package dependencies: the toolchain is all we use.
import PackageDescription

/// Settings shared by every Swift target: Swift 6 mode plus the upcoming features that keep
/// C types from leaking upward and make every existential visible.
///
/// Release builds skip the run-time exclusivity checks (a few per request or message on the
/// hot path, about 4 % of a small static file's CPU). Debug builds, so every test and both
/// sanitizer runs, keep them, and `scripts/fuzz.sh` turns them back on for the fuzzers.
let strict: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
    .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release)),
]

let package = Package(
    name: "wsgate",
    products: [
        .executable(name: "wsgate", targets: ["wsgate"]),
    ],
    targets: [
        // layer 0
        .target(name: "CWSGateLinux", cSettings: [.define("_GNU_SOURCE")]),
        .target(name: "WSGateCore", swiftSettings: strict),
        .target(name: "WSGateJSON", swiftSettings: strict),
        .systemLibrary(name: "COpenSSL", pkgConfig: "openssl", providers: [.apt(["libssl-dev"])]),
        .target(name: "CWSGateTLS", dependencies: ["COpenSSL"]),
        .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
        .systemLibrary(name: "CCrypt", pkgConfig: "libcrypt", providers: [.apt(["libcrypt-dev"])]),
        // layer 1
        .target(name: "WSGatePosix", dependencies: ["WSGateCore", "CWSGateLinux"], swiftSettings: strict),
        .target(name: "WSGateHTTP", dependencies: ["WSGateCore"], swiftSettings: strict),
        .target(name: "WSGateConfig", dependencies: ["WSGateCore"], swiftSettings: strict),
        .target(name: "WSGateTLS", dependencies: ["WSGateCore", "COpenSSL", "CWSGateTLS"], swiftSettings: strict),
        .target(name: "WSGateCompression", dependencies: ["WSGateCore", "CZlib"], swiftSettings: strict),
        .target(name: "WSGateAuth", dependencies: ["WSGateJSON", "COpenSSL"], swiftSettings: strict),
        .target(name: "WSGatePasswords", dependencies: ["WSGateCore", "CCrypt"], swiftSettings: strict),
        // layer 2
        .target(name: "WSGateLimits", dependencies: ["WSGateCore", "WSGateHTTP"], swiftSettings: strict),
        .target(name: "WSGateEventLoop", dependencies: ["WSGatePosix", "WSGateTLS"], swiftSettings: strict),
        .target(name: "WSGateWebSocket", dependencies: ["WSGateHTTP", "WSGateCompression"], swiftSettings: strict),
        // layer 3
        .target(name: "WSGateBackends", dependencies: ["WSGateEventLoop"], swiftSettings: strict),
        .target(name: "WSGateRoomProtocol", dependencies: ["WSGateJSON", "WSGateWebSocket"], swiftSettings: strict),
        // layer 4
        .target(name: "WSGateRelay", dependencies: ["WSGateBackends", "WSGateRoomProtocol", "WSGateWebSocket"], swiftSettings: strict),
        // layer 5
        .target(name: "WSGateCLI", dependencies: ["WSGateConfig", "WSGateHTTP"], swiftSettings: strict),
        .target(
            name: "WSGateServer",
            dependencies: ["WSGateRelay", "WSGateHTTP", "WSGateConfig", "WSGateTLS", "WSGateAuth", "WSGatePasswords", "WSGateLimits"],
            swiftSettings: strict),
        // layer 6
        // Release builds of the gateway carry the Swift runtime inside (the Debian package runs
        // where no toolchain is installed) and bind every symbol at start (-z now: full RELRO).
        .executableTarget(name: "wsgate", dependencies: ["WSGateCLI", "WSGateServer"], swiftSettings: strict,
                          linkerSettings: [.unsafeFlags(["-static-stdlib", "-Xlinker", "-z", "-Xlinker", "now"],
                                                        .when(configuration: .release))]),
        .executableTarget(name: "wsgate-testcmd", swiftSettings: strict),
        .executableTarget(name: "wsgate-bench", dependencies: ["WSGateWebSocket", "WSGateCompression", "WSGateBackends", "WSGateTLS"], swiftSettings: strict),

        // tests
        .target(name: "WSGateTestSupport", dependencies: ["WSGateWebSocket", "WSGateEventLoop", "WSGatePosix", "CWSGateLinux",
                                                         "COpenSSL", "CWSGateTLS"], path: "Tests/WSGateTestSupport",
                swiftSettings: strict),
        .testTarget(name: "WSGateCoreTests", dependencies: ["WSGateCore"], swiftSettings: strict),
        .testTarget(name: "WSGateJSONTests", dependencies: ["WSGateJSON"], swiftSettings: strict),
        .testTarget(name: "WSGateRoomProtocolTests", dependencies: ["WSGateRoomProtocol", "WSGateJSON", "WSGateWebSocket", "WSGateCore"],
                    swiftSettings: strict),
        .testTarget(name: "WSGatePosixTests", dependencies: ["WSGatePosix"], swiftSettings: strict),
        .testTarget(name: "WSGateEventLoopTests", dependencies: ["WSGateEventLoop", "WSGateTLS", "WSGateTestSupport"], swiftSettings: strict),
        .testTarget(name: "WSGateTLSTests", dependencies: ["WSGateTLS", "WSGateCore", "WSGateTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "WSGateCompressionTests", dependencies: ["WSGateCompression", "WSGateCore", "WSGateTestSupport"],
                    swiftSettings: strict),
        .testTarget(name: "WSGateAuthTests", dependencies: ["WSGateAuth", "WSGateJSON", "COpenSSL"], swiftSettings: strict),
        .testTarget(name: "WSGateHTTPTests", dependencies: ["WSGateHTTP"], swiftSettings: strict),
        .testTarget(name: "WSGateLimitsTests", dependencies: ["WSGateLimits", "WSGateHTTP", "WSGateCore"], swiftSettings: strict),
        .testTarget(name: "WSGatePasswordsTests", dependencies: ["WSGatePasswords"], swiftSettings: strict),
        .testTarget(name: "WSGateWebSocketTests", dependencies: ["WSGateWebSocket", "WSGateTestSupport", "WSGateCompression"],
                    swiftSettings: strict),
        .testTarget(name: "WSGateBackendsTests", dependencies: ["WSGateBackends", "WSGateTestSupport"], swiftSettings: strict),
        .testTarget(name: "WSGateRelayTests", dependencies: ["WSGateRelay", "WSGateTestSupport", "WSGateCompression"], swiftSettings: strict),
        .testTarget(name: "WSGateCLITests", dependencies: ["WSGateCLI"], swiftSettings: strict),
        .testTarget(name: "WSGateServerTests", dependencies: ["WSGateServer", "WSGateTestSupport", "WSGateLimits"], swiftSettings: strict),
        .testTarget(name: "WSGateIntegrationTests", dependencies: ["WSGateTestSupport", "WSGateWebSocket", "WSGatePosix", "WSGateCompression", "COpenSSL"],
                    swiftSettings: strict),
        .testTarget(name: "WSGateDifferentialTests", dependencies: ["WSGateTestSupport", "WSGateWebSocket"], swiftSettings: strict),
        .testTarget(name: "WSGateWebsockifyComparisonTests", dependencies: ["WSGateTestSupport", "WSGateWebSocket"], swiftSettings: strict),
    ]
)
