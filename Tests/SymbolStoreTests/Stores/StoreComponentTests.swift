import Testing
@testable import SymbolStore

/// Names and keys come from clients; only plain file names may reach the disk.
@Suite struct StoreComponentTests {
    @Test(arguments: ["", ".", "..", "a/b", "../x", "a\\b", "nul\0byte", "tab\there", "bell\u{7}", "del\u{7F}",
                      String(repeating: "n", count: 256)])
    func rejectsWhatIsNotAPlainFileName(_ component: String) {
        #expect(!StoreComponent.isValid(component))
    }

    @Test(arguments: ["ntdll.pdb", "NTDLL.PDB", "0F7FCF88442F4B0E9FB51DC4A754D9DE2", "...pdb", "a b.dll",
                      String(repeating: "n", count: 255), "späß.pdb"])
    func acceptsPlainFileNames(_ component: String) {
        #expect(StoreComponent.isValid(component))
    }

    /// Listings never show store bookkeeping (spec §2.1, §2.4, §2.5) nor leftover temporary files.
    @Test func bookkeepingIsNotListable() {
        for entry in ["000Admin", "pingme.txt", "index2.txt", "refs.ptr", "file.ptr", ".symfs-tmp-12-abc"] {
            #expect(!StoreComponent.isListable(entry), "\(entry)")
        }
        #expect(StoreComponent.isListable("ntdll.pdb"))
    }

    /// spec §2.3: last character replaced by `_`.
    @Test func compressedNameReplacesTheLastCharacter() {
        #expect(StoreComponent.compressedName("ntdll.pdb") == "ntdll.pd_")
        #expect(StoreComponent.compressedName("foo.exe") == "foo.ex_")
    }
}
