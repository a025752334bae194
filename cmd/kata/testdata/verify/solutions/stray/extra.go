package stray

// Extra is not in the stub package.
func Extra() {}
