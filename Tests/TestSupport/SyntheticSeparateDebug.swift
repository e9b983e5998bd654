import Foundation

/// A SYNTHETIC `.dbg` file made from a real PE image. No tool on this machine splits symbols into `.dbg` files
/// (only Windows' `splitsym`/`rebase -x` did), so this writer does what they do with the header: an
/// IMAGE_SEPARATE_DEBUG_HEADER (winnt.h: Signature `DI`, Flags, Machine, Characteristics, TimeDateStamp,
/// CheckSum, ImageBase, SizeOfImage, NumberOfSections, ExportedNamesSize, DebugDirectorySize,
/// SectionAlignment, Reserved[2]) with the image's own values, then the image's section headers. The debug
/// data itself is left out: keys never read it.
public enum SyntheticSeparateDebug {
    public static func bytes(fromImage image: [UInt8]) -> [UInt8] {
        func u16(_ at: Int) -> UInt16 { UInt16(image[at]) | UInt16(image[at + 1]) << 8 }
        func u32(_ at: Int) -> UInt32 { UInt32(u16(at)) | UInt32(u16(at + 2)) << 16 }
        let pe = Int(u32(0x3C))
        let coff = pe + 4
        let optional = coff + 20
        let sections = Int(u16(coff + 2))
        let isPE32Plus = u16(optional) == 0x20B
        var header: [UInt8] = []
        func put16(_ value: UInt16) { header += [UInt8(value & 0xFF), UInt8(value >> 8)] }
        func put32(_ value: UInt32) { put16(UInt16(value & 0xFFFF)); put16(UInt16(value >> 16)) }
        header += Array("DI".utf8)
        put16(0)                                           // Flags
        put16(u16(coff))                                   // Machine
        put16(u16(coff + 18))                              // Characteristics
        put32(u32(coff + 4))                               // TimeDateStamp
        put32(u32(optional + 64))                          // CheckSum
        put32(isPE32Plus ? u32(optional + 24) : u32(optional + 28))  // ImageBase (low half for PE32+)
        put32(u32(optional + 56))                          // SizeOfImage
        put32(UInt32(sections))                            // NumberOfSections
        put32(0)                                           // ExportedNamesSize
        put32(0)                                           // DebugDirectorySize
        put32(u32(optional + 32))                          // SectionAlignment
        put32(0); put32(0)                                 // Reserved
        let table = optional + Int(u16(coff + 16))
        return header + Array(image[table..<table + sections * 40])
    }
}
