/// Why a symbol path could not be read, and where: `column` counts characters from 1.
public struct SymbolPathError: Error, Sendable, Hashable, CustomStringConvertible {
    public var column: Int
    public var reason: String

    public init(column: Int, reason: String) {
        self.column = column
        self.reason = reason
    }

    public var description: String {
        "symbol path, column \(column): \(reason)"
    }
}
