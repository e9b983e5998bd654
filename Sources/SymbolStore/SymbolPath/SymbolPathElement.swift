/// One `;`-separated element of a symbol path.
public enum SymbolPathElement: Sendable, Hashable {
    /// A plain directory, searched as `dir/file`, `dir/<ext>/file`, `dir/symbols/<ext>/file` (spec §1.3).
    case directory(String)
    /// `cache*dir`: files found by any element to its right are copied here; searched like a store itself.
    case cache(StoreLocation)
    /// `srv*…` (or `symsrv*symsrv.dll*…`): stores searched left to right; a hit is copied into every store to
    /// its left. Only the rightmost may be HTTP.
    case server([StoreLocation])

    /// The element as a symbol path spells it.
    public var text: String {
        switch self {
        case .directory(let path): return path
        case .cache(let location): return "cache*" + location.token
        case .server(let stores): return (["srv"] + stores.map(\.token)).joined(separator: "*")
        }
    }

    /// The element with every default-downstream token replaced by that directory.
    public func expanded(defaultDownstream: String) -> SymbolPathElement {
        switch self {
        case .directory: return self
        case .cache(let location): return .cache(location.expanded(defaultDownstream: defaultDownstream))
        case .server(let stores): return .server(stores.map { $0.expanded(defaultDownstream: defaultDownstream) })
        }
    }
}
