// Package busboard is part 3 of the katas: BusBoard, a console app that shows the next buses
// near a postcode, made concurrent, cancellable and clear about what went wrong. The given
// clients and the "half-built" sequential app are in the api sub-package. Read README.md in
// this folder for the lesson, then make the tests pass: go test ./part3_busboard
package busboard
