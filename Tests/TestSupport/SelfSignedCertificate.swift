import Foundation

/// A certificate for 127.0.0.1 that signs itself, made by the openssl command: what a private HTTPS symbol
/// server on loopback presents, and the file a client must be told to trust.
public struct SelfSignedCertificate: Sendable {
    public let certificatePath: String
    public let keyPath: String

    public init(in directory: TemporaryDirectory) throws {
        certificatePath = try directory.file("server.crt")
        keyPath = try directory.file("server.key")
        try runChecked("openssl", [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
            "-keyout", keyPath, "-out", certificatePath, "-days", "2", "-subj", "/CN=127.0.0.1",
            "-addext", "subjectAltName=IP:127.0.0.1",
        ])
    }
}
