package mutate

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRealTree runs the check on the repository itself when KATA_MUTATE is set: its flags
// and packages, split on blanks (KATA_MUTATE=1 for all).
func TestRealTree(t *testing.T) {
	env := os.Getenv("KATA_MUTATE")
	if env == "" {
		t.Skip("set KATA_MUTATE=1 (or to flags and packages) to run the mutation check on the repository")
	}
	var args []string
	if env != "1" {
		args = strings.Fields(env)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if err := Command(t.Context(), root, args, os.Stdout, os.Stderr); err != nil {
		t.Error(err)
	}
}
