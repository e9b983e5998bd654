/// The text of symstore's bookkeeping files (docs/symbol-stores.md §2.5): lines that end in CRLF, except where a
/// writer left the last one without a line end, which an appender must end first.
package enum StoreText {
    static let lineEnd: [UInt8] = [0x0D, 0x0A]

    /// The lines of `bytes`, without their ends (CRLF or a bare LF); no empty line for a final line end.
    static func lines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var start = 0
        for index in bytes.indices where bytes[index] == 0x0A {
            let end = index > start && bytes[index - 1] == 0x0D ? index - 1 : index
            lines.append(String(decoding: bytes[start..<end], as: UTF8.self))
            start = index + 1
        }
        if start < bytes.count { lines.append(String(decoding: bytes[start...], as: UTF8.self)) }
        return lines
    }

    /// `bytes` with `line` appended and ended by CRLF, ending a last line that had no line end first.
    static func appending(_ line: String, to bytes: [UInt8]) -> [UInt8] {
        var result = bytes
        if let last = result.last, last != 0x0A { result += lineEnd }
        result += Array(line.utf8) + lineEnd
        return result
    }

    /// `lines` each ended by CRLF.
    static func joined(_ lines: [String]) -> [UInt8] {
        lines.reduce(into: [UInt8]()) { $0 += Array($1.utf8) + lineEnd }
    }

    /// A transaction id as symstore writes it: ten decimal digits.
    package static func id(_ id: Int) -> String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 10 - digits.count)) + digits
    }

    /// The id a bookkeeping line starts with (`0000000012,…`), or nil.
    static func leadingID(of line: String) -> Int? {
        let field = line.prefix { $0 != "," }
        guard !field.isEmpty, field.allSatisfy(\.isASCII), field.allSatisfy(\.isNumber) else { return nil }
        return Int(field)
    }

    /// Where `pattern` first (or last) occurs in `text`.
    static func range(of pattern: String, in text: Substring, last: Bool = false) -> Range<Substring.Index>? {
        let needle = Array(pattern)
        var found: Range<Substring.Index>?
        var index = text.startIndex
        while index < text.endIndex {
            var probe = index
            var matched = 0
            while matched < needle.count, probe < text.endIndex, text[probe] == needle[matched] {
                probe = text.index(after: probe)
                matched += 1
            }
            if matched == needle.count {
                found = index..<probe
                if !last { return found }
            }
            index = text.index(after: index)
        }
        return found
    }
}
