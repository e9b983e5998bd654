/// What a PDB 7.0 holds, as symstore.exe tells it in `refs.ptr` (docs/symbol-stores.md §2.4): public symbols only
/// (`pub`) when the DBI header says private symbols were stripped (`/PDBSTRIPPED`, which keeps a few CRT modules'
/// streams) or no module has a symbol stream of its own (a PDB without modules); private symbols (`pri`) when
/// some module has one; types only (`typ`) when there is no DBI stream.
package enum PDBSymbolContent: String, Sendable, Hashable {
    case privateSymbols = "pri"
    case publicSymbols = "pub"
    case typesOnly = "typ"
}

extension MSFPDB {
    /// How many pages of the DBI stream a module list may span: 256 MiB at 4 KiB pages, far past any real PDB's,
    /// and never a header's word for how much to read.
    package static let moduleListPageLimit = 65_536

    static let dbiHeaderSize = 64
    static let moduleInfoFixedSize = 64
    static let moduleSymbolStreamOffset = 34
    static let noStream: UInt16 = 0xFFFF
    static let dbiFlagsOffset = 56
    static let privateSymbolsStripped: UInt16 = 0x2

    /// Reads the DBI stream's module list up to the first module with a symbol stream of its own.
    package static func symbolContent(path: String) throws(SymbolFileError) -> PDBSymbolContent {
        let file = try RandomAccessFile(path: path)
        let pdb = try MSFPDB(file, dbiPages: moduleListPageLimit)
        guard let dbi = pdb.dbiStream else { return .typesOnly }
        let readable = min(dbi.size, dbi.pages.count * pdb.pageSize)
        let stream = MSFStream(file: file, pageSize: pdb.pageSize, pages: dbi.pages, size: readable, name: "DBI stream")
        guard readable >= dbiHeaderSize else { return .publicSymbols }
        let header = try stream.read(at: 0, count: dbiHeaderSize)
        if header.u16(at: dbiFlagsOffset) & privateSymbolsStripped != 0 { return .publicSymbols }
        let moduleListSize = Int(Int32(bitPattern: header.u32(at: 24)))
        guard moduleListSize >= 0, dbiHeaderSize + moduleListSize <= readable else {
            throw .corrupt(path: path, what: "DBI module list of \(moduleListSize) bytes")
        }
        let end = dbiHeaderSize + moduleListSize
        var offset = dbiHeaderSize
        while offset + moduleInfoFixedSize <= end {
            let fixed = try stream.read(at: offset, count: moduleInfoFixedSize)
            if fixed.u16(at: moduleSymbolStreamOffset) != noStream { return .privateSymbols }
            // Two NUL-terminated names (module, object file) follow; records are aligned to 4 bytes.
            var position = offset + moduleInfoFixedSize
            for _ in 0..<2 {
                position = try endOfString(in: stream, from: position, limit: end, path: path) + 1
            }
            offset = (position + 3) & ~3
        }
        return .publicSymbols
    }

    private static func endOfString(
        in stream: MSFStream, from start: Int, limit: Int, path: String
    ) throws(SymbolFileError) -> Int {
        var position = start
        while position < limit {
            let chunk = try stream.read(at: position, count: min(256, limit - position))
            if let zero = chunk.firstIndex(of: 0) { return position + zero }
            position += chunk.count
        }
        throw .corrupt(path: path, what: "a DBI module name runs past the module list")
    }
}
