import SymbolFormats

extension SymbolStoreError {
    /// An archive that could not be read or extracted, as the store core reports it.
    init(_ error: ArchiveError) {
        switch error.cause {
        case .corrupt: self.init(.corruptArchive, error.detail)
        case .output(let code): self = .posix(code, "cannot write", error.detail)
        }
    }
}

extension CompressedArchive {
    /// Reads an archive's headers, failing as the store core does.
    static func reading(_ path: String) throws(SymbolStoreError) -> CompressedArchive {
        do throws(ArchiveError) {
            return try CompressedArchive(path: path)
        } catch {
            throw SymbolStoreError(error)
        }
    }
}
