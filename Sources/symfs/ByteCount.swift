/// A size given on the command line: bytes, or with a K, M, G or T suffix (powers of 1024; `KB`, `KiB` and lower
/// case are accepted too).
struct ByteCount: Sendable, Hashable {
    let bytes: UInt64

    init?(_ text: String) {
        var digits = Substring(text.trimmingBlanks)
        var multiplier: UInt64 = 1
        for suffix in ["kib", "kb", "k", "mib", "mb", "m", "gib", "gb", "g", "tib", "tb", "t", "b"]
        where digits.lowercased().hasSuffix(suffix) {
            digits = digits.dropLast(suffix.count)
            multiplier = switch suffix.first {
            case "k": 1 << 10
            case "m": 1 << 20
            case "g": 1 << 30
            case "t": 1 << 40
            default: 1
            }
            break
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = UInt64(digits),
              value <= UInt64.max / multiplier else { return nil }
        bytes = value * multiplier
    }

    /// `bytes` for people: `1.5 GiB`, `300 KiB`, `12 bytes`.
    static func text(_ bytes: UInt64) -> String {
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var value = Double(bytes)
        var unit = -1
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit < 0 { return "\(bytes) bytes" }
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? "\(Int(rounded)) \(units[unit])" : "\(rounded) \(units[unit])"
    }
}
