import SymbolFormats
import SystemSupport

/// symchk's manifest (`/om` writes one, `/im` reads one): a line per file, `name,KEY,N`, the last field a count
/// symchk writes as 1 and readers ignore.
package enum SymbolManifest {
    package struct LineError: Error, CustomStringConvertible {
        package var line: Int
        package var text: String
        package var description: String { "line \(line): '\(text)' is not name,KEY,N" }
    }

    package static func parse(_ text: String) throws(LineError) -> [SymbolKey] {
        var files: [SymbolKey] = []
        for (index, raw) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = raw.trimmingBlanks
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(\.trimmingBlanks)
            guard fields.count >= 2, fields.count <= 3, !fields[0].isEmpty, !fields[1].isEmpty,
                  fields[0].utf8.count <= 255, fields[1].utf8.count <= 255,
                  !fields[0].contains("/"), !fields[0].contains("\\"), fields[1].allSatisfy(\.isHexDigit)
            else { throw LineError(line: index + 1, text: String(line.prefix(200))) }
            files.append(SymbolKey(name: fields[0], key: fields[1]))
        }
        return files
    }

    package static func text(_ files: [SymbolKey]) -> String {
        files.map { "\($0.name),\($0.key),1\r\n" }.joined()
    }
}
