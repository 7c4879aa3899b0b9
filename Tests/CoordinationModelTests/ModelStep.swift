/// A step an instance of a model ran, from its start to the end of its time limit.
struct ModelStep {
    let instance: Int
    let start: ContinuousClock.Instant
    let end: ContinuousClock.Instant

    /// Two steps of different instances that overlap in time (the earlier-starting first), if any.
    static func firstOverlap(_ steps: [ModelStep]) -> (ModelStep, ModelStep)? {
        var latest: [Int: ModelStep] = [:]  // per instance, its step that ends last so far
        for step in steps.sorted(by: { $0.start < $1.start }) {
            if let other = latest.first(where: { $0.key != step.instance && step.start < $0.value.end }) { return (other.value, step) }
            if latest[step.instance].map({ $0.end < step.end }) ?? true { latest[step.instance] = step }
        }
        return nil
    }
}
