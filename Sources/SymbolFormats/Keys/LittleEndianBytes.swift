/// Little-endian field access for header bytes already read and bounds-checked by the caller.
extension Array where Element == UInt8 {
    package func u16(at offset: Int) -> UInt16 {
        UInt16(self[offset]) | UInt16(self[offset + 1]) << 8
    }

    package func u32(at offset: Int) -> UInt32 {
        UInt32(self[offset]) | UInt32(self[offset + 1]) << 8 | UInt32(self[offset + 2]) << 16
            | UInt32(self[offset + 3]) << 24
    }

    package func u64(at offset: Int) -> UInt64 {
        UInt64(u32(at: offset)) | UInt64(u32(at: offset + 4)) << 32
    }

    package func starts(with prefix: [UInt8]) -> Bool {
        count >= prefix.count && self[..<prefix.count].elementsEqual(prefix)
    }
}
