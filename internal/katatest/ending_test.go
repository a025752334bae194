package katatest_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/internal/katatest"
)

func TestEndings(t *testing.T) {
	errStop := errors.New("stop")
	endings := katatest.Endings(1500*time.Millisecond, errStop)
	assert.Len(t, endings, 2)
	for _, e := range endings {
		t.Run(e.Name, func(t *testing.T) {
			katatest.Bubble(t, func(t *testing.T) {
				start := time.Now()
				ctx, stop := e.Start(t.Context())
				defer stop()
				<-ctx.Done()
				katatest.Elapsed(t, start, 1500*time.Millisecond, e.How)
				assert.ErrorIs(t, ctx.Err(), e.Err)
				assert.ErrorIs(t, context.Cause(ctx), e.Cause)
			})
		})
	}
	assert.Equal(t, "a ctx that times out at 1.5s", endings[0].How)
	assert.Equal(t, "a ctx cancelled at 1.5s with a cause", endings[1].How)
}
