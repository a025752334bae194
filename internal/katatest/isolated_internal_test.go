package katatest

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A race in a child's output keeps both accesses with the learner's frames, however many
// frames of the harness and the testing package come before the second one.
func TestChildFailuresRace(t *testing.T) {
	out := []string{
		"=== RUN   TestRun",
		"=== RUN   TestRun/seed",
		"==================",
		"WARNING: DATA RACE",
		"Read at 0x00c000097578 by goroutine 12:",
		"  github.com/go-async-katas/katas/advanced/chain.Run()",
		"      /work/main/advanced/chain/chain.go:52 +0x364",
		"  github.com/go-async-katas/katas/advanced/chain_test.runChain()",
		"      /work/main/advanced/chain/main_test.go:30 +0x204",
		"  github.com/go-async-katas/katas/internal/katatest.runBubble.func2()",
		"      /work/main/internal/katatest/bubble.go:77 +0x123",
		"  testing.tRunner()",
		"      /usr/local/go/src/testing/testing.go:2036 +0x21c",
		"  testing.testingSynctestTest.gowrap1()",
		"      /usr/local/go/src/testing/testing.go:2150 +0x38",
		"",
		"Previous write at 0x00c000097578 by goroutine 15:",
		"  github.com/go-async-katas/katas/advanced/chain.Run.func1.1()",
		"      /work/main/advanced/chain/chain.go:44 +0x5c",
		"  github.com/go-async-katas/katas/advanced/chain.(*Task).run()",
		"      /work/main/advanced/chain/task.go:45 +0x1a4",
		"",
		"Goroutine 15 (running) created at:",
		"  github.com/go-async-katas/katas/advanced/chain.Start()",
		"      /work/main/advanced/chain/task.go:28 +0x1f0",
		"==================",
		"    testing.go:1712: race detected during execution of test",
		"--- FAIL: TestRun (0.03s)",
		"    --- FAIL: TestRun/seed (0.01s)",
	}
	assert.Equal(t, "seed:\n"+
		"WARNING: DATA RACE\n"+
		"  Read at 0x00c000097578 by goroutine 12:\n"+
		"    chain.Run (chain.go:52)\n"+
		"  Previous write at 0x00c000097578 by goroutine 15:\n"+
		"    chain.Run.func1.1 (chain.go:44)\n"+
		"    chain.(*Task).run (task.go:45)\n"+
		"    testing.go:1712: race detected during execution of test",
		childFailures("TestRun", out))
}
