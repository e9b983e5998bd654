/// The text of a `file.ptr` for a pointer record's target: `MSG:` messages as they are, paths as `PATH:path`.
enum PointerText {
    static let messagePrefix = "MSG:"

    static func of(_ target: String) -> String {
        target.hasPrefix(messagePrefix) ? target : "PATH:" + target
    }
}
