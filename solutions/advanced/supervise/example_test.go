package supervise_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/go-async-katas/katas/solutions/advanced/supervise"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble. Run them with go test ./solutions/advanced/supervise.

func ExampleCatch() {
	err := supervise.Catch(func() error { panic("boom") })
	fmt.Println("Catch returned:", err)
	// Output: Catch returned: panic: boom
}

// ExampleSupervisor is the seed's ex_5_2: the short task's error reaches the handler, though
// main only waits for everything to finish.
func ExampleSupervisor() {
	errBoom := errors.New("some exception happened") // the seed's "Some exception happened!"

	fmt.Println("main started")
	s := supervise.New(context.Background(), func(err error) {
		fmt.Println("handler:", err)
	})
	s.Go("shorter", func(ctx context.Context) error {
		fmt.Println("shorter: about to fail")
		return errBoom
	})
	s.Go("longer", func(ctx context.Context) error {
		// The seed sleeps here; an example runs on the real clock, so this one does not.
		// The output is unordered anyway: the tasks run at the same time.
		fmt.Println("longer: working")
		fmt.Println("longer: done")
		return nil
	})
	s.Wait()
	fmt.Println("main done")
	// Unordered output:
	// main started
	// shorter: about to fail
	// handler: task "shorter": some exception happened
	// longer: working
	// longer: done
	// main done
}
