package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"
)

// PostcodesBaseURL is where postcodes.io lives.
const PostcodesBaseURL = "https://api.postcodes.io"

// maxPostcodeLen is longer than any real postcode ("SW1A 2AA" is 8): anything longer is
// rejected without asking postcodes.io.
const maxPostcodeLen = 16

// Location is a point on the map, in degrees.
type Location struct {
	Lat, Lon float64
}

// Postcodes is a client for postcodes.io. The zero value uses PostcodesBaseURL and
// http.DefaultClient. It is safe for concurrent use.
type Postcodes struct {
	BaseURL string       // "" means PostcodesBaseURL
	HTTP    *http.Client // nil means http.DefaultClient
}

// NormalizePostcode tidies what a person typed: surrounding and repeated spaces go, letters
// become upper case ("  sw1a   2aa " → "SW1A 2AA"). It returns ErrInvalidPostcode, without
// asking anyone, for text that cannot be a postcode: empty, too long, or holding anything but
// ASCII letters, digits and spaces.
func NormalizePostcode(s string) (string, error) {
	pc := strings.ToUpper(strings.Join(strings.Fields(s), " "))
	valid := pc != "" && len(pc) <= maxPostcodeLen && !strings.ContainsFunc(pc, func(r rune) bool {
		return !('A' <= r && r <= 'Z' || '0' <= r && r <= '9' || r == ' ')
	})
	if !valid {
		return "", fmt.Errorf("%q: %w", truncate(s, 40), ErrInvalidPostcode)
	}
	return pc, nil
}

// URL returns the lookup URL for what a person typed: the normalized postcode, path-escaped,
// under the base URL. It is the only way user input reaches a request, so whatever the text,
// it can only change the last path segment.
func (p *Postcodes) URL(postcode string) (*url.URL, error) {
	pc, err := NormalizePostcode(postcode)
	if err != nil {
		return nil, err
	}
	base, err := parseBase(ServicePostcodes, cmpOr(p.BaseURL, PostcodesBaseURL))
	if err != nil {
		return nil, err
	}
	u := *base
	u.Path = base.Path + "/postcodes/" + pc
	u.RawPath = base.EscapedPath() + "/postcodes/" + url.PathEscape(pc)
	u.RawQuery, u.Fragment = "", ""
	return &u, nil
}

// Locate looks up where postcode is. Errors: ErrInvalidPostcode, ErrPostcodeNotFound (and
// *TerminatedError for a postcode no longer in use, which postcodes.io reports since its
// release 17.7.0 of December 2025: an older or self-hosted server answers a terminated
// postcode with a plain "Postcode not found"), ErrNoLocation, or one of the classes every
// request can end in (see the package's errors).
func (p *Postcodes) Locate(ctx context.Context, postcode string) (Location, error) {
	u, err := p.URL(postcode)
	if err != nil {
		return Location{}, err
	}
	var body struct {
		Result *struct {
			Postcode  string   `json:"postcode"`
			Latitude  *float64 `json:"latitude"`
			Longitude *float64 `json:"longitude"`
		} `json:"result"`
	}
	if err := get(ctx, p.HTTP, ServicePostcodes, u, &body, classifyPostcodes); err != nil {
		return Location{}, err
	}
	r := body.Result
	if r == nil {
		return Location{}, fmt.Errorf("%s: %w: no result", ServicePostcodes, ErrMalformed)
	}
	if r.Latitude == nil || r.Longitude == nil {
		return Location{}, fmt.Errorf("%s: %s: %w", ServicePostcodes, r.Postcode, ErrNoLocation)
	}
	return Location{Lat: *r.Latitude, Lon: *r.Longitude}, nil
}

// classifyPostcodes picks the class of a postcodes.io error response. postcodes.io has no
// error codes, only its message, so this is the one place a message text is read: at the
// boundary, once, turned into a sentinel everyone else can match by identity.
func classifyPostcodes(status int, body []byte) (string, error) {
	var e struct {
		Error      string `json:"error"`
		Terminated *struct {
			Postcode string `json:"postcode"`
			Year     int    `json:"year_terminated"`
			Month    int    `json:"month_terminated"`
		} `json:"terminated"`
	}
	_ = json.Unmarshal(body, &e) // a body that is not JSON just leaves e empty
	msg := truncate(e.Error, 200)
	if status != http.StatusNotFound {
		return msg, classifyStatus(status)
	}
	switch {
	case e.Terminated != nil:
		t := e.Terminated
		return msg, &TerminatedError{Postcode: t.Postcode, Year: t.Year, Month: t.Month}
	case strings.EqualFold(e.Error, "Invalid postcode"):
		return msg, ErrInvalidPostcode
	default:
		return msg, ErrPostcodeNotFound
	}
}

// cmpOr returns s, or def when s is empty.
func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// truncate shortens s to at most n bytes, on a rune boundary.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}
