package third

// Three returns 3.
func Three() int { return 3 }
