import Foundation

/// Isaac Lab's run folder name: `datetime.now().strftime("%Y-%m-%d_%H-%M-%S")`, local time, plus
/// `_<run_name>` when one is set.
public enum RunName {
    public static func make(at date: Date = Date(), timeZone: TimeZone = .current,
                            suffix: String? = nil) throws(LayoutError) -> PathComponent {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func padded(_ value: Int?, _ width: Int) -> String {
            let digits = String(value ?? 0)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        var name = "\(padded(parts.year, 4))-\(padded(parts.month, 2))-\(padded(parts.day, 2))_"
            + "\(padded(parts.hour, 2))-\(padded(parts.minute, 2))-\(padded(parts.second, 2))"
        if let suffix, !suffix.isEmpty { name += "_\(suffix)" }
        return try PathComponent(name, field: .run)
    }
}
