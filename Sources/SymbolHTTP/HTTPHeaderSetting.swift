import SystemSupport

/// Extra request headers for HTTP symbol servers, e.g. a personal access token for Azure DevOps
/// (`dev.azure.com=Authorization: Basic …`): `HOST-SUFFIX=Name: value` on the command line, or one
/// `HOST-SUFFIX Name: value` a line in a headers file (so a token stays out of `ps`). Values are never logged.
package enum HTTPHeaderSetting {
    package static func parse(
        _ text: String, separator: Character
    ) throws(HTTPHeaderSettingError) -> HTTPConfiguration.ExtraHeader {
        guard let split = text.firstIndex(of: separator), let colon = text[split...].firstIndex(of: ":") else {
            throw HTTPHeaderSettingError(separator: separator)
        }
        let host = text[..<split].trimmingBlanks
        let name = text[text.index(after: split)..<colon].trimmingBlanks
        let value = text[text.index(after: colon)...].trimmingBlanks
        guard !host.isEmpty, !name.isEmpty, !name.contains(where: { $0 == " " || $0.isNewline }),
              !value.contains(where: \.isNewline) else {
            throw HTTPHeaderSettingError(separator: separator)
        }
        return HTTPConfiguration.ExtraHeader(hostSuffix: host, name: name, value: value)
    }

    /// The headers of a file, LF or CRLF line ends; blank lines and lines starting with `#` are skipped.
    package static func parseFile(_ contents: String) throws(HTTPHeaderSettingError) -> [HTTPConfiguration.ExtraHeader] {
        var headers: [HTTPConfiguration.ExtraHeader] = []
        for line in contents.split(whereSeparator: \.isNewline) {
            let trimmed = line.trimmingBlanks
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            headers.append(try parse(trimmed, separator: " "))
        }
        return headers
    }
}

/// A header setting that is not `HOST-SUFFIX<separator>Name: value`.
package struct HTTPHeaderSettingError: Error, Sendable, Hashable, CustomStringConvertible {
    package var separator: Character

    package var reason: String { "expects HOST-SUFFIX\(separator)Name: value" }
    package var description: String { reason }
}
