// swift-tools-version:6.0
import PackageDescription

// Layers, each depending only on those above it:
//   C shims           CFuse, CCurl, CMSPack, CZlib, CLinux: what Swift cannot call directly.
//   SystemSupport     locks, conditions, one clock, threads, processes: what every layer below shares.
//   SymbolFormats     the files themselves: keys of PE images, PDBs and .dbg files; CAB and ZIP `name_` archives.
//   SymbolHTTP        the HTTP client for symbol servers (libcurl, event driven, no thread per request).
//   SymbolStore       the store core: symbol paths, stores, resolution, downloads, caches, typed errors, the
//                     symbol service every front end starts.
//   SymbolFileSystem  the mounted tree (inodes, lookups, listings, handles, errno); no libfuse types.
//   SymbolPublishing  writing stores as symstore.exe does: add, query and del transactions, 000Admin, refs.ptr.
//   SymbolServer      the symbol path as an HTTP symbol server (SymProxy) on Hummingbird; HTTP status chosen here.
//   FUSEAdapter       libfuse's low-level requests to the file system core, one call and one reply each.
//   symfs             the command: one subcommand per front end (mount, add/query/del, serve; pruning and
//                     prefetching each get a target of their own beside FUSEAdapter, SymbolPublishing, SymbolServer).
let package = Package(
    name: "SymbolFS",
    products: [
        .executable(name: "symfs", targets: ["symfs"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.4.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.80.0"),
        .package(url: "https://github.com/apple/swift-nio-extras.git", from: "1.24.0"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.4.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.0.0"),
    ],
    targets: [
        .systemLibrary(name: "CFuse", pkgConfig: "fuse3", providers: [.apt(["libfuse3-dev"])]),
        .target(name: "CCurl", linkerSettings: [.linkedLibrary("curl")]),
        .target(name: "CMSPack", linkerSettings: [.linkedLibrary("mspack")]),
        .target(name: "CZlib", linkerSettings: [.linkedLibrary("z")]),
        .target(name: "CLinux"),

        .target(name: "SystemSupport"),
        .target(
            name: "SymbolFormats",
            dependencies: [
                "CMSPack", "CZlib", "SystemSupport", .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SymbolHTTP",
            dependencies: ["CCurl", "SystemSupport", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "SymbolStore",
            dependencies: [
                "SystemSupport", "SymbolFormats", "SymbolHTTP",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(name: "SymbolFileSystem", dependencies: ["SystemSupport", "SymbolStore"]),
        .target(
            name: "SymbolPublishing",
            dependencies: [
                "CLinux", "SystemSupport", "SymbolFormats", "SymbolStore",
                .product(name: "SystemPackage", package: "swift-system"),
            ]
        ),
        .target(
            name: "SymbolServer",
            dependencies: [
                "SystemSupport", "SymbolFormats", "SymbolStore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "SymbolPrefetch",
            dependencies: ["SystemSupport", "SymbolFormats", "SymbolStore"]
        ),
        .target(
            name: "FUSEAdapter",
            dependencies: ["CFuse", "SymbolFileSystem", .product(name: "Logging", package: "swift-log")]
        ),
        .executableTarget(
            name: "symfs",
            dependencies: [
                "SystemSupport", "SymbolFormats", "SymbolHTTP", "SymbolStore", "SymbolFileSystem", "FUSEAdapter",
                "SymbolPublishing", "SymbolServer", "SymbolPrefetch", .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "TestSupport", dependencies: ["SymbolFormats", "SymbolHTTP", "SymbolStore"], path: "Tests/TestSupport"),
        .testTarget(name: "SystemSupportTests", dependencies: ["SystemSupport", "TestSupport"]),
        .testTarget(name: "SymbolFormatsTests", dependencies: ["SymbolFormats", "TestSupport"]),
        .testTarget(name: "SymbolHTTPTests", dependencies: ["SymbolHTTP", "SymbolStore", "TestSupport"]),
        .testTarget(
            name: "SymbolStoreTests",
            dependencies: ["SystemSupport", "SymbolFormats", "SymbolHTTP", "SymbolStore", "TestSupport"]),
        .testTarget(name: "SymbolFileSystemTests", dependencies: ["SymbolFileSystem", "SymbolStore", "TestSupport"]),
        .testTarget(name: "FUSEAdapterTests", dependencies: ["FUSEAdapter", "SymbolFileSystem", "SymbolStore", "TestSupport"]),
        .testTarget(
            name: "SymbolPublishingTests",
            dependencies: ["SymbolFormats", "SymbolStore", "SymbolPublishing", "TestSupport"]),
        .testTarget(
            name: "SymbolServerTests",
            dependencies: [
                "SymbolFormats", "SymbolStore", "SymbolServer", "TestSupport",
                .product(name: "NIOEmbedded", package: "swift-nio"), .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
            ]),
        .testTarget(
            name: "SymbolPrefetchTests", dependencies: ["SymbolFormats", "SymbolStore", "SymbolPrefetch", "TestSupport"]),
        .testTarget(name: "symfsTests", dependencies: ["TestSupport"]),
    ]
)

// libFuzzer targets for every parser of outside input (Fuzz/README.md), only when SYMBOLFS_FUZZ is set: they build
// with `-sanitize=fuzzer` in their own build directory (Fuzz/run), never in the normal build or tests.
if Context.environment["SYMBOLFS_FUZZ"] != nil {
    let fuzzers: [(name: String, dependencies: [Target.Dependency])] = [
        ("SymbolPath", ["SymbolStore"]),
        ("FilePointer", ["SymbolStore"]),
        ("HTTPResponse", ["SymbolHTTP"]),
        ("HeadersFile", ["SymbolHTTP"]),
        ("PEImage", ["SymbolFormats"]),
        ("MSFPDB", ["SymbolFormats"]),
        ("JGPDB", ["SymbolFormats"]),
        ("PortablePDB", ["SymbolFormats"]),
        ("SeparateDebug", ["SymbolFormats"]),
        ("Cabinet", ["SymbolFormats", "SymbolStore"]),
        ("Zip", ["SymbolFormats"]),
        ("Minidump", ["SymbolFormats"]),
    ]
    package.targets += [
        .target(name: "CFuzzer", path: "Fuzz/Support/CFuzzer"),
        .target(name: "FuzzSupport", dependencies: ["CFuzzer"], path: "Fuzz/Support/FuzzSupport"),
    ]
    for fuzzer in fuzzers {
        package.targets.append(.executableTarget(
            name: "Fuzz\(fuzzer.name)", dependencies: ["FuzzSupport"] + fuzzer.dependencies,
            path: "Fuzz/\(fuzzer.name)"))
        package.products.append(.executable(name: "Fuzz\(fuzzer.name)", targets: ["Fuzz\(fuzzer.name)"]))
    }
}
