import SymbolFormats
/// Whether a fetched file is the file its name and key promise (spec §3.2, §7 #8): a PE, PDB or .dbg must carry
/// the key it was asked for; any other kind of file is taken on its size alone.
enum ContentCheck {
    /// nil when the file is what was asked for, else what is wrong.
    static func mismatch(path: String, request: SymbolRequest) -> String? {
        do {
            return mismatch(file: try RandomAccessFile(path: path), request: request)
        } catch {
            return "\(error)"
        }
    }

    static func mismatch(file: RandomAccessFile, request: SymbolRequest) -> String? {
        // MSFZ containers are not parsed here: their magic was checked when they were found.
        guard request.variant == .plain else { return nil }
        let symbolFile: SymbolFile
        do {
            symbolFile = try SymbolFile(file)
        } catch {
            // A file whose name promises no key (a `.txt` that starts "DI…" or "MZ…") is taken on its size.
            guard expectsKeyedContent(request.name) else { return nil }
            if case .unrecognized = error { return "not a PE image, PDB or .dbg file" }
            return "\(error)"
        }
        return matches(symbolFile, key: request.key) ? nil : "holds key \(symbolFile.key), not \(request.key)"
    }

    static func matches(_ file: SymbolFile, key: String) -> Bool {
        let wanted = key.uppercased()
        if file.key.uppercased() == wanted { return true }
        // A PDB's info-stream age is the one some tools key by when the DBI age differs (spec §2.2).
        if case .pdb70(let pdb) = file {
            return SymbolKey.pdbKey(guid: pdb.guid, age: pdb.infoAge).uppercased() == wanted
        }
        return false
    }

    /// A name that promises a kind of content (SymbolContent.expectedMagics) promises its key too.
    static func expectsKeyedContent(_ name: String) -> Bool {
        SymbolContent.expectedMagics(name: name, variant: .plain) != nil
    }
}
