/// A Portable PDB (.NET, ECMA-335 metadata with a `#Pdb` stream): its id, whose GUID keys it in a store.
public struct PortablePDB: Sendable, Hashable {
    public static let magic: [UInt8] = Array("BSJB".utf8)

    public var guid: GUID
    /// The last 4 bytes of the PDB id (the stamp the PE's debug directory repeats).
    public var stamp: UInt32

    public var key: String { SymbolKey.portablePDBKey(guid: guid) }

    package static let maximumVersionLength = 255
    package static let maximumStreams = 64

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        let path = file.path
        let root = try file.read(at: 0, count: 16, what: "metadata root")
        guard root.starts(with: Self.magic) else { throw .unrecognized(path: path) }
        let versionLength = Int(root.u32(at: 12))
        guard versionLength <= Self.maximumVersionLength else {
            throw .corrupt(path: path, what: "metadata version string of \(versionLength) bytes")
        }
        var offset = UInt64(16 + versionLength)
        let counts = try file.read(at: offset, count: 4, what: "metadata stream count")
        let streamCount = Int(counts.u16(at: 2))
        guard streamCount <= Self.maximumStreams else {
            throw .corrupt(path: path, what: "metadata lists \(streamCount) streams")
        }
        offset += 4
        for _ in 0..<streamCount {
            // Each header: offset u32, size u32, a NUL-terminated name of at most 32 bytes padded to 4.
            let header = try file.readPrefix(at: offset, upTo: 8 + 32)
            guard header.count >= 12 else { throw .truncated(path: path, what: "metadata stream headers") }
            let streamOffset = UInt64(header.u32(at: 0))
            let streamSize = header.u32(at: 4)
            let nameBytes = header[8...].prefix(while: { $0 != 0 })
            guard nameBytes.count < 32, 8 + nameBytes.count < header.count else {
                // A name cut off by the end of the file is a truncation, not a missing terminator.
                guard header.count == 8 + 32 else { throw .truncated(path: path, what: "metadata stream headers") }
                throw .corrupt(path: path, what: "metadata stream name is not terminated")
            }
            if nameBytes.elementsEqual("#Pdb".utf8) {
                guard streamSize >= 20 else { throw .corrupt(path: path, what: "#Pdb stream of \(streamSize) bytes") }
                let id = try file.read(at: streamOffset, count: 20, what: "#Pdb stream")
                guid = GUID(id, at: 0)
                stamp = id.u32(at: 16)
                return
            }
            offset += UInt64(8 + (nameBytes.count + 4) / 4 * 4)
        }
        throw .missing(path: path, what: "metadata has no #Pdb stream (an assembly's metadata, not a Portable PDB)")
    }
}
