

/// `type = "tcp"`.
public struct TCPCheckSettings: Sendable, Equatable {
    /// `connect_to`: address and port. Required.
    public var connectTo: SocketAddress

    /// Creates the settings.
    public init(connectTo: SocketAddress) {
        self.connectTo = connectTo
    }
}
