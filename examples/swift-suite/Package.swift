// swift-tools-version:6.0
// A tiny package for TestShard's `swift` runner: no dependencies, so it builds in seconds.
import PackageDescription

let package = Package(
    name: "Shop",
    targets: [
        .target(name: "Shop"),
        .testTarget(name: "ShopTests", dependencies: ["Shop"]),
    ]
)
