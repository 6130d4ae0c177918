import SealboxCrypto
import Testing
@testable import SealboxDesk

@Suite struct DeskDoorTests {
    let door = DeskDoor(port: 8123)

    @Test func host_ofTheDeskOnLoopback_isAccepted() {
        #expect(door.acceptsHost("127.0.0.1:8123"))
        #expect(door.acceptsHost("localhost:8123"))
        #expect(door.acceptsHost("LOCALHOST:8123"))
        #expect(door.acceptsHost("[::1]:8123"))
    }

    @Test func host_foreignOrWithoutPort_isRefused() {
        #expect(!door.acceptsHost(nil))
        #expect(!door.acceptsHost(""))
        #expect(!door.acceptsHost("127.0.0.1"))
        #expect(!door.acceptsHost("127.0.0.1:8124"))
        #expect(!door.acceptsHost("evil.example:8123"))
        #expect(!door.acceptsHost("127.0.0.1.evil.example:8123"))
        #expect(!door.acceptsHost("localhost:8123@evil"))
    }

    @Test func origin_ofTheDesk_isAccepted() {
        #expect(door.acceptsOrigin(origin: "http://127.0.0.1:8123", referer: nil))
        #expect(door.acceptsOrigin(origin: "http://localhost:8123", referer: "http://evil.example/"))
        #expect(door.acceptsOrigin(origin: nil, referer: "http://127.0.0.1:8123/cases/7KQM-3XWP"))
        #expect(door.acceptsOrigin(origin: nil, referer: "http://127.0.0.1:8123"))
    }

    @Test func origin_null_isAccepted_onlyFromTheBrowsersOwnSameOriginPost() {
        #expect(door.acceptsOrigin(origin: "null", referer: nil, fetchSite: "same-origin"))
        #expect(door.acceptsOrigin(origin: nil, referer: nil, fetchSite: "same-origin"))
        #expect(!door.acceptsOrigin(origin: "null", referer: nil, fetchSite: "cross-site"))
        #expect(!door.acceptsOrigin(origin: "null", referer: nil, fetchSite: "same-site"))
        #expect(!door.acceptsOrigin(origin: "null", referer: nil, fetchSite: "none"))
        #expect(!door.acceptsOrigin(origin: "null", referer: "http://127.0.0.1:8123/", fetchSite: nil))
        #expect(!door.acceptsOrigin(origin: "http://evil.example", referer: nil, fetchSite: "same-origin"))
    }

    @Test func origin_foreignOrMissing_isRefused() {
        #expect(!door.acceptsOrigin(origin: nil, referer: nil))
        #expect(!door.acceptsOrigin(origin: "http://evil.example", referer: "http://127.0.0.1:8123/"))
        #expect(!door.acceptsOrigin(origin: "null", referer: nil))
        #expect(!door.acceptsOrigin(origin: "https://127.0.0.1:8123", referer: nil))
        #expect(!door.acceptsOrigin(origin: "http://127.0.0.1:8124", referer: nil))
        #expect(!door.acceptsOrigin(origin: nil, referer: "http://127.0.0.1:81234/"))
        #expect(!door.acceptsOrigin(origin: nil, referer: "http://127.0.0.1:8123.evil.example/"))
    }

    @Test func formToken_checksForItsPathAndSecretOnly() {
        let secret = SecureBytes.random(count: 32)
        let token = DeskDoor.formToken(secret: secret, path: "/cases/7KQM-3XWP/reply")
        #expect(DeskDoor.checkFormToken(token, secret: secret, path: "/cases/7KQM-3XWP/reply"))
        #expect(!DeskDoor.checkFormToken(token, secret: secret, path: "/cases/7KQM-3XWP/note"))
        #expect(!DeskDoor.checkFormToken(token, secret: SecureBytes.random(count: 32), path: "/cases/7KQM-3XWP/reply"))
        #expect(!DeskDoor.checkFormToken(nil, secret: secret, path: "/lock"))
        #expect(!DeskDoor.checkFormToken("", secret: secret, path: "/lock"))
        #expect(!DeskDoor.checkFormToken("not base64 !", secret: secret, path: "/lock"))
        #expect(!DeskDoor.checkFormToken(String(token.dropLast()), secret: secret, path: "/cases/7KQM-3XWP/reply"))
    }

