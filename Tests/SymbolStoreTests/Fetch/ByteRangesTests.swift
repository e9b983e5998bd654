import Testing
@testable import SymbolStore

struct ByteRangesTests {
    @Test func mergesOverlappingAndAdjacentRanges() {
        var ranges = ByteRanges()
        ranges.insert(10..<20)
        ranges.insert(30..<40)
        ranges.insert(20..<25)
        #expect(ranges.ranges == [10..<25, 30..<40])
        ranges.insert(5..<35)
        #expect(ranges.ranges == [5..<40])
        #expect(ranges.byteCount == 35)
    }

    @Test func findsTheFirstGap() {
        var ranges = ByteRanges()
        ranges.insert(0..<10)
        ranges.insert(20..<30)
        #expect(ranges.firstGap(in: 0..<30) == 10..<20)
        #expect(ranges.firstGap(in: 20..<30) == nil)
        #expect(ranges.firstGap(in: 25..<50) == 30..<50)
        #expect(ranges.contains(2..<8))
        #expect(!ranges.contains(8..<12))
    }

    /// `contains` against a byte-by-byte set, over many random inserts and queries (a fixed-seed generator).
    @Test func containsAgreesWithEveryByte() {
        var seed: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: UInt64) -> UInt64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (seed >> 33) % bound
        }
        var ranges = ByteRanges()
        var bytes = Set<UInt64>()
        for _ in 0..<200 {
            let start = next(1000)
            let range = start..<start + next(20)
            ranges.insert(range)
            bytes.formUnion(range)
            for _ in 0..<20 {
                let lower = next(1000)
                let query = lower..<lower + 1 + next(30)
                #expect(ranges.contains(query) == query.allSatisfy(bytes.contains), "\(query) in \(ranges.ranges)")
            }
        }
        #expect(ranges.byteCount == UInt64(bytes.count))
        #expect(ranges.contains(5..<5))
    }
}
