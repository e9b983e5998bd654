/// Names a client may ask for: one path component that cannot climb out of a store (no `.`, `..`, separators
/// of either system, control bytes), at most 255 bytes.
enum FileName {
    static func isPlain(_ name: String) -> Bool {
        guard !name.isEmpty, name != ".", name != "..", name.utf8.count <= 255 else { return false }
        return !name.utf8.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }
    }
}
