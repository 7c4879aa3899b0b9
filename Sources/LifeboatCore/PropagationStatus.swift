public import Foundation

/// The propagation watch after the last DNS switch: per resolver and secondary, whether and when
/// it answered the new addresses (or serial).
public struct PropagationStatus: Sendable, Codable, Equatable {
    /// One target's progress.
    public struct Target: Sendable, Codable, Equatable {
        public var target: PropagationTarget
        /// `waiting`, `switched` or `still old`.
        public var state: String
        /// Seconds from the switch to the new answer (switched only).
        public var seconds: Double?
        /// Seconds asked so far (or in all, when it gave up).
        public var waited: Double
        /// Its last answer, in words (addresses and TTL, a serial, "no answer").
        public var answer: String

        public init(target: PropagationTarget, state: String, seconds: Double?, waited: Double, answer: String) {
            self.target = target
            self.state = state
            self.seconds = seconds
            self.waited = waited
            self.answer = answer
        }
    }

    /// The journal's number of the sequence whose DNS step it follows.
    public var sequence: Int
    /// When the switch was served.
    public var switchedAt: Date
    /// The site DNS was switched to (for a TTL step, where it stayed).
    public var site: SiteRole
    public var serial: UInt32
    /// What the resolvers must answer: the site's addresses.
    public var expected: [String]
    public var targets: [Target]

    public init(sequence: Int, switchedAt: Date, site: SiteRole, serial: UInt32, expected: [String], targets: [Target]) {
        self.sequence = sequence
        self.switchedAt = switchedAt
        self.site = site
        self.serial = serial
        self.expected = expected
        self.targets = targets
    }

    /// Rebuilt from the journal's propagation records of the last switch (after a restart).
    public static func last(in records: [JournalRecord]) -> PropagationStatus? {
        guard let last = records.last(where: { if case .propagation = $0.entry { true } else { false } }),
              case .propagation(let sequence, let site, let serial, _, _, _, _) = last.entry else { return nil }
        var status: PropagationStatus?
        for record in records {
            guard case .propagation(sequence, site, serial, let target, let seconds, let waited, let answer) = record.entry else { continue }
            if status == nil {
                status = PropagationStatus(
                    sequence: sequence, switchedAt: record.at.addingTimeInterval(-(seconds ?? waited)), site: site, serial: serial,
                    expected: [], targets: [])
            }
            status?.targets.append(Target(target: target, state: seconds == nil ? "still old" : "switched", seconds: seconds, waited: waited, answer: answer))
        }
        return status
    }
}
