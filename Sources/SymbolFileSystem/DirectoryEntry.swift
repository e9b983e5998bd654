/// One name in a directory listing.
public struct DirectoryEntry: Sendable, Equatable {
    public var name: String
    public var isDirectory: Bool
    /// The node's inode when it is known, else a stable placeholder the kernel does not rely on.
    public var inode: UInt64
}
