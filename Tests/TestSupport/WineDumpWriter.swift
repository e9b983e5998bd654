import Foundation

/// A Windows program that loads the DLLs it is given and writes a minidump of itself with dbghelp's
/// `MiniDumpWriteDump`, built with mingw-w64 and run under Wine: real dumps, as Wine writes them (no CodeView
/// records in its module list).
public enum WineDumpWriter {
    static let source = #"""
        #include <windows.h>
        #include <dbghelp.h>
        #include <stdio.h>

        /* dumper DUMP DLL...: loads each DLL, then writes a minidump of this process to DUMP. */
        int main(int argc, char **argv) {
            if (argc < 2) { printf("usage: dumper dump dll...\n"); return 1; }
            for (int i = 2; i < argc; i++) {
                if (!LoadLibraryA(argv[i])) { printf("LoadLibrary %s failed: %lu\n", argv[i], GetLastError()); return 2; }
            }
            HANDLE file = CreateFileA(argv[1], GENERIC_WRITE, 0, NULL, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, NULL);
            if (file == INVALID_HANDLE_VALUE) { printf("CreateFile failed: %lu\n", GetLastError()); return 3; }
            if (!MiniDumpWriteDump(GetCurrentProcess(), GetCurrentProcessId(), file, MiniDumpNormal, NULL, NULL, NULL)) {
                printf("MiniDumpWriteDump failed: %lu\n", GetLastError());
                return 4;
            }
            CloseHandle(file);
            printf("written\n");
            return 0;
        }
        """#

    /// Builds the program into `directory`, runs it under wine64 (prefix `prefix`) to load `dlls` and write
    /// `dump`; throws with what it printed when no dump came out.
    public static func writeDump(_ dump: String, loading dlls: [String], in directory: String, prefix: String) throws {
        let sourcePath = "\(directory)/dumper.c"
        let executable = "\(directory)/dumper.exe"
        try source.write(toFile: sourcePath, atomically: true, encoding: .utf8)
        try runChecked("x86_64-w64-mingw32-gcc", ["-O1", "-o", executable, sourcePath, "-ldbghelp"])
        var environment = ProcessInfo.processInfo.environment
        environment["WINEPREFIX"] = prefix
        environment["WINEDEBUG"] = "-all"
        environment["WINEDLLOVERRIDES"] = "mscoree,mshtml="
        environment["DISPLAY"] = nil
        let result = try run(
            "timeout", ["240", WineClient.wine, executable, WineClient.windowsPath(dump)] + dlls.map(WineClient.windowsPath),
            environment: environment)
        guard result.status == 0, FileManager.default.fileExists(atPath: dump) else {
            throw CommandError(command: "wine64 dumper.exe", status: result.status, output: result.standardOutput + result.standardError)
        }
    }
}
