import DNSQuery
import Foundation
import LifeboatConfig
import SystemIO

/// Reads `[[dns.tsig]]` secrets from their files (base64, as `tsig-keygen` and `keymgr` write
/// the secret); an error names the key and the file, never the content.
enum TSIGKeyFiles {
    struct Unusable: Error, CustomStringConvertible {
        let description: String
    }

    static func load(_ settings: [TSIGKeySettings]) throws -> [TSIGKey] {
        try settings.map { key in
            let text: String
            do throws(SystemError) { text = try SecretFile.read(key.secretFile) } catch {
                throw Unusable(description: "dns.tsig key \(key.name): \(error)")
            }
            guard let secret = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), !secret.isEmpty else {
                throw Unusable(description: "dns.tsig key \(key.name): \(key.secretFile) does not hold a base64 secret")
            }
            return TSIGKey(name: key.name, algorithm: TSIGKey.Algorithm(rawValue: key.algorithm) ?? .hmacSHA256, secret: Array(secret))
        }
    }
}
