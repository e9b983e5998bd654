import Foundation
import Testing
import TestSupport

/// `symfs add`, `query` and `del` run as the built command on stores on disk: eight writers at once, writers
/// killed at any moment and the next one recovering, the mount reading back what add stored, PyPI symstore
/// writing the same stores, bad inputs, and a full disk. Every check reads the store's files itself.
@Suite(.serialized)
struct PublishCommandTests {
    static let binaries = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/symstore-exe/binaries").path
    static let good = ["bigage.pdb", "dummylib.dll", "dummylib.pdb", "dummyprog.exe", "dummyprog.pdb"]
    static let bad = ["empty.exe", "invalid.pdb", "truncated.exe"]
    /// Where symstore.exe files the fixtures (Tests/Fixtures/symstore-exe/stores).
    static let program = "dummyprog.exe/5617D4FE8000/dummyprog.exe"
    static let library = "dummylib.dll/5617D5638000/dummylib.dll"
    static let libraryPDB = "dummylib.pdb/86808261E6FD4CC29DC8D3CEC6FC84AF1/dummylib.pdb"

    static func fixture(_ name: String) -> String { binaries + "/" + name }

    @Test("Eight adds at once take turns: ids 1…8, every file once, each refs.ptr naming its own transaction")
    func eightConcurrentWriters() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let images = try Images()
        let sources = try folder(directory, "sources")
        let stamps = (0..<400).map { UInt32(0x6000_0000 + $0 * 7) }
        let paths = try stamps.indices.map {
            try images.write(sources + "/mod\(String(format: "%03d", $0)).exe", stamp: stamps[$0])
        }
        let store = directory.path + "/store"
        let writers = try (0..<8).map { writer in
            try launch(
                ["add", "-s", store, "-t", "p\(writer)", "--quiet"] + Array(paths[writer * 50..<(writer + 1) * 50]),
                log: directory.path + "/add\(writer).log")
        }
        for (writer, process) in writers.enumerated() {
            #expect(finish(process), "writer \(writer) did not finish")
            let log = (try? String(contentsOfFile: directory.path + "/add\(writer).log", encoding: .utf8)) ?? ""
            #expect(process.terminationStatus == 0, "writer \(writer): \(log)")
        }

