/// The parts of a PE image (PE32 or PE32+) that symbol stores use: the key fields of the COFF and optional
/// headers, and the CodeView record that names the image's PDB.
public struct PEImage: Sendable, Hashable {
    /// The DOS header's `e_magic`.
    public static let magic: [UInt8] = Array("MZ".utf8)
    public var timeDateStamp: UInt32
    public var sizeOfImage: UInt32
    public var isPE32Plus: Bool
    /// What the image's debug directory says about its PDB; nil when it has no CodeView record.
    public var pdb: PDBReference?

    /// The image's key in a symbol store.
    public var key: String { SymbolKey.imageKey(timeDateStamp: timeDateStamp, sizeOfImage: sizeOfImage) }

    package static let maximumHeaderOffset: UInt32 = 1 << 24
    package static let debugDirectoryIndex = 6
    package static let debugEntrySize = 28
    package static let maximumDebugEntries = 64
    package static let codeViewType: UInt32 = 2
    package static let maximumCodeViewSize = 4096

    public init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        let path = file.path
        let dos = try file.read(at: 0, count: 64, what: "DOS header")
        guard dos.starts(with: Self.magic) else { throw .unrecognized(path: path) }
        let peOffset = dos.u32(at: 0x3C)
        guard peOffset >= 64, peOffset < Self.maximumHeaderOffset else {
            throw .corrupt(path: path, what: "PE header offset 0x\(String(peOffset, radix: 16)) out of range")
        }
        let coff = try file.read(at: UInt64(peOffset), count: 24, what: "PE signature and COFF header")
        guard coff.starts(with: [0x50, 0x45, 0, 0]) else {
            throw .corrupt(path: path, what: "no PE signature at 0x\(String(peOffset, radix: 16))")
        }
        let sectionCount = Int(coff.u16(at: 6))
        timeDateStamp = coff.u32(at: 8)
        let optionalSize = Int(coff.u16(at: 20))
        guard optionalSize >= 2 else { throw .corrupt(path: path, what: "no optional header") }
        let optional = try file.read(at: UInt64(peOffset) + 24, count: optionalSize, what: "optional header")
        let magic = optional.u16(at: 0)
        let directoriesOffset: Int
        switch magic {
        case 0x10B: isPE32Plus = false; directoriesOffset = 96
        case 0x20B: isPE32Plus = true; directoriesOffset = 112
        default: throw .corrupt(path: path, what: "optional header magic 0x\(String(magic, radix: 16))")
        }
        guard optionalSize >= directoriesOffset else {
            throw .corrupt(path: path, what: "optional header of \(optionalSize) bytes is too short")
        }
        sizeOfImage = optional.u32(at: 56)
        let directoryCount = Int(optional.u32(at: directoriesOffset - 4))
        let debugAt = directoriesOffset + Self.debugDirectoryIndex * 8
        guard directoryCount > Self.debugDirectoryIndex, optionalSize >= debugAt + 8 else {
            pdb = nil
            return
        }
        let debugRVA = optional.u32(at: debugAt)
        let debugSize = Int(optional.u32(at: debugAt + 4))
        guard debugRVA != 0, debugSize >= Self.debugEntrySize else {
            pdb = nil
            return
        }
        let sections = try file.read(
            at: UInt64(peOffset) + 24 + UInt64(optionalSize), count: sectionCount * 40, what: "section table")
        guard let (debugOffset, room) = Self.fileOffset(ofRVA: debugRVA, sections: sections, count: sectionCount)
        else {
            throw .corrupt(path: path, what: "debug directory RVA 0x\(String(debugRVA, radix: 16)) is in no section")
        }
        guard UInt64(debugSize) <= room else {
            throw .corrupt(path: path, what: "debug directory of \(debugSize) bytes overruns its section")
        }
        let entryCount = min(debugSize / Self.debugEntrySize, Self.maximumDebugEntries)
        let entries = try file.read(at: debugOffset, count: entryCount * Self.debugEntrySize, what: "debug directory")
        var found: PDBReference?
        for index in 0..<entryCount {
            let entry = index * Self.debugEntrySize
            guard entries.u32(at: entry + 12) == Self.codeViewType else { continue }
            let isPortable = entries.u16(at: entry + 10) == 0x504D
            let size = Int(entries.u32(at: entry + 16))
            let pointer = UInt64(entries.u32(at: entry + 24))
            guard size >= PDBReference.minimumCodeViewSize else {
                throw .corrupt(path: path, what: "CodeView record of \(size) bytes")
            }
            guard pointer + UInt64(size) <= file.size else {
                throw .truncated(path: path, what: "CodeView record of \(size) bytes at "
                    + "0x\(String(pointer, radix: 16)), the file holds \(file.size) bytes")
            }
            let record = try file.read(
                at: pointer, count: min(size, Self.maximumCodeViewSize), what: "CodeView record")
            found = try PDBReference(codeView: record, portable: isPortable, path: path)
            break
        }
        pdb = found
    }

    /// Maps a relative virtual address to a file offset through the section table, with the number of bytes
    /// the section's raw data holds from there on.
    package static func fileOffset(ofRVA rva: UInt32, sections: [UInt8], count: Int) -> (offset: UInt64, room: UInt64)? {
        for index in 0..<count {
            let section = index * 40
            let virtualSize = sections.u32(at: section + 8)
            let virtualAddress = sections.u32(at: section + 12)
            let rawSize = sections.u32(at: section + 16)
            let rawPointer = sections.u32(at: section + 20)
            let extent = UInt64(max(virtualSize, rawSize))
            if UInt64(rva) >= UInt64(virtualAddress), UInt64(rva) < UInt64(virtualAddress) + extent {
                let within = UInt64(rva - virtualAddress)
                return (UInt64(rawPointer) + within, UInt64(rawSize) - min(within, UInt64(rawSize)))
            }
        }
        return nil
    }
}
