/// Lifeboat's version, as `--version`, the User-Agent and the API report it.
public enum LifeboatVersion {
    /// `major.minor.patch`.
    public static let string = "0.1.0"
}
