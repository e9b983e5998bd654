import ArgumentParser

@main
struct SymFS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "symfs",
        abstract: "Windows symbol paths (symbol stores, servers and caches) as one read-only file system.",
        version: symfsVersion,
        subcommands: [MountCommand.self, PathCommand.self, KeyCommand.self, AddCommand.self, QueryCommand.self, DelCommand.self, ServeCommand.self, PruneCommand.self, PrefetchCommand.self]
    )
}
