import FarmCoordinator
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// The coordinator's HTTP side: `/metrics`, the dashboard and its clips, on one event loop thread
/// plus a small thread pool for the reads behind each response. It shares nothing with the
/// coordinator's loop but `FarmMetrics` (a lock-protected snapshot and atomic counters) and the
/// store (its own SQLite reader connections), so a slow browser or scraper never stalls the farm.
///
/// `MonitorLimits` bound what clients can hold: connections, header and idle time, and the memory of
/// a file response (streamed from disk in chunks).
///
/// `start()` binds and returns the address; `shutdown()` closes the socket and joins every thread.
public final class MonitorServer: @unchecked Sendable {
    public let requested: MonitorAddress
    public let limits: MonitorLimits
    private let responder: MonitorResponder
    /// Connections open now (`MonitorLimits.maxConnections`).
    private let connections = ConnectionCount()
    private let logger: Logger
    private let group: MultiThreadedEventLoopGroup
    private let pool: NIOThreadPool
    /// Set by `start()`, cleared by `shutdown()`, both on the caller's thread (not concurrently).
    private var channel: (any Channel)?

    public init(address: MonitorAddress, metrics: FarmMetrics, sources: MonitorSources,
                limits: MonitorLimits = .standard, logger: Logger = Logger(label: "farm.monitor")) {
        requested = address
        self.limits = limits
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
        let limits = limits
        let logger = logger
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [connections] channel in
                // Over the cap: closed at once, before anything is read or allocated for it.
                guard connections.open(limit: limits.maxConnections) else {
                    logger.warning("monitor: \(limits.maxConnections) connections open; refusing another")
                    return channel.close()
                }
                // Nearly out of descriptors: the rest belong to workers, clients and the database.
                guard !DescriptorBudget.isShort(for: .dashboardOrUpload) else {
                    connections.close()
                    logger.warning("monitor: fewer than \(DescriptorBudget.Claimant.dashboardOrUpload.keeps) descriptors left; refusing a connection")
                    return channel.close()
                }
                channel.closeFuture.whenComplete { _ in connections.close() }
                return channel.eventLoop.makeCompletedFuture {
                    let idle = TimeAmount.milliseconds(Int64(limits.idleTimeout * 1000))
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(allTimeout: idle))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(HTTPChannelHandler(responder: responder, pool: pool,
                                                                                      limits: limits))
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

/// The monitor's open connections, counted from the event loop and the close callbacks.
private final class ConnectionCount: Sendable {
    private let count = Atomic<Int>(0)

    /// Counts one more unless `limit` are open; false when refused.
    func open(limit: Int) -> Bool {
        guard count.add(1, ordering: .relaxed).newValue <= limit else {
            count.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    func close() { count.subtract(1, ordering: .relaxed) }
}

/// One connection: collects a request's head (within `headerTimeout`), has the responder answer it
/// on the thread pool, and writes the answer back on the event loop, a file body one chunk at a
/// time, each read on the pool once the previous one is written. Closes the connection when
/// `IdleStateHandler` sees nothing read or written for `idleTimeout`. Request bodies are ignored
/// (every route is a GET).
private final class HTTPChannelHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let responder: MonitorResponder
    private let pool: NIOThreadPool
    private let limits: MonitorLimits
    private var head: HTTPRequestHead?
    /// Closes the connection unless a request head arrives first.
    private var headerDeadline: Scheduled<Void>?

    init(responder: MonitorResponder, pool: NIOThreadPool, limits: MonitorLimits) {
        self.responder = responder
        self.pool = pool
        self.limits = limits
    }

    func channelActive(context: ChannelHandlerContext) {
        awaitHead(context: context)
        context.fireChannelActive()
    }

    func channelInactive(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        context.fireChannelInactive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func awaitHead(context: ChannelHandlerContext) {
        headerDeadline?.cancel()
        let channel = context.channel
        headerDeadline = context.eventLoop.scheduleTask(in: .milliseconds(Int64(limits.headerTimeout * 1000))) {
            channel.close(promise: nil)
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let request):
            headerDeadline?.cancel()
            headerDeadline = nil
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
        guard request.method != .HEAD else { return finish(keepAlive: keepAlive, context: context) }
        switch response.body {
        case .bytes(let data):
            if !data.isEmpty {
                context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: data)))), promise: nil)
            }
            finish(keepAlive: keepAlive, context: context)
        case let .file(file, range):
            stream(file, from: range.lowerBound, through: range.upperBound, keepAlive: keepAlive, context: context)
        }
    }

    /// Reads the next chunk on the pool, writes it, and only once it is written reads the next: a
    /// client that does not read holds one chunk, until the idle timeout closes it.
    private func stream(_ file: ContainedFile, from offset: Int, through last: Int, keepAlive: Bool,
                        context: ChannelHandlerContext) {
        guard offset <= last else { return finish(keepAlive: keepAlive, context: context) }
        let count = min(limits.chunkBytes, last - offset + 1)
        pool.runIfActive(eventLoop: context.eventLoop) {
            try file.read(offset: offset, count: count)
        }.assumeIsolated().whenComplete { result in
            guard case .success(let bytes) = result, !bytes.isEmpty else {
                // The file shrank or could not be read: the promised length cannot be sent.
                context.close(promise: nil)
                return
            }
            context.writeAndFlush(self.wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: bytes)))))
                .assumeIsolated().whenSuccess {
                    self.stream(file, from: offset + bytes.count, through: last, keepAlive: keepAlive, context: context)
                }
        }
    }

    private func finish(keepAlive: Bool, context: ChannelHandlerContext) {
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if keepAlive {
            awaitHead(context: context)
        } else {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
