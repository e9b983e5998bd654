import SymbolStore
import SymbolHTTP
import SystemSupport

/// Extra request headers for HTTP symbol servers, e.g. a personal access token for Azure DevOps
/// (`dev.azure.com=Authorization: Basic …`): `HOST-SUFFIX=Name: value` on the command line, or one
/// `HOST-SUFFIX Name: value` a line in a headers file (so a token stays out of `ps`). Values are never logged.
enum HTTPHeaderSetting {
    static func parse(_ text: String, separator: Character) throws(MountSettingsError) -> HTTPConfiguration.ExtraHeader {
        guard let split = text.firstIndex(of: separator), let colon = text[split...].firstIndex(of: ":") else {
            throw MountSettingsError(option: "http header", reason: "expects HOST-SUFFIX\(separator)Name: value")
        }
        let host = text[..<split].trimmingBlanks
        let name = text[text.index(after: split)..<colon].trimmingBlanks
        let value = text[text.index(after: colon)...].trimmingBlanks
        guard !host.isEmpty, !name.isEmpty, !name.contains(where: { $0 == " " || $0.isNewline }),
              !value.contains(where: \.isNewline) else {
            throw MountSettingsError(option: "http header", reason: "expects HOST-SUFFIX\(separator)Name: value")
        }
        return HTTPConfiguration.ExtraHeader(hostSuffix: host, name: name, value: value)
    }

    /// The headers of a file, LF or CRLF line ends; blank lines and lines starting with `#` are skipped.
    static func parseFile(_ contents: String) throws(MountSettingsError) -> [HTTPConfiguration.ExtraHeader] {
        var headers: [HTTPConfiguration.ExtraHeader] = []
        for line in contents.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingBlanks
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            headers.append(try parse(trimmed, separator: " "))
        }
        return headers
    }
}
