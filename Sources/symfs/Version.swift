/// The release this build is, as `symfs --version` prints it; the repository's VERSION file says the same, and
/// VersionTests fails when the two differ.
let symfsVersion = "0.9.0"
