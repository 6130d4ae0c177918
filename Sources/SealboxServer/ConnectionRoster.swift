// Rule: at the connection cap, a newcomer is not left waiting behind connections that
// have not even sent a request. The connection that has waited longest without a request
// in progress (one that never sent its head, or an idle keep-alive) is closed to make
// room, once it has waited at least `ConnectionRoster.patience` (a genuine client sends
// its head within a round trip; a newcomer is never closed before it could). A
// connection in a request is never closed for room: it ends with its answer or at
// `public.body_timeout`. At shutdown, connections still open after
// `public.shutdown_grace` are closed, so a slow body cannot hold the daemon up.
import NIOCore
import NIOHTTPTypes
import Synchronization

/// The open connections of one reporters' listener, for making room at the cap.
final class ConnectionRoster: Sendable {
    private struct Entry {
        let channel: any Channel
        var inRequest: Bool
        /// When it opened or last finished an answer.
        var waitingSince: ContinuousClock.Instant
    }

    private struct State {
        var entries: [UInt64: Entry] = [:]
        var tickets: UInt64 = 0
        var madeRoom = 0
    }

    /// How long a connection may wait for its request before it can be closed for room.
    static let patience = Duration.seconds(2)

    private let state = Mutex(State())
    /// The listener's `public.max_connections`.
    let capacity: Int

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Connections closed so far to make room for newcomers.
    var roomMade: Int { state.withLock { $0.madeRoom } }

    /// Open connections known to the roster.
    var count: Int { state.withLock { $0.entries.count } }

    /// Records a new connection; at the cap, closes the one that has waited longest
    /// without a request, if that is at least `patience` (so never the newcomer itself).
    /// Returns the newcomer's ticket.
    func opened(_ channel: any Channel) -> UInt64 {
        let now = ContinuousClock.now
        let (ticket, victim) = state.withLock { s -> (UInt64, (any Channel)?) in
            s.tickets &+= 1
            let ticket = s.tickets
            s.entries[ticket] = Entry(channel: channel, inRequest: false, waitingSince: now)
            return (ticket, Self.takeVictim(&s, capacity: capacity, now: now))
        }
        victim?.close(promise: nil)
        return ticket
    }

    /// At the cap, closes the connection that has waited longest without a request once
    /// its patience is over. Called periodically, because at the cap the listener accepts
    /// nobody, so no newcomer would make room.
    func makeRoom() {
        let now = ContinuousClock.now
        let victim = state.withLock { s in Self.takeVictim(&s, capacity: capacity, now: now) }
        victim?.close(promise: nil)
    }

    private static func takeVictim(_ s: inout State, capacity: Int, now: ContinuousClock.Instant) -> (any Channel)? {
        guard s.entries.count >= capacity else { return nil }
        var oldest: (key: UInt64, since: ContinuousClock.Instant)?
        for (key, entry) in s.entries where !entry.inRequest && now - entry.waitingSince >= patience {
            if oldest == nil || entry.waitingSince < oldest!.since { oldest = (key, entry.waitingSince) }
        }
        guard let oldest, let entry = s.entries.removeValue(forKey: oldest.key) else { return nil }
        s.madeRoom += 1
        return entry.channel
    }

    /// A request's head arrived: the connection is no longer closed for room.
    func requestBegan(_ ticket: UInt64) {
        state.withLock { s in s.entries[ticket]?.inRequest = true }
    }

    /// The answer to a request was sent in full: the connection waits again.
    func requestEnded(_ ticket: UInt64) {
        let now = ContinuousClock.now
        state.withLock { s in
            s.entries[ticket]?.inRequest = false
            s.entries[ticket]?.waitingSince = now
        }
    }

    func closed(_ ticket: UInt64) {
        state.withLock { s in _ = s.entries.removeValue(forKey: ticket) }
    }

    /// At shutdown: closes every connection still open `grace` from now (a request that
    /// finishes within the grace period is answered).
    func closeAll(after grace: TimeAmount) {
        let channels = state.withLock { s in s.entries.values.map(\.channel) }
        for channel in channels {
            channel.eventLoop.scheduleTask(in: grace) { channel.close(promise: nil) }
        }
    }
}

/// Tells a `ConnectionRoster` when its connection opens, begins and ends requests, and closes.
final class ConnectionWatch: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private let roster: ConnectionRoster
    private var ticket: UInt64?

    init(roster: ConnectionRoster) {
        self.roster = roster
    }

    func handlerAdded(context: ChannelHandlerContext) {
        ticket = roster.opened(context.channel)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head = unwrapInboundIn(data), let ticket { roster.requestBegan(ticket) }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data), let ticket { roster.requestEnded(ticket) }
        context.write(data, promise: promise)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        leave()
    }

    func channelInactive(context: ChannelHandlerContext) {
        leave()
        context.fireChannelInactive()
    }

    private func leave() {
        if let ticket { roster.closed(ticket) }
        ticket = nil
    }
}
