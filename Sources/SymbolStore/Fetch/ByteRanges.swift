/// A set of byte offsets as sorted, disjoint, merged half-open ranges: what part of a file has arrived.
struct ByteRanges: Sendable, Equatable {
    private(set) var ranges: [Range<UInt64>] = []

    mutating func insert(_ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        var merged = range
        var kept: [Range<UInt64>] = []
        kept.reserveCapacity(ranges.count + 1)
        var placed = false
        for existing in ranges {
            if existing.upperBound < merged.lowerBound {
                kept.append(existing)
            } else if merged.upperBound < existing.lowerBound {
                if !placed {
                    kept.append(merged)
                    placed = true
                }
                kept.append(existing)
            } else {
                merged = min(existing.lowerBound, merged.lowerBound)..<max(existing.upperBound, merged.upperBound)
            }
        }
        if !placed { kept.append(merged) }
        ranges = kept
    }

    func contains(_ range: Range<UInt64>) -> Bool {
        guard !range.isEmpty else { return true }
        // The last range starting at or before `range` is the only one that can hold it.
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if ranges[middle].lowerBound <= range.lowerBound { low = middle + 1 } else { high = middle }
        }
        return low > 0 && range.upperBound <= ranges[low - 1].upperBound
    }

    /// The first part of `range` not in the set.
    func firstGap(in range: Range<UInt64>) -> Range<UInt64>? {
        var start = range.lowerBound
        for existing in ranges where existing.upperBound > start {
            if existing.lowerBound > start { return start..<min(existing.lowerBound, range.upperBound) }
            start = existing.upperBound
            if start >= range.upperBound { return nil }
        }
        return start < range.upperBound ? start..<range.upperBound : nil
    }

    var byteCount: UInt64 {
        ranges.reduce(0) { $0 + ($1.upperBound - $1.lowerBound) }
    }
}
