/// Polls `condition` every 20 ms until it holds or `limit` passes; returns whether it held.
/// The positive sign tests wait for, instead of sleeping a fixed time.
public func eventually(within limit: Duration = .seconds(5), _ condition: () throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if try condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try condition()
}

