

/// `[service.readonly]`: how the standby is made safe to serve.
public struct ReadOnlySettings: Sendable, Equatable {
    /// `preset`. Default `none`.
    public var preset: ReadOnlyPreset
    /// `admin_allow`: networks that may still log in and write through Apache. Default `[]`.
    public var adminAllow: [IPNetwork]
    /// `admin_name`: the Drupal admin account kept able to log in (D6 allow rule). Default `admin`.
    public var adminName: String
    /// `table_prefixes`: shorthand for one site per prefix string. Default `[""]`.
    public var tablePrefixes: [String]
    /// `[[service.readonly.site]]` (or one per `table_prefixes` string): the Drupal sites sharing
    /// the standby database, each with its prefix map.
    public var sites: [DrupalSite]
    /// `base_path`: Drupal's `$base_path` on the standby. Default `/`.
    public var basePath: String
    /// `language_prefixes`: path prefixes of Drupal's language negotiation (`["en", "fr"]`). Default none.
    public var languagePrefixes: [String]
    /// `apache_flag_file`: the snippet Lifeboat writes and removes. Default none (no Apache step).
    public var apacheFlagFile: String?
    /// `apache_configtest`: run before every reload. Default `["apache2ctl", "-t"]`.
    public var apacheConfigTest: [String]
    /// `apache_reload`: graceful reload. Default `["apache2ctl", "graceful"]`.
    public var apacheReload: [String]
    /// `mysql`: the standby database the SQL steps run on. Required for the Drupal presets.
    public var mysql: MySQLEndpoint?
    /// `stop_replication`: stop the standby's replication before read-only. Default true when `mysql` is set.
    public var stopReplication: Bool
    /// `replica_read_only`: keep the replica `read_only = ON` while it replicates (Drupal's writes
    /// on a GET would break replication), OFF only while it serves. Default true when `mysql`
    /// is set and `stop_replication` is on.
    public var replicaReadOnly: Bool
    /// `on_failure`: `halt` (default) keeps DNS where it is when a read-only step cannot be
    /// applied; `serve` moves it to the standby anyway while the primary is down.
    public var serveOnFailure: Bool
    /// `resync`: the command that re-clones the standby from the primary on failback. Default none.
    public var resync: [String]
    /// `extra`: further steps, each SQL or a command, with its revert.
    public var extra: [ExtraStep]

    /// Creates settings with every field given (the decoder and tests do).
    public init(
        preset: ReadOnlyPreset, adminAllow: [IPNetwork], adminName: String, tablePrefixes: [String], sites: [DrupalSite],
        basePath: String, languagePrefixes: [String], apacheFlagFile: String?, apacheConfigTest: [String],
        apacheReload: [String], mysql: MySQLEndpoint?, stopReplication: Bool, replicaReadOnly: Bool = false,
        serveOnFailure: Bool = false, resync: [String], extra: [ExtraStep]
    ) {
        self.replicaReadOnly = replicaReadOnly
        self.serveOnFailure = serveOnFailure
        self.preset = preset
        self.adminAllow = adminAllow
        self.adminName = adminName
        self.tablePrefixes = tablePrefixes
        self.sites = sites
        self.basePath = basePath
        self.languagePrefixes = languagePrefixes
        self.apacheFlagFile = apacheFlagFile
        self.apacheConfigTest = apacheConfigTest
        self.apacheReload = apacheReload
        self.mysql = mysql
        self.stopReplication = stopReplication
        self.resync = resync
        self.extra = extra
    }
}
