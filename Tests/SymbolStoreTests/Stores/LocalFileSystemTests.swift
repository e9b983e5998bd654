import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// Directory reads over the kernel's variable-length records.
@Suite struct LocalFileSystemTests {
    /// Names of every length from 1 to 255 bytes, so that records end at every offset of the kernel's buffer,
    /// listed many times: a read of a name past its record's end would fault or return garbage.
    @Test func listsThousandsOfEntriesOfEveryLengthExactly() throws {
        let temporary = try TemporaryDirectory()
        var expected = Set<String>()
        for index in 0..<3_000 {
            let length = 1 + index % 255
            let stem = String(index)
            let name = stem + String(repeating: "x", count: max(0, length - stem.count))
            expected.insert(name)
        }
        for name in expected {
            #expect(FileManager.default.createFile(atPath: temporary.path + "/" + name, contents: nil))
        }
        for _ in 0..<50 {
            let listed = try #require(LocalFileSystem.entries(of: temporary.path))
            #expect(listed.count == expected.count)
            #expect(Set(listed) == expected)
        }
    }
}
