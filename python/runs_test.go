package python_test

// runs lists every script and the facts the lessons state about its output, lesson by
// lesson. Each claim is a lesson's sentence, quoted in the failure message.
var runs = []run{
	// part1_concurrency/README.md and solutions/part1_concurrency/README.md
	{
		script: "part1_concurrency/sum.py",
		facts: []fact{
			{
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
				claim: "a coroutine object that is never awaited runs nothing, and Python warns when it is destroyed",
				want: []string{
					"== a coroutine never awaited",
					"*RuntimeWarning: coroutine 'task_completer' was never awaited",
					"took 0 s",
				},
			},
		},
	},

	// part2_errors/README.md and solutions/part2_errors/README.md
	{
		script: "part2_errors/errors.py",
		facts: []fact{
			{
				claim: "in sequence only p1's failure is seen, at 0.5 s; exception classes tell the failures apart; " +
					"gather raises the first exception (p1's, at 0.5 s) and does not cancel p2, which asyncio.run " +
					"cancels when main returns, or which fails at 1 s if main stays, logged by nobody; " +
					"return_exceptions=True returns both exceptions as values after 1 s; TaskGroup cancels p2 and " +
					"raises an ExceptionGroup holding only p1's failure at 0.5 s (both, if both fail at the same moment); " +
					"a task nobody awaits is logged " +
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
					"== TaskGroup, both fail at the same moment",
					"except* got ExceptionGroup('unhandled errors in a TaskGroup', [Exception('promise rejected'), Exception('error thrown')]) at 0.5 s",
					"== a task nobody awaits fails",
					"p2 raises 'error thrown' at 1 s",
					"main drops its only reference to the failed task at 1.5 s",
					"Task exception was never retrieved",
				},
			},
		},
	},
	{
		script: "part2_errors/errors.py",
		args:   []string{"--seed", "4"},
		facts: []fact{
			{
				claim: "the seed's program with coin seed 4: both steps succeed",
				want:  []string{"result 1 was a success", "result 2 was a success"},
			},
		},
	},
	{
		script: "part2_errors/errors.py",
		args:   []string{"--seed", "2"},
		exit:   1,
		facts: []fact{
			{
				claim:  "the seed's program has no try: p1's failure (coin seed 2) ends it with a traceback",
				want:   []string{"p1 raises 'promise rejected' at 0.5 s", "Exception: promise rejected"},
				absent: []string{"result 1 was"},
			},
		},
	},

	// part3_busboard/README.md and solutions/part3_busboard/README.md
	{
		script: "part3_busboard/executor.py",
		facts: []fact{
			{
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
		},
	},

	// ex25_prodcons/README.md and solutions/ex25_prodcons/README.md
	{
		script: "ex25_prodcons/no_await.py",
		facts: []fact{
			{
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
		},
	},
	{
		script: "ex25_prodcons/prodcons.py",
		args:   []string{"--seed", "1"},
		facts: []fact{
			{
				claim: "queue.join() returns only after every item put has been handled, and the consumers, which " +
					"sleep before each get(), are cancelled between items: the cancel cuts nothing off",
				want: []string{
					"join returned: 11 added, 11 handled",
					"cancelled 10 consumers, 0 of them holding an item",
					"Program completed in 5 seconds.",
				},
			},
		},
	},

	// advanced/queue/README.md and solutions/advanced/queue/README.md (and ex25's queue)
	{
		script: "advanced/queue/ex_5_5.py",
		facts: []fact{
			{
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
				claim: "Python 3.13 added Queue.shutdown(): after it, get() on an empty queue raises QueueShutDown, the counterpart of Go's close",
				since: 13,
				want: []string{
					"== Queue.shutdown() (Python 3.13+)",
					"Got number 4",
					"get() raised QueueShutDown: the consumer returns",
					"Done!",
				},
			},
		},
	},
	{
		script: "advanced/queue/queues.py",
		facts: []fact{
			{
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
		},
	},

	// advanced/future/README.md and solutions/advanced/future/README.md
	{
		script: "advanced/future/ex_5_6.py",
		facts: []fact{
			{
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
		},
	},
	{
		script: "advanced/future/ex_5_1.py",
		facts: []fact{
			{
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
		},
	},

	// advanced/supervise/README.md and solutions/advanced/supervise/README.md
	{
		script: "advanced/supervise/ex_5_2.py",
		facts: []fact{
			{
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
		},
	},

	// advanced/cancel/README.md and solutions/advanced/cancel/README.md
	{
		script: "advanced/cancel/ex_5_3.py",
		facts: []fact{
			{
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
		},
	},

	// advanced/chain/README.md and solutions/advanced/chain/README.md
	{
		script: "advanced/chain/ex_5_4.py",
		facts: []fact{
			{
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
		},
	},

	// advanced/gather/README.md and solutions/advanced/gather/README.md (seed 003)
	{
		script: "advanced/gather/seed003.py",
		facts: []fact{
			{
				claim: "seed 003's code no longer runs: asyncio.async is a SyntaxError, yield-from generators are not " +
					"coroutines, wait() refuses bare coroutines; awaiting a, b1, b2 in turn takes 3 + 1 + 1 = 5 s, and " +
					"in the order b1, b2, a still 5 s; tasks awaited in turn take 3 s with results in the listed order, " +
					"b1 and b2 waiting 2 s to be looked at; gather returns [a b1 b2] after 3 s",
				want: []string{
					"asyncio.async(...): SyntaxError (invalid syntax): async is a keyword since 3.7; today: asyncio.create_task",
					"asyncio.coroutine exists: False (the decorator for yield-from coroutines, removed in 3.11)",
					"asyncio.run of a yield-from generator fails: it is not a coroutine*",
					"asyncio.wait([coroutines]): TypeError: Passing coroutines is forbidden, use tasks explicitly.",
					"== awaited one after the other",
					"a at 3 s", "b1 at 4 s", "b2 at 5 s",
					"['a', 'b1', 'b2'] after 5 s",
					"== awaited in the order b1, b2, a",
					"b1 at 1 s", "b2 at 2 s", "a at 5 s",
					"['b1', 'b2', 'a'] after 5 s",
					"== create_task for each, then await each in turn",
					"b1 at 1 s", "b2 at 1 s", "a at 3 s",
					"main looks at a at 3 s", "main looks at b1 at 3 s", "main looks at b2 at 3 s",
					"['a', 'b1', 'b2'] after 3 s",
					"== gather(a(), b('b1'), b('b2'))",
					"['a', 'b1', 'b2'] after 3 s",
				},
			},
		},
	},

	// advanced/ascompleted/README.md and solutions/advanced/ascompleted/README.md
	{
		script: "advanced/ascompleted/as_completed.py",
		facts: []fact{
			{
				claim: "awaited in the listed order, main sees a, b1, b2, all at 3 s; as_completed gives b1 and b2 at " +
					"1 s (b1 first: its timer was armed first) and a at 3 s; after a break the other tasks run on, " +
					"untold, and one that fails is only logged as 'never retrieved'; the loop keeps only weak references, so an unreferenced task can be garbage-collected",
				want: []string{
					"== create_task each, await in the listed order a, b1, b2",
					"main sees a at 3 s", "main sees b1 at 3 s", "main sees b2 at 3 s",
					"== as_completed",
					"main sees b1 at 1 s", "main sees b2 at 1 s", "main sees a at 3 s",
					"['b1', 'b2', 'a'] after 3 s",
					"== as_completed, break after the first",
					"main takes b1 at 1 s and breaks",
					"tasks still running after the break: 1",
					"a finishes at 3 s",
					"== as_completed, break, and a task left behind fails",
					"main takes b1 at 1 s and breaks",
					"a raises at 3 s",
					"Task exception was never retrieved",
					"main done after 3.5 s",
					"== a task nobody keeps a reference to",
					"tasks besides main before gc: 1",
					"Task was destroyed but it is pending!",
					"tasks besides main after gc: 0",
				},
			},
		},
	},

	// advanced/wait/README.md and solutions/advanced/wait/README.md
	{
		script: "advanced/wait/wait_loops.py",
		facts: []fact{
			{
				claim: "wait() returns done and pending sets; FIRST_COMPLETED gives b1 and b2 in one batch, every time; " +
					"the seed's extras loop starts one task per wait() (2 running after b1 and b2, 5 s in all) where " +
					"Go's Refill starts one per finished task (3 running, 4 s); the evented loop has turns with nothing " +
					"done; and wait() can wake on new work with no tick, by waiting on a queue get() beside the tasks",
				want: []string{
					"done ['a', 'b1', 'b2'], pending 0; took 3 s",
					"wait returned ['b1', 'b2'] at 1 s",
					"wait returned ['a'] at 3 s",
					"b1 and b2 came back in one batch in 5 of 5 runs; took 5 s",
					"== the seed's loop with extras: one per wait()",
					"after b1 and b2 finished: 2 running",
					"all 7 finished; took 5 s",
					"== one extra per finished task (Go's Refill)",
					"after b1 and b2 finished: 3 running",
					"all 7 finished; took 4 s",
					"== the evented loop, timeout=0.2",
					"finished ['a', 'a2', 'b1', 'b2', 'b3', 'b4']; took 3 s",
					"== no tick: wait on the tasks and on the queue of new work",
					"b3 handed in at 0.5 s",
					"b3 started at 0.5 s",
					"b1 finished at 1 s",
					"b2 finished at 1 s",
					"b3 finished at 1.5 s",
					"b4 handed in at 2.5 s",
					"b4 started at 2.5 s",
					"a finished at 3 s",
					"b4 finished at 3.5 s",
					"7 wake-ups, none of them a tick; took 3.5 s",
				},
				absent: []string{" 0 of them with nothing done"},
			},
		},
	},

	// advanced/server/README.md
	{
		script: "advanced/server/server.py",
		facts: []fact{
			{
				claim: "asyncio.start_server runs a handler task per connection, so two requests run at once; " +
					"server.close() stops listening while the handlers in flight go on",
				want: []string{
					"== close(), then wait_closed()",
					"server: r1 accepted at 0 s",
					"server: r2 accepted at 0 s",
					"main: server.close() at 0.5 s",
					"client got: r1 done at 2 s",
					"client got: r2 done at 2 s",
					"main: a new connection is refused after close()",
				},
			},
			{
				claim:  "in Python 3.11, wait_closed() returns as soon as close() is done: it does not wait for the handlers",
				before: 12,
				want: []string{
					"== close(), then wait_closed()",
					"main: wait_closed() returned at 0.5 s",
					"server: r1 answered at 2 s",
				},
			},
			{
				claim: "from Python 3.12, wait_closed() waits for the connections in flight (the drain), and " +
					"asyncio.timeout around it is the grace period",
				since: 12,
				want: []string{
					"== close(), then wait_closed()",
					"server: r1 answered at 2 s",
					"main: wait_closed() returned at 2 s",
					"== close(), then wait_closed() with a 1 s grace period",
					"main: the grace period ran out at 1.5 s",
				},
			},
			{
				claim: "Python 3.13's server.close_clients() is the cut-off: the clients lose their connections, " +
					"but the handler tasks are not cancelled: they run on and find their connection gone",
				since: 13,
				want: []string{
					"== close(), then wait_closed() with a 1 s grace period",
					"main: the grace period ran out at 1.5 s",
					"main: close_clients() at 1.5 s",
					"client got: connection closed, no answer at 1.5 s",
					"server: r1 ran on after the cut-off and found its connection gone at 2 s",
				},
			},
		},
	},
}
