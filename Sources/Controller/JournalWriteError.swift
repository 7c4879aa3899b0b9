/// The journal could not be written, so the step was not run.
struct JournalWriteError: Error, CustomStringConvertible {
    let message: String
    var description: String { "journal write failed, step not run: \(message)" }
}