        let view = StoreView(root: store)
        #expect(view.text("000Admin/lastid.txt") == "0000000008")
        let server = view.lines("000Admin/server.txt")
        #expect(server.count == 8)
        #expect(view.ids("000Admin/server.txt").sorted() == Array(1...8))
        #expect(view.lines("000Admin/history.txt").count == 8)
        #expect(view.ids("000Admin/history.txt").sorted() == Array(1...8))
        var listed: [String] = []
        for line in server {
            let id = try #require(StoreView.leadingID(line))
            let product = line.components(separatedBy: ",")[5]
            let writer = try #require(Int(product.dropFirst(2).dropLast()), "\(line)")
            let entries = try #require(view.entries(id), "transaction \(id) has no file")
            #expect(entries.count == 50)
            // Each transaction holds exactly what its writer was given.
            #expect(Set(entries.map(\.source)) == Set(paths[writer * 50..<(writer + 1) * 50]), "\(line)")
            for entry in entries {
                listed.append(entry.source)
                let index = try #require(paths.firstIndex(of: entry.source))
                #expect(entry.name == (entry.source as NSString).lastPathComponent)
                #expect(entry.key == images.key(stamp: stamps[index]))
                let stored = store + "/" + entry.directory + "/" + entry.name
                #expect(FileManager.default.contentsEqual(atPath: stored, andPath: entry.source), "\(stored)")
                let references = view.lines(entry.directory + "/refs.ptr")
                #expect(references.count == 1 && StoreView.leadingID(references[0]) == id, "\(entry.directory)")
            }
        }
        #expect(listed.count == 400 && Set(listed) == Set(paths))
        var verified: [String: Data] = [:]
        let problems = storeProblems(store, verified: &verified)
        #expect(problems.isEmpty, "\(problems.prefix(10))")
    }

    @Test("An add killed at any moment leaves a store the next add recovers: no gap in ids, nothing listed missing")
    func killedWriters() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let images = try Images(paddingPool: 4 << 20)
        var stamp: UInt32 = 0x6100_0000
        var killed = 0
        var committed = 0
        for compress in [false, true] {
            let flags = compress ? ["--compress"] : []
            let store = directory.path + (compress ? "/compressed" : "/plain")
            stamp += 1
            let base = try images.write(directory.path + "/base-\(compress).exe", stamp: stamp)
            try runChecked(Executables.symfs, ["add", "-s", store, "--quiet"] + flags + [base])
            var verified: [String: Data] = [:]
            // An add of these files takes about 0.8 s here, plain or compressed: the kills land before its first
            // write, while it copies and around its commit; the last may come after it has finished.
            let delays = compress
                ? [0, 20, 100, 300, 600, 1000, 1500] : [0, 5, 20, 50, 100, 200, 300, 400, 500, 600, 700, 800]
            for (round, delay) in delays.enumerated() {
                let context = "\(compress ? "--compress, " : "")killed after \(delay) ms"
                let roundFolder = try folder(directory, "round-\(compress)-\(round)")
                // 200 images, the first four padded to 1–4 MiB so that copying takes a while.
                let files = try (0..<200).map { index in
                    stamp += 1
                    return try images.write(roundFolder + "/r\(round)m\(index).exe", stamp: stamp,
                                            padding: index < 4 ? (index + 1) << 20 : 0)
                }
                let before = try #require(StoreView(root: store).lastID)
                let process = try launch(["add", "-s", store, "--quiet"] + flags + files, log: roundFolder + "/add.log")
                usleep(UInt32(delay) * 1000)
                if process.isRunning { kill(process.processIdentifier, SIGKILL) }
                #expect(finish(process))
                if process.terminationReason == .uncaughtSignal { killed += 1 }

                stamp += 1
                let next = try images.write(roundFolder + "/next.exe", stamp: stamp)
                let recovery = try run(Executables.symfs, ["add", "-s", store, "--quiet"] + flags + [next])
                #expect(recovery.status == 0, "\(context): \(recovery.standardError)")
                let view = StoreView(root: store)
                let last = try #require(view.lastID)
                #expect(view.entries(last)?.map(\.source) == [next], "\(context)")
                if last == before + 2 {
                    committed += 1
                    let stored = Set(view.entries(before + 1)?.map(\.source) ?? [])
                    #expect(stored == Set(files), "\(context): \(stored.symmetricDifference(files).count) differ")
                } else {
                    #expect(last == before + 1, "\(context): lastid \(last) after \(before)")
                    // Rolled back: not one of the killed add's files, nor its directories, is left.
                    let left = files.filter {
                        FileManager.default.fileExists(atPath: store + "/" + ($0 as NSString).lastPathComponent)
                    }
                    #expect(left.isEmpty, "\(context): \(left.count) name directories left")
                }
                let problems = storeProblems(store, verified: &verified)
                #expect(problems.isEmpty, "\(context): \(problems.prefix(10))")
            }
        }
        // The kills landed: at least the immediate ones interrupted an add.
        #expect(killed >= 2, "killed \(killed), committed \(committed)")
    }

    @Test("An add or del killed at each step of its write order: 000Admin lists only what is there, then and after recovery")
    func killedAtEveryStep() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let images = try Images(paddingPool: 2 << 20)
        var stamp: UInt32 = 0x6300_0000
        let addSteps = ["pending-recorded", "files-staged", "files-renamed", "transaction-written", "server-appended",
                        "history-appended", "committed"]
        for compress in [false, true] {
            let flags = compress ? ["--compress"] : []
            let store = directory.path + (compress ? "/compressed" : "/plain")
            stamp += 1
            try runChecked(Executables.symfs, ["add", "-s", store, "--quiet"] + flags
                + [try images.write(directory.path + "/base-\(compress).exe", stamp: stamp)])
            var verified: [String: Data] = [:]
            for step in addSteps {
                let context = "\(compress ? "--compress, " : "")killed at \(step)"
                let roundFolder = try folder(directory, "\(compress)-\(step)")
                let files = try (0..<20).map { index in
                    stamp += 1
                    return try images.write(roundFolder + "/s\(stamp)m\(index).exe", stamp: stamp,
                                            padding: index < 2 ? (index + 1) << 20 : 0)
                }
                let before = try #require(StoreView(root: store).lastID)
                let process = try launch(["add", "-s", store, "--quiet"] + flags + files, log: roundFolder + "/add.log",
                                         environment: ["SYMFS_CRASH_AT": step])
                #expect(finish(process, seconds: 60))
                #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL, "\(context)")
                #expect(listedButMissing(store).isEmpty, "\(context): \(listedButMissing(store))")

                stamp += 1
                let next = try images.write(roundFolder + "/next.exe", stamp: stamp)
                let recovery = try run(Executables.symfs, ["add", "-s", store, "--quiet"] + flags + [next])
                #expect(recovery.status == 0, "\(context): \(recovery.standardError)")
                let last = try #require(StoreView(root: store).lastID)
                #expect(last == before + (step == "committed" ? 2 : 1), "\(context): lastid \(last) after \(before)")
                let problems = storeProblems(store, verified: &verified)
                #expect(problems.isEmpty, "\(context): \(problems.prefix(10))")
            }
            let deletion = try launch(["del", "-s", store, "--quiet", "1"], log: directory.path + "/del-\(compress).log",
                                      environment: ["SYMFS_CRASH_AT": "deletion-committed"])
            #expect(finish(deletion, seconds: 60))
            #expect(deletion.terminationReason == .uncaughtSignal)
            #expect(listedButMissing(store).isEmpty)
            stamp += 1
            try runChecked(Executables.symfs, ["add", "-s", store, "--quiet"] + flags
                + [try images.write(directory.path + "/after-del-\(compress).exe", stamp: stamp)])
            #expect(!StoreView(root: store).ids("000Admin/server.txt").contains(1))
            #expect(storeProblems(store, verified: &verified).isEmpty)
        }
    }

    @Test("The mount reads back byte for byte what add stored, plain and compressed")
    func mountReadsWhatAddWrote() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        for compress in [false, true] {
            let store = directory.path + (compress ? "/compressed" : "/plain")
            let added = try runChecked(
                Executables.symfs,
                ["add", "-s", store, "--json"] + (compress ? ["--compress"] : []) + Self.good.map(Self.fixture))
            let files = try #require(try json(added.standardOutput)["files"] as? [[String: Any]])
            #expect(files.count == Self.good.count)
            for file in files {
                let name = try #require(file["name"] as? String)
                let path = try #require(file["path"] as? String)
                #expect(path.hasSuffix(compress ? String(name.dropLast()) + "_" : name), "\(path)")
            }
            let before = try snapshot(store)
            // A compressed file is decompressed into the chain's leftmost store, never into the one read.
            let symbolPath = compress ? "srv*\(directory.path)/downstream*\(store)" : "srv*\(store)"
            let mount = try SymfsMount(symbolPath: symbolPath)
            defer { mount.unmount() }
            for file in files {
                let name = try #require(file["name"] as? String)
                let key = try #require(file["key"] as? String)
                let source = try #require(file["source"] as? String)
                let read = mount.path("\(name)/\(key)/\(name)")
                #expect(FileManager.default.contentsEqual(atPath: read, andPath: source), "\(read): \(mount.log())")
            }
            #expect(mount.unmount() == 0)
            #expect(changes(before, try snapshot(store)).isEmpty)
        }
    }

    @Test("PyPI symstore adds to a store add wrote; add and del work on a store PyPI symstore wrote")
    func pypiSymstoreInterop() throws {
        let symstore = try which("symstore")
        let directory = try TemporaryDirectory("symfs-publish")
        let program = Self.fixture("dummyprog.exe")
        let library = Self.fixture("dummylib.dll")

        let ours = directory.path + "/ours"
        try runChecked(Executables.symfs, ["add", "-s", ours, "--quiet", program])
        #expect(StoreView(root: ours).lastID == 1)
        try runChecked(symstore, [ours, library])
        let mixed = StoreView(root: ours)
        #expect(mixed.lastID == 2)
        #expect(mixed.ids("000Admin/server.txt") == [1, 2])
        #expect(mixed.ids("000Admin/history.txt") == [1, 2])
        #expect(FileManager.default.contentsEqual(atPath: ours + "/" + Self.program, andPath: program))
        #expect(FileManager.default.contentsEqual(atPath: ours + "/" + Self.library, andPath: library))
        #expect(try run(Executables.symfs, ["query", "-s", ours, program, library]).status == 0)

        let theirs = directory.path + "/theirs"
        try runChecked(symstore, [theirs, library, Self.fixture("dummylib.pdb")])
        try runChecked(Executables.symfs, ["add", "-s", theirs, "--quiet", program])
        #expect(StoreView(root: theirs).lastID == 2)
        let deleted = try run(Executables.symfs, ["del", "-s", theirs, "1"])
        #expect(deleted.status == 0, "\(deleted.standardError)")
        let view = StoreView(root: theirs)
        #expect(!FileManager.default.fileExists(atPath: theirs + "/" + Self.library))
        #expect(!FileManager.default.fileExists(atPath: theirs + "/" + Self.libraryPDB))
        #expect(FileManager.default.contentsEqual(atPath: theirs + "/" + Self.program, andPath: program))
        #expect(view.lines("000Admin/history.txt").last == "0000000003,del,0000000001")
        #expect(view.ids("000Admin/server.txt") == [2])
        #expect(view.lastID == 3)
        var verified: [String: Data] = [:]
        let problems = storeProblems(theirs, verified: &verified)
        #expect(problems.isEmpty, "\(problems)")
        // And PyPI symstore goes on after the deletion, under the next id.
        try runChecked(symstore, [theirs, library])
        #expect(StoreView(root: theirs).lastID == 4)
        #expect(FileManager.default.contentsEqual(atPath: theirs + "/" + Self.library, andPath: library))
    }

    @Test("Bad inputs, a corrupt lastid.txt and an unknown id fail with a message and change nothing")
    func badInputsChangeNothing() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let invalid = Self.fixture("invalid.pdb")

        let fresh = directory.path + "/fresh"
        let named = try run(Executables.symfs, ["add", "-s", fresh, "--quiet", invalid])
        #expect(named.status != 0)
        #expect(named.standardError.contains(invalid), "\(named.standardError)")
        // Nothing written: at most the store's directory, empty.
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: fresh)) ?? []).isEmpty)

        let store = directory.path + "/store"
        let recursive = try run(Executables.symfs, ["add", "-s", store, "--quiet", "-r", Self.binaries])
        #expect(recursive.status == 1)
        let skipped = recursive.standardError.split(separator: "\n").filter { $0.hasSuffix("(skipped)") }
        #expect(skipped.count == Self.bad.count, "\(recursive.standardError)")
        for name in Self.bad {
            #expect(skipped.contains { $0.contains(Self.fixture(name)) }, "\(name): \(recursive.standardError)")
        }
        let view = StoreView(root: store)
        #expect(view.lastID == 1)
        #expect(Set(view.entries(1)?.map(\.source) ?? []) == Set(Self.good.map(Self.fixture)))
        var verified: [String: Data] = [:]
        let problems = storeProblems(store, verified: &verified)
        #expect(problems.isEmpty, "\(problems)")

        var before = try snapshot(store)
        // A named bad file fails the whole add, however many good files come with it.
        let other = try Images().write(directory.path + "/other.exe", stamp: 0x6300_0000)
        let mixed = try run(Executables.symfs, ["add", "-s", store, "--quiet", other, invalid])
        #expect(mixed.status != 0 && mixed.standardError.contains(invalid), "\(mixed.standardError)")
        #expect(changes(before, try snapshot(store)).isEmpty)

        let unknown = try run(Executables.symfs, ["del", "-s", store, "7"])
        #expect(unknown.status == 1)
        #expect(unknown.standardError.contains("0000000007"), "\(unknown.standardError)")
        #expect(changes(before, try snapshot(store)).isEmpty)

        try Data("twelve\r\n".utf8).write(to: URL(fileURLWithPath: store + "/000Admin/lastid.txt"))
        before = try snapshot(store)
        let corrupt = try run(Executables.symfs, ["add", "-s", store, "--quiet", other])
        #expect(corrupt.status != 0)
        #expect(corrupt.standardError.contains("lastid.txt"), "\(corrupt.standardError)")
        #expect(changes(before, try snapshot(store)).isEmpty)
        let corruptDelete = try run(Executables.symfs, ["del", "-s", store, "1"])
        #expect(corruptDelete.status != 0 && corruptDelete.standardError.contains("lastid.txt"))
        #expect(changes(before, try snapshot(store)).isEmpty)
    }

    @Test("query exits 0 when every file is there and 1 when one is absent; add and query --json parse")
    func queryAndJSON() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let store = directory.path + "/store"
        let program = Self.fixture("dummyprog.exe")
        let pdb = Self.fixture("dummyprog.pdb")
        let absent = try Images().write(directory.path + "/absent.exe", stamp: 0x6400_0000)

        let added = try json(
            try runChecked(Executables.symfs, ["add", "-s", store, "--json", program, pdb]).standardOutput)
        #expect(Set(added.keys) == ["store", "transaction", "dryRun", "files", "skipped", "warnings"])
        #expect(added["transaction"] as? String == "0000000001")
        #expect(added["dryRun"] as? Bool == false)
        let files = try #require(added["files"] as? [[String: Any]])
        #expect(files.count == 2)
        for file in files {
            #expect(Set(file.keys) == ["source", "name", "key", "path", "outcome", "compressed", "bytes"])
            #expect(file["outcome"] as? String == "stored")
        }
        let image = try #require(files.first { $0["source"] as? String == program })
        #expect(image["path"] as? String == Self.program)
        #expect(image["key"] as? String == "5617D4FE8000")
        #expect(image["bytes"] as? Int == 4608)

        #expect(try run(Executables.symfs, ["query", "-s", store, program, pdb]).status == 0)
        let missing = try run(Executables.symfs, ["query", "-s", store, program, absent])
        #expect(missing.status == 1)
        #expect(missing.standardOutput.contains("absent\t"))

        let queried = try run(Executables.symfs, ["query", "-s", store, "--json", program, absent])
        #expect(queried.status == 1)
        let answers = try #require(
            try JSONSerialization.jsonObject(with: Data(queried.standardOutput.utf8)) as? [[String: Any]])
        #expect(answers.count == 2)
        let found = try #require(answers.first { $0["source"] as? String == program })
        #expect(Set(found.keys) == ["source", "name", "key", "found", "path", "transactions"])
        #expect(found["found"] as? Bool == true)
        #expect(found["path"] as? String == Self.program)
        #expect(found["transactions"] as? [String] == ["0000000001"])
        let lacking = try #require(answers.first { $0["source"] as? String == absent })
        #expect(lacking["found"] as? Bool == false)
        #expect(lacking["path"] == nil || lacking["path"] is NSNull)
        #expect(lacking["transactions"] as? [String] == [])
    }

    @Test("A full disk fails the add with the reason and leaves the store exactly as it was, at every step",
          .enabled(if: getuid() == 0, "mounting a tmpfs needs root"))
    func fullDisk() throws {
        let directory = try TemporaryDirectory("symfs-publish")
        let disk = try folder(directory, "disk")
        try runChecked("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", disk])
        defer {
            if umount2(disk, 0) != 0 { umount2(disk, Int32(MNT_DETACH)) }
            withExtendedLifetime(directory) {}
        }
        let images = try Images(paddingPool: 1 << 20)
        let program = Self.fixture("dummyprog.exe")
        // Three images of 0.5 MB each: more than the whole disk, so the copies fail.
        let big = try (0..<3).map {
            try images.write(directory.path + "/big\($0).exe", stamp: 0x6500_0000 + UInt32($0), padding: 500_000)
        }
        for compress in [false, true] {
            let store = disk + (compress ? "/compressed" : "/plain")
            let flags = compress ? ["--compress"] : []
            try runChecked(Executables.symfs, ["add", "-s", store, "--quiet"] + flags + [program])
            let before = try snapshot(store)
            let full = try run(Executables.symfs, ["add", "-s", store, "--quiet"] + flags + big)
            #expect(full.status != 0)
            #expect(full.standardError.contains("No space left on device"), "\(full.standardError)")
            #expect(changes(before, try snapshot(store)).isEmpty, "\(compress ? "--compress" : "plain")")
            try FileManager.default.removeItem(atPath: store)
        }
        // One image that leaves the disk `spare` pages short of full, after one already stored: as `spare` grows
        // the add runs out of space later and later in its write order (the copies, then the bookkeeping in
        // 000Admin after the renames) until it succeeds. The stored image goes first, so undoing its refs.ptr
        // record is the first thing a rollback must write.
        var outcomes: Set<Bool> = []
        for spare in 0...8 {
            let store = disk + "/store"
            try runChecked(Executables.symfs, ["add", "-s", store, "--quiet", program])
            var space = statvfs()
            #expect(statvfs(disk, &space) == 0)
            let padding = (Int(space.f_bavail) - spare) * Int(space.f_bsize) - images.template.count
            let filler = try images.write(
                directory.path + "/filler\(spare).exe", stamp: 0x6600_0000 + UInt32(spare), padding: padding)
            let before = try snapshot(store)
            let result = try run(Executables.symfs, ["add", "-s", store, "--quiet", program, filler])
            outcomes.insert(result.status == 0)
            if result.status == 0 {
                var verified: [String: Data] = [:]
                let problems = storeProblems(store, verified: &verified)
                #expect(problems.isEmpty, "\(spare) pages spare: \(problems)")
            } else {
                #expect(result.standardError.contains("No space left on device"), "\(result.standardError)")
                let changed = changes(before, try snapshot(store))
                #expect(changed.isEmpty, "\(spare) pages spare: \(result.standardError) changed \(changed)")
            }
            try FileManager.default.removeItem(atPath: store)
        }
        #expect(outcomes == [false, true], "the sweep should see both failures and a success")
    }
}

