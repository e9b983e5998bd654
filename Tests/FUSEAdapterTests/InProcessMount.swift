import FUSEAdapter
import Foundation
import Logging
import SymbolFileSystem
import TestSupport

/// A real FUSE mount served by this test process on a thread of its own (never on the Swift concurrency pool:
/// swift-fuse-notes §6), unmounted when the test ends, even when it fails.
final class InProcessMount: @unchecked Sendable {
    let directory: TemporaryDirectory
    let mountpoint: String
    let fileSystem: SymbolFileSystem
    private var thread: pthread_t?
    private let finished = DispatchSemaphore(value: 0)

    init(fileSystem: SymbolFileSystem, options: [String] = []) throws {
        MountWaiting.sweepStaleTestMounts()
        directory = try TemporaryDirectory("symfs-mount")
        mountpoint = try directory.file("mnt")
        try FileManager.default.createDirectory(atPath: mountpoint, withIntermediateDirectories: true)
        self.fileSystem = fileSystem
        var configuration = FUSESession.Configuration(mountpoint: mountpoint)
        configuration.options = options
        configuration.handleSignals = false
        let session = FUSESession(
            fileSystem: fileSystem, configuration: configuration, logger: Logger(label: "test-mount"))
        let box = Unmanaged.passRetained(Box { [finished] in
            _ = try? session.run()
            finished.signal()
        })
        var thread = pthread_t()
        pthread_create(&thread, nil, { pointer in
            let box = Unmanaged<Box>.fromOpaque(pointer!).takeRetainedValue()
            box.body()
            return nil
        }, box.toOpaque())
        self.thread = thread
        guard MountWaiting.waitUntil(mounted: true, at: mountpoint) else {
            throw CommandError(command: "mount", status: 1, output: "\(mountpoint) did not appear mounted")
        }
    }

    func path(_ relative: String) -> String {
        relative.isEmpty ? mountpoint : "\(mountpoint)/\(relative)"
    }

    deinit {
        MountWaiting.unmount(mountpoint)
        if finished.wait(timeout: .now() + 10) == .success, let thread {
            pthread_join(thread, nil)
        }
    }

    final class Box {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }
}
