/// A `.dbg` file (symbols split from an image by `splitsym`/`rebase -x`): an IMAGE_SEPARATE_DEBUG_HEADER, then
/// the image's section headers. Stores file it under the image's key (spec §2.2): the TimeDateStamp and
/// SizeOfImage this header copies from the image.
public struct SeparateDebugFile: Sendable, Hashable {
    /// IMAGE_SEPARATE_DEBUG_SIGNATURE.
    public static let magic: [UInt8] = Array("DI".utf8)
    package static let headerSize = 48
    package static let sectionHeaderSize = 40
    /// More than a PE may have (the loader's limit is 96).
    package static let maximumSections = 96

    public var timeDateStamp: UInt32
    public var sizeOfImage: UInt32

    public var key: String { SymbolKey.imageKey(timeDateStamp: timeDateStamp, sizeOfImage: sizeOfImage) }

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        let path = file.path
        let header = try file.read(at: 0, count: Self.headerSize, what: "separate debug header")
        guard header.starts(with: Self.magic) else { throw .unrecognized(path: path) }
        timeDateStamp = header.u32(at: 8)
        sizeOfImage = header.u32(at: 20)
        let sections = Int(header.u32(at: 24))
        guard sizeOfImage > 0 else { throw .corrupt(path: path, what: "SizeOfImage is 0") }
        guard sections <= Self.maximumSections else {
            throw .corrupt(path: path, what: "\(sections) sections")
        }
        let sectionTableEnd = UInt64(Self.headerSize + sections * Self.sectionHeaderSize)
        guard sectionTableEnd <= file.size else {
            throw .truncated(path: path, what: "section headers (\(sections))")
        }
    }
}
