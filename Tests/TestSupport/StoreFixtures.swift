import Foundation
import SymbolStore
import SymbolFormats

/// Real PE/PDB files built once for all store tests (clang + lld-link, fixtures.md), distinct tags giving
/// distinct GUIDs and code, hence distinct keys.
public struct SampleFile: Sendable {
    public var path: String
    public var name: String { (path as NSString).lastPathComponent }
    public var key: String
    public var bytes: Data { FileManager.default.contents(atPath: path) ?? Data() }

    public init(_ path: String) throws {
        self.path = path
        key = try SymbolFile(path: path).key
    }

    public var request: SymbolRequest { SymbolRequest(name: name, key: key) }
}

public final class Samples: Sendable {
    /// Built once per test process and removed when it exits.
    public let directory: String
    /// alpha.exe and alpha.pdb
    public let alphaImage: SampleFile
    public let alphaPDB: SampleFile
    /// beta.dll and beta.pdb
    public let betaImage: SampleFile
    public let betaPDB: SampleFile
    /// Two different PDBs both named common.pdb (different GUIDs).
    public let common1: SampleFile
    public let common2: SampleFile

    public static let shared: Samples = {
        do { return try Samples() } catch { fatalError("cannot build sample binaries: \(error)") }
    }()

    public static let processDirectory = "/tmp/symfs-samples-\(getpid())"

    private init() throws {
        directory = Self.processDirectory
        try? FileManager.default.removeItem(atPath: directory)
        atexit { try? FileManager.default.removeItem(atPath: Samples.processDirectory) }
        let (one, two) = (directory + "/one", directory + "/two")
        for folder in [one, two] {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        }
        let alpha = try WindowsBinaries.build(
            name: "alpha.exe", source: WindowsBinaries.source(tag: "alpha", functions: 3), in: directory)
        let beta = try WindowsBinaries.build(
            name: "beta.dll", source: WindowsBinaries.source(tag: "beta"), dll: true, timestamp: 0x5A0B_C0DE,
            in: directory)
        let common1 = try WindowsBinaries.build(
            name: "common1.exe", source: WindowsBinaries.source(tag: "common-one"), in: one, pdbName: "common.pdb")
        let common2 = try WindowsBinaries.build(
            name: "common2.exe", source: WindowsBinaries.source(tag: "common-two", functions: 2), in: two,
            pdbName: "common.pdb")
        alphaImage = try SampleFile(alpha.image)
        alphaPDB = try SampleFile(alpha.pdb)
        betaImage = try SampleFile(beta.image)
        betaPDB = try SampleFile(beta.pdb)
        self.common1 = try SampleFile(common1.pdb)
        self.common2 = try SampleFile(common2.pdb)
    }

    public var all: [SampleFile] { [alphaImage, alphaPDB, betaImage, betaPDB] }
}

/// Helpers that lay out stores by hand from real files.
public enum StoreWriter {
    /// A flat store written by PyPI `symstore` (spec §2.1), returning the store-relative paths it wrote.
    @discardableResult
    public static func symstore(_ files: [SampleFile], at root: String) throws -> [String] {
        try Oracles.symstorePaths(for: files.map(\.path), storeDirectory: root)
    }

    /// Copies `file` to `root/relative`.
    public static func place(_ file: String, at root: String, _ relative: String) throws {
        let destination = (root as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try? FileManager.default.removeItem(atPath: destination)
        try FileManager.default.copyItem(atPath: file, toPath: destination)
    }

    public static func write(_ text: String, at root: String, _ relative: String) throws {
        let destination = (root as NSString).appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: destination, atomically: false, encoding: .utf8)
    }

    /// A CAB (`name_`) of `file` made with Debian's gcab (MSZIP, one member named as the file), spec §2.3.
    public static func cabinet(of file: SampleFile, in directory: String) throws -> String {
        let output = (directory as NSString).appendingPathComponent(
            String(file.name.dropLast()) + "_")
        try runChecked("gcab", ["-c", "-z", "-n", output, file.path])
        return output
    }

    /// How Info-ZIP's `zip` writes a ZIP `name_` file (`symstore /compress ZIP`, spec §2.3).
    public enum ZipForm: String, CaseIterable, Sendable {
        case deflated, stored, zip64
        /// Written to a pipe: sizes only in data descriptors and the central directory (flag bit 3).
        case streamed
    }

    /// `file` as a one-member ZIP `name_` in `directory`, written by Info-ZIP's `zip`.
    public static func zip(of file: SampleFile, in directory: String, form: ZipForm = .deflated) throws -> String {
        try zip(ofPath: file.path, in: directory, form: form)
    }

    public static func zip(ofPath path: String, in directory: String, form: ZipForm = .deflated) throws -> String {
        let name = (path as NSString).lastPathComponent
        let output = (directory as NSString).appendingPathComponent(String(name.dropLast()) + "_")
        try? FileManager.default.removeItem(atPath: output)
        switch form {
        case .deflated: try runChecked("zip", ["-q", "-j", "-9", output, path])
        case .stored: try runChecked("zip", ["-q", "-j", "-0", output, path])
        case .zip64: try runChecked("zip", ["-q", "-j", "-fz", output, path])
        case .streamed: try runChecked("sh", ["-c", "zip -q -j - \"$1\" | cat > \"$2\"", "sh", path, output])
        }
        return output
    }
}

/// What a test reads back through the resolver.
public enum ReadBack {
    public static func contents(_ opened: OpenedSymbolFile) -> Data {
        defer { close(opened.descriptor) }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(opened.descriptor, &buffer, buffer.count)
            if count <= 0 { break }
            data.append(contentsOf: buffer[..<count])
        }
        return data
    }

    /// Locates and opens `request`, returning the bytes and the location.
    public static func fetch(_ resolver: SymbolPathResolver, _ request: SymbolRequest) throws -> (Data, ResolvedSymbol)? {
        guard let location = try resolver.locate(request) else { return nil }
        return (contents(try resolver.open(location)), location)
    }

    /// Regular files below `root`, relative, sorted.
    public static func files(under root: String) -> [String] {
        var found: [String] = []
        let enumerator = FileManager.default.enumerator(atPath: root)
        while let relative = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory),
               !isDirectory.boolValue {
                found.append(relative)
            }
        }
        return found.sorted()
    }
}

public func makeResolver(_ path: String, downstream: String, caseInsensitive: Bool = true, pointerRoots: [String]? = nil)
    throws -> SymbolPathResolver
{
    SymbolPathResolver(
        symbolPath: try SymbolPath(parsing: path), defaultDownstreamStore: downstream,
        options: .init(caseInsensitive: caseInsensitive, allowedPointerRoots: pointerRoots))
}
