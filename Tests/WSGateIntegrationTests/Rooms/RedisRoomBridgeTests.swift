import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Debian's python3-redis, as the python3 that imports it sees it.
private let pythonRedis = "/usr/lib/python3/dist-packages/redis/__init__.py"

extension Trait where Self == ConditionTrait {
    /// Where redis-server and python3-redis are installed, and always under `CI=true` (where a
    /// missing one fails).
    static var redisInstalled: Self {
        .enabled(if: ReferencePeer.suitesRun(executable: RedisServer.executable) && (access(pythonRedis, F_OK) == 0 || ReferencePeer.isCI),
                 "redis-server or python3-redis is not installed (apt-get install redis-server python3-redis; with CI=true this suite fails instead)")
    }
}

/// examples/redis-room-bridge.py: two wsgate instances, each `--broadcast` with the bridge, share
/// a room through a Redis of the test's own; another room hears nothing of it.
///
/// No sleeps and no retries: the bridge reads stdin only once Redis confirmed its subscription,
/// so a client that gets its own message back knows its instance's bridge is subscribed. The
/// clients join one at a time, each saying "ready" and waiting for its echo; from then on every
/// message reaches every subscribed bridge in the order Redis got it, so each client's
/// sequence is asserted whole.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .redisInstalled) struct RedisRoomBridgeTests {
    static let bridge = Executables.packageRoot + "/examples/redis-room-bridge.py"

    static func instance(_ redis: RedisServer) throws -> GatewayProcess {
        try GatewayProcess(["--broadcast", "--passenv=PATH,REDIS_URL", bridge],
                           environment: ["PATH=/usr/local/bin:/usr/bin:/bin", "REDIS_URL=" + redis.url])
    }

    static func texts(_ client: TestClient, _ count: Int) throws -> [String] {
        try (0..<count).map { _ in
            let frame = try client.readMessage()
            guard frame.opcode == .text else { throw TestFailure("expected a text message, got \(frame)") }
            return frame.text
        }
    }

    /// Connects to `path` on `gateway`, says "NAME: ready" and waits for it to come back: then
    /// the room's bridge on that instance is subscribed.
    static func join(_ gateway: GatewayProcess, _ path: String, as name: String) throws -> TestClient {
        let client = try gateway.openWebSocket(path: path)
        try client.send(FrameBytes.text("\(name): ready"))
        let echo = try texts(client, 1)
        #expect(echo == ["\(name): ready"], "\(name)'s first message")
        return client
    }

    @Test func twoInstancesShareARoomThroughRedis() throws {
        guard access(pythonRedis, F_OK) == 0 else { throw TestFailure("python3-redis is missing: apt-get install python3-redis") }
        let redis = try RedisServer()
        let first = try Self.instance(redis)
        let second = try Self.instance(redis)
        // One after the other: a bridge subscribes when its room's first client joins, so bob's
        // joins after ada's "ready" went by, and eve's after bob's.
        let ada = try Self.join(first, "/lobby", as: "ada")
        let bob = try Self.join(second, "/lobby?nick=bob", as: "bob")
        let eve = try Self.join(second, "/elsewhere", as: "eve")

        try ada.send(FrameBytes.text("ada: hi from 1"))
        let bobSaw = try Self.texts(bob, 1)
        #expect(bobSaw == ["ada: hi from 1"])
        try bob.send(FrameBytes.text("bob: hi from 2"))
        let adaSaw = try Self.texts(ada, 3)
        #expect(adaSaw == ["bob: ready", "ada: hi from 1", "bob: hi from 2"])
        let bobSawToo = try Self.texts(bob, 1)
        #expect(bobSawToo == ["bob: hi from 2"])
        // Were /elsewhere's channel /lobby's, eve would get the lobby's lines before this one.
        try eve.send(FrameBytes.text("eve: anyone?"))
        let eveSaw = try Self.texts(eve, 1)
        #expect(eveSaw == ["eve: anyone?"])

        // The last client leaving closes the bridge's stdin: it unsubscribes and exits 0.
        for client in [ada, bob, eve] {
            try client.send(FrameBytes.close(code: 1000))
            #expect(try client.readFrame().closeCode == 1000)
        }
        try first.process.waitForOutputLine(containing: "Room closed: exit status 0")
        try second.process.waitForOutputLines(containing: "Room closed: exit status 0", count: 2)
        #expect(try redis.command("PUBSUB NUMSUB wsgate:room:/lobby wsgate:room:/elsewhere")
            == "*4\r\n$18\r\nwsgate:room:/lobby\r\n:0\r\n$22\r\nwsgate:room:/elsewhere\r\n:0\r\n")
    }
}
