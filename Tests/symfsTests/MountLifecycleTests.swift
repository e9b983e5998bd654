import Foundation
import Testing
import TestSupport

/// How `symfs mount` starts and stops: detaching, signals, umount, a missing or busy mountpoint, a stale mount
/// left by a crash (fuse-notes §4.7), options passed to libfuse.
@Suite(.serialized)
struct MountLifecycleTests {
    let fixture = MountFixture.shared

    func mountpoint(in directory: TemporaryDirectory) throws -> String {
        let path = try directory.file("mnt")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test func detachesOnceMountedAndStopsOnUmount() throws {
        let directory = try TemporaryDirectory("symfs-life")
        let mountpoint = try mountpoint(in: directory)
        defer { MountWaiting.unmount(mountpoint) }
        let result = try runSpawningDaemon(Executables.symfs, ["mount", mountpoint, "--symbol-path", fixture.flat])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(MountWaiting.isMounted(mountpoint))
        #expect(FileManager.default.fileExists(atPath: mountpoint + "/pingme.txt"))
        #expect(try run("umount", [mountpoint]).status == 0)
        #expect(MountWaiting.waitUntil(mounted: false, at: mountpoint))
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func unmountsCleanlyOnSignal(_ signal: Int32) throws {
        let mount = try SymfsMount(symbolPath: fixture.flat)
        kill(mount.process.processIdentifier, signal)
        #expect(MountWaiting.waitUntil(mounted: false, at: mount.mountpoint))
        mount.process.waitUntilExit()
        #expect(mount.process.terminationStatus == 0, "\(mount.log())")
        #expect(mount.log().contains("unmounted"))
    }

    @Test func aMissingMountpointIsAClearError() throws {
        let result = try run(Executables.symfs, ["mount", "/tmp/symfs-no-such-directory", "--symbol-path", fixture.flat])
        #expect(result.status == 1)
        #expect(result.standardError.contains("mountpoint /tmp/symfs-no-such-directory: No such file or directory"))
    }

    @Test func aBusyMountpointIsAClearError() throws {
        let mount = try SymfsMount(symbolPath: fixture.flat)
        let result = try run(Executables.symfs, ["mount", "-f", mount.mountpoint, "--symbol-path", fixture.flat])
        #expect(result.status == 1)
        #expect(result.standardError.contains("is busy: a fuse.symfs file system is already mounted there"))
        #expect(FileManager.default.fileExists(atPath: mount.path("pingme.txt")))
    }

    @Test func aStaleMountFromACrashIsClearedAndSaidSo() throws {
        let crashed = try SymfsMount(symbolPath: fixture.flat)
        kill(crashed.process.processIdentifier, SIGKILL)
        crashed.process.waitUntilExit()
        #expect(opendir(crashed.mountpoint) == nil && errno == ENOTCONN)
        let directory = try TemporaryDirectory("symfs-life")
        let log = try directory.file("log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Executables.symfs)
        process.arguments = ["mount", "-f", crashed.mountpoint, "--symbol-path", fixture.flat]
        FileManager.default.createFile(atPath: log, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: log)
        try process.run()
        defer {
            MountWaiting.unmount(crashed.mountpoint)
            process.waitUntilExit()
        }
        let deadline = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: crashed.mountpoint + "/pingme.txt"), Date() < deadline {
            usleep(20_000)
        }
        #expect(FileManager.default.fileExists(atPath: crashed.mountpoint + "/pingme.txt"))
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("clearing a stale mount"))
    }

    /// fstab's usual `uid=`/`gid=` set the owner every node shows; they, the timeouts and `max_threads` are
    /// symfs's to take (libfuse's low-level API would refuse them), and a bad value stops the mount.
    @Test func ownerTimeoutsAndThreadsAreMountOptions() throws {
        let mount = try SymfsMount(symbolPath: fixture.flat, arguments: [
            "-o", "uid=1234,gid=4321,entry_timeout=0,dir_timeout=0,max_threads=2"])
        let alpha = fixture.files[0].file
        for path in ["", alpha.name, "\(alpha.name)/\(alpha.key)/\(alpha.name)"] {
            var status = stat()
            #expect(stat(mount.path(path), &status) == 0)
            #expect(status.st_uid == 1234 && status.st_gid == 4321, "\(path)")
        }
        #expect(try run("cmp", [alpha.path, mount.path("\(alpha.name)/\(alpha.key)/\(alpha.name)")]).status == 0)
        let directory = try TemporaryDirectory("symfs-life")
        let mountpoint = try mountpoint(in: directory)
        for bad in ["uid=-1", "gid=x", "max_threads=0", "entry_timeout=soon"] {
            let result = try run(Executables.symfs, ["mount", "-f", mountpoint, "-y", fixture.flat, "-o", bad])
            #expect(result.status != 0 && result.standardError.contains(bad), "\(bad): \(result.standardError)")
            #expect(!MountWaiting.isMounted(mountpoint))
        }
    }

    @Test func optionsReachLibfuseAndSymfsOptionsAreTakenOut() throws {
        let mount = try SymfsMount(symbolPath: fixture.flat, arguments: ["-o", "allow_other,negative_timeout=0,_netdev"])
        let table = try String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8)
        let line = try #require(table.split(separator: "\n").first { $0.contains(" \(mount.mountpoint) ") })
        #expect(line.contains("allow_other"))
        #expect(line.split(separator: " ")[5].split(separator: ",").contains("ro"))
    }

    @Test func aMalformedSymbolPathMountsNothing() throws {
        let directory = try TemporaryDirectory("symfs-life")
        let mountpoint = try mountpoint(in: directory)
        let result = try run(Executables.symfs, ["mount", "-f", mountpoint, "--symbol-path", "srv*C:\\sym*https://x"])
        #expect(result.status == 2)
        #expect(result.standardError.contains("Windows path"))
        #expect(!MountWaiting.isMounted(mountpoint))
    }

    /// fstab: `SYMBOL-PATH MOUNTPOINT fuse.symfs-mount OPTIONS` makes mount.fuse3 run Mount/symfs-mount (here
    /// through the `fuse` type's `PROGRAM#SOURCE` form, since mount.fuse3 runs helpers without PATH).
    @Test func mountsFromAnFstabStyleLine() throws {
        let directory = try TemporaryDirectory("symfs-life")
        let mountpoint = try mountpoint(in: directory)
        defer { MountWaiting.unmount(mountpoint) }
        let helper = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Mount/symfs-mount").path
        let bin = try directory.file("bin")
        try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: helper, toPath: bin + "/symfs-mount")
        try FileManager.default.createSymbolicLink(atPath: bin + "/symfs", withDestinationPath: Executables.symfs)
        let result = try runSpawningDaemon("/usr/bin/mount", ["-t", "fuse", "-o", "allow_other",
                                                               "\(bin)/symfs-mount#srv*\(fixture.flat)", mountpoint])
        #expect(result.status == 0, "\(result.standardError)")
        #expect(MountWaiting.waitUntil(mounted: true, at: mountpoint))
        let alpha = fixture.files[0].file
        #expect(try run("cmp", [alpha.path, "\(mountpoint)/\(alpha.name)/\(alpha.key)/\(alpha.name)"]).status == 0)
    }
}
