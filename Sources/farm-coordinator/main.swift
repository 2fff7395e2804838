print("farm-coordinator: not yet implemented")
