/// The files a store's `000Admin` transaction files list, by name and key in any case, each with the spelling it
/// was written in (docs/symbol-stores.md §2.5: one line per file, `"name\key","source path"`, older stores
/// without the quotes). On a case-sensitive server that publishes `000Admin`, this is how a name written in mixed
/// case (`OpenIddict.Core.dll`) is found when asked in another case, which no rule of `SpellingRule` can guess.
///
/// It only adds a spelling to try first, never rules a file out: a `del` transaction leaves its lines in the
/// index, and files placed by other means (`file.ptr` by hand, copies) are not in it.
struct AdminIndex: Sendable {
    /// Newest transactions read at most, as Symbolicator caps them (docs/symbol-stores.md §2.5).
    static let transactionLimit = 10_000
    static let maximumEntries = 200_000

    /// The highest transaction id `lastid.txt` gave.
    private(set) var known = 0
    /// The highest transaction read (or found deleted) going up: those above it, up to `known`, are new.
    private(set) var newest = 0
    /// The next older transaction to read (they are read newest first); none below `oldest`.
    private(set) var nextOlder = 0
    private(set) var count = 0
    /// `lower(name)\lower(key)` → the spelling written.
    private var spellings: [String: StoreSpelling] = [:]

    /// The oldest transaction worth reading.
    var oldest: Int { max(1, known - Self.transactionLimit + 1) }
    /// Whether every transaction up to `known` (within the limit) has been read.
    var isComplete: Bool { newest >= known && nextOlder < oldest }

    func spelling(of request: SymbolRequest) -> StoreSpelling? {
        spellings[Self.indexKey(name: request.name, key: request.key)]
    }

    /// Takes in what `lastid.txt` says now. The first time, every transaction up to it is older than what has
    /// been read; a smaller id than before means the store was made anew, and so is the index.
    mutating func observe(lastID: Int) {
        if lastID < newest { self = AdminIndex() }
        if known == 0 {
            newest = lastID
            nextOlder = lastID
        }
        known = lastID
    }

    /// The transactions to read next, at most `count`: new ones first (oldest of them first, within the limit),
    /// then older ones, newest first.
    func unread(count: Int) -> [Int] {
        var ids: [Int] = []
        let firstNew = max(newest + 1, oldest)
        if firstNew <= known {
            ids = Array((firstNew...known).prefix(count))
        }
        var older = nextOlder
        while ids.count < count && older >= oldest {
            ids.append(older)
            older -= 1
        }
        return ids
    }

    /// Records transaction `id` as read (`text` nil: it no longer exists), adding its `name\key` lines; lines
    /// that are not entries are skipped.
    mutating func read(_ id: Int, text: [UInt8]?) {
        if id > newest {
            newest = id
        } else if id == nextOlder {
            nextOlder = id - 1
        }
        guard let text else { return }
        for line in text.split(whereSeparator: { $0 == 0x0A || $0 == 0x0D }) {
            guard count < Self.maximumEntries, let spelling = Self.entry(String(decoding: line, as: UTF8.self)) else {
                continue
            }
            let key = Self.indexKey(name: spelling.name, key: spelling.key)
            if spellings.updateValue(spelling, forKey: key) == nil { count += 1 }
        }
    }

    /// The `name\key` of one line: the first field, quoted or not.
    static func entry(_ line: String) -> StoreSpelling? {
        let field: Substring
        if line.hasPrefix("\"") {
            let rest = line.dropFirst()
            guard let end = rest.firstIndex(of: "\"") else { return nil }
            field = rest[..<end]
        } else {
            field = line[..<(line.firstIndex(of: ",") ?? line.endIndex)]
        }
        let parts = field.split(separator: "\\", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return nil }
        let spelling = StoreSpelling(name: String(parts[0]), key: String(parts[1]))
        guard StoreComponent.isValid(spelling.name), StoreComponent.isValid(spelling.key) else { return nil }
        return spelling
    }

    /// The transaction id `lastid.txt` holds (ten digits, `%.010d`).
    static func lastID(_ text: [UInt8]) -> Int? {
        let digits = text.filter { ![0x20, 0x09, 0x0D, 0x0A].contains($0) }
        guard !digits.isEmpty, digits.count <= 10, digits.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int(String(decoding: digits, as: UTF8.self))
    }

    /// A transaction file's name: its id in ten digits.
    static func fileName(_ id: Int) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    private static func indexKey(name: String, key: String) -> String {
        name.lowercased() + "\\" + key.lowercased()
    }
}
