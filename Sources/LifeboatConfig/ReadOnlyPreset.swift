

/// `preset`: which application SQL steps read-only mode runs.
public enum ReadOnlyPreset: String, Sendable, Equatable {
    /// Drupal 6: sessions, page cache, and `access` deny/allow rules.
    case drupal6
    /// Drupal 7: sessions, page cache, `readonlymode`'s variable where present.
    case drupal7
    /// No SQL steps; only the Apache snippet and `extra`.
    case none
}
