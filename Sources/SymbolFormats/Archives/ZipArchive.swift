import CZlib
#if canImport(Glibc)
import Glibc
#endif

/// A ZIP file holding one compressed symbol file (a `name_` file, spec §2.3), stored or deflated, extracted
/// with zlib and checked against the CRC-32 the archive records.
package struct ZipArchive: Sendable {
    package static let magic: [UInt8] = [0x50, 0x4B, 0x03, 0x04]

    package let path: String
    package let uncompressedSize: UInt64
    private let member: ZipLayout.Member
    private let dataOffset: UInt64

    /// Reads the archive's directory; fails when it is corrupt, holds other than one file, or uses what SymStore
    /// never writes (encryption, methods other than stored and deflate).
    package init(path: String) throws(ArchiveError) {
        self.path = path
        do throws(SymbolFileError) {
            let file = try RandomAccessFile(path: path)
            var start = file.size - min(file.size, UInt64(ZipLayout.tailSize))
            var found: ZipLayout.Member?
            for _ in 0..<3 where found == nil {
                let tail = try file.readPrefix(at: start, upTo: Int(file.size - start))
                switch ZipLayout.member(tail: tail, tailOffset: start, fileSize: file.size) {
                case .found(let member): found = member
                case .invalid(let reason): throw Self.corrupt(path, reason)
                case .needBytes(let offset):
                    guard offset < start, file.size - offset <= 1 << 24 else { throw Self.corrupt(path, "directory too large") }
                    start = offset
                }
            }
            guard let member = found else { throw Self.corrupt(path, "central directory not found") }
            let header = try file.read(
                at: member.localHeaderOffset, count: ZipLayout.localHeaderSize, what: "local file header")
            guard let offset = ZipLayout.dataOffset(localHeader: header, at: member.localHeaderOffset),
                  offset <= file.size, member.compressedSize <= file.size - offset else {
                throw Self.corrupt(path, "member data outside the file")
            }
            if member.method == 0 && member.compressedSize != member.uncompressedSize {
                throw Self.corrupt(path, "stored member whose sizes differ")
            }
            self.member = member
            dataOffset = offset
            uncompressedSize = member.uncompressedSize
        } catch {
            let reason: String
            switch error {
            case .corrupt(_, let what), .truncated(_, let what): reason = what
            default: reason = error.description
            }
            throw ArchiveError.corrupt(path, reason)
        }
    }

    /// Extracts the member into `output` (created or truncated).
    package func extract(to output: String) throws(ArchiveError) {
        let input = open(path, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .corrupt(path, "cannot open: \(String(cString: strerror(errno)))") }
        defer { close(input) }
        let destination = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard destination >= 0 else {
            throw .output(errno, from: path)
        }
        defer { close(destination) }
        var crc: UInt32 = 0
        let code = czlib_extract(
            input, dataOffset, member.compressedSize, member.method == 8 ? 1 : 0, destination, uncompressedSize, &crc)
        let saved = errno
        if code == Int32(CZLIB_ERR_WRITE) {
            throw .output(saved, from: path)
        }
        guard code == 0 else {
            throw .corrupt(path, String(cString: czlib_error_text(code)))
        }
        guard crc == member.crc else {
            throw .corrupt(path, "CRC-32 mismatch")
        }
    }

    private static func corrupt(_ path: String, _ reason: String) -> SymbolFileError {
        .corrupt(path: path, what: reason)
    }
}
