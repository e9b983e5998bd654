/// How a store spells the name and key of the files it holds, relative to a request: the spellings real writers
/// produce (docs/symbol-stores.md §2.2, §2.7). symstore.exe keeps the name as given and writes the canonical key;
/// SSQP servers and stores written for them are all lower case; some writers put keys in upper or asked case.
/// A case-sensitive server (nginx, S3, Azure Blob) finds a file only in the spelling it was written in.
struct SpellingRule: Sendable, Hashable {
    enum NameCase: Sendable, Hashable { case asAsked, lower, upper }
    enum KeyCase: Sendable, Hashable { case canonical, asAsked, lower, upper }

    var name: NameCase
    var key: KeyCase

    /// Microsoft's request form, and what symstore.exe writes for a name asked as it was given.
    static let microsoft = SpellingRule(name: .asAsked, key: .canonical)

    /// The rules a case-sensitive server is probed with, most common first:
    /// - the name as asked with the canonical key (SymSrv's requests, symstore.exe's stores);
    /// - the lower-case name with the canonical key (symstore.exe's stores of lower-case files, asked in
    ///   another case);
    /// - all lower case (SSQP);
    /// - the name and key as asked (keys that are neither canonical nor lower case);
    /// - the upper-case name with the canonical key (upper-case files, `NTDLL.DLL`).
    /// A name written in mixed case and asked in another case is none of these: `AdminIndex` supplies it.
    static let probeOrder: [SpellingRule] = [
        .microsoft,
        SpellingRule(name: .lower, key: .canonical),
        SpellingRule(name: .lower, key: .lower),
        SpellingRule(name: .asAsked, key: .asAsked),
        SpellingRule(name: .upper, key: .canonical),
    ]

    func spelling(of request: SymbolRequest) -> StoreSpelling {
        let name: String
        switch self.name {
        case .asAsked: name = request.name
        case .lower: name = request.name.lowercased()
        case .upper: name = request.name.uppercased()
        }
        let key: String
        switch self.key {
        case .canonical: key = SpellingCandidates.canonicalKey(request.key)
        case .asAsked: key = request.key
        case .lower: key = request.key.lowercased()
        case .upper: key = request.key.uppercased()
        }
        return StoreSpelling(name: name, key: key)
    }

    /// The first rule of `rules` that spells `request` as `spelling`.
    static func rule(spelling: StoreSpelling, of request: SymbolRequest, among rules: [SpellingRule]) -> SpellingRule? {
        rules.first { $0.spelling(of: request) == spelling }
    }
}
