/// The mount's settings from flags and from `-o` options: symfs's own keys are taken out, options that only
/// mean something to mount(8) or fstab are dropped, and the rest go to libfuse.
struct MountSettings {
    var service: SymbolServiceSettings
    var negativeTimeout: Double
    var logFile: String?
    var verbose: Bool
    var entryTimeout: Double?
    var directoryTimeout: Double?
    var owner: UInt32?
    var group: UInt32?
    var maximumThreads: UInt32?
    var libfuseOptions: [String] = []

    /// Options mount(8), mount.fuse3 and fstab use that libfuse must not see; `rw` because the mount is read-only.
    static let ignored: Set<String> = ["rw", "ro", "defaults", "auto", "noauto", "user", "users", "nouser",
                                       "_netdev", "nofail", "exec", "noexec", "suid", "nosuid", "dev", "nodev"]

    init(command: MountCommand) throws {
        service = try command.symbolPathOptions.settings
        negativeTimeout = command.negativeTimeout
        logFile = command.logFile
        verbose = command.verbose
    }

    mutating func apply(options: [String]) throws(MountSettingsError) {
        for option in options.flatMap({ $0.split(separator: ",").map(String.init) }) {
            let parts = option.split(separator: "=", maxSplits: 1).map(String.init)
            let name = parts[0]
            let value = parts.count > 1 ? parts[1] : nil
            switch name {
            case "symbol_path": service.symbolPath = try required(value, name)
            case "case_sensitive": service.caseSensitive = true
            case "negative_timeout": negativeTimeout = try seconds(value, name, option: option)
            case "pointer_root": service.pointerRoots.append(try required(value, name))
            case "log_file": logFile = try required(value, name)
            case "http_headers_file": service.httpHeadersFile = try required(value, name)
            case "cacert": service.certificateAuthorities = try required(value, name)
            case "miss_timeout": service.missTimeout = try seconds(value, name, option: option)
            case "lookup_timeout": service.lookupTimeout = try seconds(value, name, option: option)
            case "stall_timeout": service.stallTimeout = try seconds(value, name, option: option)
            case "minimum_speed": service.minimumSpeed = Int(try number(value, name, option: option, minimum: 1))
            case "entry_timeout": entryTimeout = try seconds(value, name, option: option)
            case "dir_timeout": directoryTimeout = try seconds(value, name, option: option)
            case "uid": owner = try number(value, name, option: option)
            case "gid": group = try number(value, name, option: option)
            case "max_threads": maximumThreads = try number(value, name, option: option, minimum: 1)
            case "verbose": verbose = true
            case "cache_max_size":
                guard let size = ByteCount(try required(value, name)) else {
                    throw MountSettingsError(option: option, reason: "expects a size in bytes, with K, M, G or T if you like")
                }
                service.cacheMaximumBytes = size.bytes
            default:
                if Self.ignored.contains(name) || name.hasPrefix("x-") || name == "comment" { continue }
                libfuseOptions.append(option)
            }
        }
    }

    private func seconds(_ value: String?, _ name: String, option: String) throws(MountSettingsError) -> Double {
        guard let seconds = Double(try required(value, name)), seconds >= 0 else {
            throw MountSettingsError(option: option, reason: "expects a number of seconds")
        }
        return seconds
    }

    private func number(
        _ value: String?, _ name: String, option: String, minimum: UInt32 = 0
    ) throws(MountSettingsError) -> UInt32 {
        guard let number = UInt32(try required(value, name)), number >= minimum else {
            throw MountSettingsError(option: option, reason: "expects a whole number of at least \(minimum)")
        }
        return number
    }

    private func required(_ value: String?, _ name: String) throws(MountSettingsError) -> String {
        guard let value, !value.isEmpty else { throw MountSettingsError(option: name, reason: "needs a value") }
        return value
    }
}

struct MountSettingsError: Error, CustomStringConvertible {
    var option: String
    var reason: String
    var description: String { "-o \(option): \(reason)" }
}
