import Foundation
import SymbolFormats
import SymbolPublishing
import Testing
import TestSupport

/// The stores symstore.exe wrote and the MSVC-built files it was given (Tests/Fixtures/symstore-exe, MIT, with
/// its LICENSE), and how to compare a store with them: byte for byte, but for the source paths recorded (the
/// fixtures' are Windows paths) and the date and time of each transaction.
enum SymstoreFixtures {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/symstore-exe").path

    static func binary(_ name: String) -> String { directory + "/binaries/" + name }
    static func store(_ name: String) -> String { directory + "/stores/" + name }

    /// Every regular file below `root`, by relative path, with its bytes made comparable: source paths cut to
    /// their last component, transaction dates and times blanked, `name_` CABs replaced by what they hold.
    static func comparableTree(_ root: String) throws -> [String: [UInt8]] {
        var tree: [String: [UInt8]] = [:]
        let enumerator = try #require(FileManager.default.enumerator(atPath: root))
        for case let relative as String in enumerator {
            let path = root + "/" + relative
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
                continue
            }
            let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let name = (relative as NSString).lastPathComponent
            if relative.hasPrefix("000Admin/") && (name == "server.txt" || name == "history.txt") {
                // Some symstore.exe versions leave history.txt's last line without its CRLF (new_store_compressed).
                tree[relative] = blankingDates(bytes.last == 0x0A || bytes.isEmpty ? bytes : bytes + [0x0D, 0x0A])
            } else if relative.hasPrefix("000Admin/") || name == "refs.ptr" {
                tree[relative] = cuttingSourcePaths(bytes)
            } else if name.hasSuffix("_") {
                let extracted = root + "/../" + UUID().uuidString
                defer { try? FileManager.default.removeItem(atPath: extracted) }
                try Cabinet(path: path).extract(to: extracted)
                tree[relative] = [UInt8](try Data(contentsOf: URL(fileURLWithPath: extracted)))
            } else {
                tree[relative] = bytes
            }
        }
        return tree
    }

    /// `"C:\dir\file.pdb"` and `"/dir/file.pdb"` both become `"file.pdb"`.
    static func cuttingSourcePaths(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.replacingOccurrences(
            of: #","[^"]*[\\/]([^"\\/]*)""#, with: ",\"$1\"", options: .regularExpression).utf8)
    }

    /// The fourth and fifth fields of `add` lines (MM/DD/YYYY and HH:MM:SS) as `D` and `T`.
    static func blankingDates(_ bytes: [UInt8]) -> [UInt8] {
        let text = String(decoding: bytes, as: UTF8.self)
        return Array(text.replacingOccurrences(
            of: #"(,add,(file|ptr),)\d\d/\d\d/\d{4},\d\d:\d\d:\d\d,"#, with: "$1D,T,", options: .regularExpression).utf8)
    }
}
