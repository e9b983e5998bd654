import SystemSupport
/// The headers of the last response block libcurl reported (a new status line starts a new block: 1xx answers
/// and a proxy's `CONNECT` answer come before the real one), reduced to what `HTTPResponseHead` holds.
package struct ResponseHeaders: Sendable {
    package var status = 0
    package var contentLength: UInt64?
    package var contentRange: HTTPResponseHead.ContentRange?
    package var contentType: String?
    package var acceptRangesBytes = false
    package var lastModified: Int64?
    package var retryAfter: Int?
    /// The block has a `Location` header (a 3xx without one is an answer, not a redirect).
    package var hasLocation = false

    /// Takes one header line as libcurl passes it (with its CRLF).
    package mutating func add(line raw: String) {
        var line = Substring(raw)
        while let last = line.last, last.isNewline { line = line.dropLast() }
        if line.hasPrefix("HTTP/") {
            self = ResponseHeaders()
            let parts = line.split(separator: " ", maxSplits: 2)
            if parts.count >= 2, let code = Int(parts[1]) { status = code }
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].lowercased()
        let value = String(line[line.index(after: colon)...]).trimmingBlanks
        switch name {
        case "content-length": contentLength = UInt64(value)
        case "content-range": contentRange = Self.parseContentRange(value)
        case "content-type": contentType = value
        case "accept-ranges": acceptRangesBytes = value.lowercased().contains("bytes")
        case "last-modified": lastModified = HTTPDate.parse(value)
        case "retry-after": retryAfter = Int(value)
        case "location": hasLocation = true
        default: break
        }
    }

    package func head(finalURL: String) -> HTTPResponseHead {
        HTTPResponseHead(
            status: status, contentLength: contentLength, contentRange: contentRange, contentType: contentType,
            acceptsRanges: status == 206 || acceptRangesBytes, lastModified: lastModified, retryAfter: retryAfter,
            finalURL: HTTPURL.withoutQuery(finalURL))
    }

    /// `bytes 0-4095/123456`, `bytes 0-4095/*`, `bytes */123456` (a 416's form: start and end are then 0).
    package static func parseContentRange(_ value: String) -> HTTPResponseHead.ContentRange? {
        let lowered = value.lowercased()
        guard lowered.hasPrefix("bytes") else { return nil }
        let spec = lowered.dropFirst(5).drop { $0 == " " || $0 == "=" }
        guard let slash = spec.firstIndex(of: "/") else { return nil }
        let range = spec[..<slash]
        let totalText = spec[spec.index(after: slash)...]
        let total = totalText == "*" ? nil : UInt64(totalText)
        if totalText != "*" && total == nil { return nil }
        if range == "*" {
            guard let total else { return nil }
            return .init(start: 0, end: 0, total: total)
        }
        let bounds = range.split(separator: "-")
        guard bounds.count == 2, let start = UInt64(bounds[0]), let end = UInt64(bounds[1]), start <= end else {
            return nil
        }
        if let total, end >= total { return nil }
        return .init(start: start, end: end, total: total)
    }
}

/// HTTP dates (RFC 9110 §5.6.7): the IMF-fixdate form `Sun, 06 Nov 1994 08:49:37 GMT` that servers send.
package enum HTTPDate {
    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]

    /// Seconds since the epoch; nil for other forms.
    package static func parse(_ text: String) -> Int64? {
        let parts = text.split(separator: " ")
        guard parts.count == 6, parts[5] == "GMT",
              let day = Int(parts[1]), let monthIndex = months.firstIndex(of: parts[2].lowercased()),
              let year = Int(parts[3]) else { return nil }
        let time = parts[4].split(separator: ":")
        guard time.count == 3, let hour = Int(time[0]), let minute = Int(time[1]), let second = Int(time[2]),
              (1...31).contains(day), (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second),
              (0...9999).contains(year)  // four digits (RFC 9110); far larger years overflow the day count
        else { return nil }
        let days = daysFromCivil(year: year, month: monthIndex + 1, day: day)
        return Int64(days) * 86400 + Int64(hour * 3600 + minute * 60 + second)
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
    package static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146097 + dayOfEra - 719468
    }
}
