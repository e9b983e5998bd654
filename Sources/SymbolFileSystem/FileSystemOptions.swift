/// How the mounted tree behaves.
public struct FileSystemOptions: Sendable {
    /// Match names and keys regardless of case, and mark directories with `.ciopfs` for Wine.
    public var caseInsensitive = true
    /// How long the kernel may keep a miss (a negative entry) before asking again, in seconds.
    public var negativeTimeout: Double = 30
    /// How long the kernel may keep names and attributes that exist. Symbol files never change under a key.
    public var positiveTimeout: Double = 86_400
    /// How long directory listings and the attributes of directories whose content grows (root, names) last.
    public var directoryTimeout: Double = 5
    /// Owner reported for every node (symfs mount: the daemon's, unless `-o uid=,gid=` say otherwise).
    public var uid: UInt32 = 0
    public var gid: UInt32 = 0

    public init() {}
}
