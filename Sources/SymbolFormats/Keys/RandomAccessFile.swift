import SystemPackage

/// A file read by offset, so parsers fetch only the bytes they need and never trust a header's sizes to
/// allocate: every read is bounded by the caller and checked against the file's real size.
package final class RandomAccessFile {
    package let path: String
    package let size: UInt64
    private let descriptor: FileDescriptor
    /// Called before each read with the bytes it needs, for a file still arriving; throws to fail the read.
    private let awaitBytes: ((Range<UInt64>) throws(SymbolFileError) -> Void)?

    package init(
        path: String, awaitBytes: ((Range<UInt64>) throws(SymbolFileError) -> Void)? = nil
    ) throws(SymbolFileError) {
        self.path = path
        self.awaitBytes = awaitBytes
        do {
            descriptor = try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec])
        } catch {
            throw .unreadable(path: path, reason: String(describing: error))
        }
        do {
            size = UInt64(try descriptor.seek(offset: 0, from: .end))
        } catch {
            try? descriptor.close()
            throw .unreadable(path: path, reason: String(describing: error))
        }
    }

    deinit {
        try? descriptor.close()
    }

    /// Exactly `count` bytes at `offset`, or `.truncated` naming `what` when the file ends first.
    package func read(at offset: UInt64, count: Int, what: @autoclosure () -> String) throws(SymbolFileError) -> [UInt8] {
        guard count >= 0, offset <= size, UInt64(count) <= size - offset else {
            throw .truncated(path: path, what: what())
        }
        try awaitBytes?(offset..<offset + UInt64(count))
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let n: Int
            do {
                n = try bytes.withUnsafeMutableBytes { buffer in
                    try descriptor.read(
                        fromAbsoluteOffset: Int64(offset) + Int64(done),
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]))
                }
            } catch {
                throw .unreadable(path: path, reason: String(describing: error))
            }
            if n == 0 { throw .truncated(path: path, what: what()) }
            done += n
        }
        return bytes
    }

    /// Up to `count` bytes at `offset` (fewer at the end of the file).
    package func readPrefix(at offset: UInt64, upTo count: Int) throws(SymbolFileError) -> [UInt8] {
        guard offset < size else { return [] }
        return try read(at: offset, count: Int(min(UInt64(count), size - offset)), what: "")
    }
}
