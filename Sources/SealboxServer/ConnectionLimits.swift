// Rule: no client holds a connection of a reporters' listener for long without progress.
// Hummingbird's idle timeout closes a connection that completes no request part within
// `public.idle_timeout` (this covers headers sent a byte at a time, which complete no
// part); `BodyDeadlineHandler` closes one whose request body has not arrived in full
// within `public.body_timeout` of its header (a body sent a byte at a time); and at the
// connection cap, `ConnectionRoster` closes the connection that has waited longest
// without a request, so that newcomers are not stuck in the kernel's accept queue.
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTPTypes

/// Closes the connection when a request's body is still arriving `timeout` after its head.
final class BodyDeadlineHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    private let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount) {
        self.timeout = timeout
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) {
                loopBound.value.close(promise: nil)
            }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
        context.fireChannelInactive()
    }
}

extension ResilienceSettings {
    /// The HTTP/1 server of a reporters' listener, with the idle timeout, the body
    /// deadline and the roster that makes room at the connection cap.
    func reportersServer(roster: ConnectionRoster) -> HTTPServerBuilder {
        let body = TimeAmount.seconds(Int64(bodyTimeout))
        return .http1(configuration: .init(
            additionalChannelHandlers: [ConnectionWatch(roster: roster), BodyDeadlineHandler(timeout: body)],
            idleTimeout: .seconds(Int64(idleTimeout))))
    }

    /// The address and connection cap of a reporters' listener.
    func reportersConfiguration(_ address: ListenAddress, logger: Logger) -> ApplicationConfiguration {
        .init(address: .hostname(address.host, port: address.port),
              availableConnectionsDelegate: MaximumAvailableConnections(maxConnections, logger: logger))
    }
}
