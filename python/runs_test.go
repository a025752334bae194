package python_test

// runs lists every script and the facts the lessons state about its output, lesson by
// lesson. Each claim is a lesson's sentence, quoted in the failure message.
var runs = []run{
	// part1_concurrency/README.md and solutions/part1_concurrency/README.md
	{
		script: "part1_concurrency/sum.py",
		claim: "awaiting two coroutines one after the other takes 1 s + 2 s = 3 s; " +
			"create_task first runs both at once: both 'loading' lines first, 2 s, still 12",
		want: []string{
			"== awaited one after the other (the seed)",
			"number 4 is loading...",
			"...number 4 has loaded",
			"number 8 is loading...",
			"...number 8 has loaded",
			"12",
			"took 3 s",
			"== create_task first, then await",
			"number 4 is loading...",
			"number 8 is loading...",
			"...number 4 has loaded",
			"...number 8 has loaded",
			"12",
			"took 2 s",
			"== a coroutine never awaited",
			"took 0 s",
		},
	},
	{
		script: "part1_concurrency/sum.py",
		claim:  "a coroutine object that is never awaited runs nothing, and Python warns when it is destroyed",
		want: []string{
			"== a coroutine never awaited",
			"*RuntimeWarning: coroutine 'task_completer' was never awaited",
			"took 0 s",
		},
	},

	// part2_errors/README.md and solutions/part2_errors/README.md
	{
		script: "part2_errors/errors.py",
		claim: "in sequence only p1's failure is seen, at 0.5 s; exception classes tell the failures apart; " +
			"gather raises the first exception (p1's, at 0.5 s) and does not cancel p2, which asyncio.run " +
			"cancels when main returns, or which fails at 1 s if main stays, logged by nobody; " +
			"return_exceptions=True returns both exceptions as values after 1 s; TaskGroup cancels p2 and " +
			"raises an ExceptionGroup holding only p1's failure at 0.5 s; a task nobody awaits is logged " +
			"as 'Task exception was never retrieved' when it is destroyed",
		want: []string{
			"== in sequence, inside try",
			"p1 raises 'promise rejected' at 0.5 s",
			"except got Exception('promise rejected') at 0.5 s",
			"== an exception class per failure",
			"p1_typed: except PromiseRejected",
			"p2_typed: except ErrorThrown",
			"== gather, main returns after the except",
			"p1 raises 'promise rejected' at 0.5 s",
			"except got Exception('promise rejected') at 0.5 s",
			"p2 cancelled at 0.5 s",
			"== gather, main stays a while",
			"p1 raises 'promise rejected' at 0.5 s",
			"except got Exception('promise rejected') at 0.5 s",
			"p2 raises 'error thrown' at 1 s",
			"main ends at 1.5 s; the loop reported nothing",
			"== gather, return_exceptions=True",
			"p1 raises 'promise rejected' at 0.5 s",
			"p2 raises 'error thrown' at 1 s",
			"gather returned [Exception('promise rejected'), Exception('error thrown')] at 1 s",
			"== TaskGroup",
			"p1 raises 'promise rejected' at 0.5 s",
			"p2 cancelled at 0.5 s",
			"except* got ExceptionGroup('unhandled errors in a TaskGroup', [Exception('promise rejected')]) at 0.5 s",
			"== a task nobody awaits fails",
			"p2 raises 'error thrown' at 1 s",
			"main drops its only reference to the failed task at 1.5 s",
			"Task exception was never retrieved",
		},
	},
	{
		script: "part2_errors/errors.py",
		args:   []string{"--seed", "4"},
		claim:  "the seed's program with coin seed 4: both steps succeed",
		want:   []string{"result 1 was a success", "result 2 was a success"},
	},
	{
		script: "part2_errors/errors.py",
		args:   []string{"--seed", "2"},
		claim:  "the seed's program has no try: p1's failure (coin seed 2) ends it with a traceback",
		want:   []string{"p1 raises 'promise rejected' at 0.5 s", "Exception: promise rejected"},
		absent: []string{"result 1 was"},
		exit:   1,
	},

	// part3_busboard/README.md and solutions/part3_busboard/README.md
	{
		script: "part3_busboard/executor.py",
		claim: "a blocking call inside a coroutine blocks the whole event loop; run_in_executor runs it on a " +
			"thread and the loop stays free; giving up (wait_for) does not stop the call, which finishes on " +
			"its own, and asyncio.run waits for it at exit; a job still queued in the executor is never run",
		want: []string{
			"== a blocking call inside a coroutine",
			"ticks while the call blocked: 0",
			"tick at 2 s",
			"== the same call through run_in_executor",
			"lookup starts at 0 s",
			"tick at 0.5 s",
			"tick at 1 s",
			"tick at 1.5 s",
			"lookup returns at 2 s",
			"== wait_for gives up after 1 s",
			"lookup starts at 0 s",
			"main gives up at 1 s; main returns",
			"lookup returns at 2 s",
			"asyncio.run returns at 2 s",
			"== a job still queued in the executor",
			"first starts at 0 s",
			"main gives up on second at 0.5 s",
			"first returns at 1 s",
			"pool shut down at 1 s",
		},
		absent: []string{"second starts"},
	},

	// ex25_prodcons/README.md and solutions/ex25_prodcons/README.md
	{
		script: "ex25_prodcons/no_await.py",
		claim: "with the await removed, main returns at 1 s and asyncio.run cancels the 3 s task on its way " +
			"out, with no message; 'Task was destroyed but it is pending!' comes only from a loop closed " +
			"by hand, when the pending task is garbage-collected",
		want: []string{
			"== main awaits the task",
			"task finishes at 3 s",
			"main got 3 at 3 s",
			"asyncio.run returned at 3 s",
			"== the await removed",
			"main returns at 1 s",
			"task cancelled at 1 s",
			"asyncio.run returned at 1 s",
			"== the await removed, the loop closed by hand",
			"main returns at 1 s",
			"loop closed at 1 s; no message yet",
			"Task was destroyed but it is pending!",
			"after gc.collect()",
		},
		absent: []string{"task finishes at 1"},
	},
	{
		script: "ex25_prodcons/prodcons.py",
		args:   []string{"--seed", "1"},
		claim: "queue.join() returns only after every item put has been handled, and the consumers, which " +
			"sleep before each get(), are cancelled between items: the cancel cuts nothing off",
		want: []string{
			"join returned: 11 added, 11 handled",
			"cancelled 10 consumers, 0 of them holding an item",
			"Program completed in 5 seconds.",
		},
	},

	// advanced/queue/README.md and solutions/advanced/queue/README.md (and ex25's queue)
	{
		script: "advanced/queue/ex_5_5.py",
		claim: "the seed's ex_5_5 prints Done! before the last number, and still gets it: the consumer's " +
			"wake-up is queued before main's end; then asyncio.run cancels the consumer in get(). A consumer " +
			"with an await between get() and print loses 4. A sentinel " +
			"or queue.join() puts Done! after the last number",
		want: []string{
			"== the seed's program",
			"Got number 0", "Got number 1", "Got number 2", "Got number 3",
			"Done!",
			"Got number 4",
			"consumer cancelled in get()",
			"== the seed's program, a consumer that awaits before it prints",
			"Got number 3",
			"Done!",
			"consumer cancelled holding number 4",
			"== a sentinel ends the consumer",
			"Got number 4",
			"consumer saw the sentinel and returns",
			"Done!",
			"== queue.join() waits for every item",
			"Got number 4",
			"Done!",
		},
	},
	{
		script: "advanced/queue/ex_5_5.py",
		claim:  "Python 3.13 added Queue.shutdown(): after it, get() on an empty queue raises QueueShutDown, the counterpart of Go's close",
		since:  13,
		want: []string{
			"== Queue.shutdown() (Python 3.13+)",
			"Got number 4",
			"get() raised QueueShutDown: the consumer returns",
			"Done!",
		},
	},
	{
		script: "advanced/queue/queues.py",
		claim: "asyncio.Queue() (maxsize 0) is unbounded: put never waits; maxsize=1 makes put wait for a get; " +
			"a deque never waits; queue.Queue.get blocks the thread and so the whole event loop",
		want: []string{
			"asyncio.Queue().maxsize == 0",
			"1000 puts with no consumer returned at 0 s; qsize 1000",
			"put(a) into Queue(maxsize=1) returned at 0 s",
			"get() takes a at 1 s",
			"put(b) returned at 1 s, once a get() made room",
			"deque popleft() gives 1",
			"popleft() on an empty deque raises IndexError: pop from an empty deque",
			"queue.Queue.get(timeout=2) gave up at 2 s; ticks meanwhile: 0",
		},
	},

	// advanced/future/README.md and solutions/advanced/future/README.md
	{
		script: "advanced/future/ex_5_6.py",
		claim: "ex_5_6: done() is False, then True with result() 10, and awaiting a done future gives 10; the " +
			"methods come in pairs (set_result/set_exception, result/exception, done/cancelled); reading a " +
			"pending future and setting a done one raise InvalidStateError; a Task is a Future; a Future " +
			"bridges callback code to await",
		want: []string{
			"future status is done: False",
			"future status is done: True, future result: 10",
			"future result after being awaited: 10",
			"pending: done() -> False",
			"pending: result() -> InvalidStateError: Result is not set.",
			"pending: exception() -> InvalidStateError: Exception is not set.",
			"after set_result(10): result() -> 10",
			"after set_result(10): exception() -> None",
			"a second set_result(11) -> InvalidStateError: invalid state",
			"after set_exception: done() -> True",
			"after set_exception: exception() -> ValueError('boom')",
			"after set_exception: result() -> raises ValueError('boom')",
			"cancel() -> True",
			"after cancel: cancelled() -> True",
			"after cancel: done() -> True",
			"after cancel: result() -> CancelledError",
			"set_result after cancel -> InvalidStateError: invalid state",
			"a Task is a Future: True",
			"task.result() -> 'from a task'",
			"awaiting the callback's future: called back",
		},
	},
	{
		script: "advanced/future/ex_5_1.py",
		claim: "ex_5_1 prints the short task's exception and logs nothing (exception() marks it retrieved); " +
			"with the delays swapped, task1.exception() raises InvalidStateError",
		want: []string{
			"== the seed's ex_5_1: fails after 0.1 s, main awaits a 1 s task",
			"longer_task is done!",
			"Exception: Some exception happened!",
			"Main coroutine done!",
			"asyncio.run returned; nothing more was logged",
			"== swapped: fails after 2 s, main awaits a 1 s task",
			"longer_task is done!",
			"task1.exception() raised InvalidStateError: Exception is not set.",
			"Main coroutine done!",
			"asyncio.run returned; nothing more was logged",
		},
		absent: []string{"never retrieved"},
	},

	// advanced/supervise/README.md and solutions/advanced/supervise/README.md
	{
		script: "advanced/supervise/ex_5_2.py",
		claim: "ex_5_2's handler receives 'Task exception was never retrieved' when the forgotten task is " +
			"destroyed, after main is done; with no handler the default one logs it with the traceback; a task " +
			"raising SystemExit is not handled: it ends asyncio.run",
		want: []string{
			"== the seed's ex_5_2",
			"longer_task is done!",
			"Main coroutine done!",
			"handler: Task exception was never retrieved: Some exception happened!",
			"asyncio.run returned",
			"== ex_5_2 without set_exception_handler",
			"Main coroutine done!",
			"Task exception was never retrieved",
			"Exception: Some exception happened!",
			"asyncio.run returned",
			"== a task raises SystemExit",
			"asyncio.run raised SystemExit(3): the loop is down",
		},
		absent: []string{"main_with_exit is done"},
	},

	// advanced/cancel/README.md and solutions/advanced/cancel/README.md
	{
		script: "advanced/cancel/ex_5_3.py",
		claim: "cancel() is a request: CancelledError is raised at the await where the task is suspended, " +
			"finally runs, the message travels with it and awaiting the task re-raises it; a coroutine can " +
			"swallow it and finish; a coroutine that computes without awaiting is cancelled only at its next await",
		want: []string{
			"main(): cancel_me is cancelled now",
			"cancel returns True: only a request so far",
			"cancel_me: CancelledError('user pressed stop',) raised at the await, at 0 s",
			"cancel_me: finally runs (the cleanup)",
			"main: awaiting the task raised CancelledError('user pressed stop',); cancelled() is True",
			"stubborn: caught CancelledError at 0 s and carries on",
			"main: awaiting gives 'finished anyway' at 1 s; cancelled() is False",
			"busy: computed until 1 s, now awaits",
			"main: busy was cancelled at its first await, at 1 s",
		},
		absent: []string{"busy: never printed"},
	},

	// advanced/chain/README.md and solutions/advanced/chain/README.md
	{
		script: "advanced/chain/ex_5_4.py",
		claim: "the chain runs main -> task1 -> callback1 -> task2 -> callback2 -> main and is done at 2 s; " +
			"if task1 raises, result() raises inside callback1, the loop logs 'Exception in callback', and " +
			"the event is never set",
		want: []string{
			"== the seed's ex_5_4",
			">task1() at 0 s",
			"callback1 at 1 s",
			">task2() got 1 at 1 s",
			"callback2 at 2 s",
			"Main: chain is done at 2 s",
			"== task1 raises",
			"callback1 at 1 s",
			"Exception in callback callback1*",
			"Exception: task1 failed",
			"Main: still waiting at 3 s: nobody will set the event",
		},
	},
}
