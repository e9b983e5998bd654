#if canImport(Glibc)
import Glibc
#endif

/// The files an `add` or `query` names: files as given, the files of a directory (its whole tree with
/// `recursive`), and the lines of a response file `@FILE`, as symstore.exe takes them.
package enum PublishInputs {
    /// A file to store, and whether it was named itself (then it must be a symbol file) or found in a directory
    /// (then a file of another kind is skipped).
    package struct Candidate: Sendable, Hashable {
        package var path: String
        package var named: Bool

        package init(path: String, named: Bool) {
            self.path = path
            self.named = named
        }
    }

    /// How deep response files may name response files.
    static let responseFileDepth = 8

    /// The candidates, and the entries of directories that cannot be stored (symbolic links to directories,
    /// names that are not UTF-8, devices), each with why.
    package static func expand(
        _ arguments: [String], recursive: Bool
    ) throws(PublishError) -> (candidates: [Candidate], skipped: [(path: String, reason: String)]) {
        var expansion = Expansion()
        try expansion.add(arguments, recursive: recursive, depth: 0)
        return (expansion.candidates, expansion.skipped)
    }

    struct Expansion {
        var candidates: [Candidate] = []
        var skipped: [(path: String, reason: String)] = []

        mutating func add(_ arguments: [String], recursive: Bool, depth: Int) throws(PublishError) {
            for argument in arguments { try add(argument, recursive: recursive, depth: depth) }
        }

        mutating func add(_ argument: String, recursive: Bool, depth: Int) throws(PublishError) {
            if argument.hasPrefix("@") {
                let list = String(argument.dropFirst())
                guard depth < PublishInputs.responseFileDepth else {
                    throw PublishError(.badInput, "\(list): response files nest more than \(PublishInputs.responseFileDepth) deep")
                }
                guard let bytes = try StoreFiles.read(list) else {
                    throw PublishError(.badInput, "\(list): no such response file")
                }
                let lines = StoreText.lines(bytes).map(\.trimmingBlanksAndQuotes).filter { !$0.isEmpty }
                try add(lines, recursive: recursive, depth: depth + 1)
                return
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                throw PublishError(.badInput, "\(argument): \(String(cString: strerror(errno)))")
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                try walk(argument, recursive: recursive)
            } else {
                candidates.append(Candidate(path: argument, named: true))
            }
        }

        /// The files of `directory` in name order (symbolic links to files included), then (with `recursive`)
        /// its subdirectories'. Links to directories are not followed, so a link loop cannot trap the walk.
        mutating func walk(_ directory: String, recursive: Bool) throws(PublishError) {
            guard let entries = StoreFiles.entryNames(of: directory) else {
                throw PublishError(.badInput, "\(directory): \(String(cString: strerror(errno)))")
            }
            var names: [String] = []
            for bytes in entries {
                guard let name = String(validating: bytes, as: UTF8.self) else {
                    skipped.append((directory + "/" + String(decoding: bytes, as: UTF8.self), "the name is not UTF-8"))
                    continue
                }
                names.append(name)
            }
            var subdirectories: [String] = []
            for name in names.sorted() {
                let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
                var link = stat()
                var target = stat()
                guard lstat(path, &link) == 0 else { continue }
                let isLink = link.st_mode & S_IFMT == S_IFLNK
                let resolved = isLink ? stat(path, &target) == 0 : true
                let kind = isLink ? target.st_mode & S_IFMT : link.st_mode & S_IFMT
                if !resolved {
                    skipped.append((path, "a symbolic link to nothing"))
                } else if kind == S_IFREG {
                    candidates.append(Candidate(path: path, named: false))
                } else if kind == S_IFDIR && !isLink {
                    subdirectories.append(path)
                } else if kind != S_IFDIR {
                    skipped.append((path, "not a regular file"))
                }
            }
            if recursive {
                for subdirectory in subdirectories { try walk(subdirectory, recursive: true) }
            }
        }
    }

    /// `path` made absolute against the working directory, `.` and `..` resolved in the text, for the source
    /// paths the store records.
    package static func absolute(_ path: String) -> String {
        var full = path
        if !path.hasPrefix("/") {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let directory = getcwd(&buffer, buffer.count).map { String(cString: $0) } ?? "/"
            full = directory + "/" + path
        }
        var parts: [Substring] = []
        for part in full.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { _ = parts.popLast(); continue }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }
}

extension String {
    var trimmingBlanksAndQuotes: String {
        var slice = self[...]
        while let first = slice.first, first == " " || first == "\t" || first == "\"" { slice = slice.dropFirst() }
        while let last = slice.last, last == " " || last == "\t" || last == "\"" { slice = slice.dropLast() }
        return String(slice)
    }
}
