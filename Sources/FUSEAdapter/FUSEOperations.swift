import CFuse
import SymbolFileSystem
#if canImport(Glibc)
import Glibc
#endif

/// The low-level operations table: each callback finds the file system through the session's userdata, calls
/// the core and replies. Writes of any kind answer EROFS.
enum FUSEOperations {
    static func core(_ request: fuse_req_t?) -> SymbolFileSystem {
        Unmanaged<SymbolFileSystem>.fromOpaque(fuse_req_userdata(request)!).takeUnretainedValue()
    }

    static func string(_ name: UnsafePointer<CChar>?) -> String {
        name.map { String(decoding: UnsafeRawBufferPointer(start: $0, count: strlen($0)), as: UTF8.self) } ?? ""
    }

    static var table: fuse_lowlevel_ops {
        var ops = fuse_lowlevel_ops()
        ops.`init` = { _, connection in
            guard let connection else { return }
            // Splice without moving pages: stealing a page waits for its writeback, and a download's pages are
            // under writeback while the download is flushed to the cache (a read stalled ~1 s behind an fsync).
            connection.pointee.want |= connection.pointee.capable & UInt32(FUSE_CAP_SPLICE_WRITE)
            // Content under a key never changes: no size and mtime checks on every cached read.
            connection.pointee.want &= ~UInt32(FUSE_CAP_AUTO_INVAL_DATA)
            connection.pointee.max_background = 64
            connection.pointee.congestion_threshold = 48
        }
        ops.lookup = { request, parent, name in
            let core = FUSEOperations.core(request)
            switch core.lookup(parent: parent, name: FUSEOperations.string(name)) {
            case .found(let entry):
                var parameters = FUSEReplies.entryParameters(entry)
                fuse_reply_entry(request, &parameters)
            case .missing(let timeout):
                // ino 0 with a timeout is a negative entry the kernel keeps; a bare ENOENT is never cached.
                var parameters = fuse_entry_param()
                parameters.ino = 0
                parameters.entry_timeout = timeout
                fuse_reply_entry(request, &parameters)
            case .failed(let errno):
                fuse_reply_err(request, errno)
            }
        }
        ops.forget = { request, inode, count in
            FUSEOperations.core(request).forget(inode: inode, count: count)
            fuse_reply_none(request)
        }
        ops.forget_multi = { request, count, forgets in
            let core = FUSEOperations.core(request)
            for index in 0..<count {
                let forget = forgets![index]
                core.forget(inode: forget.ino, count: forget.nlookup)
            }
            fuse_reply_none(request)
        }
        ops.getattr = { request, inode, _ in
            switch FUSEOperations.core(request).attributes(of: inode) {
            case .success(let (attributes, timeout)):
                var status = FUSEReplies.stat(attributes)
                fuse_reply_attr(request, &status, timeout)
            case .failure(let error):
                fuse_reply_err(request, error.errno)
            }
        }
        ops.open = { request, inode, info in
            switch FUSEOperations.core(request).open(inode: inode, flags: info!.pointee.flags) {
            case .success(let opened):
                info!.pointee.fh = opened.handle
                info!.pointee.keep_cache = opened.keepCache ? 1 : 0
                info!.pointee.direct_io = opened.directIO ? 1 : 0
                info!.pointee.noflush = 1
                if fuse_reply_open(request, info) != 0 { FUSEOperations.core(request).release(handle: opened.handle) }
            case .failure(let error):
                fuse_reply_err(request, error.errno)
            }
        }
        ops.read = { request, _, size, offset, info in
            switch FUSEOperations.core(request).read(handle: info!.pointee.fh, offset: UInt64(offset), size: size) {
            case .success(let source):
                FUSEReplies.data(request, source)
            case .failure(let error):
                fuse_reply_err(request, error.errno)
            }
        }
        ops.release = { request, _, info in
            FUSEOperations.core(request).release(handle: info!.pointee.fh)
            fuse_reply_err(request, 0)
        }
        ops.flush = { request, _, _ in fuse_reply_err(request, 0) }
        ops.opendir = { request, inode, info in
            switch FUSEOperations.core(request).openDirectory(inode: inode) {
            case .success(let handle):
                info!.pointee.fh = handle
                if fuse_reply_open(request, info) != 0 { FUSEOperations.core(request).release(handle: handle) }
            case .failure(let error):
                fuse_reply_err(request, error.errno)
            }
        }
        ops.readdir = { request, _, size, offset, info in
            switch FUSEOperations.core(request).readDirectory(handle: info!.pointee.fh, from: Int(offset)) {
            case .success(let entries):
                FUSEReplies.directory(request, entries, size: size)
            case .failure(let error):
                fuse_reply_err(request, error.errno)
            }
        }
        ops.releasedir = { request, _, info in
            FUSEOperations.core(request).release(handle: info!.pointee.fh)
            fuse_reply_err(request, 0)
        }
        ops.statfs = { request, _ in
            var status = statvfs()
            status.f_bsize = 4096
            status.f_frsize = 4096
            status.f_namemax = 255
            fuse_reply_statfs(request, &status)
        }
        ops.access = { request, _, mask in
            fuse_reply_err(request, mask & W_OK != 0 ? EROFS : 0)
        }
        // Wine asks every entry for user.DOSATTRIB: there are no extended attributes, which is ENODATA.
        ops.getxattr = { request, _, _, _ in fuse_reply_err(request, ENODATA) }
        ops.listxattr = { request, _, size in
            if size == 0 { fuse_reply_xattr(request, 0) } else { fuse_reply_buf(request, nil, 0) }
        }
        ops.setattr = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.mknod = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.mkdir = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.unlink = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.rmdir = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.symlink = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.rename = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.link = { request, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.write = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.create = { request, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.setxattr = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        ops.removexattr = { request, _, _ in fuse_reply_err(request, EROFS) }
        ops.fallocate = { request, _, _, _, _, _ in fuse_reply_err(request, EROFS) }
        return ops
    }
}
