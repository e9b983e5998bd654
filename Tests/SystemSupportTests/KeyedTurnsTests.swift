import Foundation
import Testing
import TestSupport
@testable import SystemSupport

@Suite struct KeyedTurnsTests {
    /// How many callers are inside a turn of each key, and the most there ever were.
    final class Occupancy: @unchecked Sendable {
        private let lock = NSLock()
        private var inside: [String: Int] = [:]
        private(set) var most: [String: Int] = [:]

        func enter(_ key: String) {
            lock.withLock {
                inside[key, default: 0] += 1
                most[key] = max(most[key] ?? 0, inside[key]!)
            }
        }

        func leave(_ key: String) { lock.withLock { inside[key]! -= 1 } }
    }

    /// Callers of one key take turns, whichever keys others hold.
    @Test func oneCallerAtATimePerKey() {
        let turns = KeyedTurns()
        let occupancy = Occupancy()
        #expect(runOnThreads(40) { index in
            let key = index % 2 == 0 ? "a" : "b"
            turns.withTurn(key) {
                occupancy.enter(key)
                usleep(2_000)
                occupancy.leave(key)
            }
        })
        #expect(occupancy.most == ["a": 1, "b": 1])
    }
}
