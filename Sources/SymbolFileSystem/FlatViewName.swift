import SymbolStore

/// The flat view's file names, `<KEY>.<name>` (e.g. `1EB1D7A0DA4F4A3C94EE81A8FDB0ADF21.ntdll.pdb`): Wine's
/// dbghelp lists one directory and matches file names by suffix (spec §6), so each stored file needs a distinct
/// name that still ends in its own. Keys never contain a dot, so the first dot splits the two.
enum FlatViewName {
    static func name(for request: SymbolRequest) -> String {
        "\(request.key).\(request.name)"
    }

    static func request(from flatName: String) -> SymbolRequest? {
        guard let dot = flatName.firstIndex(of: "."), dot != flatName.startIndex else { return nil }
        let name = String(flatName[flatName.index(after: dot)...])
        guard !name.isEmpty else { return nil }
        return SymbolRequest(name: name, key: String(flatName[..<dot]))
    }
}
