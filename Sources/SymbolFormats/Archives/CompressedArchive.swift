/// A `name_` file (spec §2.3): a CAB or a ZIP holding one symbol file, told apart by magic, never by name.
package enum CompressedArchive: Sendable {
    case cabinet(Cabinet)
    case zip(ZipArchive)

    package static let magics = [Cabinet.magic, ZipArchive.magic]

    package static func isArchive(_ prefix: [UInt8]) -> Bool {
        magics.contains { prefix.starts(with: $0) }
    }

    package static func hasMagic(_ path: String) -> Bool {
        magic(of: path).map(isArchive) ?? false
    }

    /// Reads the archive's headers; fails when they are corrupt or hold other than one file.
    package init(path: String) throws(ArchiveError) {
        if Self.magic(of: path)?.starts(with: ZipArchive.magic) == true {
            self = .zip(try ZipArchive(path: path))
        } else {
            self = .cabinet(try Cabinet(path: path))
        }
    }

    /// The first four bytes of the file at `path`; nil when it cannot be read.
    private static func magic(of path: String) -> [UInt8]? {
        guard let file = try? RandomAccessFile(path: path) else { return nil }
        return try? file.readPrefix(at: 0, upTo: 4)
    }

    /// Length of the single member once extracted, from the archive's headers.
    package var uncompressedSize: UInt64 {
        switch self {
        case .cabinet(let cabinet): return cabinet.uncompressedSize
        case .zip(let zip): return zip.uncompressedSize
        }
    }

    /// Extracts the member into `output` (created or truncated).
    package func extract(to output: String) throws(ArchiveError) {
        switch self {
        case .cabinet(let cabinet): try cabinet.extract(to: output)
        case .zip(let zip): try zip.extract(to: output)
        }
    }
}
