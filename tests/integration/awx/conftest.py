# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fixtures of the AWX tests: the repository (awx/ and the EE definition are not part of the collection copy .ci/test
tests) and the awx.awx collection .ci/run extracts from the `ansible` package."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope='session')
def repo_root():
    """The repository: PHONEBILL_REPO (.ci/test) or the checkout these tests sit in."""
    root = os.environ.get('PHONEBILL_REPO') or os.path.abspath(os.path.join(HERE, '..', '..', '..'))
    assert os.path.isfile(os.path.join(root, 'awx', 'controller.yml')), 'no awx/controller.yml under %s' % root
    return root


@pytest.fixture(scope='session')
def awx_collection():
    """awx.awx importable as ansible_collections.awx.awx (from PHONEBILL_AWX_COLLECTIONS)."""
    path = os.environ.get('PHONEBILL_AWX_COLLECTIONS') or os.path.expanduser('~/.cache/phonebill/awx-collections')
    if not os.path.isfile(os.path.join(path, 'ansible_collections', 'awx', 'awx', 'MANIFEST.json')):
        pytest.fail('awx.awx is not at %s: run bash .ci/run --setup-only (it extracts it from the ansible package)' % path)
    if path not in sys.path:
        sys.path.append(path)
    import ansible_collections  # pylint: disable=import-outside-toplevel
    if os.path.join(path, 'ansible_collections') not in list(ansible_collections.__path__):
        ansible_collections.__path__.append(os.path.join(path, 'ansible_collections'))
    return path
