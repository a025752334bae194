package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// MaxBodyBytes is the most the clients read of a response body. A larger successful body is
// reported as ErrMalformed rather than read into memory.
const MaxBodyBytes = 1 << 20

// get sends a GET for u with ctx and decodes a 2xx body into out. A non-2xx status becomes a
// *StatusError whose class classify picks from the status and body.
func get(ctx context.Context, hc *http.Client, service string, u *url.URL, out any,
	classify func(status int, body []byte) (msg string, class error)) error {
	if hc == nil {
		hc = http.DefaultClient
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return fmt.Errorf("%s: build request: %w", service, err)
	}
	req.Header.Set("Accept", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return requestError(ctx, service, err)
	}
	defer resp.Body.Close()

	// Read one byte more than the limit, to tell "exactly the limit" from "too large".
	body, err := io.ReadAll(io.LimitReader(resp.Body, MaxBodyBytes+1))
	if err != nil {
		return requestError(ctx, service, err)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		msg, class := classify(resp.StatusCode, body)
		return &StatusError{
			Service:    service,
			StatusCode: resp.StatusCode,
			Message:    msg,
			RetryAfter: retryAfter(resp.Header.Get("Retry-After")),
			Err:        class,
		}
	}
	if len(body) > MaxBodyBytes {
		return fmt.Errorf("%s: %w: body larger than %d bytes", service, ErrMalformed, MaxBodyBytes)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: %w: %w", service, ErrMalformed, err)
	}
	return nil
}

// requestError wraps a failure to get or read a response: the context's error when ctx
// ended (so errors.Is finds context.Canceled or context.DeadlineExceeded), otherwise an
// *UnreachableError naming the service. Query strings are removed from any URL in it, so no key is ever printed.
func requestError(ctx context.Context, service string, err error) error {
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		ue.URL = withoutQuery(ue.URL)
	}
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", service, err) // err wraps ctx.Err()
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w", service, err) // a timeout of the http.Client itself
	}
	return &UnreachableError{Service: service, Err: err}
}

// withoutQuery returns raw with its query string and fragment removed.
func withoutQuery(raw string) string {
	base, _, _ := strings.Cut(raw, "?")
	base, _, _ = strings.Cut(base, "#")
	return base
}

// retryAfter parses a Retry-After header given in seconds; anything else is 0.
func retryAfter(h string) time.Duration {
	secs, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || secs < 0 {
		return 0
	}
	return time.Duration(secs) * time.Second
}

// classifyStatus returns the class every service shares for status: ErrRateLimited,
// ErrUpstream, or ErrUnexpectedStatus.
func classifyStatus(status int) error {
	switch {
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status >= 500:
		return ErrUpstream
	default:
		return ErrUnexpectedStatus
	}
}

// parseBase parses a configured base URL, such as "https://api.postcodes.io".
func parseBase(service, base string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("%s: bad base URL %q", service, base)
	}
	return u, nil
}
