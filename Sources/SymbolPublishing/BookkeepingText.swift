/// What may go into a quoted field of symstore's bookkeeping (a product, version or comment, a source path, a
/// pointer's message): no quote, which would end the field, and no control character, which would end the line
/// (docs/symbol-stores.md §2.4–2.5).
package enum BookkeepingText {
    package static func isValid(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0 == "\"" || $0.value < 0x20 || $0.value == 0x7F }
    }
}
