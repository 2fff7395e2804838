import FarmLaunch
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Debian's chromium in headless mode, driven through chromium-driver's WebDriver HTTP API (W3C).
/// `close()` ends the session and the driver; the driver is killed on deinit whatever happened.
public final class HeadlessChromium {
    public static let driverPath = "/usr/bin/chromedriver"
    public static let browserPath = "/usr/bin/chromium"

    private let driver: Process
    private let base: String
    private var session: String?

    public init(width: Int = 1400, height: Int = 1000) throws {
        for path in [Self.driverPath, Self.browserPath] where !FileManager.default.isExecutableFile(atPath: path) {
            throw HTTPClient.Failure(description: "\(path) is missing: install Debian's chromium and chromium-driver "
                + "(tools/test passes them to tools/setup)")
        }
        let port = try LoopbackPorts.freePort()
        base = "http://127.0.0.1:\(port)"
        driver = Process()
        driver.executableURL = URL(fileURLWithPath: Self.driverPath)
        driver.arguments = ["--port=\(port)"]
        driver.standardOutput = FileHandle.nullDevice
        driver.standardError = FileHandle.nullDevice
        try driver.run()
        let deadline = Date().addingTimeInterval(30)
        while (try? HTTPClient.json("GET", base + "/status"))?["value"] == nil {
            guard Date() < deadline else { throw HTTPClient.Failure(description: "chromedriver did not answer on \(base)") }
            Thread.sleep(forTimeInterval: 0.1)
        }
        let created = try HTTPClient.json("POST", base + "/session", body: ["capabilities": ["alwaysMatch": [
            "browserName": "chrome",
            "goog:chromeOptions": ["binary": Self.browserPath, "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--autoplay-policy=no-user-gesture-required", "--window-size=\(width),\(height)",
            ]],
        ]]])
        guard let value = created["value"] as? [String: Any], let id = value["sessionId"] as? String else {
            throw HTTPClient.Failure(description: "chromedriver refused the session: \(created)")
        }
        session = id
    }

    deinit { close() }

    public func open(_ url: String) throws {
        _ = try command("POST", "url", ["url": url])
    }

    /// Runs `script` (a function body; `return` its result) in the page.
    public func evaluate(_ script: String) throws -> Any? {
        try command("POST", "execute/sync", ["script": script, "args": []])
    }

    /// Runs `script` with a callback as its last argument (`arguments[arguments.length - 1]`).
    public func evaluateAsync(_ script: String) throws -> Any? {
        try command("POST", "execute/async", ["script": script, "args": []])
    }

    public func screenshot(to path: String) throws {
        guard let text = try command("GET", "screenshot", nil) as? String, let png = Data(base64Encoded: text) else {
            throw HTTPClient.Failure(description: "no screenshot")
        }
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                withIntermediateDirectories: true)
        try png.write(to: URL(fileURLWithPath: path))
    }

    public func close() {
        if let session {
            _ = try? HTTPClient.request("DELETE", "\(base)/session/\(session)")
            self.session = nil
        }
        // chromedriver ignores SIGTERM; /shutdown makes it quit its browsers and exit.
        _ = try? HTTPClient.request("GET", "\(base)/shutdown", timeout: 10)
        let deadline = Date().addingTimeInterval(10)
        while driver.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if driver.isRunning {
            kill(driver.processIdentifier, SIGKILL)
            driver.waitUntilExit()
        }
    }

    private func command(_ method: String, _ path: String, _ body: [String: Any]?) throws -> Any? {
        guard let session else { throw HTTPClient.Failure(description: "the browser session is closed") }
        let reply = try HTTPClient.json(method, "\(base)/session/\(session)/\(path)", body: body)
        if let value = reply["value"] as? [String: Any], let error = value["error"] as? String {
            throw HTTPClient.Failure(description: "WebDriver \(path): \(error): \(value["message"] ?? "")")
        }
        return reply["value"]
    }

    /// Where tests put what a person should look at (screenshots): `FARM_TEST_OUTPUT`, else
    /// `.build/test-output` in the package.
    public static func outputDirectory(package: String) -> String {
        if let directory = ProcessInfo.processInfo.environment["FARM_TEST_OUTPUT"], !directory.isEmpty { return directory }
        return (package as NSString).appendingPathComponent(".build/test-output")
    }
}