// MARK: - Inputs and processes

/// Copies of the fixture `dummyprog.exe` with their COFF TimeDateStamp changed: real images, each with a key of
/// its own. Bytes appended after the image make it bigger without changing its key.
private struct Images {
    let template: [UInt8]
    let header: Int
    let pool: [UInt8]

    init(paddingPool: Int = 0) throws {
        template = Array(try Data(contentsOf: URL(fileURLWithPath: PublishCommandTests.fixture("dummyprog.exe"))))
        header = Int(Self.u32(template, at: 0x3C))
        guard Array(template[header..<header + 4]) == [0x50, 0x45, 0, 0] else {
            throw CommandError(command: "dummyprog.exe", status: 1, output: "no PE signature at e_lfanew")
        }
        let random = paddingPool > 0 ? FileHandle(forReadingAtPath: "/dev/urandom") : nil
        pool = Array(random?.readData(ofLength: paddingPool) ?? Data())
    }

    static func u32(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(0) { $0 | UInt32(bytes[offset + $1]) << (8 * $1) }
    }

    /// The key symstore files an image with this stamp under: TimeDateStamp, then SizeOfImage (optional header
    /// offset 56, after the 4-byte signature and the 20-byte COFF header).
    func key(stamp: UInt32) -> String {
        String(format: "%08X%X", stamp, Self.u32(template, at: header + 24 + 56))
    }

