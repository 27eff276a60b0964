"""Print (NUL-separated) the repository files that make up the collection copy.

Usage: python .ci/collection_files.py REPO

The files are those git knows and does not ignore (tracked, plus untracked
files that no .gitignore matches), less:
  - the parts of the repository that are not the collection (.git, .ci,
    sandbox/, controlplane/, benchmarks/);
  - what galaxy.yml's build_ignore leaves out, matched the way
    `ansible-galaxy collection build` matches it (fnmatch on the path relative
    to the collection root; a matching directory drops everything under it).
Outside a git checkout every file is listed, less the above, __pycache__,
*.pyc and tests/output.
"""

from __future__ import annotations

import fnmatch
import os
import subprocess
import sys

import yaml

NOT_COLLECTION = ('.git', '.ci', 'sandbox', 'controlplane', 'benchmarks')
ALWAYS_IGNORED_DIRS = ('.git', '__pycache__', '.tox', '.ansible')
ALWAYS_IGNORED = ('*.pyc', 'tests/output', '.pytest_cache')


def build_ignore(repo: str) -> list[str]:
    with open(os.path.join(repo, 'galaxy.yml'), encoding='utf-8') as galaxy:
        return list((yaml.safe_load(galaxy) or {}).get('build_ignore') or [])


def candidates(repo: str) -> list[str]:
    try:
        output = subprocess.run(['git', '-C', repo, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'],
                                check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        files = []
        for root, dirs, names in os.walk(repo):
            dirs[:] = [d for d in dirs if d not in ALWAYS_IGNORED_DIRS]
            files.extend(os.path.relpath(os.path.join(root, name), repo) for name in names)
        return sorted(files)
    return sorted(set(path for path in output.decode('utf-8', 'surrogateescape').split('\0') if path))


def excluded(path: str, patterns: list[str]) -> bool:
    parts = path.split('/')
    if parts[0] in NOT_COLLECTION or any(part in ALWAYS_IGNORED_DIRS for part in parts[:-1]):
        return True
    prefixes = ['/'.join(parts[:i]) for i in range(1, len(parts) + 1)]
    return any(fnmatch.fnmatch(prefix, pattern) for prefix in prefixes for pattern in patterns)


def main() -> None:
    repo = os.path.abspath(sys.argv[1])
    patterns = build_ignore(repo) + list(ALWAYS_IGNORED)
    out = sys.stdout.buffer
    for path in candidates(repo):
        full = os.path.join(repo, path)
        if not os.path.lexists(full) or excluded(path, patterns):  # deleted in the work tree, or not collection
            continue
        out.write(path.encode('utf-8', 'surrogateescape') + b'\0')


if __name__ == '__main__':
    main()
