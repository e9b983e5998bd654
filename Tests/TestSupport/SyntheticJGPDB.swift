import Foundation

/// A SYNTHETIC PDB 2.0 ("JG", small MSF) file. No tool on this machine writes PDB 2.0 (only Visual C++ 2.0–6.0
/// did), so no real one can be produced here; this writer lays one out as documented in
/// Sources/SymbolStore/Keys/JGPDB.swift (microsoft-pdb `msf.cpp` `PG0`, `SI_PERSIST`):
///
/// - page 0: the 44-byte magic, page size (u32), free page map page (u16), page count (u16), root stream size
///   (u32), a reserved u32, then the root stream's page numbers (u16);
/// - page 1: the free page map;
/// - the root stream: stream count (u16) and a pad (u16), (size u32, reserved u32) per stream, then each
///   stream's page numbers (u16), stream after stream (none for a nil stream, size 0xFFFFFFFF);
/// - stream 1, the PDB info stream: version (u32), signature (u32), age (u32).
public struct SyntheticJGPDB: Sendable {
    public static let magic: [UInt8] =
        Array("Microsoft C/C++ program database 2.00\r\n".utf8) + [0x1A, 0x4A, 0x47, 0, 0]
    /// `PDBImpvVC2`, the info stream version Visual C++ 2.0 wrote.
    public static let infoVersion: UInt32 = 19_941_610

    public var signature: UInt32
    public var age: UInt32
    public var pageSize: Int = 1024
    /// Size of stream 0 (the previous root stream); nil writes it as a nil stream.
    public var streamZeroSize: Int? = 0
    /// Sizes of the streams after the info stream (type info, debug info, …), filled with a pattern.
    public var laterStreamSizes: [Int] = [3000, 700]

    public init(signature: UInt32, age: UInt32) {
        self.signature = signature
        self.age = age
    }

    public var bytes: [UInt8] {
        let nilSize = 0xFFFF_FFFF
        var streams: [(size: Int, content: [UInt8])] = []
        streams.append(streamZeroSize.map { ($0, Self.pattern($0, seed: 0)) } ?? (nilSize, []))
        var info: [UInt8] = []
        for value in [Self.infoVersion, signature, age] { info += Self.le32(value) }
        streams.append((info.count, info))
        for (index, size) in laterStreamSizes.enumerated() {
            streams.append((size, Self.pattern(size, seed: index + 2)))
        }

        var pages: [[UInt8]] = [[], []]  // header and free page map, filled last
        func place(_ content: [UInt8]) -> [Int] {
            stride(from: 0, to: content.count, by: pageSize).map { start in
                pages.append(Array(content[start..<min(start + pageSize, content.count)]))
                return pages.count - 1
            }
        }
        let streamPages = streams.map { $0.size == nilSize ? [] : place($0.content) }

        var root = Self.le16(UInt16(streams.count)) + [0, 0]
        for stream in streams { root += Self.le32(UInt32(truncatingIfNeeded: stream.size)) + Self.le32(0) }
        for list in streamPages { for page in list { root += Self.le16(UInt16(page)) } }
        let rootPages = place(root)

        var header = Self.magic + Self.le32(UInt32(pageSize)) + Self.le16(1) + Self.le16(UInt16(pages.count))
        header += Self.le32(UInt32(root.count)) + Self.le32(0)
        for page in rootPages { header += Self.le16(UInt16(page)) }
        precondition(header.count <= pageSize, "root stream page list does not fit in page 0")
        pages[0] = header
        pages[1] = [UInt8](repeating: 0, count: pageSize)  // no free pages

        return pages.flatMap { $0 + [UInt8](repeating: 0, count: pageSize - $0.count) }
    }

    public func write(to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xFF), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xFF) } }
    static func pattern(_ count: Int, seed: Int) -> [UInt8] { (0..<count).map { UInt8(($0 * 7 + seed) & 0xFF) } }
}
