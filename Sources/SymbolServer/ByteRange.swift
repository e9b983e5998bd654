/// A `Range: bytes=…` request header for a file of `size` bytes (RFC 9110 §14): one range, `a-b`, `a-` or `-n`.
/// Several ranges, or a header of another unit, are answered with the whole file, as the RFC allows.
package enum ByteRange: Sendable, Hashable {
    /// No range asked (or one the server may ignore): the whole file, 200.
    case whole
    /// `range` of the file, 206.
    case partial(Range<UInt64>)
    /// Nothing of the file can be given, 416.
    case unsatisfiable

    package init(header: String?, size: UInt64) {
        guard let header, header.hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).filter { $0 != " " }
        guard let dash = spec.firstIndex(of: "-") else {
            self = .whole
            return
        }
        let first = spec[..<dash]
        let last = spec[spec.index(after: dash)...]
        if first.isEmpty {
            guard let suffix = UInt64(last), suffix > 0 else {
                self = last.isEmpty ? .whole : .unsatisfiable
                return
            }
            self = size == 0 ? .unsatisfiable : .partial(size - min(suffix, size)..<size)
            return
        }
        guard let start = UInt64(first) else {
            self = .whole
            return
        }
        guard start < size else {
            self = .unsatisfiable
            return
        }
        if last.isEmpty {
            self = .partial(start..<size)
        } else if let end = UInt64(last), end >= start {
            self = .partial(start..<min(end, size - 1) + 1)
        } else {
            self = .whole
        }
    }
}
