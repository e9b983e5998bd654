import Foundation
import TestSupport

/// Files the HTTP tests serve: random bytes of a few sizes, in a directory of their own.
final class HTTPTestFiles: @unchecked Sendable {
    let directory: TemporaryDirectory
    let small: Data
    let big: Data

    init() throws {
        directory = try TemporaryDirectory("symfs-http-files")
        small = Data((0..<5000).map { _ in UInt8.random(in: 0...255) })
        var pattern = Data((0..<65536).map { UInt8(truncatingIfNeeded: $0 &* 2654435761 >> 7) })
        for _ in 0..<6 { pattern.append(pattern) }  // 4 MiB
        big = pattern
        try small.write(to: URL(fileURLWithPath: try directory.file("small.bin")))
        try big.write(to: URL(fileURLWithPath: try directory.file("big.bin")))
        for index in 0..<20 {
            try Data("file \(index)\n".utf8).write(to: URL(fileURLWithPath: try directory.file("many/\(index).txt")))
        }
    }

    var root: String { directory.path }
}
