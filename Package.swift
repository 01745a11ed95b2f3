// swift-tools-version:6.0
import PackageDescription

/// Layers, bottom up: C shims → small single-purpose libraries → OpsbotCore (router, catalog,
/// confirmations, modules, transports) → the `opsbot` executable.
let package = Package(
    name: "opsbot",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "opsbot", targets: ["opsbot"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        // C layer
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CShims"),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Single-purpose libraries
        .target(name: "OpsbotSupport"),
        .target(name: "HTTPClient", dependencies: ["CCurl", "OpsbotSupport"]),
        .target(name: "TelegramBotAPI", dependencies: ["HTTPClient", "OpsbotSupport"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "OpsbotSupport"]),
        .target(name: "SystemOps", dependencies: ["CShims", "OpsbotSupport"]),
        .target(name: "Alerting", dependencies: ["LocalStore", "OpsbotSupport"]),
        .target(name: "LocalStore", dependencies: ["CSQLite", "OpsbotSupport"]),

        // The bot
        .target(name: "OpsbotCore", dependencies: [
            "OpsbotSupport", "HTTPClient", "TelegramBotAPI", "Postgres", "SystemOps",
            "Alerting", "LocalStore", .product(name: "Yams", package: "Yams"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),
        .executableTarget(name: "opsbot", dependencies: [
            "OpsbotCore", .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),

        .executableTarget(name: "opsbench", dependencies: ["OpsbotCore", "Postgres", "SystemOps", "TestSupport"]),

        // Tests
        // Test doubles that need nothing but OpsbotSupport (the manual clock), for every test target.
        .target(name: "SupportTestKit", dependencies: ["OpsbotSupport"], path: "Tests/SupportTestKit"),
        .target(name: "TestSupport", dependencies: ["OpsbotSupport", "OpsbotCore", "SupportTestKit"], path: "Tests/TestSupport"),
        .testTarget(name: "OpsbotSupportTests", dependencies: ["OpsbotSupport", "SupportTestKit"]),
        .testTarget(name: "TelegramBotAPITests", dependencies: ["TelegramBotAPI", "HTTPClient", "TestSupport"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"]),
        .testTarget(name: "SystemOpsTests", dependencies: ["SystemOps", "TestSupport"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "SupportTestKit"]),
        .testTarget(name: "LocalStoreTests", dependencies: ["LocalStore"]),
        .testTarget(name: "OpsbotCoreTests", dependencies: [
            "OpsbotCore", "Postgres", "TestSupport", .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
