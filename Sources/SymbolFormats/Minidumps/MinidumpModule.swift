/// A module a minidump lists, and the symbol files a debugger asks stores for to make sense of it: the image,
/// the PDB its CodeView record names and the `.dbg` file its misc record names.
package struct MinidumpModule: Sendable, Hashable {
    /// MINIDUMP_MODULE: BaseOfImage u64, SizeOfImage, CheckSum, TimeDateStamp, ModuleNameRva, a 52-byte
    /// VS_FIXEDFILEINFO, the CodeView and misc records' locations, two reserved u64.
    package static let entrySize = 108
    /// MINIDUMP_UNLOADED_MODULE: the first five fields of MINIDUMP_MODULE.
    package static let unloadedEntrySize = 24
    package static let codeViewOffset = 76
    package static let miscOffset = 84
    /// A Windows path is at most 32,767 UTF-16 units.
    package static let maximumNameBytes = 32 * 1024 * 2
    package static let maximumRecordSize = 64 * 1024
    /// IMAGE_DEBUG_MISC: DataType, Length (of the whole record), Unicode u8, three reserved bytes, then the data.
    package static let miscHeaderSize = 12
    /// IMAGE_DEBUG_MISC_EXENAME: the data names the image's `.dbg` file.
    package static let miscExeName: UInt32 = 1

    /// The image's file name (the dump holds the path it was loaded from); empty when it could not be read.
    package var name: String
    package var baseOfImage: UInt64
    package var sizeOfImage: UInt32
    package var checkSum: UInt32
    package var timeDateStamp: UInt32
    /// Listed in the unloaded module stream, whose entries carry no CodeView or misc record.
    package var isUnloaded: Bool
    /// What the CodeView record says about the PDB; nil without a record.
    package var pdb: PDBReference?
    /// The `.dbg` file named by an IMAGE_DEBUG_MISC_EXENAME misc record.
    package var separateDebugName: String?
    /// What could not be read of this module's name or records; the fields it spoils are empty or nil.
    package var problem: String?

    /// The key of the image and of its `.dbg` file.
    package var imageKey: String { SymbolKey.imageKey(timeDateStamp: timeDateStamp, sizeOfImage: sizeOfImage) }

    package var image: SymbolKey? { name.isEmpty ? nil : SymbolKey(name: name, key: imageKey) }

    package var separateDebug: SymbolKey? { separateDebugName.map { SymbolKey(name: $0, key: imageKey) } }

    /// Every symbol file this module names: the image, then its PDB and `.dbg` file when it has them.
    package var symbolKeys: [SymbolKey] { [image, pdb?.symbolKey, separateDebug].compactMap { $0 } }

    package init(
        name: String, baseOfImage: UInt64, sizeOfImage: UInt32, checkSum: UInt32, timeDateStamp: UInt32,
        isUnloaded: Bool, pdb: PDBReference? = nil, separateDebugName: String? = nil, problem: String? = nil
    ) {
        self.name = name
        self.baseOfImage = baseOfImage
        self.sizeOfImage = sizeOfImage
        self.checkSum = checkSum
        self.timeDateStamp = timeDateStamp
        self.isUnloaded = isUnloaded
        self.pdb = pdb
        self.separateDebugName = separateDebugName
        self.problem = problem
    }

    /// Reads a MINIDUMP_MODULE entry and the records it points at; only a failure to read the file throws.
    init(loaded entry: [UInt8], in file: RandomAccessFile) throws(SymbolFileError) {
        try self.init(unloaded: entry, in: file)
        isUnloaded = false
        var problems = problem.map { [$0] } ?? []
        let codeView = MinidumpLocation(entry, at: Self.codeViewOffset)
        let misc = MinidumpLocation(entry, at: Self.miscOffset)
        pdb = try Self.recover(&problems, "CodeView record") { () throws(SymbolFileError) in
            try Self.pdb(codeView, in: file)
        }
        separateDebugName = try Self.recover(&problems, "misc record") { () throws(SymbolFileError) in
            try Self.separateDebugName(misc, in: file)
        }
        problem = problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// Reads the fields a MINIDUMP_UNLOADED_MODULE shares with a MINIDUMP_MODULE, and the name they point at.
    init(unloaded entry: [UInt8], in file: RandomAccessFile) throws(SymbolFileError) {
        baseOfImage = entry.u64(at: 0)
        sizeOfImage = entry.u32(at: 8)
        checkSum = entry.u32(at: 12)
        timeDateStamp = entry.u32(at: 16)
        isUnloaded = true
        let nameRVA = entry.u32(at: 20)
        var problems: [String] = []
        name = try Self.recover(&problems, "name") { () throws(SymbolFileError) in
            try Self.name(at: nameRVA, in: file)
        } ?? ""
        problem = problems.first
    }

    /// What `read` returns, or nil with what spoilt it added to `problems`; an unreadable file still throws.
    private static func recover<Value>(
        _ problems: inout [String], _ what: String, _ read: () throws(SymbolFileError) -> Value?
    ) throws(SymbolFileError) -> Value? {
        do {
            return try read()
        } catch {
            switch error {
            case .unreadable: throw error
            case .truncated(_, let reason): problems.append("\(what): truncated: \(reason)")
            case .corrupt(_, let reason), .missing(_, let reason): problems.append("\(what): \(reason)")
            case .unrecognized: problems.append("\(what): unrecognized")
            }
            return nil
        }
    }

    /// A MINIDUMP_STRING: its length in bytes, then UTF-16LE; the file name part of the path it holds.
    private static func name(at rva: UInt32, in file: RandomAccessFile) throws(SymbolFileError) -> String {
        let at = "at 0x\(String(rva, radix: 16))"
        let length = Int(try file.read(at: UInt64(rva), count: 4, what: "length \(at)").u32(at: 0))
        guard length <= maximumNameBytes, length % 2 == 0 else {
            throw .corrupt(path: file.path, what: "length \(length) \(at)")
        }
        let text = try file.read(at: UInt64(rva) + 4, count: length, what: "\(length) bytes \(at)")
        let name = fileName(utf16(text[...]))
        guard !name.isEmpty else { throw .missing(path: file.path, what: "no file name \(at)") }
        return name
    }

    private static func pdb(
        _ record: MinidumpLocation, in file: RandomAccessFile
    ) throws(SymbolFileError) -> PDBReference? {
        guard record.dataSize > 0 else { return nil }
        guard record.dataSize >= PDBReference.minimumCodeViewSize, record.dataSize <= maximumRecordSize else {
            throw .corrupt(path: file.path, what: record.description)
        }
        let bytes = try file.read(at: UInt64(record.rva), count: Int(record.dataSize), what: record.description)
        // The dump keeps the record but not the debug directory entry that marks a Portable PDB's.
        return try PDBReference(codeView: bytes, portable: false, path: file.path)
    }

    private static func separateDebugName(
        _ record: MinidumpLocation, in file: RandomAccessFile
    ) throws(SymbolFileError) -> String? {
        guard record.dataSize > 0 else { return nil }
        guard record.dataSize >= miscHeaderSize, record.dataSize <= maximumRecordSize else {
            throw .corrupt(path: file.path, what: record.description)
        }
        let bytes = try file.read(at: UInt64(record.rva), count: Int(record.dataSize), what: record.description)
        guard bytes.u32(at: 0) == miscExeName else { return nil }
        let length = min(Int(bytes.u32(at: 4)), bytes.count)
        guard length >= miscHeaderSize else {
            throw .corrupt(path: file.path, what: "IMAGE_DEBUG_MISC of \(bytes.u32(at: 4)) bytes")
        }
        let data = bytes[miscHeaderSize..<length]
        let text = bytes[8] != 0 ? utf16(data) : String(decoding: data.prefix(while: { $0 != 0 }), as: UTF8.self)
        let name = fileName(text)
        guard !name.isEmpty else { throw .missing(path: file.path, what: "IMAGE_DEBUG_MISC names no file") }
        return name
    }

    /// UTF-16LE up to the first NUL (an odd last byte ignored).
    private static func utf16(_ bytes: ArraySlice<UInt8>) -> String {
        let start = bytes.startIndex
        let units = (0..<bytes.count / 2).lazy.map {
            UInt16(bytes[start + 2 * $0]) | UInt16(bytes[start + 2 * $0 + 1]) << 8
        }
        return String(decoding: units.prefix(while: { $0 != 0 }), as: UTF16.self)
    }

    /// What follows the last `\` or `/`.
    private static func fileName(_ path: String) -> String {
        guard let separator = path.lastIndex(where: { $0 == "\\" || $0 == "/" }) else { return path }
        return String(path[path.index(after: separator)...])
    }
}
