import ArgumentParser
import FarmWire
import Foundation

/// `farmctl keys generate`: CURVE key pairs for an authenticated farm (docs/PROTOCOL.md, "Security").
struct KeysCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Make CURVE key pairs for the coordinator, workers and clients.",
        subcommands: [Generate.self])

    struct Generate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a key pair: FILE (mode 0600, `public`/`secret` Z85 lines) and FILE.pub (the public key).",
            discussion: """
                Put a worker's or client's FILE.pub line in the coordinator's worker or client allow list; give \
                the coordinator's FILE.pub key to workers and clients (--coordinator-key, FARM_COORDINATOR_KEY).
                """)

        @Option(help: "The key pair file to write; FILE.pub gets the public key. Neither may exist.")
        var out: String

        @Option(help: "A note kept in both files, e.g. who the key is for.")
        var comment: String = ""

        @Flag(help: "Print {\"key_file\", \"public_key\", \"public_key_file\"} as JSON.")
        var json = false

        func run() throws {
            do {
                let pair = try CurveKeyPair.generate()
                try CurveKeyFile.write(pair, to: out, comment: comment)
                if json {
                    WireOutput.print(["key_file": out, "public_key": pair.publicKey.z85, "public_key_file": out + ".pub"])
                } else {
                    print("wrote \(out) (secret, mode 0600) and \(out).pub; public key \(pair.publicKey)")
                }
            } catch {
                throw CommandFailure(message: "farmctl keys generate: \(error)")
            }
        }
    }
}
