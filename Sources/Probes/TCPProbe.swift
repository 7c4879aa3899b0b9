public import LifeboatConfig
import LifeboatCore
import NativeClients
public import NIOCore
import NIOPosix

/// A `tcp` check: a connection accepted within the timeout.
public struct TCPProbe: Probe {
    public let name: String
    private let target: LifeboatConfig.SocketAddress
    private let timeout: Duration
    private let group: any EventLoopGroup
    private let sourceAddress: String?

    /// Creates the probe; `sourceAddress` is the local address connections leave from (nil: the kernel's choice).
    public init(name: String, target: LifeboatConfig.SocketAddress, timeout: Duration, group: any EventLoopGroup, sourceAddress: String? = nil) {
        self.sourceAddress = sourceAddress
        self.name = name
        self.target = target
        self.timeout = timeout
        self.group = group
    }

    public func run() async -> ProbeResult {
        let started = ContinuousClock.now
        let milliseconds = timeout.wholeMilliseconds
        do {
            var bootstrap = ClientBootstrap(group: group).connectTimeout(.milliseconds(milliseconds))
            if let sourceAddress { bootstrap = bootstrap.bind(to: try NIOCore.SocketAddress(ipAddress: sourceAddress, port: 0)) }
            let channel = try await bootstrap
                .connect(host: target.address.description, port: Int(target.port)).get()
            try? await channel.close()
            return .passed(name, ContinuousClock.now - started, "connected")
        } catch let error as ChannelError where error == .connectTimeout(.milliseconds(milliseconds)) {
            return .failed(name, .timeout, "no connection within \(milliseconds) ms", ContinuousClock.now - started)
        } catch let error as NIOConnectionError {
            let errnos = error.connectionErrors.compactMap { ($0.error as? IOError)?.errnoCode }
            let reason: FailureReason = errnos.contains { NativeClientError.localErrnos.contains($0) } ? .local
                : errnos.contains(ECONNREFUSED) ? .refused : .connection
            return .failed(name, reason, "\(error)", ContinuousClock.now - started)
        } catch let error as IOError where NativeClientError.localErrnos.contains(error.errnoCode) {
            return .failed(name, .local, "\(error)", ContinuousClock.now - started)
        } catch let error as EventLoopError {
            // The event loop that should run the check is gone: nothing was learnt about the target.
            return .failed(name, .local, "the check could not run here: \(error)", ContinuousClock.now - started)
        } catch {
            return .failed(name, .connection, "\(error)", ContinuousClock.now - started)
        }
    }
}
