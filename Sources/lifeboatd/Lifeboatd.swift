import LifeboatApp

/// The `lifeboatd` executable: all of it lives in LifeboatApp.
@main
extension DaemonCommand {}
