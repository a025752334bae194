// Package queue is the advanced kata on producer/consumer queues: the seed's asyncio.Queue
// program, whose consumer loops forever, rebuilt with a channel so that the consumer ends
// when the producer is done, everything stops when the context is cancelled, and nothing is
// left running. Read README.md in this folder for the lesson, then make the tests pass:
// go test ./advanced/queue
package queue
