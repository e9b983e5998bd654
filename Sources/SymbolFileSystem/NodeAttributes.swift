/// What `stat` reports for a node.
public struct NodeAttributes: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case directory
        case file
    }

    public var inode: UInt64
    public var kind: Kind
    public var size: UInt64
    /// Seconds since the epoch.
    public var modificationTime: Int64
    public var uid: UInt32
    public var gid: UInt32

    /// Read-only for everyone: directories r-x, files r--.
    public var mode: UInt32 {
        kind == .directory ? 0o040555 : 0o100444
    }

    public var linkCount: UInt32 {
        kind == .directory ? 2 : 1
    }
}

/// A successful lookup: the node's attributes and how long the kernel may keep the name and the attributes.
public struct Entry: Sendable, Equatable {
    public var attributes: NodeAttributes
    public var entryTimeout: Double
    public var attributeTimeout: Double
}

/// What a lookup answers.
public enum LookupResult: Sendable, Equatable {
    case found(Entry)
    /// A miss the kernel may remember for `timeout` seconds.
    case missing(timeout: Double)
    case failed(errno: Int32)
}
