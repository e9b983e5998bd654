/// A set of byte offsets as sorted, disjoint, merged half-open ranges: what part of a file has arrived.
struct ByteRanges: Sendable, Equatable {
    private(set) var ranges: [Range<UInt64>] = []

    /// Adds `range`, merged in place with the ranges it overlaps or touches.
    mutating func insert(_ range: Range<UInt64>) {
        guard !range.isEmpty else { return }
        let first = partitioningIndex { $0.upperBound >= range.lowerBound }
        let end = partitioningIndex { $0.lowerBound > range.upperBound }
        guard first < end else {
            ranges.insert(range, at: first)
            return
        }
        let merged = min(ranges[first].lowerBound, range.lowerBound)..<max(ranges[end - 1].upperBound, range.upperBound)
        ranges.replaceSubrange(first..<end, with: CollectionOfOne(merged))
    }

    /// The index of the first range for which `isAtOrPast` holds, which must hold for every range after it.
    private func partitioningIndex(_ isAtOrPast: (Range<UInt64>) -> Bool) -> Int {
        var low = 0
        var high = ranges.count
        while low < high {
            let middle = (low + high) / 2
            if isAtOrPast(ranges[middle]) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    func contains(_ range: Range<UInt64>) -> Bool {
        guard !range.isEmpty else { return true }
        // The last range starting at or before `range` is the only one that can hold it.
        let low = partitioningIndex { $0.lowerBound > range.lowerBound }
        return low > 0 && range.upperBound <= ranges[low - 1].upperBound
    }

    /// The first part of `range` not in the set.
    func firstGap(in range: Range<UInt64>) -> Range<UInt64>? {
        var start = range.lowerBound
        for existing in ranges[partitioningIndex { $0.upperBound > start }...] {
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
