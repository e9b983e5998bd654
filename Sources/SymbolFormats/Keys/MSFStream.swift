/// One stream of an MSF container (PDB 7.0), read through its page list a few bytes at a time.
package struct MSFStream {
    package let file: RandomAccessFile
    package let pageSize: Int
    package let pages: [UInt32]
    package let size: Int
    package let name: String

    /// `count` bytes at `offset` within the stream, reading only the pages that hold them.
    package func read(at offset: Int, count: Int) throws(SymbolFileError) -> [UInt8] {
        guard offset >= 0, count >= 0, offset + count <= size else {
            throw .corrupt(path: file.path, what: "\(name) is shorter than its header says")
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count)
        var position = offset
        while position < offset + count {
            let pageIndex = position / pageSize
            let within = position % pageSize
            let chunk = min(pageSize - within, offset + count - position)
            let page = UInt64(pages[pageIndex])
            bytes += try file.read(
                at: page * UInt64(pageSize) + UInt64(within), count: chunk, what: "page \(page) of \(name)")
            position += chunk
        }
        return bytes
    }
}
