/// Where one stream of an MSF container lies: its size and the pages that hold it (as many as were read).
package struct MSFStreamLocation: Sendable, Hashable {
    package var size: Int
    package var pages: [UInt32]
}
