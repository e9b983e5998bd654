import Testing
@testable import SymbolStore

/// spec §2.4: `PATH:` and `MSG:` prefixes, split on the first colon only; bare paths as old docs show.
@Suite struct FilePointerTests {
    @Test func pathPrefixIsSplitOnTheFirstColonOnly() {
        #expect(FilePointer(text: "PATH:/srv/files/a:b.pdb\r\n") == .path("/srv/files/a:b.pdb"))
        #expect(FilePointer(text: "path: /x/y.pdb") == .path("/x/y.pdb"))
    }

    @Test func messageIsAMessage() {
        #expect(FilePointer(text: "MSG: NoLongerIndexed") == .message("NoLongerIndexed"))
        #expect(FilePointer(text: "msg:gone:really") == .message("gone:really"))
    }

    @Test func barePathIsFollowed() {
        #expect(FilePointer(text: "/mnt/share/a.pdb\n") == .path("/mnt/share/a.pdb"))
        #expect(FilePointer(text: "\\\\server\\share\\a.pdb") == .path("\\\\server\\share\\a.pdb"))
        #expect(FilePointer(text: "C:\\sym\\a.pdb") == .path("C:\\sym\\a.pdb"))
    }

    @Test func emptyPointersNameNothing() {
        #expect(FilePointer(text: "") == nil)
        #expect(FilePointer(text: "  \n") == nil)
        #expect(FilePointer(text: "PATH:") == nil)
    }
}
