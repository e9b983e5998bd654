import SymbolFormats
import SymbolHTTP
/// Follows a `file.ptr` (spec §2.4) the same way whichever store it was found in, local or HTTP: `MSG:` is a
/// miss (its message logged); a `PATH:` target is used when it is an absolute local path the pointer roots
/// allow, and when it is absent its `name_` form is tried, as classic SymSrv does. A target that reads as a
/// one-file archive is served decompressed. Anything else (UNC paths, URLs, missing targets) is a logged miss.
struct FilePointerFollower {
    let options: StoreOptions

    /// `location` is where the pointer was found (a path or a URL), kept in the hit so a store that wants
    /// pointers is given this one.
    func follow(_ pointer: FilePointer?, at location: String, spelling: StoreSpelling) throws(SymbolStoreError)
        -> StoreHit? {
        let logger = options.logger
        let shown = HTTPURL.withoutQuery(location)
        guard let pointer else {
            logger.warning("\(shown): unreadable or empty pointer; skipped")
            return nil
        }
        switch pointer {
        case .message(let text):
            logger.info("\(shown): MSG: \(text)")
            return nil
        case .path(let target):
            guard target.hasPrefix("/"), StoreComponent.isValidPath(target) else {
                logger.warning("\(shown): PATH \(target) is not an absolute local path; skipped")
                return nil
            }
            for candidate in [target, StoreComponent.compressedName(target)] {
                guard let status = LocalFileSystem.status(candidate), status.isRegularFile else { continue }
                guard options.allowsPointer(to: candidate) else {
                    logger.warning("\(shown): PATH \(candidate) is outside the allowed pointer roots")
                    return nil
                }
                let isCompressed = candidate != target
                if isCompressed && !CompressedArchive.hasMagic(candidate) { continue }
                let found = try LocalSymbolStore.hit(
                    candidate, status: status, isCompressed: isCompressed, spelling: spelling, logger: logger)
                return StoreHit(
                    form: .pointer(pointerPath: location, target: candidate), size: found.size,
                    modificationTime: found.modificationTime, spelling: spelling)
            }
            logger.info("\(shown): PATH \(target) does not exist")
            return nil
        }
    }
}
