import Testing
@testable import SymbolHTTP

/// Extra request headers as the command line (`HOST-SUFFIX=Name: value`) and a headers file
/// (`HOST-SUFFIX Name: value` a line) give them.
struct HTTPHeaderSettingTests {
    @Test func commandLineForm() throws {
        let header = try HTTPHeaderSetting.parse(" dev.azure.com =Authorization: Basic a:b ", separator: "=")
        #expect(header.hostSuffix == "dev.azure.com" && header.name == "Authorization" && header.value == "Basic a:b")
    }

    @Test func fileFormSkipsBlankLinesAndComments() throws {
        let headers = try HTTPHeaderSetting.parseFile("# tokens\r\n\r\n  \t\n127.0.0.1 X-From-File: file-secret\r\nh X: \n")
        #expect(headers.count == 2)
        #expect(headers[0].hostSuffix == "127.0.0.1" && headers[0].name == "X-From-File" && headers[0].value == "file-secret")
        #expect(headers[1].hostSuffix == "h" && headers[1].name == "X" && headers[1].value == "")
        #expect(try HTTPHeaderSetting.parseFile("").isEmpty)
    }

    @Test(arguments: ["no-separator", "host=no colon", "=Name: v", "host= : v", "host=Two Words: v"])
    func malformedCommandLineSettings(text: String) {
        #expect(throws: HTTPHeaderSettingError(separator: "=")) { try HTTPHeaderSetting.parse(text, separator: "=") }
    }

    @Test func malformedFileLine() {
        #expect(throws: HTTPHeaderSettingError(separator: " ")) { try HTTPHeaderSetting.parseFile("ok X: 1\nbroken\n") }
        #expect(HTTPHeaderSettingError(separator: " ").reason == "expects HOST-SUFFIX Name: value")
    }
}