    /// Writes the image with `stamp` to `path`, `padding` bytes (at most the pool's) appended; returns `path`.
    @discardableResult
    func write(_ path: String, stamp: UInt32, padding: Int = 0) throws -> String {
        var bytes = template
        for index in 0..<4 { bytes[header + 8 + index] = UInt8(truncatingIfNeeded: stamp >> (8 * index)) }
        bytes += pool.prefix(padding)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}

/// `directory/name`, made.
private func folder(_ directory: TemporaryDirectory, _ name: String) throws -> String {
    let path = directory.path + "/" + name
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Starts `symfs` with `arguments`, its output into `log`, with `environment` added to this process's.
private func launch(_ arguments: [String], log: String, environment: [String: String] = [:]) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Executables.symfs)
    process.arguments = arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    FileManager.default.createFile(atPath: log, contents: nil)
    let handle = FileHandle(forWritingAtPath: log)
    process.standardOutput = handle
    process.standardError = handle
    process.standardInput = FileHandle.nullDevice
    try process.run()
    return process
}

/// Waits (bounded) for `process` to exit, killing it past `seconds`; says whether it exited in time.
@discardableResult
private func finish(_ process: Process, seconds: Double = 180) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while process.isRunning && Date() < deadline { usleep(5_000) }
    let inTime = !process.isRunning
    if !inTime { kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return inTime
}

