// Package mutate is the concurrency mutation check: it proves that each kata's tests catch
// the classic concurrency mistakes, by making each mistake in the reference solution, one
// at a time, and running the kata's tests on the result.
//
// For every kata the catalog (katas.json) lists, its solution file (solutions/<dir>/<stem>.go,
// tested by <dir>/<stem>_test.go and <dir>/<stem>_*_test.go), it makes mutants, each with
// one change: a wg.Wait(), g.Wait() (errgroup) or <-done receive removed; a go statement,
// wg.Go(f) or g.Go(f) run on the caller's goroutine; a context.Context argument replaced by
// context.Background(); a cancel(...), close(...) or recover() removed; a mu.Lock() removed
// with its Unlock calls; a case <-ctx.Done(): removed from a select; a %w of fmt.Errorf
// turned into %v; return err turned into return nil; a buffered channel made unbuffered and
// an unbuffered one given a buffer of one. [Ops] lists the operators. A mutant that does
// not compile is skipped (one that only leaves a variable unused gets "_ = x" and runs).
// Two changes are never made, as they cannot matter: a buffer for a chan struct{} in a
// package that never sends on one (it is only closed and received from), and
// context.Background() for context.WithoutCancel(x) or inside it (they differ only in x's
// values).
//
// It runs the file's tests on each mutant with -race, every other solution swapped in, and
// KATA_HANG_TIMEOUT=3s (or four times what the tests take without a mutant, if that is
// more, so that slow tests on a busy machine do not pass for hangs), so that a mutant that
// hangs fails fast. A mutant is killed when the
// tests fail (a failure, a data race, a crash, a hang) and survives when they pass. To stay
// within a few minutes on two cores, the mutants of a package are compiled into one test
// binary, a schema: each mutation is wrapped in a switch that the environment variable
// KATA_MUTANT turns on, so a package is built once, not once per mutant, and the binaries
// run in parallel. A mutant that a schema cannot hold (it changes a statement that declares
// names, or one holding a label) is built on its own. The -alone flag builds every mutant on
// its own, which checks the schemata at the price of a much slower run.
//
// # For maintainers
//
// Run it with the kata tool, for every kata or for some:
//
//	go run ./cmd/kata mutate
//	go run ./cmd/kata mutate ./advanced/wait ./part2_errors
//	go run ./cmd/kata mutate -run wait.go -v ./advanced/...
//	go run ./cmd/kata mutate -list ./part1_concurrency   # the mutants, without running them
//
// (or KATA_MUTATE="flags and packages" go test -run TestRealTree -v ./internal/mutate).
// The whole check takes 10 to 30 seconds with a warm build cache on two busy cores, about a
// minute with a cold one. It reports each surviving mutant with its file and line, its
// operator and a diff, and it fails on any survivor the allow-list
// internal/mutate/harmless.txt does not name. A survivor is a test missing: write the test
// that fails on that mistake, with a message that names it. Only a mutant that is harmless by
// design goes on the allow-list (a buffer nothing depends on; a cancel a deferred cancel
// already guarantees): copy the "allow-list line" the report prints for it, and replace the
// placeholder with a one-line reason. An entry names its mutant by file, operator, function
// and the source it changes (with #2, #3 ... for repeats), never by line number, so that
// unrelated edits leave it valid. The check also fails on an entry that no longer names a
// surviving mutant: a stale entry must go.
//
// A test that catches a mistake only sometimes (two goroutines that must finish at the same
// fake instant, a race the detector sees in one run of ten) is not enough: -rate 50 runs
// each mutant's tests 50 times, in 50 processes, and fails on a mutant caught fewer times.
// Use it to prove a new test, with -run and a package to keep it short.
//
// A new kata is not done until mutate is clean.
package mutate
