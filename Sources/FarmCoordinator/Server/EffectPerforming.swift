/// Carries out the scheduler's effects (sends TASK and CANCEL, logs, counts): the loop, which owns
/// the sockets. The coordinator's parts hand it the effects of what they asked the scheduler, in
/// the order they got them, before they answer.
protocol EffectPerforming: AnyObject {
    func perform(_ effects: [SchedulerEffect]) throws
}
