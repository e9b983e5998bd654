import CFuse
import SymbolFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// Core results as libfuse structures and replies.
enum FUSEReplies {
    static func stat(_ attributes: NodeAttributes) -> Glibc.stat {
        var status = Glibc.stat()
        status.st_ino = UInt(attributes.inode)
        status.st_mode = attributes.mode
        status.st_nlink = UInt(attributes.linkCount)
        status.st_size = Int(attributes.size)
        status.st_uid = attributes.uid
        status.st_gid = attributes.gid
        status.st_blksize = 4096
        status.st_blocks = Int((attributes.size + 511) / 512)
        let time = timespec(tv_sec: Int(attributes.modificationTime), tv_nsec: 0)
        status.st_mtim = time
        status.st_ctim = time
        status.st_atim = time
        return status
    }

    static func entryParameters(_ entry: Entry) -> fuse_entry_param {
        var parameters = fuse_entry_param()
        parameters.ino = entry.attributes.inode
        parameters.attr = stat(entry.attributes)
        parameters.attr_timeout = entry.attributeTimeout
        parameters.entry_timeout = entry.entryTimeout
        return parameters
    }

    /// Replies to a read: from a descriptor by splice where the kernel allows it, else from memory.
    static func data(_ request: fuse_req_t?, _ source: ReadSource) {
        switch source {
        case .descriptor(let descriptor, let offset, let length):
            var vector = fuse_bufvec()
            vector.count = 1
            vector.idx = 0
            vector.off = 0
            vector.buf.size = length
            vector.buf.flags = fuse_buf_flags(rawValue: FUSE_BUF_IS_FD.rawValue | FUSE_BUF_FD_SEEK.rawValue)
            vector.buf.fd = descriptor
            vector.buf.pos = off_t(offset)
            fuse_reply_data(request, &vector, fuse_buf_copy_flags(rawValue: 0))
        case .bytes(let bytes):
            bytes.withUnsafeBufferPointer { buffer in
                _ = fuse_reply_buf(request, UnsafeRawPointer(buffer.baseAddress)?.assumingMemoryBound(to: CChar.self),
                                   buffer.count)
            }
        }
    }

    /// Fills one reply buffer with as many entries as fit; each entry's offset is the index of the next.
    static func directory(_ request: fuse_req_t?, _ entries: ArraySlice<DirectoryEntry>, size: Int) {
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: size)
        defer { buffer.deallocate() }
        var used = 0
        for (index, entry) in zip(entries.indices, entries) {
            var status = Glibc.stat()
            status.st_ino = UInt(entry.inode)
            status.st_mode = entry.isDirectory ? S_IFDIR : S_IFREG
            let needed = entry.name.withCString { name in
                fuse_add_direntry(request, buffer + used, size - used, name, &status, off_t(index + 1))
            }
            if needed > size - used { break }
            used += needed
        }
        fuse_reply_buf(request, buffer, used)
    }
}
