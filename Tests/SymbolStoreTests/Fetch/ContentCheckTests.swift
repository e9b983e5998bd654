import Foundation
import Testing
import TestSupport
@testable import SymbolStore

/// What a fetched or decompressed file must be before a cache keeps it (spec §3.2, §7 #8): the key its name and
/// request promise for PE, PDB and `.dbg` files; its size alone for anything else.
struct ContentCheckTests {
    let samples = Samples.shared

    @Test func keyedFilesMustCarryTheirKey() {
        let alpha = samples.alphaPDB
        #expect(ContentCheck.mismatch(path: alpha.path, request: alpha.request) == nil)
        let wrong = ContentCheck.mismatch(path: alpha.path, request: SymbolRequest(name: "alpha.pdb", key: samples.betaPDB.key))
        #expect(wrong?.contains("holds key") == true, "\(wrong ?? "nil")")
    }

    /// "DI" opens `.dbg` files and "MZ" PE images, but also plenty of text: a file whose name promises no key is
    /// never judged by what its first bytes look like.
    @Test(arguments: ["DISCLAIMER: no warranty\n", "MZ is where it starts\n"])
    func unkeyedNamesAreTakenOnTheirSize(text: String) throws {
        let temporary = try TemporaryDirectory()
        let path = temporary.path + "/readme.txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(ContentCheck.mismatch(path: path, request: SymbolRequest(name: "readme.txt", key: "0")) == nil)
        #expect(ContentCheck.mismatch(path: path, request: SymbolRequest(name: "readme.pdb", key: "0")) != nil)
    }

    @Test func msfzContainersAreNotParsed() {
        let alpha = samples.alphaPDB
        let request = SymbolRequest(name: "alpha.pdb", key: samples.betaPDB.key, variant: .msfz0)
        #expect(ContentCheck.mismatch(path: alpha.path, request: request) == nil)
    }
}
