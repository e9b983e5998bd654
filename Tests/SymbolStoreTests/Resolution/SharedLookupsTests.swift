import Foundation
import Testing
import TestSupport
@testable import SymbolStore

@Suite struct SharedLookupsTests {
    let request = SymbolRequest(name: "a.pdb", key: "0123456789ABCDEF0123456789ABCDEF1")

    /// What asked a server is remembered until its time is up, or until it is forgotten; what only read local
    /// stores, and failures, are asked again at once.
    @Test func remembersWhatAskedAServerForItsTime() throws {
        let clock = ManualTimeSource()
        let lookups = SharedLookups(memory: .seconds(10), clock: clock, caseInsensitive: true)
        let resolutions = Counter()
        func miss(askedServer: Bool) -> () throws(SymbolStoreError) -> SharedLookups.Resolution {
            { () throws(SymbolStoreError) in
                resolutions.add()
                return SharedLookups.Resolution(symbol: nil, askedServer: askedServer)
            }
        }
        #expect(try lookups.lookup(request, resolve: miss(askedServer: true)) == nil)
        #expect(try lookups.lookup(request, resolve: miss(askedServer: true)) == nil)
        #expect(resolutions.value == 1)
        clock.advance(.seconds(11))
        _ = try lookups.lookup(request, resolve: miss(askedServer: true))
        #expect(resolutions.value == 2)
        lookups.forget(request)
        _ = try lookups.lookup(request, resolve: miss(askedServer: false))
        _ = try lookups.lookup(request, resolve: miss(askedServer: false))
        #expect(resolutions.value == 4)

        let failure = #expect(throws: SymbolStoreError.self) {
            try lookups.lookup(SymbolRequest(name: "b.pdb", key: "1")) { () throws(SymbolStoreError) in
                resolutions.add()
                throw SymbolStoreError(.upstreamUnavailable(.timeout), "slow")
            }
        }
        #expect(failure?.kind == .upstreamUnavailable(.timeout))
        _ = try lookups.lookup(SymbolRequest(name: "b.pdb", key: "1"), resolve: miss(askedServer: true))
        #expect(resolutions.value == 6)
    }
}
