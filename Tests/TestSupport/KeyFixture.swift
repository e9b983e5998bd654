import Foundation

/// One real PE/PDB pair to build for key tests: distinct code per `tag` gives a distinct GUID (fixtures.md).
public struct KeyFixture: Sendable, CustomStringConvertible {
    public var name: String
    public var tag: String
    public var dll: Bool
    public var machine: WindowsBinaries.Machine
    public var timestamp: UInt32?
    public var functions: Int

    public var description: String { "\(name) (\(machine.rawValue))" }

    public func build(in directory: String) throws -> WindowsBinary {
        try WindowsBinaries.build(
            name: name, source: WindowsBinaries.source(tag: tag, functions: functions), dll: dll,
            timestamp: timestamp, in: directory, machine: machine)
    }

    /// Executables and DLLs, PE32+ and PE32; one stamp with leading zero digits, one left to the linker.
    public static let all: [KeyFixture] = [
        KeyFixture(name: "alpha.exe", tag: "alpha", dll: false, machine: .x64, timestamp: 0x5F3A_1C2B, functions: 1),
        KeyFixture(name: "beta.dll", tag: "beta", dll: true, machine: .x64, timestamp: 0x0000_1234, functions: 3),
        KeyFixture(name: "gamma.exe", tag: "gamma", dll: false, machine: .x86, timestamp: 0xFEDC_BA98, functions: 2),
        KeyFixture(name: "delta.dll", tag: "delta", dll: true, machine: .x86, timestamp: nil, functions: 1),
        KeyFixture(name: "epsilon.sys", tag: "epsilon", dll: true, machine: .x64, timestamp: 0x6000_0000,
                   functions: 300),
    ]

    /// Builds every fixture in `directory`.
    public static func buildAll(in directory: String) throws -> [WindowsBinary] {
        try all.map { try $0.build(in: directory) }
    }
}

/// Copies of real files with bytes changed, to make lying headers and truncations.
public enum FileEdit {
    public static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Writes `bytes` to `path`.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    /// A copy of `source` at `destination` with `value` written little-endian at each offset.
    public static func copy(_ source: String, to destination: String, u32 edits: [(offset: Int, value: UInt32)])
        throws
    {
        var data = try bytes(source)
        for edit in edits {
            for index in 0..<4 { data[edit.offset + index] = UInt8((edit.value >> (index * 8)) & 0xFF) }
        }
        try write(data, to: destination)
    }

    /// The first `count` bytes of `source`, at `destination`.
    public static func truncate(_ source: String, to destination: String, count: Int) throws {
        try write(Array(try bytes(source).prefix(count)), to: destination)
    }

    /// A copy of `image` whose CodeView record is an `NB10` one (signature, age, PDB name), written over the
    /// RSDS record the linker made; `pefile` supplies the record's place. lld-link writes only RSDS, and no tool
    /// here writes NB10, so this is the only way to an image that names a PDB 2.0.
    public static func nb10Image(
        _ image: String, to destination: String, signature: UInt32, age: UInt32, pdbName: String
    ) throws {
        let layout = try Oracles.peLayout(image)
        var data = try bytes(image)
        let record = Array("NB10".utf8) + le32(0) + le32(signature) + le32(age) + Array(pdbName.utf8) + [0]
        guard record.count <= layout.codeViewRecordSize else {
            throw CommandError(command: "nb10Image", status: 1, output: "\(pdbName) does not fit the RSDS record")
        }
        data.replaceSubrange(layout.codeViewRecordOffset..<layout.codeViewRecordOffset + record.count, with: record)
        data.replaceSubrange(layout.codeViewEntryOffset + 16..<layout.codeViewEntryOffset + 20,
                             with: le32(UInt32(record.count)))
        try write(data, to: destination)
    }

    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> ($0 * 8)) & 0xFF) } }

    public static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << ($1 * 8) }
    }
}
