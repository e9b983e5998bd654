import Foundation
import SymbolServer
import Testing

/// `--auth-file` credentials: Basic `user:password` lines and bearer tokens.
struct ClientCredentialsTests {
    static let credentials = ClientCredentials(text: "# who may ask\nci:s3cret\n\n  token-123  \n")

    static func basic(_ pair: String) -> String { "Basic " + Data(pair.utf8).base64EncodedString() }

    @Test("Known credentials are admitted, in either scheme's spelling")
    func admitted() {
        #expect(Self.credentials.admits(Self.basic("ci:s3cret")))
        #expect(Self.credentials.admits("basic " + Data("ci:s3cret".utf8).base64EncodedString()))
        #expect(Self.credentials.admits("Bearer token-123"))
        #expect(!Self.credentials.isEmpty)
    }

    @Test("Anything else is refused", arguments: [
        nil, "", "Basic", "Basic !!!", "Bearer", "Bearer token-12", "Bearer token-1234", "Digest token-123",
        "Basic " + Data("ci:wrong".utf8).base64EncodedString(), "Bearer ci:s3cret",
    ])
    func refused(header: String?) {
        #expect(!Self.credentials.admits(header))
    }

    @Test("A file of comments only names nobody")
    func empty() {
        #expect(ClientCredentials(text: "# nothing\n\n").isEmpty)
    }
}
