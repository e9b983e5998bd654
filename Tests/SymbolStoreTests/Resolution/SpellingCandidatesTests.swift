import Testing
@testable import SymbolStore

/// spec §2.2 ("Key details"), §2.7: the same key arrives in several casings.
@Suite struct SpellingCandidatesTests {
    @Test func canonicalKeysFollowMicrosoft() {
        // PE: %08X + %x
        #expect(SpellingCandidates.canonicalKey("542d574ec2000") == "542D574Ec2000")
        // PDB 7.0: GUID upper + age %x
        #expect(SpellingCandidates.canonicalKey("0f7fcf88442f4b0e9fb51dc4a754d9de2A")
            == "0F7FCF88442F4B0E9FB51DC4A754D9DE2a")
        // Portable PDB: GUID + FFFFFFFF, all upper (Sleet#102's lower-case spelling)
        #expect(SpellingCandidates.canonicalKey("497b72f6390a44fc878e5a2d63b6cc4bffffffff")
            == "497B72F6390A44FC878E5A2D63B6CC4BFFFFFFFF")
        // SSQP keys of other shapes are lower case
        #expect(SpellingCandidates.canonicalKey("ELF-BUILDID-180A") == "elf-buildid-180a")
    }

    @Test func candidatesStartAsAskedAndHaveNoDuplicates() {
        let keys = SpellingCandidates.keys("542d574ec2000", caseInsensitive: true)
        #expect(keys == ["542d574ec2000", "542D574Ec2000", "542D574EC2000"])
        #expect(SpellingCandidates.names("NTDLL.PDB", caseInsensitive: true) == ["NTDLL.PDB", "ntdll.pdb"])
        #expect(SpellingCandidates.names("Ntdll.pdb", caseInsensitive: false) == ["Ntdll.pdb"])
    }
}
