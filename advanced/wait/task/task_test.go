package task_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/wait/task"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

var errBoom = errors.New("boom")

func TestNew(t *testing.T) {
	tk, finish := task.New[string]()
	_, err := tk.Result()
	assert.ErrorIs(t, err, task.ErrNotDone, "before finish")
	select {
	case <-tk.Done():
		t.Fatal("Done closed before finish")
	default:
	}

	finish("a", errBoom)
	finish("b", nil) // ignored: only the first call counts
	<-tk.Done()
	got, err := tk.Result()
	assert.Equal(t, "a", got)
	assert.ErrorIs(t, err, errBoom)
}

func TestStartSleep(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		start := time.Now()
		tk := task.Start(t.Context(), task.Sleep(3*time.Second, "a"))
		_, err := tk.Result()
		assert.ErrorIs(t, err, task.ErrNotDone, "straight after Start")
		<-tk.Done()
		katatest.Elapsed(t, start, 3*time.Second, "Sleep(3s) takes 3s")
		got, err := tk.Result()
		assert.NoError(t, err)
		assert.Equal(t, "a", got)
	})
}

func TestSleepCancelled(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		cause := errors.New("stop")
		ctx, cancel := context.WithCancelCause(t.Context())
		start := time.Now()
		tk := task.Start(ctx, task.Sleep(3*time.Second, "a"))
		time.Sleep(time.Second)
		cancel(cause)
		<-tk.Done()
		katatest.Elapsed(t, start, time.Second, "Sleep returns when ctx ends")
		got, err := tk.Result()
		assert.Empty(t, got)
		assert.ErrorIs(t, err, cause)
	})
}

func TestUntilString(t *testing.T) {
	assert.Equal(t, "AllCompleted", task.AllCompleted.String())
	assert.Equal(t, "FirstCompleted", task.FirstCompleted.String())
	assert.Equal(t, "FirstError", task.FirstError.String())
	assert.Equal(t, "Until(?)", task.Until(9).String())
}
