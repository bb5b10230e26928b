// swift-tools-version: 6.1
import PackageDescription

/// Warnings are errors for our own targets (STYLE.md → Tooling); dependencies are left alone.
let strict: [SwiftSetting] = [
    .unsafeFlags(["-warnings-as-errors"]),
]

let package = Package(
    name: "TestShard",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "testshard-coordinator", targets: ["Coordinator"]),
        .executable(name: "testshard-worker", targets: ["Worker"]),
        .executable(name: "testshard-bench", targets: ["Bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", exact: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", exact: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", exact: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-extras", exact: "1.35.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", exact: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", exact: "3.12.3"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", exact: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", exact: "1.0.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", exact: "2.13.0"),
    ],
    targets: [
        // MARK: Pure core (no I/O; time and I/O results are parameters)
        .target(name: "TestShardModel", swiftSettings: strict),
        .target(
            name: "TestShardConfig",
            dependencies: ["TestShardModel", .product(name: "TOMLKit", package: "TOMLKit")],
            swiftSettings: strict
        ),
        .target(name: "TestShardPlanner", dependencies: ["TestShardModel"], swiftSettings: strict),
        .target(name: "TestShardScheduler", dependencies: ["TestShardModel"], swiftSettings: strict),
        .target(
            name: "TestShardProtocol",
            dependencies: [
                "TestShardModel",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestShardNIOSupport",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: strict
        ),
        .target(name: "TestShardJUnit", dependencies: ["TestShardModel"], swiftSettings: strict),
        .target(
            name: "TestShardExecution",
            dependencies: [
                "TestShardModel", "TestShardJUnit",
                .product(name: "Subprocess", package: "swift-subprocess"),
            ],
            swiftSettings: strict
        ),
        .target(name: "TestShardReport", dependencies: ["TestShardModel"], swiftSettings: strict),

        // MARK: Shells (I/O)
        .target(
            name: "TestShardMetrics",
            dependencies: [
                "TestShardModel", "TestShardNIOSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestShardStore",
            dependencies: ["TestShardModel", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strict
        ),
        .target(
            name: "TestShardWorkerKit",
            dependencies: [
                "TestShardModel", "TestShardConfig", "TestShardProtocol", "TestShardExecution", "TestShardNIOSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .target(
            name: "TestShardCoordinatorKit",
            dependencies: [
                "TestShardModel", "TestShardConfig", "TestShardPlanner", "TestShardScheduler",
                "TestShardProtocol", "TestShardJUnit", "TestShardReport", "TestShardStore", "TestShardMetrics",
                "TestShardNIOSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOExtras", package: "swift-nio-extras"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),

        // MARK: Executables (thin: CLI parsing, then a call into the kits)
        .executableTarget(
            name: "Coordinator",
            dependencies: [
                "TestShardCoordinatorKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "Worker",
            dependencies: [
                "TestShardWorkerKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strict
        ),

        // Benchmarks users and CI can rerun (docs/BENCHMARKS.md); built in release.
        .executableTarget(
            name: "Bench",
            dependencies: [
                "TestShardCoordinatorKit", "TestShardPlanner", "TestShardScheduler", "TestShardStore",
                "TestShardReport", "TestShardProtocol", "TestShardJUnit", "TestShardModel",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                // The load client speaks the real protocol over TCP.
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: strict
        ),

        // MARK: Tests (mirror Sources/)
        .testTarget(name: "TestShardModelTests", dependencies: ["TestShardModel"]),
        .testTarget(name: "TestShardConfigTests", dependencies: ["TestShardConfig"]),
        .testTarget(name: "TestShardPlannerTests", dependencies: ["TestShardPlanner"]),
        .testTarget(name: "TestShardSchedulerTests", dependencies: ["TestShardScheduler"]),
        .testTarget(
            name: "TestShardProtocolTests",
            dependencies: [
                "TestShardProtocol",
                .product(name: "NIOEmbedded", package: "swift-nio"),
                .product(name: "NIOTestUtils", package: "swift-nio"),
            ]
        ),
        .testTarget(name: "TestShardJUnitTests", dependencies: ["TestShardJUnit"]),
        .testTarget(name: "TestShardExecutionTests", dependencies: ["TestShardExecution"]),
        .testTarget(name: "TestShardReportTests", dependencies: ["TestShardReport"]),
        .testTarget(
            name: "TestShardStoreTests",
            dependencies: ["TestShardStore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "TestShardCoordinatorKitTests",
            dependencies: [
                "TestShardCoordinatorKit", "TestShardStore", "TestShardPlanner", "TestShardModel",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(name: "TestShardMetricsTests", dependencies: ["TestShardMetrics"]),
        // Real coordinator and worker processes on loopback; depends on the executables so
        // `swift test` builds them.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "Coordinator", "Worker", "TestShardJUnit", "TestShardReport", "TestShardModel", "TestShardProtocol",
            ]
        ),
    ]
)
