import Foundation

/// Independent tools that say what a file's key is: PyPI `symstore` (the store layout it writes) and PyPI
/// `pefile` (the PE header fields).
public enum Oracles {
    /// The store-relative paths (`name/key/name`) that `symstore` writes for `files`, in one store.
    public static func symstorePaths(for files: [String], storeDirectory: String) throws -> [String] {
        try runChecked("symstore", [storeDirectory] + files)
        let enumerator = FileManager.default.enumerator(atPath: storeDirectory)
        var paths: [String] = []
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            _ = FileManager.default.fileExists(atPath: "\(storeDirectory)/\(relative)", isDirectory: &isDirectory)
            if !isDirectory.boolValue, relative.split(separator: "/").count == 3, !relative.hasPrefix("000Admin") {
                paths.append(relative)
            }
        }
        return paths.sorted()
    }

    /// TimeDateStamp and SizeOfImage as `pefile` reads them, plus the CodeView record's GUID text, age and
    /// PDB path when there is one.
    public struct PEFields: Sendable, Equatable {
        public var timeDateStamp: UInt32
        public var sizeOfImage: UInt32
        public var pdbGUID: String?
        public var pdbAge: UInt32?
        public var pdbPath: String?
    }

    public static func pefile(_ image: String) throws -> PEFields {
        let script = """
            import pefile, sys
            pe = pefile.PE(sys.argv[1])
            print(pe.FILE_HEADER.TimeDateStamp)
            print(pe.OPTIONAL_HEADER.SizeOfImage)
            for entry in getattr(pe, 'DIRECTORY_ENTRY_DEBUG', []):
                cv = entry.entry
                if cv is not None and getattr(cv, 'CvSignature', b'') == b'RSDS':
                    # pefile splits Data4 into one byte, one byte and six bytes (Data4, Data5, Data6).
                    guid = '%08X%04X%04X%02X%02X%s' % (cv.Signature_Data1, cv.Signature_Data2, cv.Signature_Data3,
                                                       cv.Signature_Data4, cv.Signature_Data5,
                                                       bytes(cv.Signature_Data6).hex().upper())
                    print(guid)
                    print(cv.Age)
                    print(cv.PdbFileName.rstrip(b'\\0').decode())
                    break
            """
        let lines = try runChecked("python3", ["-c", script, image]).standardOutput
            .split(separator: "\n").map(String.init)
        guard lines.count >= 2, let stamp = UInt32(lines[0]), let size = UInt32(lines[1]) else {
            throw CommandError(command: "pefile", status: 1, output: lines.joined(separator: "\n"))
        }
        return PEFields(
            timeDateStamp: stamp, sizeOfImage: size,
            pdbGUID: lines.count >= 5 ? lines[2] : nil,
            pdbAge: lines.count >= 5 ? UInt32(lines[3]) : nil,
            pdbPath: lines.count >= 5 ? lines[4] : nil)
    }

    /// File offsets of the PE fields a lying header would corrupt, as `pefile` finds them: `e_lfanew`, the COFF
    /// header's section count and optional header size, the debug data directory (RVA, size), the first
    /// CodeView debug directory entry and its record.
    public struct PELayout: Sendable, Equatable {
        public var lfanewOffset: Int
        public var sectionCountOffset: Int
        public var optionalHeaderSizeOffset: Int
        public var debugDataDirectoryOffset: Int
        public var codeViewEntryOffset: Int
        public var codeViewRecordOffset: Int
        public var codeViewRecordSize: Int
        /// Whether the CodeView entry's MinorVersion marks a Portable PDB (0x504D).
        public var portable: Bool
        /// The CodeView entry's TimeDateStamp (a Portable PDB's id repeats it).
        public var codeViewTimeDateStamp: UInt32
    }

    public static func peLayout(_ image: String) throws -> PELayout {
        let script = """
            import pefile, sys
            pe = pefile.PE(sys.argv[1])
            print(pe.DOS_HEADER.get_field_absolute_offset('e_lfanew'))
            print(pe.FILE_HEADER.get_field_absolute_offset('NumberOfSections'))
            print(pe.FILE_HEADER.get_field_absolute_offset('SizeOfOptionalHeader'))
            print(pe.OPTIONAL_HEADER.DATA_DIRECTORY[6].get_file_offset())
            for entry in pe.DIRECTORY_ENTRY_DEBUG:
                if entry.struct.Type == 2:
                    print(entry.struct.get_file_offset())
                    print(entry.struct.PointerToRawData)
                    print(entry.struct.SizeOfData)
                    print(1 if entry.struct.MinorVersion == 0x504D else 0)
                    print(entry.struct.TimeDateStamp)
                    break
            """
        let numbers = try runChecked("python3", ["-c", script, image]).standardOutput
            .split(separator: "\n").compactMap { Int($0) }
        guard numbers.count == 9, let stamp = UInt32(exactly: numbers[8]) else {
            throw CommandError(command: "pefile layout", status: 1, output: "\(numbers)")
        }
        return PELayout(
            lfanewOffset: numbers[0], sectionCountOffset: numbers[1], optionalHeaderSizeOffset: numbers[2],
            debugDataDirectoryOffset: numbers[3], codeViewEntryOffset: numbers[4], codeViewRecordOffset: numbers[5],
            codeViewRecordSize: numbers[6], portable: numbers[7] == 1,
            codeViewTimeDateStamp: stamp)
    }
}
