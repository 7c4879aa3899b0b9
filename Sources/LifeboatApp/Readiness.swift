/// Which listeners are bound: READY=1 goes to systemd once DNS and HTTP both are.
actor Readiness {
    private var ready: Set<String> = []
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private let needed: Set<String>

    init(needed: Set<String>) {
        self.needed = needed
    }

    /// Marks one part (`dns`, `http`) as bound.
    func mark(_ part: String) {
        ready.insert(part)
        guard ready.isSuperset(of: needed) else { return }
        for waiter in waiters { waiter.resume() }
        waiters = []
    }

    /// Returns once every needed part is bound.
    func wait() async {
        guard !ready.isSuperset(of: needed) else { return }
        await withCheckedContinuation { waiters.append($0) }
    }
}
