// swift-tools-version: 6.1
import PackageDescription

// Cortado: a fast, thread-safe, in-memory cache with time-to-live.
//
// Products:
// - Cortado        the cache. Depends on nothing beyond the Swift toolchain.
// - CortadoHybrid  a two-level cache (Cortado in front of a shared store).
// - CortadoRedis   the Redis store for CortadoHybrid, on SwiftNIO. Behind the
//                  `Redis` trait, off by default: without it SwiftNIO is not
//                  even cloned.
// - cortado        the command-line tool: hit-ratio simulator and benchmark.

let package = Package(
    name: "Cortado",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
    products: [
        .library(name: "Cortado", targets: ["Cortado"]),
        .library(name: "CortadoRedis", targets: ["CortadoRedis"]),
        .executable(name: "cortado", targets: ["cortado"]),
    ],
    traits: [
        .trait(name: "Redis", description: "Builds the CortadoRedis product (Redis client on SwiftNIO)."),
        .default(enabledTraits: []),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // MARK: Core
        .target(name: "_CortadoShims"),
        .target(name: "Cortado", dependencies: ["_CortadoShims"]),
        .testTarget(
            name: "CortadoTests",
            dependencies: [
                "Cortado",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"]
        ),

        // MARK: Redis (trait `Redis`)
        .target(
            name: "CortadoRedis",
            dependencies: [
                "Cortado",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Redis"])),
                .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: ["Redis"])),
                .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["Redis"])),
            ]
        ),
        .testTarget(
            name: "CortadoRedisTests",
            dependencies: [
                "CortadoRedis",
                .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Redis"])),
                .product(name: "NIOEmbedded", package: "swift-nio", condition: .when(traits: ["Redis"])),
            ]
        ),

        // MARK: The `cortado` command
        .target(name: "CortadoBench", dependencies: ["Cortado"]),
        .executableTarget(
            name: "cortado",
            dependencies: [
                "CortadoBench",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "CortadoBenchTests", dependencies: ["CortadoBench"]),
    ]
)
