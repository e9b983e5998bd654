/// Reads symbol paths the way the Windows debuggers do (spec §1.1): `;` separates elements, `*` separates the
/// tokens of `srv*`, `symsrv*` and `cache*` elements, keywords match in any case, an empty token is the default
/// downstream store, empty elements and blanks around elements and tokens are skipped.
public enum SymbolPathParser {
    /// SymSrv accepts at most this many stores after `srv*`.
    public static let maximumStoresPerServer = 10

    public static func parse(_ text: String) throws(SymbolPathError) -> SymbolPath {
        var elements: [SymbolPathElement] = []
        for element in split(Array(text), on: ";", startingAt: 1) {
            let trimmed = trim(element)
            if trimmed.text.isEmpty { continue }
            elements.append(try parseElement(trimmed))
        }
        return SymbolPath(elements: elements)
    }

    /// A run of characters and the column of its first character.
    struct Piece {
        var text: [Character]
        var column: Int
        var string: String { String(text) }
    }

    static func split(_ text: [Character], on separator: Character, startingAt column: Int) -> [Piece] {
        var pieces: [Piece] = []
        var start = 0
        for (index, character) in text.enumerated() where character == separator {
            pieces.append(Piece(text: Array(text[start..<index]), column: column + start))
            start = index + 1
        }
        pieces.append(Piece(text: Array(text[start...]), column: column + start))
        return pieces
    }

    static func trim(_ piece: Piece) -> Piece {
        var text = piece.text[...]
        var column = piece.column
        while let first = text.first, first.isWhitespace {
            text = text.dropFirst()
            column += 1
        }
        while let last = text.last, last.isWhitespace { text = text.dropLast() }
        return Piece(text: Array(text), column: column)
    }

    static func parseElement(_ element: Piece) throws(SymbolPathError) -> SymbolPathElement {
        let tokens = split(element.text, on: "*", startingAt: element.column).map(trim)
        guard tokens.count > 1 else {
            return .directory(try directory(element, role: "directory"))
        }
        let keyword = tokens[0]
        switch keyword.string.lowercased() {
        case "srv":
            return try server(Array(tokens.dropFirst()), keyword: keyword)
        case "symsrv":
            let dll = tokens[1]
            guard dll.string.lowercased() == "symsrv.dll" else {
                let named = dll.text.isEmpty ? "no DLL" : "'\(dll.string)'"
                throw SymbolPathError(
                    column: dll.column,
                    reason: "symsrv* names \(named); only symsrv.dll is supported (symsrv*symsrv.dll*… is srv*…)")
            }
            guard tokens.count > 2 else {
                // Nothing after the DLL, not even the empty token: no store, where `srv*` has the default one.
                throw SymbolPathError(
                    column: dll.column, reason: "symsrv*\(dll.string) names no store (write symsrv*symsrv.dll*<store>)")
            }
            return try server(Array(tokens.dropFirst(2)), keyword: keyword)
        case "cache":
            guard tokens.count == 2 else {
                throw SymbolPathError(column: tokens[2].column - 1, reason: "cache* takes one directory, found more")
            }
            let directory = tokens[1]
            if directory.text.isEmpty { return .cache(.defaultDownstream) }
            return .cache(.local(try self.directory(directory, role: "cache directory")))
        default:
            throw SymbolPathError(
                column: keyword.column,
                reason: "unknown keyword '\(keyword.string)' before '*' (expected srv, symsrv or cache)")
        }
    }

    static func server(_ tokens: [Piece], keyword: Piece) throws(SymbolPathError) -> SymbolPathElement {
        if tokens.count == 1, tokens[0].text.isEmpty {
            // A bare `srv*` is Microsoft's public server (MSDN-dbg symbol-path).
            return .server([.http(SymbolPath.microsoftSymbolServer)])
        }
        guard tokens.count <= maximumStoresPerServer else {
            throw SymbolPathError(
                column: tokens[maximumStoresPerServer].column,
                reason: "\(keyword.string)* takes at most \(maximumStoresPerServer) stores, found \(tokens.count)")
        }
        var stores: [StoreLocation] = []
        for (index, token) in tokens.enumerated() {
            let store = try self.store(token)
            if store.isHTTP, index != tokens.count - 1 {
                throw SymbolPathError(
                    column: token.column,
                    reason: "an HTTP store must be the rightmost store of \(keyword.string)*; "
                        + "it cannot be a downstream store")
            }
            stores.append(store)
        }
        return .server(stores)
    }

    static func store(_ token: Piece) throws(SymbolPathError) -> StoreLocation {
        if token.text.isEmpty { return .defaultDownstream }
        let lowered = token.string.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            // Trailing slashes go, and the blanks before them with them: the URL is what the path reads back as
            // once printed (elements and tokens lose their blanks at either end).
            var url = token.string
            while let last = url.last, last == "/" || last.isWhitespace { url.removeLast() }
            guard url.count > (lowered.hasPrefix("https") ? 8 : 7) else {
                throw SymbolPathError(column: token.column, reason: "'\(token.string)' names no host")
            }
            return .http(url)
        }
        return .local(try directory(token, role: "store"))
    }

    /// Accepts a Linux directory; explains what to write instead of a Windows path or an unsupported URL.
    static func directory(_ token: Piece, role: String) throws(SymbolPathError) -> String {
        let text = token.string
        let lowered = text.lowercased()
        if lowered.hasPrefix("http://") || lowered.hasPrefix("https://") {
            throw SymbolPathError(
                column: token.column,
                reason: "'\(text)' is an HTTP symbol server; write it as srv*<cache directory>*\(text)")
        }
        if let scheme = lowered.firstRange(of: "://"), !lowered[..<scheme.lowerBound].contains("/") {
            throw SymbolPathError(
                column: token.column,
                reason: "'\(text)' uses a scheme symbol servers do not support (only http:// and https://)")
        }
        if text.hasPrefix("\\\\") || text.hasPrefix("//") {
            let share = text.drop(while: { $0 == "\\" || $0 == "/" })
                .split(whereSeparator: { $0 == "\\" || $0 == "/" })
            let server = share.first.map(String.init) ?? "server"
            let name = share.dropFirst().first.map(String.init) ?? "share"
            let rest = share.dropFirst(2).joined(separator: "/")
            throw SymbolPathError(
                column: token.column,
                reason: "'\(text)' is a Windows (UNC) share; mount it first "
                    + "(e.g. mount -t cifs //\(server)/\(name) /mnt/\(name)) and write /mnt/\(name)"
                    + (rest.isEmpty ? "" : "/" + rest))
        }
        if text.count >= 2, let drive = text.first, drive.isASCII, drive.isLetter,
           text.dropFirst().first == ":", text.count == 2 || ["\\", "/"].contains(text.dropFirst(2).first) {
            let rest = text.dropFirst(3).split(whereSeparator: { $0 == "\\" || $0 == "/" }).joined(separator: "/")
            throw SymbolPathError(
                column: token.column,
                reason: "'\(text)' is a Windows path; on Linux write a directory, e.g. /mnt/\(drive.lowercased())"
                    + (rest.isEmpty ? "" : "/" + rest) + " if that drive is mounted there")
        }
        if text.contains("\\") {
            throw SymbolPathError(
                column: token.column + (token.text.firstIndex(of: "\\") ?? 0),
                reason: "'\(text)' contains a backslash; Linux paths separate directories with '/'")
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw SymbolPathError(column: token.column, reason: "the \(role) '\(text)' contains a control character")
        }
        return text
    }
}