    @Test func cookie_isFoundByExactName() {
        #expect(DeskDoor.cookie("sealbox_desk", in: "a=1; sealbox_desk=abc; b=2") == "abc")
        #expect(DeskDoor.cookie("sealbox_desk", in: "sealbox_desk_x=1; xsealbox_desk=2") == nil)
        #expect(DeskDoor.cookie("sealbox_desk", in: nil) == nil)
    }

    @Test func secret_matchesOnlyItself() {
        let secret = SecureBytes(copying: Array(repeating: UInt8(7), count: 32))
        let text = Base64URL.encode(Array(repeating: UInt8(7), count: 32))
        #expect(DeskDoor.matches(text, secret))
        #expect(!DeskDoor.matches(Base64URL.encode(Array(repeating: UInt8(8), count: 32)), secret))
        #expect(!DeskDoor.matches(nil, secret))
        #expect(!DeskDoor.matches(text, nil))
        #expect(!DeskDoor.matches("%%%", secret))
    }
}

@Suite struct DeskSessionTests {
    @Test func startSecret_works_once() async {
        let session = DeskSession(idleLock: .seconds(60))
        let secret = await session.startSecretText()
        #expect(secret != nil)
        #expect(await session.start(with: "wrong") == nil)
        let cookie = await session.start(with: secret)
        #expect(cookie?.count == 32)
        #expect(await session.start(with: secret) == nil)
        #expect(await session.startSecretText() == nil)
        let text = cookie!.withUnsafeBytes { Base64URL.encode(Array($0)) }
        #expect(await session.admits(cookie: text))
        #expect(!(await session.admits(cookie: secret)))
        #expect(!(await session.admits(cookie: nil)))
    }

    final class Keys: DeskKeys, @unchecked Sendable {
        var wiped = false
        func wipe() { wiped = true }
    }

    @Test func keys_areWiped_afterTheIdleTime() async throws {
        let session = DeskSession(idleLock: .milliseconds(100))
        let keys = Keys()
        await session.unlocked(keys)
        #expect(await session.useKeys() != nil)
        try await Task.sleep(for: .milliseconds(250))
        #expect(await session.useKeys() == nil)
        #expect(keys.wiped)
    }

    @Test func lock_wipesTheKeys() async {
        let session = DeskSession(idleLock: .seconds(60))
        let keys = Keys()
        await session.unlocked(keys)
        await session.lock()
        #expect(keys.wiped)
        #expect(!(await session.isUnlocked))
    }
}

@Suite struct DeskFormTests {
    @Test func fields_areDecoded() {
        let form = DeskForm(parsing: Array("token=a%2Db&text=Hallo+Welt%0A%C3%A4&empty=&x".utf8))
        #expect(form.text("token") == "a-b")
        #expect(form.text("text") == "Hallo Welt\nä")
        #expect(form.text("empty") == "")
        #expect(form.text("x") == "")
        #expect(form.text("missing") == nil)
    }

    @Test func secret_isCopiedAndEmptyIsNil() {
        var form = DeskForm(parsing: Array("passphrase=p%26ss&empty=".utf8))
        #expect(form.secret("passphrase")?.unsafeCopyBytes == Array("p&ss".utf8))
        #expect(form.secret("empty") == nil)
        form.wipe()
        #expect(form.text("passphrase") == nil)
    }

    @Test func brokenEscapes_stayAsTheyAre() {
        #expect(DeskForm(parsing: Array("a=%zz%4".utf8)).text("a") == "%zz%4")
    }
}
