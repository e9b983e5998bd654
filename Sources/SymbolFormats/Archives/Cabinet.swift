import CMSPack
#if canImport(Glibc)
import Glibc
#endif

/// A CAB file holding one compressed symbol file (a `name_` file, spec §2.3), read with libmspack. Files are
/// recognised as cabinets by their magic `MSCF`, never by their names.
package struct Cabinet: Sendable {
    package static let magic: [UInt8] = Array("MSCF".utf8)

    package let path: String
    /// Uncompressed length of the single member, from the cabinet's headers.
    package let uncompressedSize: UInt64

    /// Reads the cabinet's headers; fails when they are corrupt or hold other than one file.
    package init(path: String) throws(ArchiveError) {
        let info = cmspack_cab_inspect(path)
        guard info.error == 0 else {
            throw Self.error(info.error, path: path)
        }
        self.path = path
        uncompressedSize = info.length
    }

    /// Extracts the member into `output` (a file libmspack creates or truncates).
    package func extract(to output: String) throws(ArchiveError) {
        errno = 0
        let code = cmspack_cab_extract_single(path, output)
        guard code == 0 else {
            let saved = errno
            // A write failure is the output's fault (ENOSPC, EIO from the disk); keep the system's errno.
            if code == Self.writeError || code == Self.openError {
                throw .output(saved, from: path)
            }
            throw Self.error(code, path: path)
        }
    }

    /// MSPACK_ERR_OPEN, MSPACK_ERR_WRITE.
    package static let openError: Int32 = 2
    package static let writeError: Int32 = 4

    static func error(_ code: Int32, path: String) -> ArchiveError {
        .corrupt(path, String(cString: cmspack_error_text(code)))
    }
}
