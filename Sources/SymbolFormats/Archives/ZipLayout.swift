/// The records of a ZIP file that holds one member (spec §2.3: `symstore /compress ZIP`; APPNOTE.TXT 4.3), read
/// from bytes already in hand. Every offset and count is checked before use; ZIP64 records are followed.
package enum ZipLayout {
    package static let localHeaderSignature: UInt32 = 0x0403_4B50
    package static let centralHeaderSignature: UInt32 = 0x0201_4B50
    package static let endSignature: UInt32 = 0x0605_4B50
    package static let end64LocatorSignature: UInt32 = 0x0706_4B50
    package static let end64Signature: UInt32 = 0x0606_4B50
    package static let localHeaderSize = 30
    package static let endRecordSize = 22
    /// The end record, plus the longest comment it may carry.
    package static let tailSize = endRecordSize + 0xFFFF

    package struct Member: Equatable {
        var method: UInt16
        var flags: UInt16
        var crc: UInt32
        var compressedSize: UInt64
        package var uncompressedSize: UInt64
        var localHeaderOffset: UInt64
    }

    package enum Reading<Value: Equatable>: Equatable {
        case found(Value)
        /// The record lies at or after this offset of the file, before the bytes in hand.
        case needBytes(from: UInt64)
        case invalid(String)
    }

    /// The single member, from the end of the file (`tail`, starting at `tailOffset` of a `fileSize`-byte file).
    package static func member(tail: [UInt8], tailOffset: UInt64, fileSize: UInt64) -> Reading<Member> {
        guard let end = lastIndex(of: endSignature, in: tail, atOrBefore: tail.count - endRecordSize) else {
            return .invalid("no end of central directory record")
        }
        var entries = UInt64(tail.u16(at: end + 10))
        var directorySize = UInt64(tail.u32(at: end + 12))
        var directoryOffset = UInt64(tail.u32(at: end + 16))
        if entries == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            let locator = end - 20
            guard locator >= 0 else {
                return tailOffset > 0 ? .needBytes(from: tailOffset - min(tailOffset, 20)) : .invalid("no ZIP64 locator")
            }
            guard tail.u32(at: locator) == end64LocatorSignature else { return .invalid("no ZIP64 locator") }
            let record = tail.u64(at: locator + 8)
            guard record < fileSize else { return .invalid("ZIP64 record outside the file") }
            guard record >= tailOffset else { return .needBytes(from: record) }
            guard tail.count >= 56, record - tailOffset <= UInt64(tail.count - 56) else {
                return .invalid("ZIP64 end of central directory record cut short")
            }
            let start = Int(record - tailOffset)
            guard tail.u32(at: start) == end64Signature else {
                return .invalid("no ZIP64 end of central directory record")
            }
            entries = tail.u64(at: start + 32)
            directorySize = tail.u64(at: start + 40)
            directoryOffset = tail.u64(at: start + 48)
        }
        guard entries == 1 else { return .invalid("\(entries) members in the archive, not 1") }
        guard directoryOffset < fileSize, directorySize <= fileSize - directoryOffset, directorySize >= 46 else {
            return .invalid("central directory outside the file")
        }
        guard directoryOffset >= tailOffset else { return .needBytes(from: directoryOffset) }
        let header = Int(directoryOffset - tailOffset)
        guard header + 46 <= tail.count, tail.u32(at: header) == centralHeaderSignature else {
            return .invalid("no central directory header")
        }
        let nameLength = Int(tail.u16(at: header + 28))
        let extraLength = Int(tail.u16(at: header + 30))
        let extraStart = header + 46 + nameLength
        guard extraStart + extraLength <= tail.count else { return .invalid("central directory header cut short") }
        var member = Member(
            method: tail.u16(at: header + 10), flags: tail.u16(at: header + 8), crc: tail.u32(at: header + 16),
            compressedSize: UInt64(tail.u32(at: header + 20)), uncompressedSize: UInt64(tail.u32(at: header + 24)),
            localHeaderOffset: UInt64(tail.u32(at: header + 42)))
        guard applyZip64(Array(tail[extraStart..<extraStart + extraLength]), to: &member, hasOffset: true) else {
            return .invalid("ZIP64 sizes missing")
        }
        if let problem = unsupported(member) { return .invalid(problem) }
        guard member.localHeaderOffset < directoryOffset,
              member.compressedSize <= directoryOffset - member.localHeaderOffset else {
            return .invalid("member data outside the file")
        }
        return .found(member)
    }

    /// The member's uncompressed size from the local header at the start of the file, when it says it there
    /// (a ZIP written in one stream keeps sizes only in the central directory: nil then).
    package static func uncompressedSize(localHeader bytes: [UInt8]) -> Reading<UInt64?> {
        guard bytes.count >= localHeaderSize else { return .needBytes(from: 0) }
        guard bytes.u32(at: 0) == localHeaderSignature else { return .invalid("no local file header") }
        var member = Member(
            method: bytes.u16(at: 8), flags: bytes.u16(at: 6), crc: bytes.u32(at: 14),
            compressedSize: UInt64(bytes.u32(at: 18)), uncompressedSize: UInt64(bytes.u32(at: 22)),
            localHeaderOffset: 0)
        if let problem = unsupported(member) { return .invalid(problem) }
        if member.flags & 0x8 != 0 { return .found(nil) }
        let extraStart = localHeaderSize + Int(bytes.u16(at: 26))
        let extraLength = Int(bytes.u16(at: 28))
        guard extraStart + extraLength <= bytes.count else { return .found(nil) }
        guard applyZip64(Array(bytes[extraStart..<extraStart + extraLength]), to: &member, hasOffset: false) else {
            return .invalid("ZIP64 sizes missing")
        }
        return .found(member.uncompressedSize)
    }

    /// Where the member's data starts, from its local header (30 bytes at `localHeaderOffset`).
    package static func dataOffset(localHeader bytes: [UInt8], at offset: UInt64) -> UInt64? {
        guard bytes.count >= localHeaderSize, bytes.u32(at: 0) == localHeaderSignature else { return nil }
        return offset + UInt64(localHeaderSize) + UInt64(bytes.u16(at: 26)) + UInt64(bytes.u16(at: 28))
    }

    /// Stored (0) and deflated (8) members, not encrypted: what SymStore writes.
    private static func unsupported(_ member: Member) -> String? {
        if member.flags & 0x1 != 0 { return "encrypted member" }
        if member.method != 0 && member.method != 8 { return "compression method \(member.method)" }
        return nil
    }

    /// Fills the fields a ZIP64 extra block (id 1) holds for those at 0xFFFFFFFF, in the order APPNOTE gives;
    /// false when one is needed and absent.
    private static func applyZip64(_ extra: [UInt8], to member: inout Member, hasOffset: Bool) -> Bool {
        var needed: [WritableKeyPath<Member, UInt64>] = []
        if member.uncompressedSize == 0xFFFF_FFFF { needed.append(\.uncompressedSize) }
        if member.compressedSize == 0xFFFF_FFFF { needed.append(\.compressedSize) }
        if hasOffset && member.localHeaderOffset == 0xFFFF_FFFF { needed.append(\.localHeaderOffset) }
        guard !needed.isEmpty else { return true }
        var position = 0
        while position + 4 <= extra.count {
            let id = extra.u16(at: position)
            let length = Int(extra.u16(at: position + 2))
            let body = position + 4
            guard body + length <= extra.count else { return false }
            if id == 1 {
                guard length >= needed.count * 8 else { return false }
                for (index, field) in needed.enumerated() { member[keyPath: field] = extra.u64(at: body + index * 8) }
                return true
            }
            position = body + length
        }
        return false
    }

    private static func lastIndex(of signature: UInt32, in bytes: [UInt8], atOrBefore limit: Int) -> Int? {
        var index = min(limit, bytes.count - 4)
        while index >= 0 {
            if bytes.u32(at: index) == signature { return index }
            index -= 1
        }
        return nil
    }
}
