import SystemSupport
/// The content of a `file.ptr` (spec §2.4): `PATH:<path>` names the real file, `MSG:<text>` is a message that
/// means "not here" (pdblister treats it as a miss), and old stores hold a bare path without a prefix (as
/// Microsoft's examples show). The prefix is split off at the first colon only, since paths may hold colons.
public enum FilePointer: Sendable, Hashable {
    case path(String)
    case message(String)

    package static let fileName = "file.ptr"

    /// The longest `file.ptr` read; real ones are one short line.
    static let maximumSize = 64 * 1024

    /// Reads pointer text; nil when it names nothing (empty, or `PATH:` with no path).
    public init?(text: String) {
        let line = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        let trimmed = line.trimmingBlanks
        guard !trimmed.isEmpty else { return nil }
        if let colon = trimmed.firstIndex(of: ":") {
            let prefix = trimmed[..<colon].uppercased()
            let rest = String(trimmed[trimmed.index(after: colon)...]).trimmingBlanks
            if prefix == "PATH" {
                guard !rest.isEmpty else { return nil }
                self = .path(rest)
                return
            }
            if prefix == "MSG" {
                self = .message(rest)
                return
            }
        }
        self = .path(trimmed)
    }

    /// Reads `file.ptr` at `path`; nil when it cannot be read or names nothing.
    static func read(_ path: String) -> FilePointer? {
        guard let bytes = LocalFileSystem.readPrefix(path, limit: maximumSize) else { return nil }
        return FilePointer(text: String(decoding: bytes, as: UTF8.self))
    }
}
