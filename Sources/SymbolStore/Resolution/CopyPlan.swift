/// Where a located file is copied before it is opened (spec §1.1): into every `cache*` left of its element,
/// then every store left of it in its `srv*` chain, leftmost first; and under which name and key, spelled as the
/// store that holds it spells them (plain directories: the file's own name and Microsoft's key spelling; HTTP
/// stores: the spelling their probe matched).
struct CopyPlan {
    let location: SymbolLocation
    /// The stores that get the file, leftmost first.
    let targets: [LocalSymbolStore]
    /// The stores that get the `file.ptr` the file was found through instead (they hold `wantsptr.txt`).
    let pointerTargets: [LocalSymbolStore]
    let storedName: String
    let storedKey: String

    init(location: SymbolLocation, element: ResolvedElement, resolver: SymbolPathResolver) {
        self.location = location
        var targets = resolver.caches(leftOf: location.elementIndex)
        if case .server(let chain) = element, let position = chain.firstIndex(where: { $0.root == location.storeRoot }) {
            targets += chain[..<position].compactMap { $0 as? LocalSymbolStore }
        }
        if case .pointer = location.form {
            pointerTargets = targets.filter(\.wantsPointers)
            self.targets = targets.filter { !$0.wantsPointers }
        } else {
            pointerTargets = []
            self.targets = targets
        }

        let request = location.request
        if let spelling = location.spelling {
            storedName = spelling.name
            storedKey = spelling.key
            return
        }
        let storePath: String
        switch location.form {
        case .file(let path), .compressed(let path): storePath = path
        case .pointer(let pointerPath, _): storePath = pointerPath
        case .remote(let file): storePath = file.url
        }
        let components = storePath.split(separator: "/").map(String.init)
        if case .directory(let directory) = element, directory.autodetectedStore == nil {
            storedName = components.last ?? request.name
            storedKey = SpellingCandidates.canonicalKey(request.key)
            return
        }
        // Below the root: [prefix/]name/key/file, name/key/msfz0/file, name/key/file.ptr.
        let depth = request.variant == .msfz0 && !Self.isPointer(location.form) ? 4 : 3
        if components.count >= depth, StoreComponent.isValid(components[components.count - depth]),
           StoreComponent.isValid(components[components.count - depth + 1]) {
            storedName = components[components.count - depth]
            storedKey = components[components.count - depth + 1]
        } else {
            storedName = request.name
            storedKey = request.key
        }
    }

    private static func isPointer(_ form: SymbolLocation.Form) -> Bool {
        if case .pointer = form { return true }
        return false
    }
}
