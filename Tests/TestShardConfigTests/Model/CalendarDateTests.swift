import Foundation
import Testing

@testable import TestShardConfig

@Suite struct CalendarDateTests {
    @Test(arguments: ["2025-03-01", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"])
    func validDatesRoundTrip(_ text: String) throws {
        #expect(try #require(CalendarDate(text)).description == text)
    }

    @Test(arguments: [
        "2025-02-29", "1900-02-29", "2025-13-01", "2025-04-31", "2025-00-10", "25-03-01", "2025-3-1", "2025/03/01",
        "2025-03-01T00:00", "", "２０２５-03-01",
    ])
    func invalidDatesAreRefused(_ text: String) {
        #expect(CalendarDate(text) == nil)
    }

    @Test func datesOrderByDay() throws {
        let a = try #require(CalendarDate("2024-12-31"))
        let b = try #require(CalendarDate("2025-01-01"))
        #expect(a < b)
        #expect(!(b < a))
    }

    @Test func theDayOfAnInstantDependsOnTheTimeZone() throws {
        let instant = Date(timeIntervalSince1970: 1_740_787_200 - 3600)  // 2025-02-28T23:00:00Z
        #expect(CalendarDate(instant, timeZone: try #require(TimeZone(identifier: "UTC"))).description == "2025-02-28")
        #expect(
            CalendarDate(instant, timeZone: try #require(TimeZone(identifier: "Europe/Berlin"))).description
                == "2025-03-01"
        )
    }
}