private func json(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any], "\(text)")
}

// MARK: - Reading stores

/// One line of a transaction file: `"name\KEY","source"`.
private struct TransactionLine: Hashable {
    var name: String
    var key: String
    var source: String
    var directory: String { "\(name)/\(key)" }
}

/// A store's bookkeeping as its files say, read without the code under test.
private struct StoreView {
    let root: String

    func text(_ relative: String) -> String? {
        try? String(contentsOfFile: root + "/" + relative, encoding: .utf8)
    }

    /// The lines of a file (CRLF or LF ends), without empty ones; none for a missing file.
    func lines(_ relative: String) -> [String] {
        (text(relative) ?? "").components(separatedBy: .newlines).filter { !$0.isEmpty }
    }

    static func leadingID(_ line: String) -> Int? {
        Int(line.prefix { $0 != "," })
    }

    func ids(_ relative: String) -> [Int] { lines(relative).compactMap(Self.leadingID) }

    var lastID: Int? { text("000Admin/lastid.txt").flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) } }

    /// The lines of transaction `id`'s file; nil when it has none.
    func entries(_ id: Int) -> [TransactionLine]? {
        let file = "000Admin/" + String(format: "%010d", id)
        guard text(file) != nil else { return nil }
        return lines(file).compactMap { line in
            let fields = line.components(separatedBy: "\",\"")
            guard fields.count == 2, fields[0].hasPrefix("\""), fields[1].hasSuffix("\"") else { return nil }
            let stored = fields[0].dropFirst().split(separator: "\\", maxSplits: 1)
            guard stored.count == 2 else { return nil }
            return TransactionLine(
                name: String(stored[0]), key: String(stored[1]), source: String(fields[1].dropLast()))
        }
    }
}

