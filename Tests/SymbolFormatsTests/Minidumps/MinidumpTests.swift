import Foundation
import SymbolFormats
import Testing
import TestSupport

/// A minidump written by llvm's yaml2obj: its module list, and any other streams as raw bytes.
struct CraftedDump {
    struct Module {
        var name: String
        var base: UInt64 = 0x7FF8_0000_0000
        var size: UInt32
        var checksum: UInt32 = 0x1234
        var timeDateStamp: UInt32
        var codeView: [UInt8] = []
        var misc: [UInt8] = []
    }

    var modules: [Module]
    /// Streams after the module list: type and content. yaml2obj lays them out after the module list and
    /// everything it points at, in this order.
    var rawStreams: [(type: UInt32, content: [UInt8])] = []
    var signature: UInt32 = 0x504D_444D
    var version: UInt32 = 0xA793

    var yaml: String {
        var text = "--- !minidump\nSignature: \(hex(signature))\nVersion: \(hex(version))\nStreams:\n"
        text += "  - Type: ModuleList\n    Modules:\n"
        for module in modules {
            text += """
                      - Base of Image: \(hex(module.base))
                        Size of Image: \(hex(module.size))
                        Checksum: \(hex(module.checksum))
                        Time Date Stamp: \(hex(module.timeDateStamp))
                        Module Name: '\(module.name)'
                        CodeView Record: '\(hexBytes(module.codeView))'
                        Misc Record: '\(hexBytes(module.misc))'

                """
        }
        for stream in rawStreams {
            text += "  - Type: \(hex(stream.type))\n    Content: '\(hexBytes(stream.content))'\n"
        }
        return text + "...\n"
    }

    /// Writes the dump to `path` with yaml2obj.
    func write(to path: String) throws {
        let source = path + ".yaml"
        try yaml.write(toFile: source, atomically: true, encoding: .utf8)
        try runChecked(try Self.yaml2obj(), [source, "-o", path])
    }

    static func yaml2obj() throws -> String {
        if let path = try? which("yaml2obj") { return path }
        return try which("yaml2obj-14")
    }

    private func hex<T: BinaryInteger>(_ value: T) -> String { "0x" + String(value, radix: 16) }

    private func hexBytes(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02X", $0) }.joined() }
}

/// The fields the tests write into dumps, and the bytes they make.
enum DumpBytes {
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) } }

    static func le64(_ value: UInt64) -> [UInt8] { le32(UInt32(truncatingIfNeeded: value)) + le32(UInt32(value >> 32)) }

    static func utf16(_ text: String) -> [UInt8] { text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] } }

    /// A GUID's 16 bytes as Windows lays them out (Data1, Data2, Data3 little-endian).
    static func guid(data1: UInt32, data2: UInt16, data3: UInt16, data4: [UInt8]) -> [UInt8] {
        le32(data1) + [UInt8(data2 & 0xFF), UInt8(data2 >> 8), UInt8(data3 & 0xFF), UInt8(data3 >> 8)] + data4
    }

    static func rsds(guid: [UInt8], age: UInt32, path: String) -> [UInt8] {
        Array("RSDS".utf8) + guid + le32(age) + Array(path.utf8) + [0]
    }

    static func nb10(signature: UInt32, age: UInt32, path: String) -> [UInt8] {
        Array("NB10".utf8) + le32(0) + le32(signature) + le32(age) + Array(path.utf8) + [0]
    }

    /// IMAGE_DEBUG_MISC of type IMAGE_DEBUG_MISC_EXENAME, padded to 4 bytes as the linker writes it.
    static func miscExeName(_ name: String, unicode: Bool) -> [UInt8] {
        var data = unicode ? utf16(name) + [0, 0] : Array(name.utf8) + [0]
        while data.count % 4 != 0 { data.append(0) }
        return le32(1) + le32(UInt32(12 + data.count)) + [unicode ? 1 : 0, 0, 0, 0] + data
    }

    /// The (DataSize, Rva) of the first stream of `type` in a dump's directory.
    static func stream(_ type: UInt32, in dump: [UInt8]) -> (size: UInt32, rva: UInt32)? {
        let count = Int(FileEdit.u32(dump, at: 8))
        let directory = Int(FileEdit.u32(dump, at: 12))
        for index in 0..<count where FileEdit.u32(dump, at: directory + index * 12) == type {
            let entry = directory + index * 12
            return (FileEdit.u32(dump, at: entry + 4), FileEdit.u32(dump, at: entry + 8))
        }
        return nil
    }

    /// Where the module list's entry `index` starts.
    static func moduleEntry(_ index: Int, in dump: [UInt8]) -> Int {
        Int(stream(4, in: dump)!.rva) + 4 + index * 108
    }
}

