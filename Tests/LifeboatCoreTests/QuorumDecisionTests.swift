import Foundation
import LifeboatCore
import Testing

@Suite("The sites' quorum for an automatic failover")
struct QuorumDecisionTests {
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let sites = ["offsite-a", "offsite-b", "offsite-c"]

    static func seen(_ site: String, _ verdict: SiteVerdict, ago seconds: TimeInterval = 1) -> SiteObservation {
        SiteObservation(site: site, verdict: verdict, at: now.addingTimeInterval(-seconds), detail: "")
    }

    static func decide(_ observations: [SiteObservation], quorum: Int = 2) -> QuorumDecision {
        QuorumDecision(observations: observations, sites: sites, quorum: quorum, freshness: 10, now: now)
    }

    @Test("two fresh downs of three, quorum 2, nobody up: allowed")
    func quorumReached() {
        let decision = Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-b", .down), Self.seen("offsite-c", .abstain)])
        #expect(decision.allowsFailover)
        #expect(decision.summary == "2 of 3 sites see the primary down (quorum 2); offsite-c abstains (witnesses down)")
    }

    @Test("one site's broken path: one down, two up — refused, and the page says who disagrees")
    func brokenPath() {
        let decision = Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-b", .up), Self.seen("offsite-c", .up)])
        #expect(!decision.allowsFailover)
        #expect(decision.summary == "1 of 3 sites see the primary down (quorum 2); offsite-b, offsite-c see it up")
    }

    @Test("a fresh up anywhere vetoes, however many downs")
    func upVetoes() {
        #expect(!Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-b", .down), Self.seen("offsite-c", .up)]).allowsFailover)
    }

    @Test("stale and missing verdicts count for nothing; the latest of a site wins; distinct sites only")
    func freshness() {
        let stale = Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-b", .down, ago: 30)])
        #expect(!stale.allowsFailover && stale.stale == ["offsite-b", "offsite-c"])
        let staleUp = Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-b", .down), Self.seen("offsite-c", .up, ago: 60)])
        #expect(staleUp.allowsFailover, "an old up does not veto")
        let twice = Self.decide([Self.seen("offsite-a", .down), Self.seen("offsite-a", .down, ago: 2)])
        #expect(!twice.allowsFailover && twice.down == ["offsite-a"], "one site's verdicts count once")
        let changed = Self.decide([Self.seen("offsite-a", .up, ago: 5), Self.seen("offsite-a", .down, ago: 1), Self.seen("offsite-b", .down)])
        #expect(changed.allowsFailover, "offsite-a's latest verdict is down")
        let future = Self.decide([Self.seen("offsite-a", .down, ago: -60), Self.seen("offsite-b", .down)])
        #expect(!future.allowsFailover, "a verdict from a clock far ahead is not fresh")
    }

    @Test("a site's own verdict: abstain while isolated or before the primary's state is known")
    func verdict() {
        #expect(SiteVerdict(primary: .down, isolated: false) == .down)
        #expect(SiteVerdict(primary: .up, isolated: false) == .up)
        #expect(SiteVerdict(primary: .down, isolated: true) == .abstain, "cut off itself: its down says nothing")
        #expect(SiteVerdict(primary: .unknown, isolated: false) == .abstain)
    }

    @Test("quorum 1 is a single point of view, as standalone Lifeboat is")
    func single() {
        #expect(Self.decide([Self.seen("offsite-a", .down)], quorum: 1).allowsFailover)
    }
}
