// swift-tools-version: 6.1
import CompilerPluginSupport
import PackageDescription

// Cortado: a fast, thread-safe, in-memory cache with time-to-live.
//
// Products:
// - Cortado        the cache. Depends on nothing beyond the Swift toolchain.
// - CortadoHybrid  a two-level cache (Cortado in front of a shared store).
// - CortadoRedis   the Redis store for CortadoHybrid, on SwiftNIO. Behind the
//                  `Redis` trait, off by default: without it SwiftNIO is not
//                  even cloned.
// - CortadoMacros  the @Memoized macro. Behind the `Macros` trait, off by
//                  default, so that only users who want it build swift-syntax.
// - cortado        the command-line tool: hit-ratio simulator and benchmark.

let package = Package(
  name: "Cortado",
  platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
  products: [
    .library(name: "Cortado", targets: ["Cortado"]),
    .library(name: "CortadoHybrid", targets: ["CortadoHybrid"]),
    .library(name: "CortadoHybridTesting", targets: ["CortadoHybridTesting"]),
    .library(name: "CortadoRedis", targets: ["CortadoRedis"]),
    .library(name: "CortadoMacros", targets: ["CortadoMacros"]),
    .executable(name: "cortado", targets: ["cortado"]),
    .executable(name: "cortado-fuzz", targets: ["CortadoFuzz"]),
  ],
  traits: [
    .trait(name: "Redis", description: "Builds the CortadoRedis product (Redis client on SwiftNIO)."),
    .trait(name: "Macros", description: "Builds the CortadoMacros product (@Memoized, on swift-syntax)."),
    .trait(name: "Fuzz", description: "Builds cortado-fuzz, the libFuzzer harness (needs -sanitize=fuzzer)."),
    .default(enabledTraits: []),
  ],
  dependencies: [
    .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
    .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
    .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    .package(url: "https://github.com/swiftlang/swift-syntax.git", from: "602.0.0"),
  ],
  targets: [
    // MARK: Core
    .target(name: "_CortadoShims"),
    .target(name: "Cortado", dependencies: ["_CortadoShims"]),
    // Test support shared by the test targets (never a product): the
    // linearizability checker and its history driver.
    .target(name: "CortadoTestSupport", dependencies: ["Cortado"], path: "Tests/CortadoTestSupport"),
    .testTarget(
      name: "CortadoTests",
      dependencies: [
        "Cortado",
        "CortadoTestSupport",
        .product(name: "PropertyBased", package: "swift-property-based"),
      ],
      exclude: ["Fixtures"]
    ),

    // MARK: Two-level cache (Foundation allowed; no SwiftNIO)
    .target(name: "CortadoHybrid", dependencies: ["Cortado"]),
    // The in-memory store and the store contract, for tests (ours and users').
    .target(name: "CortadoHybridTesting", dependencies: ["Cortado", "CortadoHybrid"]),
    .testTarget(
      name: "CortadoHybridTests",
      dependencies: ["CortadoHybrid", "CortadoHybridTesting", "CortadoTestSupport"]
    ),

    // MARK: Redis (trait `Redis`)
    .target(
      name: "CortadoRedis",
      dependencies: [
        "Cortado",
        "CortadoHybrid",
        .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Redis"])),
        .product(name: "NIOPosix", package: "swift-nio", condition: .when(traits: ["Redis"])),
        .product(name: "NIOSSL", package: "swift-nio-ssl", condition: .when(traits: ["Redis"])),
      ]
    ),
    .testTarget(
      name: "CortadoRedisTests",
      dependencies: [
        "CortadoRedis",
        "CortadoHybridTesting",
        .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Redis"])),
        .product(name: "NIOEmbedded", package: "swift-nio", condition: .when(traits: ["Redis"])),
      ]
    ),

    // MARK: Macros (trait `Macros`)
    // Every swift-syntax reference carries the trait condition, and the
    // sources are under `#if Macros`, so with the trait off nothing of
    // swift-syntax is resolved or built (the plugin is then a stand-in).
    .macro(
      name: "CortadoMacrosPlugin",
      dependencies: [
        .product(name: "SwiftSyntaxMacros", package: "swift-syntax", condition: .when(traits: ["Macros"])),
        .product(name: "SwiftCompilerPlugin", package: "swift-syntax", condition: .when(traits: ["Macros"])),
        .product(name: "SwiftDiagnostics", package: "swift-syntax", condition: .when(traits: ["Macros"])),
        .product(name: "SwiftSyntaxBuilder", package: "swift-syntax", condition: .when(traits: ["Macros"])),
      ]
    ),
    .target(name: "CortadoMacros", dependencies: ["Cortado", "CortadoMacrosPlugin"]),
    .testTarget(
      name: "CortadoMacrosTests",
      dependencies: [
        "CortadoMacros",
        "CortadoMacrosPlugin",
        .product(
          name: "SwiftSyntaxMacrosGenericTestSupport", package: "swift-syntax", condition: .when(traits: ["Macros"])),
        .product(name: "SwiftSyntaxMacros", package: "swift-syntax", condition: .when(traits: ["Macros"])),
        .product(name: "SwiftSyntaxMacroExpansion", package: "swift-syntax", condition: .when(traits: ["Macros"])),
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

    // MARK: Fuzzing (trait `Fuzz`; built with -sanitize=fuzzer, see docs/reliability.md)
    .executableTarget(
      name: "CortadoFuzz",
      dependencies: [
        .target(name: "Cortado", condition: .when(traits: ["Fuzz"])),
        .target(name: "CortadoHybrid", condition: .when(traits: ["Fuzz"])),
        .target(name: "CortadoBench", condition: .when(traits: ["Fuzz"])),
        .target(name: "CortadoTestSupport", condition: .when(traits: ["Fuzz"])),
        .target(name: "CortadoRedis", condition: .when(traits: ["Fuzz"])),
        .product(name: "NIOCore", package: "swift-nio", condition: .when(traits: ["Redis"])),
      ]
    ),
  ]
)