/// Module lists of minidumps written by yaml2obj, with keys worked out here from the fields put into them.
struct MinidumpTests {
    static let guid = DumpBytes.guid(
        data1: 0x1234_5678, data2: 0x9ABC, data3: 0xDEF0, data4: [0x01, 0x23, 0x45, 0x67, 0x89, 0xAB, 0xCD, 0xEF])

    static let rsdsModule = CraftedDump.Module(
        name: #"C:\Windows\System32\KERNELBASE.dll"#, size: 0x1E_8000, timeDateStamp: 0x5C5D_1C4E,
        codeView: DumpBytes.rsds(guid: guid, age: 0x1A, path: #"d:\os\obj\amd64fre\kernelbase.pdb"#))
    static let nb10Module = CraftedDump.Module(
        name: #"C:\Program Files\Old\legacy.dll"#, size: 0x3000, timeDateStamp: 0x0000_ABCD,
        codeView: DumpBytes.nb10(signature: 0x37A8_F40E, age: 2, path: "vc60.pdb"))
    static let bareModule = CraftedDump.Module(
        name: "/opt/wine/lib/bare.exe", size: 0x42_0000, timeDateStamp: 0xFFFF_0001)
    static let dbgModules = [
        CraftedDump.Module(
            name: "oldnt.dll", size: 0x8_0000, timeDateStamp: 0x3A1F_0C2B,
            misc: DumpBytes.miscExeName(#"symbols\dll\oldnt.dbg"#, unicode: true)),
        CraftedDump.Module(
            name: "ansi.dll", size: 0x9000, timeDateStamp: 0x3A1F_0C2C,
            misc: DumpBytes.miscExeName("ansi.dbg", unicode: false)),
    ]

    static func imageKey(_ module: CraftedDump.Module) -> String {
        String(format: "%08X%x", module.timeDateStamp, module.size)
    }

    static func write(_ dump: CraftedDump, in directory: TemporaryDirectory, as name: String = "crash.dmp") throws
        -> String
    {
        let path = try directory.file(name)
        try dump.write(to: path)
        return path
    }

    @Test("An RSDS module names its image and its PDB 7.0 by GUID and age")
    func rsds() throws {
        let directory = try TemporaryDirectory()
        let dump = try Minidump(path: try Self.write(CraftedDump(modules: [Self.rsdsModule]), in: directory))
        let module = try #require(dump.modules.only)
        #expect(module.name == "KERNELBASE.dll")
        #expect(module.baseOfImage == 0x7FF8_0000_0000)
        #expect(module.sizeOfImage == 0x1E_8000)
        #expect(module.timeDateStamp == 0x5C5D_1C4E)
        #expect(module.checkSum == 0x1234)
        #expect(!module.isUnloaded)
        #expect(module.problem == nil)
        #expect(module.imageKey == "5C5D1C4E1e8000")
        #expect(module.imageKey == Self.imageKey(Self.rsdsModule))
        let pdb = try #require(module.pdb)
        #expect(pdb.path == #"d:\os\obj\amd64fre\kernelbase.pdb"#)
        #expect(pdb.name == "kernelbase.pdb")
        let expectedKey = String(format: "%08X%04X%04X", 0x1234_5678, 0x9ABC, 0xDEF0) + "0123456789ABCDEF" + "1a"
        #expect(pdb.key == expectedKey)
        #expect(pdb.key == SymbolKey.pdbKey(guid: GUID(Self.guid, at: 0), age: 0x1A))
        #expect(module.separateDebug == nil)
        #expect(module.symbolKeys == [
            SymbolKey(name: "KERNELBASE.dll", key: "5C5D1C4E1e8000"),
            SymbolKey(name: "kernelbase.pdb", key: expectedKey),
        ])
    }

    @Test("An NB10 module names its PDB 2.0 by signature and age, as the PDB 2.0 key code does")
    func nb10() throws {
        let directory = try TemporaryDirectory()
        let dump = try Minidump(path: try Self.write(CraftedDump(modules: [Self.nb10Module]), in: directory))
        let module = try #require(dump.modules.only)
        #expect(module.name == "legacy.dll")
        #expect(module.imageKey == "0000ABCD3000")
        #expect(module.problem == nil)
        let pdb = try #require(module.pdb)
        #expect(pdb.identity == .signature(0x37A8_F40E, age: 2))
        #expect(pdb.symbolKey == SymbolKey(name: "vc60.pdb", key: String(format: "%08X%x", 0x37A8_F40E, 2)))
        #expect(pdb.key == SymbolKey.pdb20Key(signature: 0x37A8_F40E, age: 2))
    }

    @Test("A module without a CodeView record has its name and image key only")
    func noCodeView() throws {
        let directory = try TemporaryDirectory()
        let dump = try Minidump(path: try Self.write(CraftedDump(modules: [Self.bareModule]), in: directory))
        let module = try #require(dump.modules.only)
        #expect(module.name == "bare.exe")
        #expect(module.pdb == nil)
        #expect(module.separateDebugName == nil)
        #expect(module.problem == nil)
        #expect(module.symbolKeys == [SymbolKey(name: "bare.exe", key: Self.imageKey(Self.bareModule))])
        #expect(module.imageKey == "FFFF0001420000")
    }

    @Test("A misc record of type EXENAME names the .dbg file, filed under the image's key")
    func separateDebug() throws {
        let directory = try TemporaryDirectory()
        let dump = try Minidump(path: try Self.write(CraftedDump(modules: Self.dbgModules), in: directory))
        #expect(dump.modules.map(\.separateDebugName) == ["oldnt.dbg", "ansi.dbg"])
        #expect(dump.modules.map(\.problem) == [nil, nil])
        for (module, written) in zip(dump.modules, Self.dbgModules) {
            #expect(module.separateDebug?.key == Self.imageKey(written))
            #expect(module.symbolKeys.count == 2)
        }
        #expect(dump.modules[0].separateDebug?.storePath == "oldnt.dbg/3A1F0C2B80000/oldnt.dbg")
    }

    @Test("A misc record of another type names nothing")
    func otherMiscRecord() throws {
        let directory = try TemporaryDirectory()
        var module = Self.bareModule
        module.misc = DumpBytes.le32(2) + DumpBytes.le32(16) + [0, 0, 0, 0] + [1, 2, 3, 4]
        let dump = try Minidump(path: try Self.write(CraftedDump(modules: [module]), in: directory))
        #expect(dump.modules.only?.separateDebugName == nil)
        #expect(dump.modules.only?.problem == nil)
    }

    static let unloaded: [(name: String, size: UInt32, timeDateStamp: UInt32)] = [
        (#"C:\Windows\System32\gone.dll"#, 0x2_5000, 0x6100_0001),
        ("plugin.dll", 0x7000, 0x0000_0002),
    ]

    /// A MINIDUMP_UNLOADED_MODULE_LIST laid out for the stream's place: 32-byte entries (the stride comes from
    /// SizeOfEntry, not from the 24 bytes read), then the names.
    static func unloadedList(at rva: UInt32) -> [UInt8] {
        let entrySize = 32
        var names: [UInt8] = []
        var entries: [UInt8] = []
        let namesStart = 12 + unloaded.count * entrySize
        for (index, module) in unloaded.enumerated() {
            let nameRVA = rva + UInt32(namesStart + names.count)
            let name = DumpBytes.utf16(module.name)
            names += DumpBytes.le32(UInt32(name.count)) + name + [0, 0]
            entries += DumpBytes.le64(0x1000_0000 * UInt64(index + 1)) + DumpBytes.le32(module.size)
                + DumpBytes.le32(0) + DumpBytes.le32(module.timeDateStamp) + DumpBytes.le32(nameRVA)
                + [UInt8](repeating: 0xEE, count: entrySize - 24)
        }
        return DumpBytes.le32(12) + DumpBytes.le32(UInt32(entrySize)) + DumpBytes.le32(UInt32(unloaded.count))
            + entries + names
    }

    /// The dump with three loaded modules and the unloaded list; yaml2obj has no structured form of the unloaded
    /// list, so it writes one as raw bytes: laid out once to learn the stream's place, then again with the RVAs
    /// that place gives.
    static func dumpWithUnloadedModules(in directory: TemporaryDirectory) throws -> String {
        let loaded = [rsdsModule, nb10Module, bareModule]
        let path = try directory.file("unloaded.dmp")
        let placeholder = unloadedList(at: 0)
        try CraftedDump(modules: loaded, rawStreams: [(14, placeholder)]).write(to: path)
        let rva = try #require(DumpBytes.stream(14, in: try FileEdit.bytes(path))).rva
        try CraftedDump(modules: loaded, rawStreams: [(14, unloadedList(at: rva))]).write(to: path)
        let stream = try #require(DumpBytes.stream(14, in: try FileEdit.bytes(path)))
        try #require(stream.rva == rva && Int(stream.size) == placeholder.count)
        return path
    }

    @Test("Unloaded modules follow the loaded ones, with names and image keys")
    func unloadedModules() throws {
        let directory = try TemporaryDirectory()
        let dump = try Minidump(path: try Self.dumpWithUnloadedModules(in: directory))
        #expect(dump.modules.map(\.name) == ["KERNELBASE.dll", "legacy.dll", "bare.exe", "gone.dll", "plugin.dll"])
        #expect(dump.modules.map(\.isUnloaded) == [false, false, false, true, true])
        #expect(dump.modules.allSatisfy { $0.problem == nil })
        for (module, written) in zip(dump.modules.suffix(2), Self.unloaded) {
            #expect(module.imageKey == String(format: "%08X%x", written.timeDateStamp, written.size))
            #expect(module.pdb == nil)
            #expect(module.symbolKeys == [SymbolKey(name: module.name, key: module.imageKey)])
        }
        #expect(dump.modules[4].baseOfImage == 0x2000_0000)
        #expect(dump.modules[0].pdb?.name == "kernelbase.pdb")
    }

    @Test("A dump without module streams lists no modules")
    func noModuleStreams() throws {
        let directory = try TemporaryDirectory()
        let path = try directory.file("empty.dmp")
        let header = DumpBytes.le32(0x504D_444D) + DumpBytes.le32(0xA793) + [UInt8](repeating: 0, count: 24)
        try FileEdit.write(header, to: path)
        #expect(try Minidump(path: path).modules.isEmpty)
    }
}

/// Dumps cut short and dumps whose fields lie: the whole dump is a `SymbolFileError` naming the file when its
/// header, directory or module streams are wrong; a module with a wrong name or record is reported on that
/// module alone.
struct MinidumpBadInputTests {
    static func error(_ path: String) -> SymbolFileError? {
        do {
            _ = try Minidump(path: path)
            return nil
        } catch {
            return error
        }
    }

    @Test("Every prefix of a dump throws or lists modules read whole or marked with a problem")
    func everyPrefix() throws {
        let directory = try TemporaryDirectory()
        let dumps = [
            try MinidumpTests.write(
                CraftedDump(modules: [MinidumpTests.rsdsModule, MinidumpTests.nb10Module] + MinidumpTests.dbgModules),
                in: directory),
            try MinidumpTests.dumpWithUnloadedModules(in: directory),
        ]
        let cut = try directory.file("cut.dmp")
        for source in dumps {
            let bytes = try FileEdit.bytes(source)
            let whole = try Minidump(path: source)
            #expect(whole.modules.allSatisfy { $0.problem == nil })
            var failures: [String] = []
            var partial = 0
            for length in 0..<bytes.count {
                try FileEdit.write(Array(bytes.prefix(length)), to: cut)
                do {
                    let dump = try Minidump(path: cut)
                    #expect(dump.modules.count == whole.modules.count)
                    for (module, full) in zip(dump.modules, whole.modules) where module != full {
                        partial += 1
                        if module.problem == nil { failures.append("\(length): \(module) without a problem") }
                    }
                } catch {
                    let expected: SymbolFileErrorCase = length < 4 ? .corrupt : .truncated
                    if error.errorCase != expected || !error.description.hasPrefix(cut + ": ") {
                        failures.append("\(length): \(error)")
                    }
                }
            }
            #expect(failures.isEmpty, "\(failures.prefix(5))")
            if source == dumps[0] { #expect(partial > 0) }
        }
    }

    @Test("A file that is not a minidump, or of another version, is an error naming the file")
    func wrongSignature() throws {
        let directory = try TemporaryDirectory()
        var dump = CraftedDump(modules: [MinidumpTests.bareModule])
        dump.signature = 0x4D44_4D50
        let path = try MinidumpTests.write(dump, in: directory)
        let error = try #require(Self.error(path))
        #expect(error.errorCase == .corrupt)
        #expect(error.description == "\(path): corrupt: not a minidump: it does not start with MDMP")

        dump = CraftedDump(modules: [MinidumpTests.bareModule])
        dump.version = 0x1234
        let other = try MinidumpTests.write(dump, in: directory, as: "version.dmp")
        #expect(Self.error(other)?.errorCase == .corrupt)
        #expect(Self.error(other)?.description.contains("version 0x1234") == true)

        let text = try directory.file("text.dmp")
        try "hello".write(toFile: text, atomically: true, encoding: .utf8)
        #expect(Self.error(text)?.errorCase == .corrupt)
        #expect(Self.error(try directory.file("missing.dmp"))?.errorCase == .unreadable)
    }

    /// A u32 written over a dump with three modules, and the error the whole dump must then give.
    struct Lie: Sendable, CustomStringConvertible {
        enum Field: Sendable {
            case streamCount, directoryRVA, moduleCount, moduleStreamSize, moduleStreamRVA
        }
        var field: Field
        var value: UInt32
        var expected: SymbolFileErrorCase
        var description: String { "\(field) = 0x\(String(value, radix: 16)) -> \(expected)" }

        func offset(in dump: [UInt8]) -> Int {
            let directory = Int(FileEdit.u32(dump, at: 12))
            switch field {
            case .streamCount: return 8
            case .directoryRVA: return 12
            case .moduleCount: return Int(DumpBytes.stream(4, in: dump)!.rva)
            case .moduleStreamSize: return directory + 4
            case .moduleStreamRVA: return directory + 8
            }
        }
    }

    static let lies: [Lie] = [
        Lie(field: .streamCount, value: 0xFFFF_FFFF, expected: .corrupt),
        Lie(field: .streamCount, value: 1000, expected: .truncated),
        Lie(field: .directoryRVA, value: 0xFFFF_FF00, expected: .truncated),
        Lie(field: .moduleCount, value: 0xFFFF_FFFF, expected: .corrupt),
        Lie(field: .moduleCount, value: 0x0001_0001, expected: .corrupt),
        Lie(field: .moduleCount, value: 4, expected: .corrupt),  // past the stream's DataSize, within the file
        Lie(field: .moduleStreamSize, value: 0xFFFF_FFF0, expected: .truncated),
        Lie(field: .moduleStreamSize, value: 2, expected: .corrupt),
        Lie(field: .moduleStreamRVA, value: 0xFFFF_FFF0, expected: .truncated),
    ]

    @Test("Lying headers, directories and module counts make the whole dump an error", arguments: lies)
    func lyingDump(lie: Lie) throws {
        let directory = try TemporaryDirectory()
        let modules = [MinidumpTests.rsdsModule, MinidumpTests.nb10Module, MinidumpTests.bareModule]
        let source = try MinidumpTests.write(CraftedDump(modules: modules), in: directory)
        let edited = try directory.file("lie.dmp")
        try FileEdit.copy(source, to: edited, u32: [(lie.offset(in: try FileEdit.bytes(source)), lie.value)])
        let error = try #require(Self.error(edited))
        #expect(error.errorCase == lie.expected, "\(error)")
        #expect(error.description.hasPrefix(edited + ": "))
    }

    /// A u32 written over the second of three modules' entry or name, and what that module must then say.
    struct ModuleLie: Sendable, CustomStringConvertible {
        enum Field: Sendable {
            case nameRVA, nameLength, codeViewSize, codeViewRVA, miscSize, miscRVA
        }
        var field: Field
        var value: UInt32
        var problem: String
        var description: String { "\(field) = 0x\(String(value, radix: 16))" }
    }

    static let moduleLies: [ModuleLie] = [
        ModuleLie(field: .nameRVA, value: 0xFFFF_FFF0, problem: "name: truncated"),
        ModuleLie(field: .nameLength, value: 0xFFFF_FFFF, problem: "name: length 4294967295"),
        ModuleLie(field: .nameLength, value: 0x0010_0000, problem: "name: length 1048576"),
        ModuleLie(field: .nameLength, value: 0xFFF0, problem: "name: truncated"),
        ModuleLie(field: .nameLength, value: 7, problem: "name: length 7"),
        ModuleLie(field: .nameLength, value: 0, problem: "name: no file name"),
        ModuleLie(field: .codeViewRVA, value: 0xFFFF_FF00, problem: "CodeView record: truncated"),
        ModuleLie(field: .codeViewSize, value: 8, problem: "CodeView record: 8 bytes"),
        ModuleLie(field: .codeViewSize, value: 0x0001_0001, problem: "CodeView record: 65537 bytes"),
        ModuleLie(field: .codeViewSize, value: 0xFFFF_FFFF, problem: "CodeView record: 4294967295 bytes"),
        ModuleLie(field: .codeViewSize, value: 0x0000_FFFF, problem: "CodeView record: truncated"),
        ModuleLie(field: .codeViewSize, value: 20, problem: "CodeView record: RSDS record of 20 bytes"),
        ModuleLie(field: .miscSize, value: 4, problem: "misc record: 4 bytes"),
        ModuleLie(field: .miscRVA, value: 0xFFFF_FF00, problem: "misc record: truncated"),
    ]

    @Test("A module whose name or record lies is reported on that module; the others are read", arguments: moduleLies)
    func lyingModule(lie: ModuleLie) throws {
        let directory = try TemporaryDirectory()
        var liar = MinidumpTests.rsdsModule
        liar.misc = DumpBytes.miscExeName("kernelbase.dbg", unicode: true)
        let modules = [MinidumpTests.nb10Module, liar, MinidumpTests.bareModule]
        let source = try MinidumpTests.write(CraftedDump(modules: modules), in: directory)
        let bytes = try FileEdit.bytes(source)
        let entry = DumpBytes.moduleEntry(1, in: bytes)
        let offset = switch lie.field {
        case .nameRVA: entry + 20
        case .nameLength: Int(FileEdit.u32(bytes, at: entry + 20))
        case .codeViewSize: entry + 76
        case .codeViewRVA: entry + 80
        case .miscSize: entry + 84
        case .miscRVA: entry + 88
        }
        let edited = try directory.file("lie.dmp")
        try FileEdit.copy(source, to: edited, u32: [(offset, lie.value)])
        let whole = try Minidump(path: source)
        let dump = try Minidump(path: edited)
        try #require(dump.modules.count == 3)
        #expect(dump.modules[0] == whole.modules[0])
        #expect(dump.modules[2] == whole.modules[2])
        let module = dump.modules[1]
        let problem = try #require(module.problem)
        #expect(problem.hasPrefix(lie.problem), "\(problem)")
        #expect(module.imageKey == whole.modules[1].imageKey)
        switch lie.field {
        case .nameRVA, .nameLength:
            #expect(module.name.isEmpty && module.image == nil)
            #expect(module.pdb == whole.modules[1].pdb && module.separateDebugName == "kernelbase.dbg")
        case .codeViewSize, .codeViewRVA:
            #expect(module.name == "KERNELBASE.dll" && module.pdb == nil)
            #expect(module.separateDebugName == "kernelbase.dbg")
        case .miscSize, .miscRVA:
            #expect(module.name == "KERNELBASE.dll" && module.pdb != nil && module.separateDebugName == nil)
        }
    }

    @Test("An unloaded module list with entries shorter than their fields, or running past its stream, is an error")
    func lyingUnloadedList() throws {
        let directory = try TemporaryDirectory()
        let source = try MinidumpTests.dumpWithUnloadedModules(in: directory)
        let bytes = try FileEdit.bytes(source)
        let stream = try #require(DumpBytes.stream(14, in: bytes))
        let edited = try directory.file("lie.dmp")
        for (field, value) in [(4, UInt32(20)), (8, 1000), (8, 0xFFFF_FFFF), (0, 4), (0, 0xFFFF_FF00)] {
            try FileEdit.copy(source, to: edited, u32: [(Int(stream.rva) + field, value)])
            let error = Self.error(edited)
            #expect(error?.errorCase == .corrupt, "field \(field) = \(value): \(String(describing: error))")
        }
    }

    @Test("A module name of 0xFFFFFFFF bytes in a hand-made dump is a problem of that module, not an allocation")
    func handMadeHugeName() throws {
        let directory = try TemporaryDirectory()
        let moduleList = 32 + 12
        let name = moduleList + 4 + 108
        var entry = DumpBytes.le64(0x40_0000) + DumpBytes.le32(0x1000) + DumpBytes.le32(0) + DumpBytes.le32(1)
            + DumpBytes.le32(UInt32(name))
        entry += [UInt8](repeating: 0, count: 108 - entry.count)
        let blob = DumpBytes.le32(0x504D_444D) + DumpBytes.le32(0xA793) + DumpBytes.le32(1) + DumpBytes.le32(32)
            + [UInt8](repeating: 0, count: 16)
            + DumpBytes.le32(4) + DumpBytes.le32(4 + 108) + DumpBytes.le32(UInt32(moduleList))
            + DumpBytes.le32(1) + entry
            + DumpBytes.le32(0xFFFF_FFFF) + DumpBytes.utf16("a.dll")
        let path = try directory.file("hand.dmp")
        try FileEdit.write(blob, to: path)
        let module = try #require(try Minidump(path: path).modules.only)
        #expect(module.problem == "name: length 4294967295 at 0x\(String(name, radix: 16))")
        #expect(module.imageKey == "000000011000")
    }
}

extension Array {
    /// The one element, or nil when there are none or several.
    fileprivate var only: Element? { count == 1 ? first : nil }
}
