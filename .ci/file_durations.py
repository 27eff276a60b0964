"""Seconds per test file of the integration suite, from its junit XML (xunit1: each case names its file).

Usage: python .ci/file_durations.py [--json] JUNIT_XML

Without --json: a table, longest first, with each file's share of the suite
(.ci/test prints it after the integration stage). With --json: the object
tests/integration/conftest.py reads from tests/integration/file_durations.json
to hand the longest files out first (paths relative to tests/integration).
A case's time is its setup, call and teardown, so a session fixture (a worker's
control plane) counts in the first file that uses it.
"""

from __future__ import annotations

import collections
import json
import sys
import xml.etree.ElementTree as ET

PREFIX = 'tests/integration/'


def file_seconds(junit_xml: str) -> dict[str, float]:
    totals: dict[str, float] = collections.defaultdict(float)
    for case in ET.parse(junit_xml).getroot().iter('testcase'):
        path = case.get('file') or ''
        if PREFIX in path:
            path = path[path.index(PREFIX) + len(PREFIX):]
        totals[path] += float(case.get('time') or 0)
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def main(argv: list[str]) -> int:
    as_json = argv[:1] == ['--json']
    totals = file_seconds(argv[-1])
    if as_json:
        print(json.dumps({path: round(seconds, 1) for path, seconds in totals.items()}, indent=1))
        return 0
    whole = sum(totals.values()) or 1.0
    print('%8s %5s  %s' % ('seconds', 'share', 'file (longest first)'))
    for path, seconds in totals.items():
        print('%8.1f %4.0f%%  %s' % (seconds, 100 * seconds / whole, path))
    print('%8.1f        all %d files (the sum over the workers)' % (whole, len(totals)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
