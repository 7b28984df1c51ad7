"""Counting and judging a soak run (scripts/soak.py, docs/reliability.md#soak)."""
import collections
import os
import sqlite3
import sys
import threading

# After warm-up (the first third), memory may rise at most this much, and the database at most
# this much.
RSS_TOLERANCE = 0.10
DATABASE_TOLERANCE = 0.50


class Figures:
    def __init__(self):
        self.lock = threading.Lock()
        self.answers = collections.Counter()
        self.failures = collections.Counter()
        self.examples = []

    def count(self, kind, expected, status):
        with self.lock:
            self.answers[(kind, status)] += 1
            if not expected:
                self.failures[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append((kind, status))

    def report(self, samples, warm_up, seconds):
        total = sum(self.answers.values())
        failed = sum(self.failures.values())
        print(f"requests: {total} in {seconds:.0f} s ({total / seconds:.0f}/s), unexpected answers: {failed}")
        for (kind, status), n in sorted(self.answers.items(), key=lambda item: str(item[0])):
            print(f"  {kind:<20} {status!s:<6} {n}")
        for example in self.examples:
            print(f"  unexpected: {example}")
        step = max(1, len(samples) // 10)
        print("timeline (s, RSS MiB, database KiB): " + ", ".join(
            f"{t:.0f}: {rss / 1024:.1f}/{db / 1024:.0f}" for t, rss, db in samples[::step]))
        warm = [s for s in samples if s[0] >= warm_up]
        if not warm:
            print("no samples after warm-up")
            return 1
        rss_start, rss_end = warm[0][1], warm[-1][1]
        rss_max = max(s[1] for s in warm)
        db_start, db_end = warm[0][2], warm[-1][2]
        print(f"RSS after warm-up: {rss_start / 1024:.1f} MiB, at the end: {rss_end / 1024:.1f} MiB, "
              f"peak: {rss_max / 1024:.1f} MiB (first sample {samples[0][1] / 1024:.1f} MiB)")
        print(f"database after warm-up: {db_start / 1024:.0f} KiB, at the end: {db_end / 1024:.0f} KiB")
        problems = []
        if failed:
            problems.append(f"{failed} unexpected answers")
        if rss_end > rss_start * (1 + RSS_TOLERANCE):
            problems.append(f"RSS grew {100 * (rss_end / rss_start - 1):.0f}% after warm-up")
        if db_end > db_start * (1 + DATABASE_TOLERANCE):
            problems.append(f"the database grew {100 * (db_end / db_start - 1):.0f}% after warm-up")
        for problem in problems:
            print(f"FAIL: {problem}")
        return 1 if problems else 0


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def database_bytes(path):
    return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))


def integrity_ok(path):
    result = sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0]
    print(f"integrity_check: {result}")
    return result == "ok"


if __name__ == "__main__":
    # `soak_checks.py integrity DATABASE`, once the server has stopped.
    sys.exit(0 if integrity_ok(sys.argv[2]) else 1)