private func isDirectory(_ path: String) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &directory) && directory.boolValue
}

/// What `cabextract -p` writes for the one file in `cabinet`; nil when it fails.
private func extracted(_ cabinet: String) -> Data? {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: (try? which("cabextract")) ?? "/usr/bin/cabextract")
    process.arguments = ["-q", "-p", cabinet]
    let output = Pipe()
    process.standardOutput = output
    process.standardError = FileHandle.nullDevice
    process.standardInput = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return process.terminationStatus == 0 ? data : nil
}

/// What is wrong with the store at `root` (empty when nothing is), whatever happened to its writers: ids
/// consecutive and counted by `lastid.txt`; every transaction in force with its file, and every file it lists in
/// place with its source's bytes (a `name_` extracting to them); every `refs.ptr` record naming a transaction in
/// force; no name or key directory without a file; no temporary file; no pending record. `verified` keeps the
/// CABs already extracted, by their bytes, so a later call extracts only what changed.
private func storeProblems(_ root: String, verified: inout [String: Data]) -> [String] {
    let view = StoreView(root: root)
    guard let last = view.lastID else { return ["lastid.txt is missing or not a number"] }
    var problems: [String] = []
    let history = view.ids("000Admin/history.txt")
    if history != (0..<last).map({ $0 + 1 }) { problems.append("history.txt ids \(history), lastid \(last)") }
    let live = view.ids("000Admin/server.txt")
    for id in live {
        guard let entries = view.entries(id) else {
            problems.append("transaction \(id) is in server.txt without its file")
            continue
        }
        for entry in entries {
            let directory = root + "/" + entry.directory
            let plain = directory + "/" + entry.name
            let cabinet = directory + "/" + entry.name.dropLast() + "_"
            if FileManager.default.fileExists(atPath: plain) {
                if !FileManager.default.contentsEqual(atPath: plain, andPath: entry.source) {
                    problems.append("\(plain) differs from \(entry.source)")
                }
            } else if let bytes = FileManager.default.contents(atPath: cabinet) {
                if verified[cabinet] != bytes {
                    if extracted(cabinet) == FileManager.default.contents(atPath: entry.source) {
                        verified[cabinet] = bytes
                    } else {
                        problems.append("\(cabinet) does not extract to \(entry.source)")
                    }
                }
            } else if !FileManager.default.fileExists(atPath: directory + "/file.ptr") {
                problems.append("transaction \(id) lists \(entry.directory), which holds no file")
            }
        }
    }
    let liveIDs = Set(live)
    for relative in (try? FileManager.default.subpathsOfDirectory(atPath: root)) ?? [] {
        let name = (relative as NSString).lastPathComponent
        if name.hasPrefix(".symfs-tmp-") { problems.append("temporary file \(relative)") }
        if relative == "000Admin/.symfs-pending" { problems.append("a pending record is left") }
        if name == "refs.ptr" {
            for id in view.ids(relative) where !liveIDs.contains(id) {
                problems.append("\(relative) names transaction \(id), which is not in force")
            }
        }
    }
    let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
    for name in names where name != "000Admin" && isDirectory(root + "/" + name) {
        let keys = (try? FileManager.default.contentsOfDirectory(atPath: root + "/" + name)) ?? []
        if keys.isEmpty { problems.append("\(name) is an empty name directory") }
        for key in keys {
            let held = Set((try? FileManager.default.contentsOfDirectory(atPath: "\(root)/\(name)/\(key)")) ?? [])
            if held.isDisjoint(with: [name, String(name.dropLast()) + "_", "file.ptr"]) {
                problems.append("\(name)/\(key) holds no file: \(held.sorted())")
            }
        }
    }
    return problems
}

