package a

// Alpha returns 1.
func Alpha() int { return 0 }
