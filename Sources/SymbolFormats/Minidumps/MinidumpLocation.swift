/// A MINIDUMP_LOCATION_DESCRIPTOR: where a structure lies in a minidump (its size, then its file offset).
struct MinidumpLocation: Sendable, Hashable, CustomStringConvertible {
    var dataSize: UInt32
    var rva: UInt32

    /// Reads the 8 bytes at `offset` of `raw`.
    init(_ raw: [UInt8], at offset: Int) {
        dataSize = raw.u32(at: offset)
        rva = raw.u32(at: offset + 4)
    }

    var end: UInt64 { UInt64(rva) + UInt64(dataSize) }

    var description: String { "\(dataSize) bytes at 0x\(String(rva, radix: 16))" }
}
