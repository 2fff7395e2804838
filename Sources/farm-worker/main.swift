print("farm-worker: not yet implemented")
