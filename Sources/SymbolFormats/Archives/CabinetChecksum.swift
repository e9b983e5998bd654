/// The checksum of a CFDATA block (MS-CAB): 32-bit little-endian words XORed together, a tail of 1–3 bytes
/// folded in most significant byte first.
package enum CabinetChecksum {
    package static func of(_ bytes: ArraySlice<UInt8>, seed: UInt32) -> UInt32 {
        var sum = seed
        var index = bytes.startIndex
        while bytes.endIndex - index >= 4 {
            sum ^= UInt32(bytes[index]) | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2]) << 16
                | UInt32(bytes[index + 3]) << 24
            index += 4
        }
        var tail: UInt32 = 0
        while index < bytes.endIndex {
            tail = tail << 8 | UInt32(bytes[index])
            index += 1
        }
        return sum ^ tail
    }
}
