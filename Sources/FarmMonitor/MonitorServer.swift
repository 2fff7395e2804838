import FarmCoordinator
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix

/// The coordinator's HTTP side: `/metrics`, the dashboard and its clips, on one event loop thread
/// plus a small thread pool for the reads behind each response. It shares nothing with the
/// coordinator's loop but `FarmMetrics` (a lock-protected snapshot and atomic counters) and the
/// store (its own SQLite reader connections), so a slow browser or scraper never stalls the farm.
///
/// `start()` binds and returns the address; `shutdown()` closes the socket and joins every thread.
public final class MonitorServer: @unchecked Sendable {
    public let requested: MonitorAddress
    private let responder: MonitorResponder
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    /// Set by `start()`, cleared by `shutdown()`, both on the caller's thread (not concurrently).
    private var channel: (any Channel)?

    public init(address: MonitorAddress, metrics: FarmMetrics, sources: MonitorSources,
                logger: Logger = Logger(label: "farm.monitor")) {
        requested = address
        self.logger = logger
        responder = MonitorResponder(metrics: metrics, sources: sources, logger: logger)
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        pool = NIOThreadPool(numberOfThreads: 2)
    }

    /// Listens; returns the bound address (port 0 resolved).
    @discardableResult
    public func start() throws(MonitorError) -> MonitorAddress {
        pool.start()
        let responder = responder
        let pool = pool
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPChannelHandler(responder: responder, pool: pool))
                }
            }
        do {
            let channel = try bootstrap.bind(host: requested.host, port: requested.port).wait()
            self.channel = channel
            let bound = MonitorAddress(host: requested.host, port: channel.localAddress?.port ?? requested.port)
            logger.info("metrics on \(bound.url)metrics, dashboard on \(bound.url)")
            return bound
        } catch {
            shutdownThreads()
            throw .cannotListen(requested.description, reason: "\(error)")
        }
    }

    /// Stops listening, lets responses in flight finish, and joins the event loop and pool threads.
    public func shutdown() {
        if let channel {
            try? channel.close().wait()
            self.channel = nil
        }
        shutdownThreads()
    }

    private func shutdownThreads() {
        try? group.syncShutdownGracefully()
        try? pool.syncShutdownGracefully()
    }
}

/// One connection: collects a request's head, has the responder answer it on the thread pool, and
/// writes the answer back on the event loop. Request bodies are ignored (every route is a GET).
private final class HTTPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: MonitorResponder
    private let pool: NIOThreadPool
    private var head: HTTPRequestHead?

    init(responder: MonitorResponder, pool: NIOThreadPool) {
        self.responder = responder
        self.pool = pool
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            head = request
        case .body:
            break
        case .end:
            guard let request = head else { return }
            head = nil
            let responder = responder
            let method = request.method.rawValue
            let target = request.uri
            let range = request.headers.first(name: "Range")
            pool.runIfActive(eventLoop: context.eventLoop) {
                responder.respond(method: method, target: target, range: range)
            }.assumeIsolated().whenComplete { result in
                let response = (try? result.get()) ?? .text(503, "the monitor is shutting down")
                self.write(response, for: request, context: context)
            }
        }
    }

    private func write(_ response: MonitorResponse, for request: HTTPRequestHead, context: ChannelHandlerContext) {
        var headers = HTTPHeaders(response.headers)
        headers.replaceOrAdd(name: "Content-Length", value: String(response.body.count))
        let keepAlive = request.isKeepAlive
        headers.replaceOrAdd(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: request.version, status: HTTPResponseStatus(statusCode: response.status),
                                    headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        if request.method != .HEAD && !response.body.isEmpty {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))),
                          promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
