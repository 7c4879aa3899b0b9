import LifeboatCLI

/// The `lifeboat` executable: all of it lives in LifeboatCLI.
@main
extension LifeboatCommand {}
