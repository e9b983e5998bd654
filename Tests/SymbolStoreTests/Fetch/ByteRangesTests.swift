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
}
