package wait_test

import (
	"context"
	"fmt"
	"time"

	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/solutions/advanced/wait"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble, so their tasks finish at once. Run them with
// go test ./solutions/advanced/wait.

func ExampleWait() {
	a, finishA := task.New[string]()
	b, finishB := task.New[string]()
	finishB("b", nil) // b is done; a is not

	done, pending := wait.Wait(context.Background(), []*task.Task[string]{a, b}, task.FirstCompleted)
	for _, t := range done {
		v, err := t.Result()
		fmt.Println("done:", v, err)
	}
	for _, t := range pending {
		_, err := t.Result()
		fmt.Println("pending:", err)
	}
	finishA("a", nil)
	// Output:
	// done: b <nil>
	// pending: task not done
}

func ExampleEachDone() {
	var tasks []*task.Task[string]
	for _, name := range []string{"x", "y", "z"} {
		t, finish := task.New[string]()
		finish(name, nil)
		tasks = append(tasks, t)
	}
	err := wait.EachDone(context.Background(), tasks, func(t *task.Task[string]) {
		v, _ := t.Result()
		fmt.Println("handled", v)
	})
	fmt.Println("error:", err)
	// Unordered output:
	// handled x
	// handled y
	// handled z
	// error: <nil>
}

func ExampleRefill() {
	say := func(v string) task.Func[string] {
		return func(context.Context) (string, error) { return v, nil }
	}
	// One slot: each func in more starts when the task before it finishes.
	tasks, err := wait.Refill(context.Background(), []task.Func[string]{say("x")}, []task.Func[string]{say("y"), say("z")})
	for _, t := range tasks {
		v, _ := t.Result()
		fmt.Println(v)
	}
	fmt.Println("error:", err)
	// Output:
	// x
	// y
	// z
	// error: <nil>
}

func ExampleLoop() {
	say := func(v string) task.Func[string] {
		return func(context.Context) (string, error) { return v, nil }
	}
	more := make(chan task.Func[string])
	close(more) // no work from outside
	// The tick is only an upper bound: both tasks finish at once, so the first tick ends
	// then, and nothing waits for the hour.
	tasks, err := wait.Loop(context.Background(), time.Hour, []task.Func[string]{say("x"), say("y")}, more,
		func(done []*task.Task[string], pending int) {
			fmt.Printf("tick: %d done, %d pending\n", len(done), pending)
		})
	fmt.Println(len(tasks), "tasks, error:", err)
	// Output:
	// tick: 2 done, 0 pending
	// 2 tasks, error: <nil>
}