/// What 000Admin lists that is not in the store: for every transaction in force, each file it names must be
/// there (plain, as a CAB, or as a pointer). This must hold at every moment, even while a writer is stopped.
private func listedButMissing(_ root: String) -> [String] {
    let view = StoreView(root: root)
    var missing: [String] = []
    for id in view.ids("000Admin/server.txt") {
        guard let entries = view.entries(id) else {
            missing.append("transaction \(id) has no file")
            continue
        }
        for entry in entries {
            let directory = root + "/" + entry.directory
            let forms = [entry.name, String(entry.name.dropLast()) + "_", "file.ptr"]
            if !forms.contains(where: { FileManager.default.fileExists(atPath: directory + "/" + $0) }) {
                missing.append("transaction \(id): \(entry.directory)")
            }
        }
    }
    return missing
}

/// Every path under `root` with its bytes (a directory as `path/`, without any), to show a store unchanged.
private func snapshot(_ root: String) throws -> [String: Data] {
    var tree: [String: Data] = [:]
    for relative in try FileManager.default.subpathsOfDirectory(atPath: root) {
        let path = root + "/" + relative
        if isDirectory(path) {
            tree[relative + "/"] = Data()
        } else {
            tree[relative] = try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }
    return tree
}

/// The paths that differ between two snapshots: added, removed or changed.
private func changes(_ before: [String: Data], _ after: [String: Data]) -> [String] {
    Set(before.keys).union(after.keys).filter { before[$0] != after[$0] }.sorted()
}
