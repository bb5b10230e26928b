import Testing

@testable import TestShardCoordinatorKit

@Suite struct HandshakeAdmissionTests {
    @Test func oneAddressCannotTakeMoreThanItsShare() {
        var admission = HandshakeAdmission(limits: .init(total: 10, perHost: 3))
        for _ in 0..<3 { #expect(admission.admit(host: "10.0.0.9") == .admitted) }
        #expect(admission.admit(host: "10.0.0.9") == .tooManyFromHost(pending: 3, limit: 3))
        // Other addresses still get in.
        #expect(admission.admit(host: "10.0.0.2") == .admitted)
    }

    @Test func theTotalIsBoundedOverAllAddresses() {
        var admission = HandshakeAdmission(limits: .init(total: 2, perHost: 5))
        #expect(admission.admit(host: "a") == .admitted)
        #expect(admission.admit(host: "b") == .admitted)
        #expect(admission.admit(host: "c") == .tooManyInTotal(pending: 2, limit: 2))
    }

    @Test func aReleasedSlotCanBeTakenAgain() {
        var admission = HandshakeAdmission(limits: .init(total: 2, perHost: 1))
        #expect(admission.admit(host: "a") == .admitted)
        #expect(admission.admit(host: "a") != .admitted)
        admission.release(host: "a")
        #expect(admission.admit(host: "a") == .admitted)
        #expect(admission.pendingTotal == 1)
    }

    @Test func aReleaseWithoutAnAdmitChangesNothing() {
        var admission = HandshakeAdmission(limits: .init(total: 1, perHost: 1))
        admission.release(host: "never-admitted")
        #expect(admission.pendingTotal == 0)
        #expect(admission.admit(host: "a") == .admitted)
        #expect(admission.admit(host: "b") == .tooManyInTotal(pending: 1, limit: 1))
    }
}
