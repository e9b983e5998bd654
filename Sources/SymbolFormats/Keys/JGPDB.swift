/// A PDB 2.0 ("JG" small MSF, written by Visual C++ 2.0–6.0): its signature and age, from the root stream and
/// the PDB info stream.
///
/// Layout (Microsoft's microsoft-pdb `PDB/msf/msf.cpp`, `PG0` and `SI_PERSIST`): a 44-byte magic, then the page
/// size (u32), the free page map page (u16), the page count (u16), the root stream's size (u32) and a reserved
/// u32, then the root stream's page numbers (u16). The root stream holds the stream count (u16, plus a u16
/// pad), a (size u32, reserved u32) pair per stream, then every stream's page numbers (u16).
public struct JGPDB: Sendable, Hashable {
    public static let magic: [UInt8] = Array("Microsoft C/C++ program database 2.00\r\n".utf8) + [0x1A, 0x4A, 0x47, 0, 0]

    public var signature: UInt32
    public var age: UInt32

    public var key: String { SymbolKey.pdb20Key(signature: signature, age: age) }

    package static let infoStream = 1
    package static let nilStreamSize: UInt32 = 0xFFFF_FFFF

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        let path = file.path
        let header = try file.read(at: 0, count: 60, what: "PDB 2.0 header")
        guard header.starts(with: Self.magic) else { throw .unrecognized(path: path) }
        let pageSize = Int(header.u32(at: 44))
        let pageCount = UInt64(header.u16(at: 50))
        let rootSize = Int(header.u32(at: 52))
        guard [512, 1024, 2048, 4096].contains(pageSize) else {
            throw .corrupt(path: path, what: "PDB 2.0 page size \(pageSize)")
        }
        guard pageCount * UInt64(pageSize) <= file.size else {
            throw .truncated(path: path, what: "header declares \(pageCount) pages of \(pageSize) bytes, "
                + "the file holds \(file.size) bytes")
        }
        let rootPageCount = (rootSize + pageSize - 1) / pageSize
        guard rootSize >= 4, 60 + rootPageCount * 2 <= pageSize else {
            throw .corrupt(path: path, what: "root stream size \(rootSize)")
        }
        let rootPageBytes = try file.read(at: 60, count: rootPageCount * 2, what: "root stream pages")
        var rootPages: [UInt32] = []
        for index in 0..<rootPageCount {
            let page = UInt32(rootPageBytes.u16(at: index * 2))
            guard page != 0, UInt64(page) < pageCount else {
                throw .corrupt(path: path, what: "root stream points at page \(page) of \(pageCount)")
            }
            rootPages.append(page)
        }
        let root = MSFStream(file: file, pageSize: pageSize, pages: rootPages, size: rootSize, name: "root stream")
        let streamCount = Int(try root.read(at: 0, count: 2).u16(at: 0))
        guard streamCount > Self.infoStream, 4 + streamCount * 8 <= rootSize else {
            throw .corrupt(path: path, what: "root stream lists \(streamCount) streams")
        }
        let sizeBytes = try root.read(at: 4, count: (Self.infoStream + 1) * 8)
        let sizes = (0...Self.infoStream).map { sizeBytes.u32(at: $0 * 8) }
        guard sizes[Self.infoStream] != Self.nilStreamSize, sizes[Self.infoStream] >= 12 else {
            throw .corrupt(path: path, what: "PDB info stream is missing or too short")
        }
        var pageListOffset = 4 + streamCount * 8
        if sizes[0] != Self.nilStreamSize {
            pageListOffset += (Int(sizes[0]) + pageSize - 1) / pageSize * 2
        }
        let infoPage = UInt32(try root.read(at: pageListOffset, count: 2).u16(at: 0))
        guard infoPage != 0, UInt64(infoPage) < pageCount else {
            throw .corrupt(path: path, what: "PDB info stream points at page \(infoPage) of \(pageCount)")
        }
        let info = try file.read(at: UInt64(infoPage) * UInt64(pageSize), count: 12, what: "PDB info stream")
        signature = info.u32(at: 4)
        age = info.u32(at: 8)
    }
}
