extension StoredRun {
    /// A run id: the UTC start time to the second, then a short suffix that tells apart runs
    /// started in the same second, e.g. `20261126-023820-ab12`. Ids sort by start time, so a
    /// folder listing of `.testshard/runs/` reads in order.
    ///
    /// - Parameters:
    ///   - startedAt: Unix seconds.
    ///   - suffix: a few random lowercase hex characters chosen by the caller (this function reads
    ///     no clock and no random source).
    public static func makeID(startedAt: Double, suffix: String) -> String {
        let seconds = Int64(startedAt.rounded(.down))
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        let hour = secondOfDay / 3600
        let minute = (secondOfDay % 3600) / 60
        let second = secondOfDay % 60
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "-" + pad(hour, 2) + pad(minute, 2) + pad(second, 2) + "-"
            + suffix
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (H. Hinnant's `civil_from_days`), so the
    /// id does not depend on the host's calendar or time-zone settings.
    private static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func pad(_ value: Int64, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
