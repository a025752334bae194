package api_test

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/go-async-katas/katas/internal/katatest"
	"github.com/go-async-katas/katas/part3_busboard/api"
)

func TestLocate(t *testing.T) {
	s, mt := newServices(t)
	mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/SW1Y%204QU",
		httpmock.NewStringResponder(http.StatusOK, bodyHaymarket))

	got, err := s.Postcodes.Locate(t.Context(), "  sw1y   4qu ")
	require.NoError(t, err)
	assert.Equal(t, api.Location{Lat: 51.509364, Lon: -0.132441}, got)
}

func TestLocateErrors(t *testing.T) {
	tests := []struct {
		name       string
		giveStatus int
		giveBody   string
		giveHeader http.Header
		want       error
		wantStatus int
	}{
		{"invalid", http.StatusNotFound, bodyInvalid, nil, api.ErrInvalidPostcode, 404},
		{"unknown", http.StatusNotFound, bodyNotFound, nil, api.ErrPostcodeNotFound, 404},
		{"terminated", http.StatusNotFound, bodyTerminated, nil, api.ErrPostcodeNotFound, 404},
		{"no location", http.StatusOK, bodyNoLocation, nil, api.ErrNoLocation, 0},
		{"server error", http.StatusInternalServerError, bodyServer500, nil, api.ErrUpstream, 500},
		{"bad gateway, not JSON", http.StatusBadGateway, "<html>502</html>", nil, api.ErrUpstream, 502},
		{"rate limited", http.StatusTooManyRequests, `{"status":429}`, http.Header{"Retry-After": {"58"}}, api.ErrRateLimited, 429},
		{"teapot", http.StatusTeapot, `{}`, nil, api.ErrUnexpectedStatus, 418},
		{"malformed", http.StatusOK, `{"status":200,"result":{"latitude":"north"`, nil, api.ErrMalformed, 0},
		{"no result", http.StatusOK, `{"status":200}`, nil, api.ErrMalformed, 0},
		{"too large", http.StatusOK, `{"status":200,"x":"` + strings.Repeat("a", api.MaxBodyBytes) + `"}`, nil, api.ErrMalformed, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, mt := newServices(t)
			mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/AB1%200AA",
				httpmock.NewStringResponder(tt.giveStatus, tt.giveBody).HeaderSet(tt.giveHeader))

			_, err := s.Postcodes.Locate(t.Context(), "AB1 0AA")
			assert.ErrorIs(t, err, tt.want)
			var statusErr *api.StatusError
			if tt.wantStatus == 0 {
				assert.False(t, errors.As(err, &statusErr), "%v: want no *StatusError for a 200", err)
				return
			}
			require.ErrorAs(t, err, &statusErr)
			assert.Equal(t, api.ServicePostcodes, statusErr.Service)
			assert.Equal(t, tt.wantStatus, statusErr.StatusCode)
		})
	}
}

func TestLocateTerminated(t *testing.T) {
	s, mt := newServices(t)
	mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/AB1%200AA",
		httpmock.NewStringResponder(http.StatusNotFound, bodyTerminated))

	_, err := s.Postcodes.Locate(t.Context(), "ab1 0aa")
	var terminated *api.TerminatedError
	require.ErrorAs(t, err, &terminated)
	assert.Equal(t, api.TerminatedError{Postcode: "AB1 0AA", Year: 1996, Month: 6}, *terminated)
}

func TestLocateRetryAfter(t *testing.T) {
	s, mt := newServices(t)
	mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/N9%200AB",
		httpmock.NewStringResponder(http.StatusTooManyRequests, "").HeaderSet(http.Header{"Retry-After": {"58"}}))

	_, err := s.Postcodes.Locate(t.Context(), "N9 0AB")
	var statusErr *api.StatusError
	require.ErrorAs(t, err, &statusErr)
	assert.Equal(t, 58*time.Second, statusErr.RetryAfter)
}

