import ArgumentParser

/// `--store`/`-s`, shared by add, query and del.
struct StoreOption: ParsableArguments {
    @Option(name: [.customShort("s"), .customLong("store")], help: "The symbol store (a directory; made if missing).")
    var path: String
}
