// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "SymbolFS",
    products: [
        .executable(name: "symfs", targets: ["symfs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
    ],
    targets: [
        // C shims: what Swift cannot call directly.
        .systemLibrary(name: "CFuse", pkgConfig: "fuse3", providers: [.apt(["libfuse3-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CMSPack", linkerSettings: [.linkedLibrary("mspack")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),

        // Store core: symbol paths, keys, stores, caches, compression. No FUSE.
        .target(
            name: "SymbolStore",
            dependencies: [
                "CCurl", "CMSPack", "CZlib",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),

        // File system core: inodes, lookup, listings, open handles, negative entries. No libfuse types.
        .target(name: "SymbolFileSystem", dependencies: ["SymbolStore"]),

        // FUSE adapter: libfuse low-level requests to the file system core, and the mount's lifecycle.
        .target(
            name: "FUSEAdapter",
            dependencies: ["CFuse", "SymbolFileSystem", .product(name: "Logging", package: "swift-log")]
        ),

        .executableTarget(
            name: "symfs",
            dependencies: [
                "SymbolStore", "SymbolFileSystem", "FUSEAdapter",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(name: "TestSupport", dependencies: ["SymbolStore"], path: "Tests/TestSupport"),
        .testTarget(name: "SymbolStoreTests", dependencies: ["SymbolStore", "TestSupport"]),
        .testTarget(name: "SymbolFileSystemTests", dependencies: ["SymbolFileSystem", "SymbolStore", "TestSupport"]),
        .testTarget(name: "FUSEAdapterTests", dependencies: ["FUSEAdapter", "SymbolFileSystem", "SymbolStore", "TestSupport"]),
        .testTarget(name: "symfsTests", dependencies: ["TestSupport"]),
    ]
)
