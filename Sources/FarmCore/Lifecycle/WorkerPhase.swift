/// A worker's state by name, as the coordinator's `WorkerState` holds it, the store keeps it and
/// the wire's worker record reports it:
/// - `connecting`: known from the store after a coordinator restart, with a clip dispatched to it,
///   and not heard from yet;
/// - `idle`, `rendering`, `draining`: as its heartbeats say (`draining`: SIGTERM received, finishing
///   its clip, taking no new one);
/// - `lost`: silent past the liveness window, may come back with READY; `gone`: said goodbye.
public enum WorkerPhase: String, Sendable, Codable, CaseIterable {
    case connecting, idle, rendering, draining, lost, gone
}
