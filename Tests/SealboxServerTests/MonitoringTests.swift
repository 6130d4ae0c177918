import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import SealboxCore
@testable import SealboxServer
import Testing

/// /metrics and /readyz on the staff listener: totals only, unsigned only on loopback.
@Suite struct MonitoringTests {
    @Test func onALoopbackStaffListener_metricsCountAnswersByClass_andReadyzIsReady() async throws {
        let t = try TestDaemon()
        defer { t.remove() }
        try await t.publicApp.test(.router) { client in
            try await client.execute(uri: "/nirgends", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/api/v1/reports", method: .post, headers: jsonHeaders(),
                                     body: ByteBuffer(string: #"{"text":"Zählung"}"#)) { #expect($0.status == .created) }
        }
        try await t.staffApp.test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains("sealbox_build_info{version=\"\(SealboxRelease.version)\"} 1\n"))
                #expect(text.contains("sealbox_http_responses_total{route=\"public_form\",status=\"404\"} 1\n"))
                #expect(text.contains("sealbox_http_responses_total{route=\"public_api\",status=\"2xx\"} 1\n"))
                #expect(text.contains("# TYPE sealbox_kdf_pool_wait_seconds summary\n"))
                #expect(!text.contains("nirgends"))
            }
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok && String(buffer: response.body) == "ready\n")
            }
            try await client.execute(uri: "/api/v1/staff/cases", method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func onAStaffListenerBeyondLoopback_theProbesNeedASignature() async throws {
        let t = try TestDaemon(configure: { $0.staffListen = ListenAddress(host: "0.0.0.0", port: 0) })
        defer { t.remove() }
        try await t.staffApp.test(.router) { client in
            for path in ["/metrics", "/readyz"] {
                try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: path, method: .get, headers: t.signedHeaders(method: "GET", path: path)) {
                    #expect($0.status == .ok)
                }
            }
        }
    }
}
