/// Run ownership on an authenticated farm: a run folder belongs to the client key that first
/// submitted a job into it. Another client key may not submit into it (so it can neither file nor,
/// through `keep_last_n_clips`, delete there) nor fetch its clips; operator keys may do all three.
/// An open farm has no keys and no owners.
struct RunOwnership {
    let store: CoordinatorStore
    let security: CoordinatorSecurity?

    /// Why `clientKey` may not `action` the run folder, or nil when it may.
    func refusal(workflow: String, task: String, run: String, clientKey: String?,
                 action: String) throws(StoreError) -> String? {
        guard let clientKey, security?.isOperator(clientKey) != true,
              let owner = try store.runOwner(workflow: workflow, task: task, run: run), owner != clientKey else { return nil }
        return "run folder \(workflow)/\(task)/\(run) belongs to client key \(owner), which first submitted into it; "
            + "another client key may not \(action) it (an operator key may)"
    }

    /// Records `clientKey` as the run folder's owner if it has none (operators claim nothing).
    func claim(workflow: String, task: String, run: String, clientKey: String?) throws(StoreError) {
        guard let clientKey, security?.isOperator(clientKey) != true else { return }
        try store.claimRun(workflow: workflow, task: task, run: run, owner: clientKey)
    }
}
