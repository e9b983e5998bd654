/// How remote files are downloaded: chunking, workers, stalls, and how many downloads run at once.
package struct DownloadSettings: Sendable {
    package var chunkSize: UInt64 = 8 << 20
    package var maximumWorkers = 4
    /// A read far from what is arriving is fetched by its reader as a range this long (up to `urgentFetches`
    /// readers at once), so random reads of a file still downloading wait for one short request.
    package var urgentSize: UInt64 = 128 << 10
    package var urgentFetches = 4
    /// A download that brings fewer than `minimumSpeed` bytes a second over this many seconds fails, and its
    /// readers with it: a stall or a trickle, never a total cap (PDBs of 8–12 GB exist).
    package var stallTimeout: Double = 30
    package var minimumSpeed: Double = 1024
    /// Attempts per chunk: a transfer that failed after bringing bytes resumes where they stopped.
    package var attemptsPerChunk = 3
    /// Downloads in progress at once (each with up to `maximumWorkers` workers); more wait for a slot.
    package var maximumDownloads = 16
    /// Seconds an open waits for one of them to end before it fails.
    package var slotWait: Double = 30
    /// Worker threads beyond each download's first, shared by all downloads: with the defaults, at most 16 + 16
    /// workers (and one key check each) run at once however many files are opened.
    package var sharedExtraWorkers = 16

    package init() {}
}
