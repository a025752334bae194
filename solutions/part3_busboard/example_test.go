package busboard_test

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/jarcoal/httpmock"

	"github.com/go-async-katas/katas/part3_busboard/api"
	busboard "github.com/go-async-katas/katas/solutions/part3_busboard"
)

// The examples live with the solutions because they run on the real clock, outside any
// synctest bubble: the kata's tests check the timing on fake time. Run them with
// go test ./solutions/part3_busboard.

func ExampleBackground() {
	read := func() (string, error) { return "SW1Y 4QU", nil } // imagine a read from the terminal
	line, err := busboard.Background(context.Background(), read)
	fmt.Println(line, err)

	ctx, cancel := context.WithCancel(context.Background())
	cancel() // Ctrl-C before we even started
	line, err = busboard.Background(ctx, read)
	fmt.Printf("%q %v\n", line, err)
	// Output:
	// SW1Y 4QU <nil>
	// "" context canceled
}

func ExampleBoards() {
	// The services' requests go to a mock transport that answers at once, as the real
	// postcodes.io and TfL would: no network, no waiting.
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(http.MethodGet, api.PostcodesBaseURL+"/postcodes/SW1Y%204QU",
		httpmock.NewStringResponder(http.StatusOK, `{"status":200,"result":{"postcode":"SW1Y 4QU","longitude":-0.132441,"latitude":51.509364}}`))
	mt.RegisterResponder(http.MethodGet, api.TfLBaseURL+"/StopPoint",
		httpmock.NewStringResponder(http.StatusOK, `{"stopPoints":[
			{"naptanId":"490007960L","indicator":"Stop L","commonName":"Piccadilly Circus  Haymarket","distance":73.497},
			{"naptanId":"490007960P","indicator":"Stop P","commonName":"Haymarket / Charles II Street","distance":62.518},
			{"naptanId":"490010783D","indicator":"Stop D","commonName":"Trafalgar Square","distance":390.1}]}`))
	mt.RegisterResponder(http.MethodGet, api.TfLBaseURL+"/StopPoint/490007960P/Arrivals",
		httpmock.NewStringResponder(http.StatusOK, `[
			{"lineName":"12","destinationName":"Dulwich Library","timeToStation":190},
			{"lineName":"453","destinationName":"Deptford Bridge","timeToStation":95},
			{"lineName":"88","destinationName":"Clapham Common","timeToStation":610},
			{"lineName":"159","destinationName":"Streatham Station","timeToStation":420},
			{"lineName":"6","destinationName":"Aldwych","timeToStation":880},
			{"lineName":"23","destinationName":"Westbourne Park","timeToStation":1200}]`))
	mt.RegisterResponder(http.MethodGet, api.TfLBaseURL+"/StopPoint/490007960L/Arrivals",
		httpmock.NewStringResponder(http.StatusOK, `[{"lineName":"19","destinationName":"Battersea Bridge","timeToStation":42}]`))
	hc := &http.Client{Transport: mt}
	services := &api.Services{Postcodes: api.Postcodes{HTTP: hc}, TfL: api.TfL{HTTP: hc}}

	// A deadline, like the console's per-lookup timeout: the example cannot hang.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	boards, err := busboard.Boards(ctx, services, "sw1y 4qu")
	if err != nil {
		fmt.Println(err)
		return
	}
	_ = api.Print(os.Stdout, boards)
	// Output:
	// Departure board for Haymarket / Charles II Street (Stop P):
	//   1 minute: 453 to Deptford Bridge
	//   3 minutes: 12 to Dulwich Library
	//   7 minutes: 159 to Streatham Station
	//   10 minutes: 88 to Clapham Common
	//   14 minutes: 6 to Aldwych
	// Departure board for Piccadilly Circus  Haymarket (Stop L):
	//   due: 19 to Battersea Bridge
}

func ExampleRun() {
	boards := func(ctx context.Context, postcode string) ([]api.Board, error) {
		if postcode == "EH1 1YZ" {
			return nil, fmt.Errorf("TfL: within 1000 m: %w", api.ErrNoStops)
		}
		return []api.Board{{
			Stop:  api.StopPoint{CommonName: "Church Street", Indicator: "Stop Z"},
			Buses: []api.Arrival{{LineName: "W8", DestinationName: "Chase Farm Hospital", TimeToStation: 610}},
		}}, nil
	}
	// What the person typed, then the end of input (Ctrl-D). The channel holds the whole
	// script, like a pipe holding what was typed.
	lines := make(chan string, 2)
	lines <- "N9 0AB"
	lines <- "EH1 1YZ"
	close(lines)

	var out strings.Builder
	err := busboard.Run(context.Background(), lines, &out, boards)
	for line := range strings.Lines(out.String()) {
		fmt.Println(strings.TrimRight(line, " \n")) // no trailing spaces after the prompts
	}
	fmt.Println("Run returned", err)
	// Output:
	// Enter your postcode: Departure board for Church Street (Stop Z):
	//   10 minutes: W8 to Chase Farm Hospital
	// Enter your postcode: Sorry, there are no bus stops near there.
	// Enter your postcode:
	// Run returned <nil>
}

func ExampleClassify() {
	err := fmt.Errorf("arrivals at 490007960P: %w",
		&api.StatusError{Service: api.ServiceTfL, StatusCode: 429, Err: api.ErrRateLimited})
	p := busboard.Classify(err)
	fmt.Println(p)
	fmt.Println(p.Message())
	// Output:
	// RateLimited
	// Sorry, we've asked for too much too quickly. Please wait a minute and try again.
}
