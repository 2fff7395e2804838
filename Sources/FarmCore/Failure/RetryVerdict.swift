/// Whether another worker could succeed where this one failed, decided where each error type is
/// defined: by what the error means, not by which module threw it. A bad input (a step outside the
/// rollout, an odd frame size) fails on every worker, so it says `false`; trouble with this worker's
/// device, driver, encoder or disk says `true`.
public protocol RetryVerdict: Error {
    var retryElsewhere: Bool { get }
}

/// The verdict for any error a clip producer throws: its own, or `true` for an error that gives none
/// (unknown trouble is taken as this worker's, so the clip gets its retries on other workers).
public func retryElsewhere(after error: any Error) -> Bool {
    (error as? any RetryVerdict)?.retryElsewhere ?? true
}
