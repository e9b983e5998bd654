/// A Windows minidump (`MDMP`, as MiniDumpWriteDump and crash reporters write it): the modules it lists, loaded
/// and unloaded, with the symbol files each names. Only the header, the stream directory and the two module
/// streams are read, by offset; the memory a dump holds (it may run to gigabytes) never is.
///
/// Layout (Microsoft's `minidumpapiset.h`): a 32-byte MINIDUMP_HEADER (Signature, Version, NumberOfStreams,
/// StreamDirectoryRva, CheckSum, TimeDateStamp, Flags u64), a directory of MINIDUMP_DIRECTORY entries
/// (StreamType u32, then the stream's location), and the streams, each found only through the directory.
package struct Minidump: Sendable, Hashable {
    /// `MDMP`, little-endian.
    package static let signature: UInt32 = 0x504D_444D
    /// MINIDUMP_VERSION, the Version field's low 16 bits (the high ones are the writer's own).
    package static let version: UInt16 = 0xA793
    package static let headerSize = 32
    package static let directoryEntrySize = 12
    package static let moduleListStream: UInt32 = 4
    package static let unloadedModuleListStream: UInt32 = 14
    /// MINIDUMP_UNLOADED_MODULE_LIST's own fields.
    package static let unloadedListHeaderSize = 12
    /// Far more than any writer emits; bounds what a lying header makes the reader allocate or loop over.
    package static let maximumStreams = 1 << 16
    package static let maximumModules = 1 << 16

    package var path: String
    /// When the dump was written (seconds since 1970, UTC).
    package var timeDateStamp: UInt32
    /// The loaded modules in the dump's order, then the unloaded ones.
    package var modules: [MinidumpModule]

    package init(path: String) throws(SymbolFileError) {
        try self.init(RandomAccessFile(path: path))
    }

    package init(_ file: RandomAccessFile) throws(SymbolFileError) {
        path = file.path
        let head = try file.readPrefix(at: 0, upTo: Self.headerSize)
        guard head.count >= 4, head.u32(at: 0) == Self.signature else {
            throw .corrupt(path: path, what: "not a minidump: it does not start with MDMP")
        }
        let header = try file.read(at: 0, count: Self.headerSize, what: "minidump header")
        let version = UInt16(truncatingIfNeeded: header.u32(at: 4))
        guard version == Self.version else {
            throw .corrupt(path: path, what: "minidump version 0x\(String(version, radix: 16)), not 0xa793")
        }
        timeDateStamp = header.u32(at: 20)
        let streamCount = Int(header.u32(at: 8))
        let directoryRVA = header.u32(at: 12)
        guard streamCount <= Self.maximumStreams else {
            throw .corrupt(path: path, what: "\(streamCount) streams (at most \(Self.maximumStreams))")
        }
        let directory = try file.read(
            at: UInt64(directoryRVA), count: streamCount * Self.directoryEntrySize,
            what: "stream directory of \(streamCount) entries at 0x\(String(directoryRVA, radix: 16)), "
                + "the file holds \(file.size) bytes")
        var moduleList: MinidumpLocation?
        var unloadedModuleList: MinidumpLocation?
        for index in 0..<streamCount {
            let entry = index * Self.directoryEntrySize
            let location = MinidumpLocation(directory, at: entry + 4)
            switch directory.u32(at: entry) {
            case Self.moduleListStream where moduleList == nil: moduleList = location
            case Self.unloadedModuleListStream where unloadedModuleList == nil: unloadedModuleList = location
            default: break
            }
        }
        modules = []
        if let moduleList {
            modules += try Self.loadedModules(in: moduleList, of: file)
        }
        if let unloadedModuleList {
            modules += try Self.unloadedModules(in: unloadedModuleList, of: file)
        }
    }

    /// MINIDUMP_MODULE_LIST: NumberOfModules, then the MINIDUMP_MODULE entries.
    private static func loadedModules(
        in stream: MinidumpLocation, of file: RandomAccessFile
    ) throws(SymbolFileError) -> [MinidumpModule] {
        try checkStream(stream, named: "module list", holds: 4, of: file)
        let count = Int(try file.read(at: UInt64(stream.rva), count: 4, what: "module count").u32(at: 0))
        try checkEntries(count, of: MinidumpModule.entrySize, after: 4, in: stream, named: "module list", of: file)
        let entries = try file.read(
            at: UInt64(stream.rva) + 4, count: count * MinidumpModule.entrySize, what: "module list")
        var modules: [MinidumpModule] = []
        modules.reserveCapacity(count)
        for index in 0..<count {
            let entry = Array(entries[index * MinidumpModule.entrySize..<(index + 1) * MinidumpModule.entrySize])
            modules.append(try MinidumpModule(loaded: entry, in: file))
        }
        return modules
    }

    /// MINIDUMP_UNLOADED_MODULE_LIST: SizeOfHeader, SizeOfEntry and NumberOfEntries, then the
    /// MINIDUMP_UNLOADED_MODULE entries, each SizeOfEntry bytes apart.
    private static func unloadedModules(
        in stream: MinidumpLocation, of file: RandomAccessFile
    ) throws(SymbolFileError) -> [MinidumpModule] {
        try checkStream(stream, named: "unloaded module list", holds: unloadedListHeaderSize, of: file)
        let header = try file.read(at: UInt64(stream.rva), count: unloadedListHeaderSize, what: "unloaded module list")
        let headerSize = Int(header.u32(at: 0))
        let entrySize = Int(header.u32(at: 4))
        let count = Int(header.u32(at: 8))
        guard headerSize >= unloadedListHeaderSize, entrySize >= MinidumpModule.unloadedEntrySize else {
            throw .corrupt(
                path: file.path,
                what: "unloaded module list with a \(headerSize)-byte header and \(entrySize)-byte entries "
                    + "(at least \(unloadedListHeaderSize) and \(MinidumpModule.unloadedEntrySize))")
        }
        try checkEntries(count, of: entrySize, after: headerSize, in: stream, named: "unloaded module list", of: file)
        var modules: [MinidumpModule] = []
        modules.reserveCapacity(count)
        for index in 0..<count {
            let offset = UInt64(stream.rva) + UInt64(headerSize) + UInt64(index) * UInt64(entrySize)
            let entry = try file.read(at: offset, count: MinidumpModule.unloadedEntrySize, what: "unloaded module")
            modules.append(try MinidumpModule(unloaded: entry, in: file))
        }
        return modules
    }

    private static func checkStream(
        _ stream: MinidumpLocation, named name: String, holds minimum: Int, of file: RandomAccessFile
    ) throws(SymbolFileError) {
        guard stream.end <= file.size else {
            throw .truncated(
                path: file.path, what: "\(name) stream of \(stream.description), the file holds \(file.size) bytes")
        }
        guard stream.dataSize >= minimum else {
            throw .corrupt(path: file.path, what: "\(name) stream of \(stream.dataSize) bytes")
        }
    }

    /// That `count` entries of `size` bytes, after a header of `headerSize`, lie within the stream.
    private static func checkEntries(
        _ count: Int, of size: Int, after headerSize: Int, in stream: MinidumpLocation, named name: String,
        of file: RandomAccessFile
    ) throws(SymbolFileError) {
        guard count <= maximumModules else {
            throw .corrupt(path: file.path, what: "\(name) of \(count) modules (at most \(maximumModules))")
        }
        let needed = UInt64(headerSize) + UInt64(count) * UInt64(size)
        guard needed <= UInt64(stream.dataSize) else {
            throw .corrupt(
                path: file.path,
                what: "\(name) of \(count) modules needs \(needed) bytes, its stream holds \(stream.dataSize)")
        }
    }
}
