import ArgumentParser
import Foundation
import LifeboatCore

/// What every daemon-talking command shares: errors mapped to exit codes and clear words.
enum CLIRequest {
    /// Runs `body`; an unreachable daemon exits 3, a usage problem 2.
    static func run<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DaemonClient.Unreachable {
            printError(error.description)
            throw ExitCode(3)
        } catch let error as CLIUsageError {
            printError(error.message)
            throw ExitCode(2)
        } catch let error as APIFailure {
            printError(error.message)
            throw ExitCode(error.status == 401 || error.status == 403 || error.status == 404 || error.status == 400 ? 2 : 1)
        }
    }

    /// An answer other than success: the API's `{"error": ...}` in words.
    struct APIFailure: Error {
        let status: Int
        let message: String
    }

    /// A 200 answer's body as `T` (printed first as it came when `raw`, for `--json`); any other
    /// answer is the API's error in words.
    static func decoded<T: Decodable>(_ answer: (status: Int, body: Data), printing raw: Bool = false, terminator: String = "") throws -> T {
        guard answer.status == 200 else { throw failure(status: answer.status, body: answer.body) }
        if raw { print(String(decoding: answer.body, as: UTF8.self), terminator: terminator) }
        return try APIJSON.decoder().decode(T.self, from: answer.body)
    }

    static func failure(status: Int, body: Data) -> APIFailure {
        let text = (try? JSONDecoder().decode(APIError.self, from: body))?.error ?? String(decoding: body.prefix(300), as: UTF8.self)
        let hint = status == 401 || status == 403 ? " (the token comes from http.token_file, or --token-file)" : ""
        return APIFailure(status: status, message: "lifeboatd answered \(status): \(text)\(hint)")
    }

    static func printError(_ text: String) {
        var standardError = StandardError()
        print(text, to: &standardError)
    }
}
