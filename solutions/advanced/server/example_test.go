package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/go-async-katas/katas/advanced/server/memnet"
	"github.com/go-async-katas/katas/solutions/advanced/server"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble. Run them with go test ./solutions/advanced/server.

// ExampleServe serves on the given in-memory listener (no network): Serve takes any
// net.Listener, a loopback TCP one in a real program.
func ExampleServe() {
	ln := memnet.Listen()
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1) // size one: the goroutine can finish before we read it
	go func() {
		served <- server.Serve(ctx, ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "hello")
		}), time.Second) // nothing is in flight at shutdown, so the grace period is not waited
	}()

	tr := ln.Transport()
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: time.Second} // a guard only: the answer comes at once
	if resp, err := client.Get("http://" + ln.Addr().String() + "/"); err != nil {
		fmt.Println("request failed:", err)
	} else {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		fmt.Println(resp.StatusCode, string(body))
	}

	cancel()
	fmt.Println("Serve returned:", <-served)
	// Output:
	// 200 hello
	// Serve returned: <nil>
}
