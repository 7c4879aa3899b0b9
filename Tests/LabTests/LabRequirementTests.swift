import LifeboatTestSupport
import Testing

@Suite("The lab")
struct LabRequirementTests {
    @Test("is up when scripts/test requires it")
    func labIsUpWhenRequired() {
        if Lab.isRequired {
            #expect(Lab.isUp, "LIFEBOAT_REQUIRE_LAB=1 but `scripts/lab env` failed: the lab is not up")
        }
    }
}
