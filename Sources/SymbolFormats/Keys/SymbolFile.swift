/// A file a symbol store can hold, recognised by its first bytes (never by its name).
public enum SymbolFile: Sendable, Hashable {
    case peImage(PEImage)
    case pdb70(MSFPDB)
    case pdb20(JGPDB)
    case portablePDB(PortablePDB)
    case separateDebug(SeparateDebugFile)

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        let path = file.path
        let head = try file.readPrefix(at: 0, upTo: 64)
        if head.starts(with: PEImage.magic) {
            self = .peImage(try PEImage(file))
        } else if head.starts(with: MSFPDB.magic) {
            self = .pdb70(try MSFPDB(file))
        } else if head.starts(with: JGPDB.magic) {
            self = .pdb20(try JGPDB(file))
        } else if head.starts(with: PortablePDB.magic) {
            self = .portablePDB(try PortablePDB(file))
        } else if head.starts(with: SeparateDebugFile.magic) {
            self = .separateDebug(try SeparateDebugFile(file))
        } else if file.size == 0 {
            throw .truncated(path: path, what: "the file is empty")
        } else {
            throw .unrecognized(path: path)
        }
    }

    public var kind: SymbolFileKind {
        switch self {
        case .peImage: return .peImage
        case .pdb70: return .pdb70
        case .pdb20: return .pdb20
        case .portablePDB: return .portablePDB
        case .separateDebug: return .separateDebug
        }
    }

    /// The key this file is filed under in a symbol store.
    public var key: String {
        switch self {
        case .peImage(let image): return image.key
        case .pdb70(let pdb): return pdb.key
        case .pdb20(let pdb): return pdb.key
        case .portablePDB(let pdb): return pdb.key
        case .separateDebug(let debug): return debug.key
        }
    }

    /// `name/key/name` for a file stored under `name`.
    public func symbolKey(name: String) -> SymbolKey {
        SymbolKey(name: name, key: key)
    }
}
