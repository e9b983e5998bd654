import CZlib
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Writes a one-file CAB (`name_`, docs/symbol-stores.md §2.3) with MSZIP compression, streaming: 32 KiB blocks
/// are read, compressed and written one at a time, each on its own (readers carry MSZIP's history over from block
/// to block, but a block need not use it: priming each with the previous one doubled the time for 2 % of size), and
/// the header goes in last, once the sizes are known. MS-CAB counts a folder's blocks in 16 bits, so a file of
/// `maximumSize` bytes or more does not fit.
///
/// Written by hand over zlib rather than with libgcab: the format is a 36-byte header, one folder and one file
/// entry, and libgcab would bring GLib and GObject into the binary for them.
package enum CabinetWriter {
    package static let blockSize = 32_768
    /// 65,535 blocks of 32 KiB: 0x7FFF8000 bytes.
    package static let maximumSize = UInt64(UInt16.max) * UInt64(blockSize)

    static let headerSize = 36
    static let folderSize = 8
    static let fileEntrySize = 16
    static let dataHeaderSize = 8
    static let mszip: UInt16 = 1
    /// A name that is UTF-8 rather than the system code page.
    static let nameIsUTF8: UInt16 = 0x80
    /// MS-MCI's bound on one compressed MSZIP block.
    static let compressedBlockCapacity = blockSize + 6_144

    /// Compresses `input` into `output` (empty, open for writing) as a cabinet holding one file
    /// named `name`, dated `modified` (seconds since the epoch, shown in local time as CAB dates are).
    package static func write(
        input: RandomAccessFile, name: String, modified: Int, to output: FileDescriptor, outputPath: String
    ) throws(ArchiveError) {
        let size = input.size
        let inputPath = input.path
        guard size < maximumSize else {
            throw ArchiveError(cause: .corrupt, detail: "\(inputPath): \(size) bytes do not fit in a CAB")
        }
        let nameBytes = Array(name.utf8) + [0]
        let blockCount = Int((size + UInt64(blockSize) - 1) / UInt64(blockSize))
        let firstData = headerSize + folderSize + fileEntrySize + nameBytes.count

        guard let compressor = czlib_mszip_new() else {
            throw ArchiveError(cause: .corrupt, detail: "\(inputPath): cannot compress: out of memory")
        }
        defer { czlib_mszip_free(compressor) }
        var current: [UInt8]
        var packed = [UInt8](repeating: 0, count: dataHeaderSize + compressedBlockCapacity)
        var position = UInt64(firstData)
        var offset: UInt64 = 0
        for _ in 0..<blockCount {
            let count = Int(min(UInt64(blockSize), size - offset))
            do {
                current = try input.read(at: offset, count: count, what: "block \(offset / UInt64(blockSize))")
            } catch {
                throw ArchiveError(cause: .corrupt, detail: "\(error) (did the file change while it was compressed?)")
            }
            var compressed = 0
            let code = current.withUnsafeBufferPointer { block in
                packed.withUnsafeMutableBufferPointer { out in
                    czlib_mszip_block(
                        compressor, block.baseAddress, count, out.baseAddress! + dataHeaderSize,
                        compressedBlockCapacity, &compressed)
                }
            }
            guard code == CZLIB_OK else {
                throw ArchiveError(
                    cause: .corrupt, detail: "\(inputPath): cannot compress: \(String(cString: czlib_error_text(code)))")
            }
            packed.put(UInt16(compressed), at: 4)
            packed.put(UInt16(count), at: 6)
            let sum = CabinetChecksum.of(packed[4..<8], seed: CabinetChecksum.of(packed[8..<8 + compressed], seed: 0))
            packed.put(sum, at: 0)
            try writeAll(output, packed[..<(dataHeaderSize + compressed)], at: position, path: outputPath)
            position += UInt64(dataHeaderSize + compressed)
            offset += UInt64(count)
        }

        var head = [UInt8](repeating: 0, count: firstData)
        head.replaceSubrange(0..<4, with: Cabinet.magic)
        head.put(UInt32(truncatingIfNeeded: position), at: 8)
        head.put(UInt32(headerSize + folderSize), at: 16)
        head[24] = 3  // version 1.3
        head[25] = 1
        head.put(UInt16(1), at: 26)  // folders
        head.put(UInt16(1), at: 28)  // files
        head.put(UInt32(firstData), at: headerSize)
        head.put(UInt16(blockCount), at: headerSize + 4)
        head.put(mszip, at: headerSize + 6)
        let entry = headerSize + folderSize
        head.put(UInt32(size), at: entry)
        let (date, time) = dosDateTime(modified)
        head.put(date, at: entry + 10)
        head.put(time, at: entry + 12)
        head.put(nameBytes.allSatisfy { $0 < 0x80 } ? 0 : nameIsUTF8, at: entry + 14)
        head.replaceSubrange(entry + fileEntrySize..<firstData, with: nameBytes)
        try writeAll(output, head[...], at: 0, path: outputPath)
    }

    /// MS-DOS date and time in local time, as CAB file entries carry them.
    static func dosDateTime(_ seconds: Int) -> (date: UInt16, time: UInt16) {
        var clock = time_t(seconds)
        var parts = tm()
        guard localtime_r(&clock, &parts) != nil, parts.tm_year >= 80 else { return (0x21, 0) }  // 1980-01-01
        let date = (parts.tm_year - 80) << 9 | (parts.tm_mon + 1) << 5 | parts.tm_mday
        let time = parts.tm_hour << 11 | parts.tm_min << 5 | parts.tm_sec / 2
        return (UInt16(truncatingIfNeeded: date), UInt16(truncatingIfNeeded: time))
    }

    private static func writeAll(
        _ output: FileDescriptor, _ bytes: ArraySlice<UInt8>, at offset: UInt64, path: String
    ) throws(ArchiveError) {
        do {
            _ = try bytes.withUnsafeBytes { try output.writeAll(toAbsoluteOffset: Int64(offset), $0) }
        } catch {
            throw .output((error as? Errno)?.rawValue ?? EIO, from: path)
        }
    }
}
