import LifeboatCore

/// A health check that can be run; runs of one probe never overlap (the scheduler sees to it).
public protocol Probe: Sendable {
    /// The check's name (unique within the configuration).
    var name: String { get }
    /// Runs the check once; never throws: failures are results.
    func run() async -> ProbeResult
}

/// Identifies Lifeboat to the sites it checks.
public enum ProbeIdentity {
    /// Lifeboat's version.
    public static let version = LifeboatVersion.string
    /// The User-Agent of every check.
    public static let userAgent = "Lifeboat/\(version) (health check)"
}
