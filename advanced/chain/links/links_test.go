package links_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/go-async-katas/katas/advanced/chain/links"
	"github.com/go-async-katas/katas/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

var errBoom = errors.New("boom")

func TestLinkError(t *testing.T) {
	err := fmt.Errorf("chain: %w", &links.LinkError{Link: 2, Err: errBoom})

	assert.ErrorIs(t, err, errBoom)
	var linkErr *links.LinkError
	if assert.ErrorAs(t, err, &linkErr) {
		assert.Equal(t, 2, linkErr.Link)
	}
	assert.EqualError(t, err, "chain: link 2: boom")
}

func TestLog(t *testing.T) {
	var log links.Log
	assert.Empty(t, log.Entries(), "nothing recorded yet")

	log.Add("task%d got %d", 1, 0)
	log.Add("callback1")
	got := log.Entries()
	assert.Equal(t, []string{"task1 got 0", "callback1"}, got)

	got[0] = "changed"
	assert.Equal(t, "task1 got 0", log.Entries()[0], "Entries returns a copy")
}

func TestLogConcurrent(t *testing.T) {
	var log links.Log
	var wg sync.WaitGroup
	for i := range 10 {
		wg.Go(func() { log.Add("event %d", i) })
	}
	wg.Wait()
	assert.Len(t, log.Entries(), 10)
}
