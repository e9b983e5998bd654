/// A PDB 7.0 (MSF 7.00 container): its GUID and ages, read from the stream directory and the first pages of the
/// PDB info stream (1) and the DBI stream (3), never the whole file.
public struct MSFPDB: Sendable, Hashable {
    public static let magic: [UInt8] = Array("Microsoft C/C++ MSF 7.00\r\n".utf8) + [0x1A, 0x44, 0x53, 0, 0, 0]

    public var guid: GUID
    /// The age in the PDB info stream; pdbstr and source indexing bump it.
    public var infoAge: UInt32
    /// The age in the DBI stream, which symstore.exe keys by; nil when the PDB has no DBI stream (vc140.pdb).
    public var dbiAge: UInt32?

    /// Where the DBI stream lies, for reading past its header (`symbolContent`); nil without one.
    package var dbiStream: MSFStreamLocation?

    /// The key symstore.exe files this PDB under (spec §2.2: DBI age, none without a DBI stream).
    public var key: String { SymbolKey.pdbKey(guid: guid, age: dbiAge) }

    public static func == (lhs: MSFPDB, rhs: MSFPDB) -> Bool {
        lhs.guid == rhs.guid && lhs.infoAge == rhs.infoAge && lhs.dbiAge == rhs.dbiAge
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(guid)
        hasher.combine(infoAge)
        hasher.combine(dbiAge)
    }

    package static let validPageSizes: Set<Int> = [512, 1024, 2048, 4096, 8192, 16384, 32768]
    package static let infoStream = 1
    package static let dbiStream = 3
    package static let nilStreamSize: UInt32 = 0xFFFF_FFFF

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    /// `dbiPages`: how many pages of the DBI stream's page list to keep in `dbiStream` (one is all the key
    /// needs; `symbolContent` needs the module list's).
    package init(_ file: RandomAccessFile, dbiPages: Int = 1) throws(SymbolFileError) {
        let path = file.path
        let header = try file.read(at: 0, count: 56, what: "MSF header")
        guard header.starts(with: Self.magic) else { throw .unrecognized(path: path) }
        let pageSize = Int(header.u32(at: 32))
        let pageCount = UInt64(header.u32(at: 40))
        let directorySize = Int(header.u32(at: 44))
        guard Self.validPageSizes.contains(pageSize) else {
            throw .corrupt(path: path, what: "MSF page size \(pageSize)")
        }
        guard pageCount * UInt64(pageSize) <= file.size else {
            throw .truncated(path: path, what: "MSF header declares \(pageCount) pages of \(pageSize) bytes, "
                + "the file holds \(file.size) bytes")
        }
        guard directorySize >= 4, UInt64(directorySize) <= pageCount * UInt64(pageSize) else {
            throw .corrupt(path: path, what: "stream directory size \(directorySize)")
        }
        func checkedPage(_ page: UInt32, of what: String) throws(SymbolFileError) -> UInt32 {
            guard page != 0, UInt64(page) < pageCount else {
                throw .corrupt(path: path, what: "\(what) points at page \(page) of \(pageCount)")
            }
            return page
        }

        // The directory's page list is itself paged; the numbers of those pages follow the header.
        let directoryPageCount = Self.pages(directorySize, pageSize)
        let mapPageCount = Self.pages(directoryPageCount * 4, pageSize)
        guard 52 + mapPageCount * 4 <= pageSize else {
            throw .corrupt(path: path, what: "stream directory needs \(mapPageCount) block map pages")
        }
        let mapPageBytes = try file.read(at: 52, count: mapPageCount * 4, what: "block map addresses")
        var mapPages: [UInt32] = []
        for index in 0..<mapPageCount {
            mapPages.append(try checkedPage(mapPageBytes.u32(at: index * 4), of: "block map address"))
        }
        let map = MSFStream(file: file, pageSize: pageSize, pages: mapPages,
                            size: mapPageCount * pageSize, name: "block map")
        let directoryPageBytes = try map.read(at: 0, count: directoryPageCount * 4)
        var directoryPages: [UInt32] = []
        for index in 0..<directoryPageCount {
            directoryPages.append(try checkedPage(directoryPageBytes.u32(at: index * 4), of: "stream directory"))
        }
        let directory = MSFStream(file: file, pageSize: pageSize, pages: directoryPages,
                                  size: directorySize, name: "stream directory")

        let streamCount = Int(try directory.read(at: 0, count: 4).u32(at: 0))
        guard streamCount > Self.infoStream, 4 + streamCount * 4 <= directorySize else {
            throw .corrupt(path: path, what: "stream directory lists \(streamCount) streams")
        }
        let known = min(streamCount, Self.dbiStream + 1)
        let sizeBytes = try directory.read(at: 4, count: known * 4)
        let sizes = (0..<known).map { sizeBytes.u32(at: $0 * 4) }

        /// The stream's size and pages; page lists follow the sizes, stream after stream.
        func location(of stream: Int, pageLimit: Int) throws(SymbolFileError) -> MSFStreamLocation? {
            let size = sizes[stream]
            guard size != Self.nilStreamSize, size > 0 else { return nil }
            var offset = 4 + streamCount * 4
            for earlier in 0..<stream where sizes[earlier] != Self.nilStreamSize {
                offset += Self.pages(Int(sizes[earlier]), pageSize) * 4
            }
            let count = min(Self.pages(Int(size), pageSize), pageLimit)
            let numbers = try directory.read(at: offset, count: count * 4)
            var pages: [UInt32] = []
            pages.reserveCapacity(count)
            for index in 0..<count {
                pages.append(try checkedPage(numbers.u32(at: index * 4), of: "stream \(stream)"))
            }
            return MSFStreamLocation(size: Int(size), pages: pages)
        }
        func firstPage(of stream: Int) throws(SymbolFileError) -> (size: Int, page: UInt32)? {
            try location(of: stream, pageLimit: 1).map { ($0.size, $0.pages[0]) }
        }

        guard let info = try firstPage(of: Self.infoStream), info.size >= 28 else {
            throw .corrupt(path: path, what: "PDB info stream is missing or too short")
        }
        let infoHeader = try MSFStream(
            file: file, pageSize: pageSize, pages: [info.page], size: min(info.size, pageSize), name: "PDB info stream"
        ).read(at: 0, count: 28)
        infoAge = infoHeader.u32(at: 8)
        guid = GUID(infoHeader, at: 12)

        if streamCount > Self.dbiStream, let dbi = try location(of: Self.dbiStream, pageLimit: max(1, dbiPages)) {
            guard dbi.size >= 12 else { throw .corrupt(path: path, what: "DBI stream of \(dbi.size) bytes") }
            let dbiHeader = try MSFStream(
                file: file, pageSize: pageSize, pages: [dbi.pages[0]], size: min(dbi.size, pageSize),
                name: "DBI stream"
            ).read(at: 0, count: 12)
            dbiAge = dbiHeader.u32(at: 8)
            dbiStream = dbi
        } else {
            dbiAge = nil
            dbiStream = nil
        }
        self.pageSize = pageSize
    }

    /// The page size, for reading streams located by this parse.
    package var pageSize: Int = 4096

    package static func pages(_ bytes: Int, _ pageSize: Int) -> Int {
        (bytes + pageSize - 1) / pageSize
    }
}