func TestLocateInvalidWithoutRequest(t *testing.T) {
	for _, give := range []string{"", "   ", "SW1A-2AA", "../admin", "SW1A 2AA?x=1", "ＳＷ1", strings.Repeat("A", 17)} {
		t.Run(give, func(t *testing.T) {
			s, mt := newServices(t)
			_, err := s.Postcodes.Locate(t.Context(), give)
			assert.ErrorIs(t, err, api.ErrInvalidPostcode)
			assert.Zero(t, mt.GetTotalCallCount(), "text that cannot be a postcode needs no request")
		})
	}
}

func TestLocateUnreachable(t *testing.T) {
	s, mt := newServices(t)
	mt.RegisterNoResponder(httpmock.ConnectionFailure)

	_, err := s.Postcodes.Locate(t.Context(), "N9 0AB")
	assert.ErrorIs(t, err, api.ErrUnreachable)
	assert.NotErrorIs(t, err, api.ErrUpstream)
	var unreachable *api.UnreachableError
	if assert.ErrorAs(t, err, &unreachable) {
		assert.Equal(t, api.ServicePostcodes, unreachable.Service, "the error names the service that could not be reached")
	}
}

func TestLocateContext(t *testing.T) {
	katatest.Bubble(t, func(t *testing.T) {
		s, mt := newServices(t)
		mt.RegisterResponder(http.MethodGet, postcodesBase+"/postcodes/N9%200AB",
			httpmock.NewStringResponder(http.StatusOK, bodyHaymarket).Delay(time.Minute))
		ctx, cancel := context.WithTimeout(t.Context(), 2*time.Second)
		defer cancel()

		start := time.Now()
		_, err := s.Postcodes.Locate(ctx, "N9 0AB")
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.NotErrorIs(t, err, api.ErrUnreachable, "a timeout is not a network failure")
		katatest.Elapsed(t, start, 2*time.Second, "Locate must give up when its context ends")
	})
}

func TestPostcodesURL(t *testing.T) {
	tests := []struct {
		give     string
		giveBase string
		want     string
	}{
		{"sw1a 2aa", "", "https://api.postcodes.io/postcodes/SW1A%202AA"},
		{"\tN9    0ab\n", "https://example.test/v1/", "https://example.test/v1/postcodes/N9%200AB"},
	}
	for _, tt := range tests {
		t.Run(tt.give, func(t *testing.T) {
			p := api.Postcodes{BaseURL: tt.giveBase}
			got, err := p.URL(tt.give)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.String())
		})
	}
}

// FuzzPostcodeURL checks that no text a person types can panic the client or change
// anything but the last path segment of the request.
func FuzzPostcodeURL(f *testing.F) {
	for _, s := range []string{"SW1A 2AA", " n9 0ab ", "", "../../etc/passwd", "a/b", "a?b#c", "%2F", "..",
		"AB1 0AA\x00", "\xff\xfe", "ＳＷ1Ａ", "🚌", "SW1A\t2AA", strings.Repeat("Z", 100)} {
		f.Add(s)
	}
	p := api.Postcodes{BaseURL: "https://postcodes.test/base"}
	f.Fuzz(func(t *testing.T, give string) {
		u, err := p.URL(give)
		if err != nil {
			if !errors.Is(err, api.ErrInvalidPostcode) {
				t.Fatalf("URL(%q) error = %v, want one wrapping ErrInvalidPostcode", give, err)
			}
			return
		}
		pc, err := api.NormalizePostcode(give)
		if err != nil {
			t.Fatalf("URL(%q) succeeded but NormalizePostcode failed: %v", give, err)
		}
		if u.Host != "postcodes.test" || u.RawQuery != "" || u.Fragment != "" {
			t.Fatalf("URL(%q) = %s: the input changed the host, query or fragment", give, u)
		}
		wantPath := "/base/postcodes/" + url.PathEscape(pc)
		if got := u.EscapedPath(); got != wantPath {
			t.Fatalf("URL(%q) path = %s, want %s", give, got, wantPath)
		}
		back, err := url.Parse(u.String())
		if err != nil || back.Path != "/base/postcodes/"+pc {
			t.Fatalf("URL(%q) = %s does not round-trip to the postcode %q", give, u, pc)
		}
	})
}
