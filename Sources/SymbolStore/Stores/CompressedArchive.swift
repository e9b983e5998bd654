/// A `name_` file (spec §2.3): a CAB or a ZIP holding one symbol file, told apart by magic, never by name.
enum CompressedArchive: Sendable {
    case cabinet(Cabinet)
    case zip(ZipArchive)

    static let magics = [Cabinet.magic, ZipArchive.magic]

    static func isArchive(_ prefix: [UInt8]) -> Bool {
        magics.contains { prefix.starts(with: $0) }
    }

    static func hasMagic(_ path: String) -> Bool {
        LocalFileSystem.readPrefix(path, limit: 4).map(isArchive) ?? false
    }

    /// Reads the archive's headers; EIO when they are corrupt or hold other than one file.
    init(path: String) throws(SymbolStoreError) {
        if LocalFileSystem.readPrefix(path, limit: 4)?.starts(with: ZipArchive.magic) == true {
            self = .zip(try ZipArchive(path: path))
        } else {
            self = .cabinet(try Cabinet(path: path))
        }
    }

    /// Length of the single member once extracted, from the archive's headers.
    var uncompressedSize: UInt64 {
        switch self {
        case .cabinet(let cabinet): return cabinet.uncompressedSize
        case .zip(let zip): return zip.uncompressedSize
        }
    }

    /// How an extraction failed: the archive's fault (corrupt data, EIO) or the output's (ENOSPC, EACCES, …).
    enum ExtractionFailure: Error {
        case corrupt(SymbolStoreError)
        case output(SymbolStoreError)

        var error: SymbolStoreError {
            switch self {
            case .corrupt(let error), .output(let error): return error
            }
        }
    }

    /// Extracts the member into `output` (created or truncated).
    func extract(to output: String) throws(ExtractionFailure) {
        switch self {
        case .cabinet(let cabinet): try cabinet.extract(to: output)
        case .zip(let zip): try zip.extract(to: output)
        }
    }
}
