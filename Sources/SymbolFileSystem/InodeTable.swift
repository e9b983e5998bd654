import SystemSupport
import SymbolStore

/// Inode numbers for nodes, with the kernel's lookup counts: a node keeps its number while the kernel holds a
/// reference to it (every entry reply adds one, `forget` subtracts), and a number is never reused.
final class InodeTable: Sendable {
    static let rootInode: UInt64 = 1

    struct Slot {
        var node: Node
        var lookups: UInt64
        /// What a file node's lookup found, kept so `open` need not search again.
        var location: ResolvedSymbol?
    }

    private struct State {
        var inodes: [Node: UInt64] = [.root: InodeTable.rootInode]
        var slots: [UInt64: Slot] = [InodeTable.rootInode: Slot(node: .root, lookups: 1)]
        var next: UInt64 = InodeTable.rootInode + 1
    }

    private let state = Locked(State())

    func slot(_ inode: UInt64) -> Slot? {
        state.withLock { $0.slots[inode] }
    }

    /// The node's inode, counting one more kernel reference to it.
    func remember(_ node: Node, location: ResolvedSymbol? = nil) -> UInt64 {
        state.withLock { state in
            if let inode = state.inodes[node] {
                state.slots[inode]!.lookups += 1
                if let location { state.slots[inode]!.location = location }
                return inode
            }
            let inode = state.next
            state.next += 1
            state.inodes[node] = inode
            state.slots[inode] = Slot(node: node, lookups: 1, location: location)
            return inode
        }
    }

    /// Replaces what a file node was found as: its first answer no longer held when it was opened.
    func update(_ inode: UInt64, location: ResolvedSymbol) {
        state.withLock { state in
            if state.slots[inode] != nil { state.slots[inode]!.location = location }
        }
    }

    /// The nodes' inodes where the kernel holds one, without counting references; one lock for a whole listing.
    func existing(_ nodes: [Node]) -> [UInt64?] {
        state.withLock { state in nodes.map { state.inodes[$0] } }
    }

    func forget(_ inode: UInt64, count: UInt64) {
        guard inode != Self.rootInode else { return }
        state.withLock { state in
            guard var slot = state.slots[inode] else { return }
            slot.lookups -= min(count, slot.lookups)
            if slot.lookups == 0 {
                state.slots[inode] = nil
                state.inodes[slot.node] = nil
            } else {
                state.slots[inode] = slot
            }
        }
    }

    var count: Int {
        state.withLock { $0.slots.count }
    }
}
