import ArgumentParser
import Logging
import SymbolStore
import SymbolHTTP
import SystemSupport
#if canImport(Glibc)
import Glibc
#endif

/// The options every command that reads a symbol path takes: the path, how names match, where pointers may lead,
/// and how HTTP servers are reached.
struct SymbolPathOptions: ParsableArguments {
    @Option(name: [.customLong("symbol-path"), .customShort("y")],
            help: "The symbol path (default: _NT_ALT_SYMBOL_PATH;_NT_SYMBOL_PATH, else what .symfix sets).")
    var symbolPath: String?

    @Flag(help: "Match names and keys exactly (default: regardless of case, as Windows clients expect).")
    var caseSensitive = false

    @Option(help: "Follow file.ptr targets only below this directory (repeatable; default: anywhere).")
    var pointerRoot: [String] = []

    @Option(help: "An extra HTTP request header for servers whose host ends in HOST-SUFFIX: 'HOST-SUFFIX=Name: value' (repeatable).")
    var httpHeader: [String] = []

    @Option(help: "A file of extra HTTP request headers, one 'HOST-SUFFIX Name: value' a line (keeps tokens out of ps).")
    var httpHeadersFile: String?

    @Option(name: .customLong("cacert"),
            help: "A PEM file of the certificate authorities HTTPS servers are verified against (default: the system's).")
    var certificateAuthorities: String?

    @Option(help: "Seconds a server's 404 is remembered before it is asked again (SymProxy's MissTimeout).")
    var missTimeout: Double = 300

    @Option(help: "Seconds one lookup may take at a server, every probe, retry and redirect included; then the next store is asked.")
    var lookupTimeout: Double = 10

    @Option(help: "Seconds over which a transfer must average --minimum-speed, or it fails (a stall or a trickle).")
    var stallTimeout: Double = 30

    @Option(help: "Bytes per second a transfer must average over --stall-timeout.")
    var minimumSpeed: Int = 1024

    @Option(help: ArgumentHelp(
        "Keep the leftmost cache of the path (where fetched files land) under this size, least recently used files going first (K, M, G, T suffixes).",
        valueName: "SIZE"))
    var cacheMaxSize: String?

    var settings: SymbolServiceSettings {
        get throws {
            var maximum: UInt64?
            if let cacheMaxSize {
                guard let size = ByteCount(cacheMaxSize) else {
                    throw ValidationError("--cache-max-size must be a number of bytes, with K, M, G or T if you like (10G), not '\(cacheMaxSize)'")
                }
                maximum = size.bytes
            }
            return SymbolServiceSettings(
                symbolPath: symbolPath, caseSensitive: caseSensitive, pointerRoots: pointerRoot, httpHeaders: httpHeader,
                httpHeadersFile: httpHeadersFile, certificateAuthorities: certificateAuthorities, missTimeout: missTimeout,
                lookupTimeout: lookupTimeout, stallTimeout: stallTimeout, minimumSpeed: minimumSpeed,
                cacheMaximumBytes: maximum)
        }
    }
}

/// What `SymbolPathOptions` say, after any other source of settings (a mount's `-o`) has had its say.
struct SymbolServiceSettings {
    var symbolPath: String?
    var caseSensitive: Bool
    var pointerRoots: [String]
    var httpHeaders: [String]
    var httpHeadersFile: String?
    var certificateAuthorities: String?
    var missTimeout: Double
    var lookupTimeout: Double
    var stallTimeout: Double
    var minimumSpeed: Int
    var cacheMaximumBytes: UInt64?

    /// The service's configuration: the path (from the environment when not given, made absolute), the proxy
    /// from `_NT_SYMBOL_PROXY`, headers and certificate authorities read and checked now. Errors are printed;
    /// the exit status is 2, as for any usage error.
    func configuration(logger: Logger) throws -> SymbolService.Configuration {
        let environment = SymbolPathEnvironment.current
        do {
            let path = try (symbolPath.map { try SymbolPath(parsing: $0) } ?? environment.symbolPath())
                .absolutized(currentDirectory: FilePaths.currentDirectory(), home: environment.variables["HOME"])
            var configuration = SymbolService.Configuration(
                symbolPath: path, defaultDownstreamStore: environment.defaultDownstreamStore)
            configuration.caseInsensitive = !caseSensitive
            configuration.allowedPointerRoots = pointerRoots.isEmpty ? nil : pointerRoots
            configuration.http = try httpConfiguration(environment)
            configuration.httpStores.missTimeout = .milliseconds(Int64(missTimeout * 1000))
            configuration.httpStores.lookupTimeout = .milliseconds(Int64(lookupTimeout * 1000))
            configuration.downloads.stallTimeout = stallTimeout
            configuration.downloads.minimumSpeed = Double(minimumSpeed)
            configuration.cacheMaximumBytes = cacheMaximumBytes
            configuration.logger = logger
            return configuration
        } catch {
            printError("symfs: \(error)")
            throw ExitCode(2)
        }
    }

    private func httpConfiguration(_ environment: SymbolPathEnvironment) throws -> HTTPConfiguration {
        var configuration = try HTTPConfiguration(environment: environment)  // _NT_SYMBOL_PROXY, spec §3.3
        configuration.stallTimeout = .milliseconds(Int64(stallTimeout * 1000))
        configuration.minimumSpeed = minimumSpeed
        for header in httpHeaders {
            configuration.extraHeaders.append(try Self.headers { () throws(HTTPHeaderSettingError) in
                try HTTPHeaderSetting.parse(header, separator: "=")
            })
        }
        if let file = httpHeadersFile {
            guard let contents = FilePaths.readTextFile(file) else {
                throw MountSettingsError(option: "http headers file", reason: "cannot read \(file)")
            }
            configuration.extraHeaders += try Self.headers { () throws(HTTPHeaderSettingError) in
                try HTTPHeaderSetting.parseFile(contents)
            }
        }
        if let file = certificateAuthorities {
            guard access(file, R_OK) == 0 else {
                throw MountSettingsError(option: "cacert", reason: "cannot read \(file)")
            }
            configuration.certificateAuthorities = FilePaths.absolute(file)
        }
        return configuration
    }

    /// A header setting's parse, its failure told as a mount setting's.
    private static func headers<Value>(
        _ parse: () throws(HTTPHeaderSettingError) -> Value
    ) throws(MountSettingsError) -> Value {
        do {
            return try parse()
        } catch {
            throw MountSettingsError(option: "http header", reason: error.reason)
        }
    }
}
