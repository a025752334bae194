package concurrency_test

import (
	"fmt"
	"os"

	"github.com/go-async-katas/katas/part1_concurrency/loader"
	concurrency "github.com/go-async-katas/katas/solutions/part1_concurrency"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble: the kata's tests check the timing on fake time. Run them with
// go test ./solutions/part1_concurrency.

func ExampleSumConcurrent() {
	// No delays: examples run on the real clock.
	sum := concurrency.SumConcurrent(os.Stdout, 0, 0)
	fmt.Println(sum)
	// Unordered output:
	// number 4 is loading...
	// number 8 is loading...
	// ...number 4 has loaded
	// ...number 8 has loaded
	// 12
}

func ExampleLoadAll() {
	// No delays: examples run on the real clock.
	results := concurrency.LoadAll(os.Stdout, []loader.Job{{N: 1}, {N: 2}})
	fmt.Println(results)
	// Unordered output:
	// number 1 is loading...
	// number 2 is loading...
	// ...number 1 has loaded
	// ...number 2 has loaded
	// [1 2]
}
