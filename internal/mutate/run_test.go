package mutate

import (
	"errors"
	"testing"
)

func TestFailureLine(t *testing.T) {
	tests := []struct {
		name string
		give string
		want string
	}{
		{
			name: "test",
			give: "--- FAIL: TestWrap (0.00s)\n    wrap_test.go:10: Wrap(here, ErrBoom) = here: boom\nFAIL\n",
			want: "TestWrap: wrap_test.go:10: Wrap(here, ErrBoom) = here: boom",
		},
		{
			name: "subtest",
			give: "--- FAIL: TestTask (0.00s)\n    --- FAIL: TestTask/cancel (0.00s)\n        task_test.go:5: Wait() = nil\nFAIL\n",
			want: "TestTask/cancel: task_test.go:5: Wait() = nil",
		},
		{
			name: "race",
			give: "==================\nWARNING: DATA RACE\nWrite at 0x00c000012345 by goroutine 7:\n--- FAIL: TestSum (0.00s)\n    testing.go:1490: race detected during execution of test\n",
			want: "a data race",
		},
		{
			name: "hang",
			give: "--- HANG: TestLoop (no progress for 3s of real time)\n  goroutine 7 [sync.Mutex.Lock]:\n",
			want: "--- HANG: TestLoop (no progress for 3s of real time)",
		},
		{
			name: "nothing known",
			give: "exit status 2\n",
			want: "exit status 2",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := failureLine(tt.give, errors.New("exit status 2")); got != tt.want {
				t.Errorf("failureLine = %q, want %q", got, tt.want)
			}
		})
	}
}
