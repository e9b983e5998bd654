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

    package static func expand(_ arguments: [String], recursive: Bool) throws(PublishError) -> [Candidate] {
        var candidates: [Candidate] = []
        for argument in arguments {
            if argument.hasPrefix("@") {
                let list = String(argument.dropFirst())
                guard let bytes = try StoreFiles.read(list) else {
                    throw PublishError(.badInput, "\(list): no such response file")
                }
                let lines = StoreText.lines(bytes).map(\.trimmingBlanksAndQuotes).filter { !$0.isEmpty }
                candidates += try expand(lines, recursive: recursive)
                continue
            }
            var info = stat()
            guard stat(argument, &info) == 0 else {
                throw PublishError(.badInput, "\(argument): \(String(cString: strerror(errno)))")
            }
            if info.st_mode & S_IFMT == S_IFDIR {
                try walk(argument, recursive: recursive, into: &candidates)
            } else {
                candidates.append(Candidate(path: argument, named: true))
            }
        }
        return candidates
    }

    /// The regular files of `directory` in name order, then (with `recursive`) its subdirectories'.
    private static func walk(_ directory: String, recursive: Bool, into candidates: inout [Candidate]) throws(PublishError) {
        guard let handle = opendir(directory) else {
            throw PublishError(.badInput, "\(directory): \(String(cString: strerror(errno)))")
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 1) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        closedir(handle)
        var subdirectories: [String] = []
        for name in names.sorted() {
            let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0 else { continue }
            switch info.st_mode & S_IFMT {
            case S_IFREG: candidates.append(Candidate(path: path, named: false))
            case S_IFDIR: subdirectories.append(path)
            default: continue  // symbolic links are not followed, so a link loop cannot trap the walk
            }
        }
        if recursive {
            for subdirectory in subdirectories { try walk(subdirectory, recursive: true, into: &candidates) }
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
