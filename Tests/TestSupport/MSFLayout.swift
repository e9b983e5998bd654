/// Where the structures of a real MSF 7.00 PDB sit in the file, to aim edits at them. Test-side reading of
/// the layout llvm-pdbutil documents (MSF superblock, block map, stream directory); it assumes a stream
/// directory that fits one page, as the small PDBs the tests build have.
public struct MSFLayout: Sendable {
    public static let pageSizeOffset = 32
    public static let pageCountOffset = 40
    public static let directorySizeOffset = 44
    public static let blockMapAddressOffset = 52

    public var pageSize: Int
    public var pageCount: Int
    public var blockMapPage: Int
    public var directoryPages: [Int]
    public var streamSizes: [UInt32]

    public init(_ bytes: [UInt8]) {
        func u32(_ offset: Int) -> Int { Int(FileEdit.u32(bytes, at: offset)) }
        let pageSize = u32(Self.pageSizeOffset)
        let directorySize = u32(Self.directorySizeOffset)
        let blockMapPage = u32(Self.blockMapAddressOffset)
        let directoryPageCount = (directorySize + pageSize - 1) / pageSize
        let directoryPages = (0..<directoryPageCount).map { u32(blockMapPage * pageSize + $0 * 4) }
        let directory = directoryPages[0] * pageSize
        let count = u32(directory)
        precondition(4 + count * 4 < pageSize, "stream sizes span directory pages")
        self.pageSize = pageSize
        self.pageCount = u32(Self.pageCountOffset)
        self.blockMapPage = blockMapPage
        self.directoryPages = directoryPages
        streamSizes = (0..<count).map { FileEdit.u32(bytes, at: directory + 4 + $0 * 4) }
    }

    /// File offset of the stream directory's stream count.
    public var streamCountOffset: Int { directoryPages[0] * pageSize }

    /// File offset of the directory entry holding `stream`'s size.
    public func sizeOffset(of stream: Int) -> Int { streamCountOffset + 4 + stream * 4 }

    /// File offset of the directory entry holding `stream`'s first page number.
    public func firstPageEntryOffset(of stream: Int) -> Int {
        var offset = 4 + streamSizes.count * 4
        for earlier in 0..<stream where streamSizes[earlier] != 0xFFFF_FFFF {
            offset += (Int(streamSizes[earlier]) + pageSize - 1) / pageSize * 4
        }
        precondition(offset < pageSize, "page list entry is past the first directory page")
        return streamCountOffset + offset
    }

    /// The first page of `stream`, read from `bytes`.
    public func firstPage(of stream: Int, in bytes: [UInt8]) -> Int {
        Int(FileEdit.u32(bytes, at: firstPageEntryOffset(of: stream)))
    }
}
