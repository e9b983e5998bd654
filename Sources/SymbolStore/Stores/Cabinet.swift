import CMSPack
#if canImport(Glibc)
import Glibc
#endif

/// A CAB file holding one compressed symbol file (a `name_` file, spec §2.3), read with libmspack. Files are
/// recognised as cabinets by their magic `MSCF`, never by their names.
struct Cabinet: Sendable {
    static let magic: [UInt8] = Array("MSCF".utf8)

    let path: String
    /// Uncompressed length of the single member, from the cabinet's headers.
    let uncompressedSize: UInt64

    /// Reads the cabinet's headers; EIO when they are corrupt or hold other than one file.
    init(path: String) throws(SymbolStoreError) {
        let info = cmspack_cab_inspect(path)
        guard info.error == 0 else {
            throw Self.error(info.error, path: path)
        }
        self.path = path
        uncompressedSize = info.length
    }

    /// Extracts the member into `output` (a file libmspack creates or truncates).
    func extract(to output: String) throws(CompressedArchive.ExtractionFailure) {
        errno = 0
        let code = cmspack_cab_extract_single(path, output)
        guard code == 0 else {
            let saved = errno
            // A write failure is the output's fault (ENOSPC, EIO from the disk); keep the system's errno.
            if code == Self.writeError || code == Self.openError {
                throw .output(.posix(saved != 0 ? saved : EIO, "cannot write the file decompressed from", path))
            }
            throw .corrupt(Self.error(code, path: path))
        }
    }

    /// MSPACK_ERR_OPEN, MSPACK_ERR_WRITE.
    static let openError: Int32 = 2
    static let writeError: Int32 = 4

    static func error(_ code: Int32, path: String) -> SymbolStoreError {
        SymbolStoreError(
            .corruptArchive, "\(path): corrupt compressed file: \(String(cString: cmspack_error_text(code)))")
    }
}
