/// Checks that a name or key a client sent can be used as one component of a path below a store root. Anything
/// else (`..`, `.`, a separator, a control byte, NUL, empty, longer than a Linux file name) is rejected before
/// the disk is touched, so a request can never climb out of a store.
public enum StoreComponent {
    /// Linux's NAME_MAX.
    public static let maximumLength = 255

    static let wantsPointersMarker = "wantsptr.txt"

    /// Store bookkeeping that is never a symbol file name (spec §2.1, §2.4, §2.5).
    static let bookkeeping: Set<String> = ["000admin", "pingme.txt", "index2.txt", "refs.ptr", FilePointer.fileName, wantsPointersMarker]

    /// Temporary files written into caches start with this; listings skip them.
    public static let temporaryPrefix = ".symfs-tmp-"

    public static func isValid(_ component: String) -> Bool {
        let bytes = component.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength, component != ".", component != ".." else { return false }
        return !bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "\\") }
    }

    /// Whether a path read from a `file.ptr` is usable: no control bytes, not absurdly long (PATH_MAX).
    static func isValidPath(_ path: String) -> Bool {
        let bytes = path.utf8
        return !bytes.isEmpty && bytes.count < 4096 && !bytes.contains { $0 < 0x20 || $0 == 0x7F }
    }

    /// Whether a directory entry of a store may be listed, or looked up, as a name or key: a valid component
    /// that is neither bookkeeping nor a temporary file.
    public static func isListable(_ entry: String) -> Bool {
        isValid(entry) && !entry.hasPrefix(temporaryPrefix) && !bookkeeping.contains(entry.lowercased())
    }

    /// `name_`: the name with its last character replaced by `_` (spec §2.3).
    package static func compressedName(_ name: String) -> String {
        String(name.dropLast()) + "_"
    }
}
