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
