import Foundation

/// A real Windows program run under Wine (fixtures.md "A Windows client"): it loads a module with dbghelp's
/// `SymLoadModuleEx` on a given search path and resolves one symbol from the module's PDB.
public enum WineClient {
    static let source = #"""
        #include <windows.h>
        #include <dbghelp.h>
        #include <stdio.h>

        /* symload IMAGE SEARCH-PATH SYMBOL: prints the PDB dbghelp loaded and the symbol's offset. */
        int main(int argc, char **argv) {
            if (argc != 4) { printf("usage: symload image searchpath symbol\n"); return 1; }
            HANDLE process = GetCurrentProcess();
            SymSetOptions(SYMOPT_UNDNAME | SYMOPT_LOAD_LINES | SYMOPT_FAIL_CRITICAL_ERRORS);
            if (!SymInitialize(process, argv[2], FALSE)) {
                printf("SymInitialize failed: %lu\n", GetLastError());
                return 2;
            }
            DWORD64 base = SymLoadModuleEx(process, NULL, argv[1], NULL, 0x10000000, 0, NULL, 0);
            if (!base) {
                printf("SymLoadModuleEx failed: %lu\n", GetLastError());
                return 3;
            }
            IMAGEHLP_MODULE64 module;
            memset(&module, 0, sizeof module);
            module.SizeOfStruct = sizeof module;
            if (SymGetModuleInfo64(process, base, &module)) {
                printf("symtype %d\npdb %s\n", (int)module.SymType, module.LoadedPdbName);
            }
            char buffer[sizeof(SYMBOL_INFO) + 256];
            SYMBOL_INFO *symbol = (SYMBOL_INFO *)buffer;
            memset(buffer, 0, sizeof buffer);
            symbol->SizeOfStruct = sizeof(SYMBOL_INFO);
            symbol->MaxNameLen = 255;
            if (!SymFromName(process, argv[3], symbol)) {
                printf("SymFromName failed: %lu\n", GetLastError());
                return 4;
            }
            printf("symbol %s +0x%llx\n", symbol->Name, (unsigned long long)(symbol->Address - base));
            SymCleanup(process);
            return 0;
        }
        """#

    /// Builds the client with mingw-w64 into `directory` and returns the .exe's path.
    public static func build(in directory: String) throws -> String {
        let sourcePath = "\(directory)/symload.c"
        let executable = "\(directory)/symload.exe"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        try runChecked("x86_64-w64-mingw32-gcc", ["-O1", "-o", executable, sourcePath, "-ldbghelp"])
        return executable
    }

    /// `Z:` followed by the path with backslashes: how a Wine program names a Linux path.
    public static func windowsPath(_ path: String) -> String {
        "Z:" + path.replacingOccurrences(of: "/", with: "\\")
    }

    /// Debian's wine64 loader (its `wine` wrapper comes with the 32-bit package).
    public static var wine: String {
        FileManager.default.isExecutableFile(atPath: "/usr/lib/wine/wine64") ? "/usr/lib/wine/wine64" : "wine"
    }

    /// Runs the client under wine64 in a prefix of its own; bounded by `seconds`.
    public static func run(
        client: String, image: String, searchPath: String, symbol: String, prefix: String, seconds: Int = 240
    ) throws -> CommandResult {
        var environment = ProcessInfo.processInfo.environment
        environment["WINEPREFIX"] = prefix
        environment["WINEDEBUG"] = "-all"
        environment["WINEDLLOVERRIDES"] = "mscoree,mshtml="
        environment["DISPLAY"] = nil
        var result = try TestSupport.run(
            "timeout", ["\(seconds)", wine, client, windowsPath(image), searchPath, symbol],
            environment: environment)
        // Wine's console writes CRLF.
        result.standardOutput = result.standardOutput.replacingOccurrences(of: "\r\n", with: "\n")
        return result
    }
}
