// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Cortado",
    platforms: [.macOS(.v13), .iOS(.v16), .tvOS(.v16), .watchOS(.v9)],
    products: [
        .library(name: "Cortado", targets: ["Cortado"]),
    ],
    dependencies: [
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.1"),
    ],
    targets: [
        .target(name: "_CortadoShims"),
        .target(name: "Cortado", dependencies: ["_CortadoShims"]),
        .testTarget(
            name: "CortadoTests",
            dependencies: [
                "Cortado",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
    ]
)
