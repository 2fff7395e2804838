import Testing
@testable import FarmMonitor

struct MonitorRouteTests {
    @Test(arguments: [
        ("/", MonitorRoute.dashboard),
        ("/index.html", .dashboard),
        ("/metrics", .metrics),
        ("/api/state", .state(job: nil, offset: 0)),
        ("/api/state?job=3&offset=200", .state(job: 3, offset: 200)),
        ("/api/state?offset=-5", .state(job: nil, offset: 0)),
        ("/api/state?job=x", .notFound),
        ("/clips/1/0.mp4", .clip(job: 1, index: 0)),
        ("/clips/12/345.mp4?t=1", .clip(job: 12, index: 345)),
    ])
    func known(_ target: String, _ route: MonitorRoute) {
        #expect(MonitorRoute(target: target) == route)
    }

    /// Whatever the spelling, nothing but ids can name a clip, so no path reaches the file system.
    @Test(arguments: [
        "/../../etc/passwd", "/clips/../../etc/passwd", "/clips/1/../../../etc/passwd", "/clips/%2e%2e/0.mp4",
        "/%2e%2e/%2e%2e/etc/passwd", "/clips/1/..%2f..%2fetc%2fpasswd.mp4", "//etc/passwd", "/etc/passwd",
        "/clips/1/0.mp4/../../x", "/clips/-1/0.mp4", "/clips/1/+0.mp4", "/clips/1/0x1.mp4", "/clips/1/.mp4",
        "/clips/1/0.MP4", "/clips/1/0.mp4.part", "/clips/1/2/3.mp4", "/logs/rl_games/x.mp4", "http://evil/clips/1/0.mp4",
        "/clips/99999999999999999999/0.mp4", "/metrics/../index.html", "/api/state/..", "",
    ])
    func unknown(_ target: String) {
        #expect(MonitorRoute(target: target) == .notFound)
    }
}
