// swift-tools-version:6.0
import PackageDescription

/// Layers, bottom up: C shims → small single-purpose libraries → OpsbotCore (router, catalog,
/// confirmations, the Feature protocol, transports) → one target per feature (alerts, services,
/// database, Alertmanager, the HTTP listener), each depending on the core and never the other
/// way round → OpsbotApp (the composition: which features, how they are wired, run and reload)
/// → the `opsbot` executable.
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
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/apple/swift-system", from: "1.8.1"),
    ],
    targets: [
        // C layer
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CShims"),
        // Cairo, dlopen'ed when a chart is drawn (headers from libcairo2-dev; see Sources/CCairo).
        .target(name: "CCairo", linkerSettings: [.linkedLibrary("dl")]),
        .systemLibrary(name: "CLibPQ", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),

        // Single-purpose libraries
        .target(name: "OpsbotSupport", dependencies: [.product(name: "Logging", package: "swift-log")]),
        .target(name: "HTTPClient", dependencies: ["CCurl", "OpsbotSupport"]),
        .target(name: "TelegramBotAPI", dependencies: ["HTTPClient", "OpsbotSupport"]),
        .target(name: "Postgres", dependencies: ["CLibPQ", "OpsbotSupport"]),
        .target(name: "SystemOps", dependencies: [
            "CShims", "OpsbotSupport", .product(name: "Subprocess", package: "swift-subprocess"),
            .product(name: "SystemPackage", package: "swift-system"),
        ]),
        .target(name: "Alerting", dependencies: ["LocalStore", "OpsbotSupport"]),
        .target(name: "LocalStore", dependencies: ["CSQLite", "OpsbotSupport"]),
        .target(name: "PaymentProviders", dependencies: ["HTTPClient", "OpsbotSupport"]),
        .target(name: "Charts", dependencies: ["CCairo", "OpsbotSupport"]),

        // The bot's core: router, catalog, confirmations, config, transports, the Feature protocol
        .target(name: "OpsbotCore", dependencies: [
            "OpsbotSupport", "HTTPClient", "TelegramBotAPI", "SystemOps", "LocalStore",
            .product(name: "Yams", package: "Yams"),
            .product(name: "CoreMetrics", package: "swift-metrics"),
            .product(name: "Prometheus", package: "swift-prometheus"),
        ]),

        // Features, each on the core
        .target(name: "OpsbotAlerts", dependencies: ["OpsbotCore", "Alerting", "LocalStore"]),
        .target(name: "OpsbotServices", dependencies: ["OpsbotCore", "SystemOps", "HTTPClient", "TelegramBotAPI", "LocalStore"]),
        .target(name: "OpsbotDatabase", dependencies: ["OpsbotCore", "Postgres", "PaymentProviders"]),
        .target(name: "OpsbotAlertmanager", dependencies: ["OpsbotCore", "OpsbotAlerts", "Alerting", "HTTPClient"]),
        .target(name: "OpsbotGraphs", dependencies: ["OpsbotCore", "OpsbotServices", "Charts", "LocalStore"]),
        .target(name: "OpsbotHTTPListener", dependencies: ["OpsbotCore", "OpsbotAlerts", "OpsbotAlertmanager"]),

        // The composition and the binaries
        .target(name: "OpsbotApp", dependencies: [
            "OpsbotCore", "OpsbotAlerts", "OpsbotServices", "OpsbotDatabase", "OpsbotAlertmanager", "OpsbotHTTPListener",
            "OpsbotGraphs", "Alerting", "TelegramBotAPI", "LocalStore", "SystemOps",
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "UnixSignals", package: "swift-service-lifecycle"),
        ]),
        // `opsbot init`: discovery, the admin-id handshake, the config writer.
        .target(name: "OpsbotInit", dependencies: ["OpsbotApp", "SystemOps", "TelegramBotAPI", "HTTPClient", "OpsbotSupport"]),
        .executableTarget(name: "opsbot", dependencies: [
            "OpsbotApp", "OpsbotInit", .product(name: "ArgumentParser", package: "swift-argument-parser"),
            .product(name: "Logging", package: "swift-log"),
        ]),

        .executableTarget(name: "opsbench", dependencies: ["OpsbotApp", "OpsbotGraphs", "Charts", "LocalStore", "Postgres", "SystemOps", "TestSupport"]),

        // Test support: TestKit (loopback servers, throwaway engines, the manual clock; on
        // OpsbotSupport only) for every layer; TestSupport (a whole app, fakes) for the bot's own
        // targets and opsbench; TestTraits and TestHarness (harnesses that `#expect`) need
        // swift-testing, which a static release binary (opsbench) cannot link.
        .target(name: "TestKit", dependencies: ["OpsbotSupport", .product(name: "InMemoryLogging", package: "swift-log")], path: "Tests/TestKit"),
        .target(name: "TestSupport", dependencies: ["TestKit", "OpsbotApp", "Postgres", "LocalStore"], path: "Tests/TestSupport"),
        .target(name: "TestTraits", path: "Tests/TestTraits"),
        .target(name: "TestHarness", dependencies: [
            "TestSupport", "TestTraits", "SystemOps", .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ], path: "Tests/TestHarness"),

        // Tests, one target per library, mirroring Sources/
        .testTarget(name: "OpsbotSupportTests", dependencies: ["OpsbotSupport", "TestKit", .product(name: "InMemoryLogging", package: "swift-log")]),
        .testTarget(name: "TelegramBotAPITests", dependencies: ["TelegramBotAPI", "HTTPClient", "TestKit", "TestTraits"]),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestKit", "TestTraits"]),
        .testTarget(name: "SystemOpsTests", dependencies: ["SystemOps", "TestKit", "TestTraits"]),
        .testTarget(name: "AlertingTests", dependencies: ["Alerting", "TestKit"]),
        .testTarget(name: "LocalStoreTests", dependencies: ["LocalStore", "TestKit"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "OpsbotSupport"]),
        .testTarget(name: "OpsbotCoreTests", dependencies: ["OpsbotCore", "TestHarness"]),
        .testTarget(name: "OpsbotAlertsTests", dependencies: ["OpsbotAlerts", "TestHarness"]),
        .testTarget(name: "OpsbotServicesTests", dependencies: ["OpsbotServices", "TestHarness"]),
        .testTarget(name: "OpsbotDatabaseTests", dependencies: ["OpsbotDatabase", "Postgres", "PaymentProviders", "TestHarness"]),
        .testTarget(name: "OpsbotAlertmanagerTests", dependencies: ["OpsbotAlertmanager", "TestHarness"]),
        .testTarget(name: "OpsbotHTTPListenerTests", dependencies: [
            "OpsbotHTTPListener", "TestHarness", .product(name: "MetricsTestKit", package: "swift-metrics"),
        ]),
        .testTarget(name: "OpsbotInitTests", dependencies: ["OpsbotInit", "TestHarness"]),
        .testTarget(name: "OpsbotAppTests", dependencies: [
            "OpsbotApp", "OpsbotGraphs", "Charts", "Postgres", "TestHarness", .product(name: "ServiceLifecycleTestKit", package: "swift-service-lifecycle"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
