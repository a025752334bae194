package tasktest_test

import (
	"context"
	"errors"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/internal/tasktest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

var errBoom = errors.New("boom")

func TestDescribe(t *testing.T) {
	tests := []struct {
		name     string
		giveFn   string
		giveSpec []tasktest.Spec
		want     string
	}{
		{"none", "Gather", nil, "Gather()"},
		{"one ok", "AsCompleted", []tasktest.Spec{tasktest.OK("solo", 2*time.Second)}, "AsCompleted(solo after 2s)"},
		{
			"ok and fail", "Gather",
			[]tasktest.Spec{tasktest.OK("a", 3*time.Second), tasktest.Fail(errBoom, 1500*time.Millisecond)},
			`Gather(a after 3s, fails "boom" after 1.5s)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, tasktest.Describe(tt.giveFn, tt.giveSpec))
		})
	}
}

func TestProbeTasks(t *testing.T) {
	tests := []struct {
		name      string
		give      tasktest.Spec
		wantValue string
		wantErr   error
	}{
		{"ok", tasktest.OK("a", 2*time.Second), "a", nil},
		{"fail", tasktest.Fail(errBoom, time.Second), "", errBoom},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				var p tasktest.Probe
				tasks := p.Tasks([]tasktest.Spec{tt.give})
				require.Len(t, tasks, 1)
				assert.Zero(t, p.Started(), "building the tasks starts none")

				start := time.Now()
				got, err := tasks[0](t.Context())
				katatest.Elapsed(t, start, tt.give.Delay, "a task that is not cancelled takes its delay")
				assert.Equal(t, tt.wantValue, got)
				if tt.wantErr == nil {
					assert.NoError(t, err)
				} else {
					assert.ErrorIs(t, err, tt.wantErr)
				}
				assert.Equal(t, 1, p.Started())
				assert.Zero(t, p.Running())
				assert.Zero(t, p.Cancelled())
				assert.Empty(t, p.Causes())
			})
		})
	}
}

func TestProbeCancelled(t *testing.T) {
	tests := []struct {
		name         string
		giveCleanup  time.Duration
		wantReturnAt time.Duration
	}{
		{"default cleanup", 0, time.Second + tasktest.DefaultCleanup},
		{"own cleanup", 2 * time.Second, 3 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				p := tasktest.Probe{Cleanup: tt.giveCleanup}
				tasks := p.Tasks([]tasktest.Spec{tasktest.OK("slow", time.Hour), tasktest.OK("also slow", time.Hour)})
				ctx, cancel := context.WithCancelCause(t.Context())
				type result struct {
					value string
					err   error
					at    time.Duration
				}
				results := make(chan result, len(tasks)) // room for both: no goroutine waits on the test
				start := time.Now()
				for _, task := range tasks {
					go func() {
						v, err := task(ctx)
						results <- result{v, err, time.Since(start)}
					}()
				}

				time.Sleep(time.Second)
				synctest.Wait()
				assert.Equal(t, 2, p.Started())
				assert.Equal(t, 2, p.Running())
				cancel(errBoom)
				synctest.Wait() // both tasks have seen ctx end and are tidying up
				assert.Equal(t, 2, p.Running(), "tidying up, not returned yet")
				assert.Equal(t, 2, p.Cancelled())
				assert.Equal(t, []error{errBoom, errBoom}, p.Causes())

				for range tasks {
					r := <-results
					assert.Empty(t, r.value)
					assert.ErrorIs(t, r.err, context.Canceled)
					assert.Equal(t, tt.wantReturnAt, r.at, "returns after its cleanup time")
				}
				assert.Zero(t, p.Running())
			})
		})
	}
}

func TestProbeCausesIsACopy(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(errBoom)
		_, err := p.Tasks([]tasktest.Spec{tasktest.OK("a", time.Second)})[0](ctx)
		require.ErrorIs(t, err, context.Canceled)

		causes := p.Causes()
		require.Len(t, causes, 1)
		causes[0] = nil
		assert.Equal(t, []error{errBoom}, p.Causes())
	})
}

func TestInstant(t *testing.T) {
	tasks := tasktest.Instant(3)
	require.Len(t, tasks, 3)
	for i, task := range tasks {
		got, err := task(t.Context())
		assert.NoError(t, err)
		assert.Equal(t, i, got)
	}
}

func TestProbeEndedContext(t *testing.T) {
	// A task given a context that has already ended is cancelled, even with no delay: it
	// never returns its value.
	katatest.Bubble(t, func(t *testing.T) {
		var p tasktest.Probe
		ctx, cancel := context.WithCancelCause(t.Context())
		cancel(errBoom)
		start := time.Now()
		got, err := p.Tasks([]tasktest.Spec{tasktest.OK("a", 0)})[0](ctx)
		katatest.Elapsed(t, start, tasktest.DefaultCleanup, "a cancelled task tidies up")
		assert.Empty(t, got)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Equal(t, 1, p.Cancelled())
		assert.Equal(t, []error{errBoom}, p.Causes())
	})
}

func TestStubborn(t *testing.T) {
	// A stubborn task runs to its end, whatever happens to its context.
	katatest.Bubble(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		start := time.Now()
		got, err := tasktest.Stubborn(tasktest.Fail(errBoom, 3*time.Second))(ctx)
		katatest.Elapsed(t, start, 3*time.Second, "a stubborn task ignores its ended context")
		assert.Empty(t, got)
		assert.ErrorIs(t, err, errBoom)

		got, err = tasktest.Stubborn(tasktest.OK("a", time.Second))(ctx)
		assert.Equal(t, "a", got)
		assert.NoError(t, err)
	})
}

func TestMany(t *testing.T) {
	specs := tasktest.Many(3, time.Second)
	assert.Equal(t, []tasktest.Spec{tasktest.OK("0", time.Second), tasktest.OK("1", time.Second), tasktest.OK("2", time.Second)}, specs)
}
