import SymbolStore
import Testing
import SymbolFormats

/// Key text formats (spec §2.2).
struct SymbolKeyTests {
    @Test("PE keys: TimeDateStamp %08X, SizeOfImage %x", arguments: [
        (UInt32(0x542D_574E), UInt32(0xC2000), "542D574Ec2000"),  // the spec's foo.exe example
        (0x0000_1234, 0x1000, "000012341000"),
        (0, 0x4000, "000000004000"),
        (0xFFFF_FFFF, 0xABCDEF, "FFFFFFFFabcdef"),
    ])
    func imageKey(stamp: UInt32, size: UInt32, expected: String) {
        #expect(SymbolKey.imageKey(timeDateStamp: stamp, sizeOfImage: size) == expected)
    }

    @Test("PDB 2.0 keys: signature %08X, age %x")
    func pdb20Key() {
        #expect(SymbolKey.pdb20Key(signature: 0x37A8_F40E, age: 2) == "37A8F40E2")
        #expect(SymbolKey.pdb20Key(signature: 0xE, age: 0x1F) == "0000000E1f")
    }

    @Test("A store path is name/key/name")
    func storePath() {
        let key = SymbolKey(name: "ntdll.pdb", key: "0F7FCF88442F4B0E9FB51DC4A754D9DE2")
        #expect(key.storePath == "ntdll.pdb/0F7FCF88442F4B0E9FB51DC4A754D9DE2/ntdll.pdb")
        #expect(key.description == key.storePath)
    }
}
