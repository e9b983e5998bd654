/// The kinds of file a symbol store files by key.
public enum SymbolFileKind: String, Sendable {
    case peImage = "PE image"
    case pdb70 = "PDB 7.0"
    case pdb20 = "PDB 2.0"
    case portablePDB = "Portable PDB"
    case separateDebug = "separate debug file (.dbg)"
}

/// Where a symbol store files one file: `name/key/name`.
public struct SymbolKey: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var key: String

    public init(name: String, key: String) {
        self.name = name
        self.key = key
    }

    /// The path below a store's root (flat layout).
    public var storePath: String { "\(name)/\(key)/\(name)" }
    public var description: String { storePath }

    /// PE images and `.dbg` files: TimeDateStamp as `%08X`, SizeOfImage as `%x` (spec §2.2).
    public static func imageKey(timeDateStamp: UInt32, sizeOfImage: UInt32) -> String {
        hex(timeDateStamp, width: 8, uppercase: true) + hex(sizeOfImage, width: 0, uppercase: false)
    }

    /// PDB 7.0: the GUID's text without dashes, upper case, then the age as `%x`; no age when there is none
    /// (a PDB without a DBI stream, as symstore.exe files it).
    public static func pdbKey(guid: GUID, age: UInt32?) -> String {
        guid.compactText + (age.map { hex($0, width: 0, uppercase: false) } ?? "")
    }

    /// PDB 2.0: the 32-bit signature as `%08X`, then the age as `%x`.
    public static func pdb20Key(signature: UInt32, age: UInt32) -> String {
        hex(signature, width: 8, uppercase: true) + hex(age, width: 0, uppercase: false)
    }

    /// Portable PDB: the GUID, then `FFFFFFFF` in place of the age (SSQP key conventions).
    public static func portablePDBKey(guid: GUID) -> String {
        guid.compactText + "FFFFFFFF"
    }

    package static func hex(_ value: UInt32, width: Int, uppercase: Bool) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// A GUID as Windows lays it out: Data1, Data2 and Data3 little-endian, Data4 as 8 bytes.
public struct GUID: Sendable, Hashable, CustomStringConvertible {
    public var bytes: [UInt8]

    /// Reads the 16 bytes at `offset` of `raw`.
    package init(_ raw: [UInt8], at offset: Int) {
        bytes = Array(raw[offset..<offset + 16])
    }

    package var data1: UInt32 { bytes.u32(at: 0) }
    package var data2: UInt16 { bytes.u16(at: 4) }
    package var data3: UInt16 { bytes.u16(at: 6) }

    /// `Data1 %08X`, `Data2 %04X`, `Data3 %04X`, `Data4 %02X` each: the form store keys use.
    public var compactText: String {
        SymbolKey.hex(data1, width: 8, uppercase: true) + SymbolKey.hex(UInt32(data2), width: 4, uppercase: true)
            + SymbolKey.hex(UInt32(data3), width: 4, uppercase: true)
            + bytes[8...].map { SymbolKey.hex(UInt32($0), width: 2, uppercase: true) }.joined()
    }

    /// The registry form, `{XXXXXXXX-XXXX-XXXX-XXXX-XXXXXXXXXXXX}`.
    public var description: String {
        let text = Array(compactText)
        return "{" + String(text[0..<8]) + "-" + String(text[8..<12]) + "-" + String(text[12..<16]) + "-"
            + String(text[16..<20]) + "-" + String(text[20..<32]) + "}"
    }
}
