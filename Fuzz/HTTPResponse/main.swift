import FuzzSupport
@testable import SymbolHTTP

/// A server's response headers as libcurl hands them over (one line at a time), Content-Range and HTTP dates, and the
/// URLs of redirects: nothing traps, and a Content-Range read is one the parser promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = FuzzInput.text(data, size)
    var headers = ResponseHeaders()
    var lines: [String] = []
    // Lines end at any line break (CRLF is one Character, never equal to "\n"); libcurl passes each with its CRLF.
    for line in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline) {
        lines.append(String(line))
        headers.add(line: String(line) + "\r\n")
    }
    /// A part inside the file, or a 416's `bytes */total` (start and end 0, whatever the total).
    func check(_ range: HTTPResponseHead.ContentRange) {
        FuzzInput.require(range.start <= range.end
                          && (range.total.map { range.end < $0 } ?? true || (range.start == 0 && range.end == 0)),
                          "range \(range)")
    }
    let head = headers.head(finalURL: lines.first ?? "")
    if let range = head.contentRange { check(range) }
    for line in lines {
        if let range = ResponseHeaders.parseContentRange(line) { check(range) }
        _ = HTTPDate.parse(line)
        _ = HTTPURL(line)?.effectivePort
        _ = HTTPURL.withoutQuery(line)
    }
    if lines.count >= 3 {
        _ = RedirectPolicy.judge(from: lines[0], to: lines[1], original: lines[2])
    }
    return 0
}

FuzzInput.run(fuzz)
