"""What every script in python/ shares: the --scale option and a clock in seed seconds.

A script finds this module through one line at its top (parents[2] in advanced/<topic>/),
so it runs with `python3 path/to/script.py` from any folder:

    sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1]))  # python/, for kata
    import kata  # noqa: E402

Then `kata.options()` reads the command line (--scale, and any options the script adds to
`kata.parser()`), a sleep of s seed seconds is `asyncio.sleep(s * kata.scale)`, and
`kata.run(title, main)` runs one variant under its title with the clock at 0 s.
"""
import argparse
import asyncio
import sys
import time

scale = 1.0
"""Real seconds per seed second: 1 is the seed's own timing. Set by options()."""

_start = time.perf_counter()


def _positive(text):
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"{text} is not a positive number of seconds")
    return value


def parser():
    """A parser with --scale, described by the running script's docstring."""
    p = argparse.ArgumentParser(
        description=sys.modules["__main__"].__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--scale", type=_positive, default=1.0,
                   help="real seconds per seed second (default 1; 0.1 runs ten times faster)")
    return p


def options(p=None):
    """Parses the command line with p (default parser()), sets scale and returns the args."""
    global scale
    args = (p or parser()).parse_args()
    scale = args.scale
    return args


def restart():
    """Sets the clock now() reads back to 0 s."""
    global _start
    _start = time.perf_counter()


def now():
    """The time since restart(), in seed seconds, to the nearest half second."""
    return f"{round((time.perf_counter() - _start) / scale * 2) / 2:g} s"


def section(title):
    """Prints "== title" before a variant's output and restarts the clock."""
    print(f"== {title}", flush=True)
    restart()


def run(title, main):
    """Runs the coroutine function main (or coroutine object) under title with
    asyncio.run, and returns its result."""
    section(title)
    try:
        return asyncio.run(main() if callable(main) else main)
    finally:
        sys.stdout.flush()


def elapsed():
    """The real seconds since restart()."""
    return time.perf_counter() - _start
