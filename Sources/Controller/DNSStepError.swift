/// The DNS change did not show in what is served.
struct DNSStepError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
