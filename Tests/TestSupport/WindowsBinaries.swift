import Foundation

/// A PE image and its PDB, built for real with the toolchain's clang and lld-link (fixtures.md).
public struct WindowsBinary: Sendable {
    public var image: String
    public var pdb: String
}

public enum WindowsBinaries {
    /// The machine an image is built for: x64 gives a PE32+ image, x86 a PE32 image.
    public enum Machine: String, Sendable, CaseIterable {
        case x64, x86

        var target: String { self == .x64 ? "x86_64-pc-windows-msvc" : "i686-pc-windows-msvc" }
    }

    /// Compiles `source` (C, no C runtime) and links it into `directory/name` (an .exe or, with `dll`, a .dll)
    /// with a PDB beside it. Different code gives a different GUID; `timestamp` fixes TimeDateStamp.
    public static func build(
        name: String, source: String, dll: Bool = false, timestamp: UInt32? = nil, in directory: String,
        pdbName: String? = nil, pdbAltPath: Bool = true, machine: Machine = .x64
    ) throws -> WindowsBinary {
        let stem = (name as NSString).deletingPathExtension
        let work = (directory as NSString).appendingPathComponent(".build-\(stem)")
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        let sourcePath = "\(work)/\(stem).c"
        let objectPath = "\(work)/\(stem).obj"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        try runChecked("clang", ["--target=\(machine.target)", "-g", "-gcodeview", "-O1", "-c", sourcePath,
                                 "-o", objectPath])
        let image = (directory as NSString).appendingPathComponent(name)
        let pdb = (directory as NSString).appendingPathComponent(pdbName ?? "\(stem).pdb")
        var arguments = ["/machine:\(machine.rawValue)", "/nodefaultlib", "/debug", "/pdb:\(pdb)", "/out:\(image)"]
        if pdbAltPath { arguments.append("/pdbaltpath:%_PDB%") }
        if let timestamp { arguments.append("/timestamp:\(timestamp)") }
        if dll {
            arguments += ["/dll", "/noentry", "/export:\(exportedFunction(in: source))"]
        } else {
            arguments += ["/entry:\(exportedFunction(in: source))", "/subsystem:console"]
        }
        try runChecked("lld-link", arguments + [objectPath])
        try? FileManager.default.removeItem(atPath: work)
        return WindowsBinary(image: image, pdb: pdb)
    }

    /// A source with one exported function, `entry_<tag>`, whose body depends on `tag` so every tag yields a
    /// distinct GUID.
    public static func source(tag: String, functions: Int = 1) -> String {
        let identifier = tag.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        var text = ""
        for index in 0..<functions {
            text += "int helper_\(identifier)_\(index)(int x) { return x * \(index + 3) + \(tag.count); }\n"
        }
        text += "int entry_\(identifier)(void) { int s = 0;"
        for index in 0..<functions { text += " s += helper_\(identifier)_\(index)(\(index));" }
        text += " return s; }\n"
        return text
    }

    static func exportedFunction(in source: String) -> String {
        let marker = "int entry_"
        guard let range = source.range(of: marker) else { return "main" }
        let rest = source[range.upperBound...]
        return "entry_" + rest.prefix(while: { $0.isLetter || $0.isNumber || $0 == "_" })
    }
}
