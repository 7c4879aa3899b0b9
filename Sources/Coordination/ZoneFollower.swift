public import LifeboatCore
import Synchronization

/// Keeps a site serving the cluster's zone state: every `interval` it reads each zone's state
/// (linearizable: what the leader last wrote, never a stale member's copy) and hands a newer one
/// to `adopt`. When reads fail for `lostAfter`, coordination is lost: the site goes on serving
/// the last state it adopted, changes nothing, and says so; the first good read ends it.
public final class ZoneFollower: Sendable {
    /// What the follower knows now.
    public struct Status: Sendable, Equatable {
        /// When a read last succeeded (nil: never).
        public var lastRead: ContinuousClock.Instant?
        /// Reads have failed for longer than `lostAfter`.
        public var coordinationLost: Bool
        /// The last failure, in words.
        public var lastError: String?
        /// Serial adopted per zone.
        public var serials: [String: UInt32]
    }

    private let board: ZoneStateBoard
    private let zones: [String]
    private let interval: Duration
    private let lostAfter: Duration
    private let adopt: @Sendable (String, PublishedZoneState) async throws -> Bool
    private let state: Mutex<Status>
    private let started = ContinuousClock.now

    /// `adopt(zone, state)` serves a state and says whether it changed anything (it must refuse
    /// an older serial: `ZoneAuthority.adopt` does).
    public init(board: ZoneStateBoard, zones: [String], interval: Duration = .seconds(1), lostAfter: Duration = .seconds(5),
                adopt: @escaping @Sendable (String, PublishedZoneState) async throws -> Bool) {
        self.board = board
        self.zones = zones
        self.interval = interval
        self.lostAfter = lostAfter
        self.adopt = adopt
        state = Mutex(Status(lastRead: nil, coordinationLost: false, lastError: nil, serials: [:]))
    }

    public var status: Status { state.withLock { $0 } }

    /// Reads every zone once and adopts what is newer.
    public func poll() async {
        do throws(CoordinationError) {
            var refused: String?
            for zone in zones {
                guard let published = try await board.read(zone: zone),
                      state.withLock({ $0.serials[zone] }) != published.serial else { continue }
                do {
                    _ = try await adopt(zone, published)  // false: what this site serves is as new already
                    state.withLock { $0.serials[zone] = published.serial }
                } catch {
                    refused = "\(zone): the published state cannot be served here: \(error)"  // keep serving what we serve
                }
            }
            state.withLock { status in
                status.lastRead = .now
                status.coordinationLost = false
                status.lastError = refused
            }
        } catch {
            state.withLock { status in
                status.lastError = error.description
                status.coordinationLost = ContinuousClock.now - (status.lastRead ?? started) >= lostAfter
            }
        }
    }

    /// Polls until the task is cancelled.
    public func run() async {
        while !Task.isCancelled {
            await poll()
            try? await Task.sleep(for: interval)
        }
    }
}
