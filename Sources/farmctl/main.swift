print("farmctl: not yet implemented")
