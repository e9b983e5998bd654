import Foundation
import Testing
import TestSupport

/// `symfs --version` prints the release named in the repository's VERSION file, which Mount/package stamps on
/// the Debian package.
struct VersionTests {
    static let versionFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("VERSION").path

    @Test("symfs --version prints what VERSION says")
    func versionMatchesTheVersionFile() throws {
        let version = try String(contentsOfFile: Self.versionFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        // The Debian package's version too, which must start with a digit.
        #expect(version.first?.isNumber == true, "VERSION: '\(version)'")
        let result = try runChecked(Executables.symfs, ["--version"])
        #expect(result.standardOutput == version + "\n")
    }
}
