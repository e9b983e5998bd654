import Foundation

/// The products this package builds, found next to the test bundle.
public enum Executables {
    public static var symfs: String {
        productsDirectory + "/symfs"
    }

    static var productsDirectory: String {
        // The test bundle (…/debug/SymbolFSPackageTests.xctest) sits beside the executables.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return (bundle.bundlePath as NSString).deletingLastPathComponent
        }
        let arguments = CommandLine.arguments[0]
        return ((arguments as NSString).deletingLastPathComponent as NSString).standardizingPath
    }
}
