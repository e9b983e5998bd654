import Testing
@testable import SystemSupport

@Suite struct ThreadBudgetTests {
    @Test func grantsWhatIsLeftAndNeverMoreThanItsLimit() {
        let budget = ThreadBudget(4)
        #expect(budget.take(upTo: 3) == 3)
        #expect(budget.take(upTo: 3) == 1)
        #expect(budget.take(upTo: 1) == 0)
        budget.giveBack(2)
        // Giving back more than was taken never raises the limit.
        budget.giveBack(10)
        #expect(budget.take(upTo: 10) == 4)
        let unlimited = ThreadBudget(.max)
        unlimited.giveBack(5)
        #expect(unlimited.take(upTo: 7) == 7)
    }
}
