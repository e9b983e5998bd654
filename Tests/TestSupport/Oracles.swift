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
                    guid = '%08X%04X%04X%s' % (cv.Signature_Data1, cv.Signature_Data2, cv.Signature_Data3,
                                               bytes(cv.Signature_Data4).hex().upper())
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
}
