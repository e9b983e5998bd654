import SymbolFormats
/// What the first bytes of a symbol file must be, judged by its name (spec §8 checklist item 5; spec §2.6 and
/// §7 #8: servers answer 200 with HTML login or error pages, which must never be taken for files).
enum SymbolContent {
    static let msfPDB = Array("Microsoft C/C++ MSF 7.00".utf8)
    static let jgPDB = Array("Microsoft C/C++ program database 2.00".utf8)
    static let portablePDB = PortablePDB.magic
    static let msfz = Array("Microsoft MSFZ Container".utf8)
    static let peImage = PEImage.magic
    /// IMAGE_SEPARATE_DEBUG_SIGNATURE of `.dbg` files.
    static let separateDebug = Array("DI".utf8)

    /// Most common first: plain directories search their folders in this order.
    static let imageExtensionList = [
        "dll", "exe", "sys", "drv", "ocx", "cpl", "scr", "efi", "mui", "winmd", "acm", "ax", "tsp", "com",
    ]
    static let imageExtensions = Set(imageExtensionList)
    /// Files that hold a module's symbols, filed in plain directories under the module's extension.
    static let symbolExtensions: Set<String> = ["pdb", "dbg"]

    /// The magics a file named `name` may start with; nil when the name says nothing (any content but HTML).
    static func expectedMagics(name: String, variant: SymbolRequest.Variant) -> [[UInt8]]? {
        if variant == .msfz0 { return [msfz] }
        let fileExtension = name.split(separator: ".").last.map { $0.lowercased() } ?? ""
        guard name.contains(".") else { return nil }
        if fileExtension == "pdb" { return [msfPDB, jgPDB, portablePDB, msfz] }
        if fileExtension == "dbg" { return [separateDebug] }
        if imageExtensions.contains(fileExtension) { return [peImage] }
        return nil
    }

    /// Whether the body is an HTML page (by Content-Type or by its first non-blank byte).
    static func isHTML(_ bytes: [UInt8], contentType: String?) -> Bool {
        if let type = contentType?.lowercased(), type.hasPrefix("text/html") || type.hasPrefix("application/xhtml") {
            return true
        }
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let first = body.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) else {
            return false
        }
        return first == UInt8(ascii: "<")
    }
}

/// The header fields of a CAB that give a `name_` file's decompressed size before it is downloaded (spec §2.3):
/// CFHEADER `coffFiles` (offset 16), `cFolders` (26), `cFiles` (28) and `flags` (30), then CFFILE `cbFile` (its
/// first field). libmspack, which extracts the file once it is here, reads the CFFILE entries right after the
/// CFFOLDER entries whatever `coffFiles` says; a cabinet whose `coffFiles` points elsewhere would be given one size
/// here and another once extracted, so it is not used.
package enum CabinetHeader {
    package enum Reading: Equatable {
        case size(UInt64)
        /// The CFFILE entries lie beyond the bytes read.
        case needMore(upTo: Int)
        case invalid(String)
    }

    /// `cfhdrPREV_CABINET`, `cfhdrNEXT_CABINET`: the cabinet is part of a set (never a `name_` file).
    static let inSetFlags: UInt16 = 0x3
    /// `cfhdrRESERVE_PRESENT`: `cbCFHeader` (u16), `cbCFFolder` (u8) and `cbCFData` (u8) follow the header.
    static let reservePresentFlag: UInt16 = 0x4

    package static func uncompressedSize(_ bytes: [UInt8]) -> Reading {
        guard bytes.starts(with: Cabinet.magic) else { return .invalid("no MSCF signature") }
        guard bytes.count >= 36 else { return .needMore(upTo: 36) }
        let files = bytes.u16(at: 28)
        guard files == 1 else { return .invalid("\(files) files in the cabinet, not 1") }
        let offset = Int(bytes.u32(at: 16))
        guard offset >= 36, offset < 1 << 24 else { return .invalid("CFFILE offset \(offset)") }
        let flags = bytes.u16(at: 30)
        guard flags & inSetFlags == 0 else { return .invalid("part of a cabinet set") }
        var entries = 36
        var folderReserve = 0
        if flags & reservePresentFlag != 0 {
            guard bytes.count >= 40 else { return .needMore(upTo: 40) }
            entries = 40 + Int(bytes.u16(at: 36))
            folderReserve = Int(bytes[38])
        }
        entries += Int(bytes.u16(at: 26)) * (8 + folderReserve)
        guard offset == entries else {
            return .invalid("CFFILE offset \(offset), but the entries follow the folders at \(entries)")
        }
        guard bytes.count >= offset + 4 else { return .needMore(upTo: offset + 16) }
        return .size(UInt64(bytes.u32(at: offset)))
    }
}
