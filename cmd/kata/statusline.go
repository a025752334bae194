package main

import (
	"fmt"
	"sync"
	"time"
)

// A statusLine shows, on a terminal, one line saying what a long run is doing, redrawn in
// place with the time it has taken so far; it draws nothing when off.
type statusLine struct {
	on    bool
	w     interface{ Write([]byte) (int, error) }
	start time.Time

	mu    sync.Mutex
	msg   string
	drawn bool
	stop  chan struct{}
	done  chan struct{}
}

// startStatus starts redrawing the line every quarter of a second until end is called.
func startStatus(w interface{ Write([]byte) (int, error) }, on bool) *statusLine {
	s := &statusLine{on: on, w: w, start: time.Now(), stop: make(chan struct{}), done: make(chan struct{})}
	if !on {
		close(s.done)
		return s
	}
	go func() {
		defer close(s.done)
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-s.stop:
				return
			case <-tick.C:
				s.draw()
			}
		}
	}()
	return s
}

// set changes what the line says.
func (s *statusLine) set(msg string) {
	if !s.on {
		return
	}
	s.mu.Lock()
	s.msg = msg
	s.mu.Unlock()
	s.draw()
}

func (s *statusLine) draw() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.msg == "" {
		return
	}
	line := fmt.Sprintf("%s (%ds)", s.msg, int(time.Since(s.start).Seconds()))
	if r := []rune(line); len(r) > 100 {
		line = string(r[:99]) + "…"
	}
	fmt.Fprintf(s.w, "\r\x1b[K%s", line)
	s.drawn = true
}

// end stops the line and clears it.
func (s *statusLine) end() {
	if !s.on {
		return
	}
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	<-s.done
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.drawn {
		fmt.Fprint(s.w, "\r\x1b[K")
		s.drawn = false
	}
}
