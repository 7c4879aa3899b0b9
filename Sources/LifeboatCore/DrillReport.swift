public import Foundation

/// What a drill did, built from the journal: each step's duration, the time from the drill's
/// start (the simulated outage) to lifeboatd answering with the standby's addresses, the
/// resolvers' and secondaries' propagation after each switch, and anything that failed.
public struct DrillReport: Sendable, Codable, Equatable {
    /// One step as it ran (its last try).
    public struct Step: Sendable, Codable, Equatable {
        public var direction: FailoverDirection
        public var step: String
        public var startedAt: Date
        /// Nil while it runs.
        public var seconds: Double?
        public var success: Bool?
        public var tries: Int
        public var message: String?
    }

    /// One resolver's or secondary's propagation after one switch.
    public struct Propagation: Sendable, Codable, Equatable {
        /// `standby` (the failover's switch) or `primary` (the failback's).
        public var site: SiteRole
        public var serial: UInt32
        public var target: PropagationTarget
        /// Seconds from the switch to the new answer; nil when still old after `waited`.
        public var seconds: Double?
        public var waited: Double
        public var answer: String
    }

    /// The failover sequence's journal number.
    public var id: Int
    /// Who asked, and why.
    public var startedBy: String
    public var startedAt: Date
    /// When the failback ended (nil while the drill runs).
    public var finishedAt: Date?
    /// `running`, `passed`, `failed` (a step failed for good, or it was aborted), or `became real`
    /// (the primary went down during the drill).
    public var outcome: String
    /// From the drill's start to lifeboatd answering the standby's addresses (the failover's DNS step done).
    public var outageToAnswerSeconds: Double?
    /// From the drill's start to the failback's last step.
    public var totalSeconds: Double?
    public var steps: [Step]
    public var propagation: [Propagation]
    /// Failed tries, stops and aborts, and resolvers or secondaries still old, in words. Only the
    /// sequence's own problems fail a drill: a resolver that ignores TTLs is the world's, and shown.
    public var problems: [String]

    /// Creates a report (`last(in:)` builds them from the journal).
    public init(
        id: Int, startedBy: String, startedAt: Date, finishedAt: Date?, outcome: String, outageToAnswerSeconds: Double?,
        totalSeconds: Double?, steps: [Step], propagation: [Propagation], problems: [String]
    ) {
        self.id = id
        self.startedBy = startedBy
        self.startedAt = startedAt
        self.finishedAt = finishedAt
        self.outcome = outcome
        self.outageToAnswerSeconds = outageToAnswerSeconds
        self.totalSeconds = totalSeconds
        self.steps = steps
        self.propagation = propagation
        self.problems = problems
    }

    /// The last drill in `records` (oldest first), or nil when there is none.
    public static func last(in records: [JournalRecord]) -> DrillReport? {
        guard let start = records.lastIndex(where: {
            if case .sequenceStarted(_, .failover, _, .drill, _, _) = $0.entry { true } else { false }
        }), case .sequenceStarted(let id, _, let steps, _, _, let reason) = records[start].entry else { return nil }
        var report = DrillReport(
            id: id, startedBy: reason, startedAt: records[start].at, finishedAt: nil, outcome: "running", outageToAnswerSeconds: nil,
            totalSeconds: nil, steps: [], propagation: [], problems: [])
        var sequences: [Int: (FailoverDirection, [FailoverStep])] = [id: (.failover, steps)]
        var running: [Int: Int] = [:]  // sequence → its entry in report.steps for the step under way
        var failures = 0
        for record in records[start...] {
            switch record.entry {
            case .sequenceStarted(let next, let direction, let steps, _, _, _) where next > id && report.finishedAt == nil && report.outcome != "became real":
                // The drill's failback, or an abort's rollback (journaled right after the abort): the drill's too.
                sequences[next] = (direction, steps)
            case .stepStarted(let sequence, let index, let attempt):
                guard let (direction, steps) = sequences[sequence], index < steps.count else { break }
                report.steps.append(Step(direction: direction, step: steps[index].description, startedAt: record.at, seconds: nil, success: nil, tries: attempt, message: nil))
                running[sequence] = report.steps.count - 1
            case .stepFinished(let sequence, let index, let success, let message, _):
                guard let (direction, steps) = sequences[sequence], let entry = running[sequence] else { break }
                report.steps[entry].seconds = record.at.timeIntervalSince(report.steps[entry].startedAt)
                report.steps[entry].success = success
                report.steps[entry].message = message
                if !success {
                    failures += 1
                    report.problems.append("\(steps[index]) failed (try \(report.steps[entry].tries)): \(message)")
                }
                if success, direction == .failover, steps[index] == .switchDNS(.standby) {
                    report.outageToAnswerSeconds = record.at.timeIntervalSince(report.startedAt)
                }
            case .sequenceHalted(let sequence, _, let why) where sequences[sequence] != nil:
                failures += 1
                report.problems.append("stopped: \(why)")
            case .sequenceAborted(let sequence, let by, let why) where sequences[sequence] != nil:
                report.problems.append("aborted by \(by)\(why.isEmpty ? "" : ": \(why)")")
                report.outcome = "failed"
            case .drillBecameReal(let why):
                report.problems.append(why)
                report.outcome = "became real"
            case .sequenceFinished(let sequence) where sequences[sequence]?.0 == .failback:
                report.finishedAt = record.at
                report.totalSeconds = record.at.timeIntervalSince(report.startedAt)
                if report.outcome == "running" {
                    report.outcome = failures == 0 && sequences[sequence].map { $0.1.contains(.switchDNS(.primary)) } == true ? "passed" : "failed"
                }
            case .propagation(let sequence, let site, let serial, let target, let seconds, let waited, let answer) where sequences[sequence] != nil:
                report.propagation.append(Propagation(site: site, serial: serial, target: target, seconds: seconds, waited: waited, answer: answer))
                if seconds == nil { report.problems.append("\(target) still answered the old after \(Int(waited)) s") }
            default:
                break
            }
        }
        return report
    }
}
