/// What a download needs from an HTTP store: the bytes of one of its files, whole or a range.
public protocol RemoteFetching: Sendable {
    /// GETs `file` (all of it, or `range`), handing body bytes to `receive` in order as they arrive; `receive`
    /// returns false to stop. Throws when the transfer fails or the server answers other than 200/206 as asked.
    /// `urgent` is for a range a reader is waiting for, which must not queue behind background chunks.
    func fetch(
        _ file: RemoteFile, range: Range<UInt64>?, urgent: Bool, receive: (UnsafeRawBufferPointer) -> Bool
    ) throws(SymbolStoreError)
}

/// Lets a reader wait for the part of a file it needs while the rest is still arriving.
public protocol ContentAvailability: Sendable {
    /// Returns once `range` of the file can be read from the descriptor; throws when the download failed (its
    /// content rejected, its server failing, its cache full) or made no progress for too long.
    func waitForBytes(_ range: Range<UInt64>) throws(SymbolStoreError)
}
