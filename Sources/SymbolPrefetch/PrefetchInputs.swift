import SymbolFormats
import SymbolStore
#if canImport(Glibc)
import Glibc
#endif

/// What to fetch for the inputs of a prefetch: a minidump's modules (their images, PDBs and `.dbg` files), a PE
/// image's own key and its PDB's, the PE images of a directory (all of its tree with `recursive`, as symchk /r),
/// or a manifest's lines. An input that cannot be read is an error for that input alone.
package struct PrefetchInputs: Sendable {
    package var targets: [PrefetchTarget] = []
    /// Per input or module: what could not be read, and why.
    package var problems: [(input: String, problem: String)] = []

    package init() {}

    /// Directory levels followed at most with `recursive` (a loop through links ends here too).
    static let maximumDepth = 32

    package mutating func add(path: String, recursive: Bool) {
        var info = stat()
        guard stat(path, &info) == 0 else {
            problems.append((path, String(cString: strerror(errno))))
            return
        }
        if info.st_mode & S_IFMT == S_IFDIR {
            addDirectory(path, depth: recursive ? Self.maximumDepth : 1, visited: [])
            return
        }
        let magic = Self.prefix(path)
        if magic.starts(with: Array("MDMP".utf8)) {
            addMinidump(path)
        } else if magic.starts(with: PEImage.magic) {
            addImage(path)
        } else {
            problems.append((path, "not a minidump or a PE image"))
        }
    }

    package mutating func add(manifest files: [SymbolKey], from path: String) {
        for file in files { targets.append(PrefetchTarget(file, module: file.name)) }
    }

    private mutating func addDirectory(_ path: String, depth: Int, visited: Set<UInt64>) {
        var info = stat()
        guard depth > 0, stat(path, &info) == 0, !visited.contains(UInt64(info.st_ino)),
              let names = LocalFileSystem.entries(of: path) else { return }
        for name in names.sorted() {
            let child = path + "/" + name
            var childInfo = stat()
            guard stat(child, &childInfo) == 0 else { continue }
            if childInfo.st_mode & S_IFMT == S_IFDIR {
                addDirectory(child, depth: depth - 1, visited: visited.union([UInt64(info.st_ino)]))
            } else if childInfo.st_mode & S_IFMT == S_IFREG, Self.prefix(child).starts(with: PEImage.magic) {
                addImage(child, quietly: true)
            }
        }
    }

    /// A PE image's own key and the PDB its CodeView record names.
    private mutating func addImage(_ path: String, quietly: Bool = false) {
        let name = String(path.split(separator: "/").last ?? Substring(path))
        do throws(SymbolFileError) {
            let image = try PEImage(path: path)
            targets.append(PrefetchTarget(SymbolKey(name: name, key: image.key), module: name))
            if let pdb = image.pdb { targets.append(PrefetchTarget(pdb.symbolKey, module: name)) }
        } catch {
            if !quietly { problems.append((path, "\(error)")) }
        }
    }

    /// Each module's image, PDB and `.dbg` file; a module without a CodeView record (Wine writes none) gets its
    /// image first, and then the PDB the image names.
    private mutating func addMinidump(_ path: String) {
        do throws(SymbolFileError) {
            let dump = try Minidump(path: path)
            for module in dump.modules {
                if let problem = module.problem { problems.append(("\(path): module \(module.name)", problem)) }
                guard let image = module.image else { continue }
                targets.append(PrefetchTarget(image, module: module.name, followsPDB: module.pdb == nil))
                if let pdb = module.pdb { targets.append(PrefetchTarget(pdb.symbolKey, module: module.name)) }
                if let separate = module.separateDebug { targets.append(PrefetchTarget(separate, module: module.name)) }
            }
        } catch {
            problems.append((path, "\(error)"))
        }
    }

    static func prefix(_ path: String) -> [UInt8] {
        LocalFileSystem.readPrefix(path, limit: 4) ?? []
    }
}
