// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "Legend",
    products: [
        .executable(name: "legend", targets: ["legend"]),
        .library(name: "TensorForge", targets: ["TensorForge"]),
        // What a chapter program links against: one shared library, built in release once
        // (see Runtime.swift in Literate). Dynamic, so linking a chapter costs milliseconds.
        .library(name: "LegendRuntime", type: .dynamic, targets: ["TensorForge", "NotebookCore", "Notebook"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        .package(url: "https://github.com/swiftlang/swift-syntax", from: "603.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CCmark", pkgConfig: "libcmark", providers: [.apt(["libcmark-dev"])]),
        .systemLibrary(name: "COpenBLAS", pkgConfig: "openblas", providers: [.apt(["libopenblas-dev"])]),
        .target(name: "TensorForge", dependencies: ["COpenBLAS"]),
        .target(name: "NotebookCore"),
        .target(name: "Notebook", dependencies: ["NotebookCore", "TensorForge"]),
        .target(name: "Literate", dependencies: [
            "CCmark", "NotebookCore",
            .product(name: "Mustache", package: "swift-mustache"),
            .product(name: "Yams", package: "Yams"),
            .product(name: "FlyingFox", package: "FlyingFox"),
            .product(name: "TOMLKit", package: "TOMLKit"),
            .product(name: "SwiftSyntax", package: "swift-syntax"),
            .product(name: "SwiftParser", package: "swift-syntax"),
            .product(name: "SwiftIDEUtils", package: "swift-syntax"),
        ]),
        .executableTarget(name: "legend", dependencies: [
            "Literate",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .executableTarget(name: "engine-benchmark", dependencies: ["TensorForge"], path: "Benchmarks/engine-benchmark"),
        .testTarget(name: "TensorForgeTests", dependencies: ["TensorForge"], exclude: ["Fixtures"]),
        .testTarget(name: "NotebookTests", dependencies: ["Notebook", "NotebookCore"], exclude: ["Golden"]),
        .testTarget(name: "LiterateTests", dependencies: ["Literate"], exclude: ["Fixtures"]),
        .testTarget(name: "LegendTests", dependencies: ["legend"]),
    ]
)

// Fuzz targets (libFuzzer), declared only when LEGEND_FUZZ is set, so that `swift build` and
// `swift test` never see them. scripts/fuzz builds them with -sanitize=fuzzer into .build-fuzz/;
// TESTING.md says how to run them.
if Context.environment["LEGEND_FUZZ"] != nil {
    package.targets.append(.target(name: "FuzzDriver", path: "Fuzz/driver"))
    for (name, dependency) in [("weave", "Literate"), ("safetensors", "TensorForge"), ("math", "Literate"), ("yaml", "Literate"), ("bibtex", "Literate")] {
        package.targets.append(.executableTarget(
            name: "fuzz-\(name)", dependencies: ["FuzzDriver", .target(name: dependency)], path: "Fuzz/\(name)"))
        package.products.append(.executable(name: "fuzz-\(name)", targets: ["fuzz-\(name)"]))
    }
}
