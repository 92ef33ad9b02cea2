"""Start-up time of the real app: from asking tauri-driver for a session (which launches
the binary) to the first complete map frame (MapLibre's first `idle` after the incident
tiles loaded; the page stamps it as epoch ms on <body data-ready-epoch-ms>).

Usage (inside Xvfb with tauri-driver running, see scripts/ui-startup.sh):
    python tests/e2e/startup.py RUNS
Prints each run and the median, in ms.
"""

import os
import statistics
import sys
import time

import test_app as t


def once():
    start = time.time() * 1000.0
    d = t.session()
    try:
        body = lambda: d.find_element(t.By.TAG_NAME, "body")
        t.wait(d, lambda: body().get_attribute("data-ready") == "true", "first map frame", 60)
        stamp = body().get_attribute("data-ready-epoch-ms")
        # Older builds lack the stamp: fall back to "now" in the page (over by <= one poll).
        ready = float(stamp) if stamp else float(d.execute_script("return performance.timeOrigin + performance.now()"))
        # The page's own milestones (performance marks), as ms since launch.
        marks = d.execute_script(
            "return performance.getEntriesByType('mark').filter(m => m.name.startsWith('atlas:'))"
            ".map(m => [m.name.slice(6), performance.timeOrigin + m.startTime])"
        ) or []
        origin = float(d.execute_script("return performance.timeOrigin"))
        steps = [("page", origin)] + [(n, float(t)) for n, t in marks]
        print("  " + ", ".join(f"{n} {t - start:.0f}" for n, t in steps))
        if os.environ.get("STARTUP_RESOURCES"):
            res = d.execute_script(
                "return performance.getEntriesByType('resource')"
                ".map(r => [r.name.slice(-40), performance.timeOrigin + r.startTime, r.duration, r.transferSize || r.decodedBodySize])"
            ) or []
            for name, t0, dur, size in res:
                print(f"    {t0 - start:6.0f} +{dur:5.0f} ms {size:>8} {name}")
        return ready - start
    finally:
        d.quit()


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    times = []
    for i in range(runs):
        ms = once()
        times.append(ms)
        print(f"run {i + 1}: {ms:.0f} ms")
        time.sleep(0.5)
    print(f"median of {runs}: {statistics.median(times):.0f} ms (min {min(times):.0f}, max {max(times):.0f})")


if __name__ == "__main__":
    main()
