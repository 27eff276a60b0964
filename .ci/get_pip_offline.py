"""Offline stand-in for the get-pip.py that ansible-test downloads.

ansible-test bootstraps pip into each virtual environment it creates (sanity
test environments, --venv) with a get-pip.py fetched from a host CI cannot
reach. Before downloading, it looks for the script in its cache directory
(``_util/target/setup/requirements.py``: ``~/.ansible/test/cache/get_pip_<X_Y>.py``
where ``<X.Y>`` is the pip version ``python_requirements.get_venv_packages()``
names). This file is that stand-in.

Two uses:

``python .ci/get_pip_offline.py --install``
    Run with the Python that has ansible-test installed. Reads the pip
    version, the cache path and the file name from ansible-test's own code
    (so a newer ansible-core needs no change here) and copies this file there.

run by ansible-test (through its quiet_pip.py, as ``__main__``)
    The arguments are pip install options and the packages to bootstrap,
    e.g. ``--disable-pip-version-check pip==24.2 --no-setuptools --no-wheel``.
    Installs the pip bundled with the interpreter (``python -m ensurepip``, in
    a subprocess), then installs the requested packages from the package
    index configured for pip (PyPI).
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys

INSTALL_FLAG = '--install'
GET_PIP_ONLY_OPTIONS = ('--no-setuptools', '--no-wheel', '--no-pip')


def _ansible_test_root() -> str:
    import ansible_test  # pylint: disable=import-outside-toplevel

    return os.path.dirname(ansible_test.__file__)


def _pip_version(root: str) -> str:
    try:
        from types import SimpleNamespace  # pylint: disable=import-outside-toplevel
        from ansible_test._internal.python_requirements import get_venv_packages  # pylint: disable=import-outside-toplevel

        version = '%d.%d' % sys.version_info[:2]
        return get_venv_packages(SimpleNamespace(version=version))['pip']
    except Exception:  # pylint: disable=broad-except
        # Fall back to reading the default from the source.
        with open(os.path.join(root, '_internal', 'python_requirements.py'), encoding='utf-8') as source:
            match = re.search(r"default_packages\s*=\s*dict\(\s*pip='([^']+)'", source.read())
        if not match:
            raise SystemExit('cannot find the pip version ansible-test bootstraps')
        return match.group(1)


def _cache_path(root: str, pip_version: str) -> str:
    """Evaluate the cache_path expression of requirements.py's bootstrap() for this pip version."""
    path = os.path.join(root, '_util', 'target', 'setup', 'requirements.py')
    with open(path, encoding='utf-8') as source:
        tree = ast.parse(source.read(), path)
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == 'bootstrap':
            for stmt in ast.walk(node):
                if isinstance(stmt, ast.Assign) and any(isinstance(t, ast.Name) and t.id == 'cache_path' for t in stmt.targets):
                    expression = compile(ast.Expression(stmt.value), path, 'eval')
                    return eval(expression, {'os': os}, {'pip_version': pip_version})  # pylint: disable=eval-used
    raise SystemExit('cannot find the get-pip cache path in %s' % path)


def install() -> None:
    root = _ansible_test_root()
    version = _pip_version(root)
    target = _cache_path(root, version)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    shutil.copyfile(os.path.abspath(__file__), target)
    print('get-pip stand-in for pip %s: %s' % (version, target))


def bootstrap(arguments: list[str]) -> None:
    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'])
    options = [argument for argument in arguments if argument not in GET_PIP_ONLY_OPTIONS]
    subprocess.check_call([sys.executable, '-m', 'pip', 'install', '--upgrade'] + options)


if __name__ == '__main__':
    if sys.argv[1:2] == [INSTALL_FLAG]:
        install()
    else:
        bootstrap(sys.argv[1:])
