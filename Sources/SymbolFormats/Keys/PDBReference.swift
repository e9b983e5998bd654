/// What a PE image's CodeView record says about its PDB: the name it was linked with and the identity the
/// debugger asks a store for.
public struct PDBReference: Sendable, Hashable {
    public enum Identity: Sendable, Hashable {
        /// `RSDS`: a PDB 7.0 (or, when `portable`, a Portable PDB).
        case guid(GUID, age: UInt32, portable: Bool)
        /// `NB10`: a PDB 2.0.
        case signature(UInt32, age: UInt32)
    }

    /// The PDB path as the linker wrote it (may be a Windows path).
    public var path: String
    public var identity: Identity

    /// The PDB's file name: the last component of `path`, whichever separator it uses.
    public var name: String {
        String(path.split(whereSeparator: { $0 == "\\" || $0 == "/" }).last ?? Substring(path))
    }

    /// The key a debugger asks a symbol store for.
    public var key: String {
        switch identity {
        case .guid(let guid, _, true): return SymbolKey.portablePDBKey(guid: guid)
        case .guid(let guid, let age, false): return SymbolKey.pdbKey(guid: guid, age: age)
        case .signature(let signature, let age): return SymbolKey.pdb20Key(signature: signature, age: age)
        }
    }

    public var symbolKey: SymbolKey { SymbolKey(name: name, key: key) }

    /// The fixed part of an `NB10` record, the shorter kind.
    package static let minimumCodeViewSize = 16

    package init(codeView record: [UInt8], portable: Bool, path file: String) throws(SymbolFileError) {
        let nameOffset: Int
        if record.starts(with: Array("RSDS".utf8)) {
            guard record.count >= 24 else { throw .corrupt(path: file, what: "RSDS record of \(record.count) bytes") }
            identity = .guid(GUID(record, at: 4), age: record.u32(at: 20), portable: portable)
            nameOffset = 24
        } else if record.starts(with: Array("NB10".utf8)) {
            guard record.count >= 16 else { throw .truncated(path: file, what: "NB10 record") }
            identity = .signature(record.u32(at: 8), age: record.u32(at: 12))
            nameOffset = 16
        } else {
            throw .missing(path: file, what: "CodeView record is neither RSDS nor NB10")
        }
        let nameBytes = record[nameOffset...].prefix(while: { $0 != 0 })
        guard !nameBytes.isEmpty else { throw .missing(path: file, what: "CodeView record names no PDB") }
        path = String(decoding: nameBytes, as: UTF8.self)
    }
}
