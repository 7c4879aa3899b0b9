import DomainNames
import DNSAuthority
import DNSZone
import Logging

/// Measures, for a zones directory: the load (parse + snapshot with prepared answers) and the
/// owner swap (override, serial+1 persisted with fsync, snapshot rebuilt and swapped).
///   swap-bench ZONES_DIR STATE_DIR OWNER [SWAPS]
@main
struct SwapBench {
    static func main() async throws {
        let arguments = CommandLine.arguments
        guard arguments.count >= 4, let owner = DNSName(arguments[3]) else {
            print("usage: swap-bench ZONES_DIR STATE_DIR OWNER [SWAPS]")
            return
        }
        let swaps = arguments.count > 4 ? Int(arguments[4]) ?? 5 : 5
        var logger = Logger(label: "swap-bench")
        logger.logLevel = .error  // not a line per swap
        let clock = ContinuousClock()
        var authority: ZoneAuthority?
        let load = try clock.measure {
            authority = try ZoneAuthority(zonesDirectory: arguments[1], stateDirectory: arguments[2], logger: logger)
        }
        guard let authority else { return }
        var times: [Duration] = []
        for round in 0..<swaps {
            let addresses: [[UInt8]] = round % 2 == 0 ? [[198, 51, 100, 20]] : [[203, 0, 113, 10]]
            times.append(try await clock.measure {
                try await authority.replaceAddresses(of: [owner], with: addresses, ttl: 30)
            })
        }
        let sorted = times.sorted()
        print("load_ms \(milliseconds(load))")
        print("swap_median_ms \(milliseconds(sorted[sorted.count / 2])) swap_max_ms \(milliseconds(sorted.last!)) swaps \(swaps)")
    }

    static func milliseconds(_ duration: Duration) -> String {
        let value = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        return String(Int(value.rounded()))
    }
}
