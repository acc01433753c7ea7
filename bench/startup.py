"""How long ltcbot takes to start: the first console reply, `tick` on an empty schedule, and
importing the three libraries it is built on (the reference), each as a new process.

The database is a SQLite file already at the newest schema with one user, so what is timed is
what every start pays. With --imports it also lists the packages that take longest to import
(python -X importtime) for the console start, and the time of each phase of a start.

    .venv/bin/python bench/startup.py             # 7 runs of each, medians
    .venv/bin/python bench/startup.py --runs 15 --imports
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REFERENCE = "import telegram, slack_bolt, sqlalchemy"


def _env(database: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("TELEGRAM_", "SLACK_", "LTC_"))}
    env["LTC_DATABASE_URL"] = f"sqlite:///{database}"
    env["LTC_CHARTS_DIR"] = str(database.parent / "charts")
    return env


def compile_bytecode() -> None:
    """Write the project's bytecode first, as an install or any start without
    PYTHONDONTWRITEBYTECODE does: otherwise every start compiles the changed modules anew."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", "bot", "handlers", "domain",
                    "storage"], cwd=ROOT, check=True, capture_output=True)


def prepare(folder: Path) -> dict[str, str]:
    """A database at the newest schema with one admin, as after the first `make run`."""
    compile_bytecode()
    env = _env(folder / "ltc.db")
    for args in (["migrate"], ["users", "add", "boss", "--role", "admin", "--locale", "en"]):
        subprocess.run([sys.executable, "-m", "bot", *args], cwd=ROOT, env=env, check=True,
                       capture_output=True)
    return env


def first_reply(env: dict[str, str]) -> tuple[float, float]:
    """Seconds from starting `python -m bot console` to its first reply, and to its exit."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "console", "--as", "boss"], cwd=ROOT,
                            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write("/lang en\n")
    proc.stdin.close()
    line = proc.stdout.readline()
    replied = time.perf_counter()
    proc.stdout.read()
    if proc.wait() != 0 or not line.strip():
        raise SystemExit(f"the console did not answer: {line!r} {proc.stderr.read()[:500]!r}"
                         if proc.stderr else "the console did not answer")
    return replied - started, time.perf_counter() - started


def whole(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[:500]}")
    return time.perf_counter() - started


def import_times(env: dict[str, str], limit: int) -> list[str]:
    """The packages that take longest to import for a console start, each with the module
    of ltcbot that first imported it."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "bot", "console", "--as",
                           "boss"], cwd=ROOT, env=env, input="/lang en\n", capture_output=True,
                          text=True)
    pattern = re.compile(r"import time:\s+\d+ \|\s+(\d+) \|( *)(\S+)")
    rows = [(len(m.group(2)), m.group(3), int(m.group(1)))
            for m in map(pattern.match, done.stderr.splitlines()) if m]
    own = ("bot", "handlers", "domain", "storage")
    found = []
    for i, (depth, name, micros) in enumerate(rows):
        if "." in name or name in own or name.startswith("_"):
            continue
        # A module's line comes after its own imports: its importer is the next shallower one.
        importer = "-"
        for later_depth, later, _ in rows[i + 1:]:
            if later_depth < depth:
                if later.split(".")[0] in own:
                    importer = later
                    break
                depth = later_depth
        found.append((micros, name, importer))
    found.sort(reverse=True)
    lines = [f"  {micros / 1000:8.1f} ms  {name:<22} first imported by {importer}"
             for micros, name, importer in found[:limit]]
    # Where the time goes: each module's own time (without what it imports), by top package.
    own_times: dict[str, int] = {}
    for match in map(SELF.match, done.stderr.splitlines()):
        if match:
            top = match.group(2).split(".")[0]
            own_times[top] = own_times.get(top, 0) + int(match.group(1))
    ranked = sorted(own_times.items(), key=lambda item: -item[1])
    lines.append("own time of every module, summed by top package:")
    lines += [f"  {micros / 1000:8.1f} ms  {top}" for top, micros in ranked[:8]]
    lines.append(f"  {sum(own_times.values()) / 1000:8.1f} ms  all imports")
    return lines


SELF = re.compile(r"import time:\s+(\d+) \|\s+\d+ \| *(\S+)")


PHASES = """
import time
started = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import bot.cli
mark("import bot.cli (everything a start imports)")
from bot.config import load_config
config = load_config(None)
settings = config.settings
mark("read config.toml")
from storage.database import make_engine, migrate
engine = make_engine(config.runtime.database_url)
migrate(engine)
engine.dispose()
mark("migrate (schema already at head)")
from bot.app import build_app
app = build_app(settings, config.runtime, run_migrations=False)
mark("build the app")
from handlers.incoming import Incoming
app.dispatcher.handle(Incoming(platform="console", user_id="boss", chat_id="c", text="/lang en"))
mark("first command")
import io
from bot.console import ConsoleSender
from bot.delivery import Deliverer
from bot.jobs import Jobs
clock = app.dispatcher.clock
Jobs(app, Deliverer(app.engine, settings, [ConsoleSender(io.StringIO())], clock)).tick(clock())
mark("one tick (empty schedule)")
last = started
for name, at in marks:
    print(f"  {(at - last) * 1000:8.1f} ms  {name}")
    last = at
"""


def phases(env: dict[str, str]) -> list[str]:
    """Where the time of a start goes, phase by phase, in one process."""
    done = subprocess.run([sys.executable, "-c", PHASES], cwd=ROOT, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-800:])
    return done.stdout.splitlines()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--runs", type=int, default=7, help="runs of each (after one warm-up)")
    parser.add_argument("--imports", action="store_true", help="list the slowest imports")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    with tempfile.TemporaryDirectory(prefix="ltc_start_") as folder:
        env = prepare(Path(folder))
        reference = [sys.executable, "-c", REFERENCE]
        tick = [sys.executable, "-m", "bot", "tick"]
        measured: dict[str, list[float]] = {"reference": [], "console reply": [],
                                            "console exit": [], "tick": []}
        load = "{:.2f} {:.2f} {:.2f}".format(*os.getloadavg()) + f" on {os.cpu_count()} cores"
        for n in range(args.runs + 1):  # interleaved, the first round a warm-up
            ref = whole(reference, env)
            reply, exited = first_reply(env)
            ticked = whole(tick, env)
            if n:
                measured["reference"].append(ref)
                measured["console reply"].append(reply)
                measured["console exit"].append(exited)
                measured["tick"].append(ticked)
        base = statistics.median(measured["reference"])
        print(f"start-up, {args.runs} runs each (load {load} at start); seconds")
        print(f"{'':<44} {'median':>7} {'min':>7} {'max':>7} {'x ref':>6} {'target':>7}")
        names = {"reference": f"python -c '{REFERENCE}'",
                 "console reply": "python -m bot console: first reply",
                 "console exit": "python -m bot console: one line, then exit",
                 "tick": "python -m bot tick (empty schedule)"}
        targets = {"console reply": "<=1.0", "tick": "<=1.5"}
        for key, runs in measured.items():
            middle = statistics.median(runs)
            print(f"{names[key]:<44} {middle:7.2f} {min(runs):7.2f} {max(runs):7.2f} "
                  f"{middle / base:6.1f} {targets.get(key, ''):>7}")
        if args.imports:
            print("\nslowest imports of a console start (cumulative, python -X importtime):")
            print("\n".join(import_times(env, 20)))
            print("(a package's time includes the packages it imports)")
            print("\nphases of a start, in one process:")
            print("\n".join(phases(env)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
