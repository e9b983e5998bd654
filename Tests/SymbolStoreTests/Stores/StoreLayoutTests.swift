import Testing
@testable import SymbolStore

/// spec §2.1 two-tier edge cases, decided as Symbolicator does (documented on `StoreLayout.prefix(of:)`).
@Suite struct StoreLayoutTests {
    @Test func prefixIsTheFirstTwoCharactersAsSpelled() {
        #expect(StoreLayout.prefix(of: "ntdll.pdb") == "nt")
        #expect(StoreLayout.prefix(of: "NTDLL.PDB") == "NT")
        #expect(StoreLayout.prefix(of: "ab") == "ab")
    }

    @Test func shortNamesAndADotSecond() {
        #expect(StoreLayout.prefix(of: "_.debug") == "_")
        #expect(StoreLayout.prefix(of: "a") == "a")
    }

    /// Ghidra lower-cases the folder: a case-insensitive lookup also tries that.
    @Test func caseInsensitiveLookupsAlsoTryTheLowerCasedFolder() {
        #expect(StoreLayout.prefixCandidates(of: "NTDLL.PDB", caseInsensitive: true) == ["NT", "nt"])
        #expect(StoreLayout.prefixCandidates(of: "NTDLL.PDB", caseInsensitive: false) == ["NT"])
        #expect(StoreLayout.prefixCandidates(of: "ntdll.pdb", caseInsensitive: true) == ["nt"])
    }
}
