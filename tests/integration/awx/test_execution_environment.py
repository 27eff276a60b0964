# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""execution-environment.yml: ansible-builder makes its build context, and that context installs what the EE needs.

No container engine runs here, so the image's own steps are replayed on the context ansible-builder wrote: its
galaxy stage (``ansible-galaxy collection install -r requirements.yml`` in ``_build``) must install this
collection from the tarball, and its builder stage (``introspect.py`` over the installed collections) must find
every Python requirement and system package the collection declares.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import glob
import os
import shutil
import subprocess
import sys

import pytest
import yaml

BIN = os.path.dirname(sys.executable)


def requirement_lines(path):
    with open(path) as stream:
        return [line.strip() for line in stream if line.strip() and not line.lstrip().startswith('#')]


@pytest.fixture(scope='module')
def context(repo_root, tmp_path_factory):
    """The build context of execution-environment.yml with this checkout's collection tarball."""
    work = tmp_path_factory.mktemp('ee')
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'build', '--output-path', str(work / 'out'), repo_root],
                   check=True, capture_output=True, text=True)
    (work / 'build').mkdir()
    shutil.copy(glob.glob(str(work / 'out' / 'phonebill-platform-*.tar.gz'))[0], str(work / 'build' / 'phonebill-platform.tar.gz'))
    shutil.copy(os.path.join(repo_root, 'execution-environment.yml'), str(work))
    created = subprocess.run([os.path.join(BIN, 'ansible-builder'), 'create', '-f', str(work / 'execution-environment.yml'),
                              '-c', str(work / 'context')], capture_output=True, text=True, cwd=str(work), check=False)
    assert created.returncode == 0, created.stdout + created.stderr
    return work / 'context'


def test_the_context_installs_ansible_core_and_runner_in_the_declared_ranges(context):
    containerfile = (context / 'Containerfile').read_text() if (context / 'Containerfile').exists() \
        else (context / 'Dockerfile').read_text()
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core>=2.19,<2.20 ansible-runner>=2.4,<3"' in containerfile
    assert 'ARG PYCMD="/usr/bin/python3.11"' in containerfile
    assert 'ansible-galaxy collection install $ANSIBLE_GALAXY_CLI_COLLECTION_OPTS -r requirements.yml' in containerfile


def test_the_galaxy_stage_installs_this_collection_from_the_context(context, tmp_path):
    build = context / '_build'
    collections = yaml.safe_load((build / 'requirements.yml').read_text())['collections']
    assert [entry['type'] for entry in collections] == ['file']
    assert (build / collections[0]['name']).is_file(), 'the tarball is not where the galaxy stage looks (WORKDIR /build)'
    installed = subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml',
                                '--force', '--collections-path', str(tmp_path)], cwd=str(build), capture_output=True, text=True, check=False)
    assert installed.returncode == 0, installed.stdout + installed.stderr
    manifest = yaml.safe_load((tmp_path / 'ansible_collections' / 'phonebill' / 'platform' / 'MANIFEST.json').read_text())
    assert manifest['collection_info']['name'] == 'platform'


def test_the_builder_stage_finds_the_collection_requirements(repo_root, context, tmp_path):
    subprocess.run([os.path.join(BIN, 'ansible-galaxy'), 'collection', 'install', '-r', 'requirements.yml',
                    '--force', '--collections-path', str(tmp_path)], cwd=str(context / '_build'), capture_output=True, check=True)
    pip, bindep = tmp_path / 'requirements.txt', tmp_path / 'bindep.txt'
    introspected = subprocess.run([sys.executable, str(context / '_build' / 'scripts' / 'introspect.py'), 'introspect',
                                   '--write-pip', str(pip), '--write-bindep', str(bindep), str(tmp_path)],
                                  capture_output=True, text=True, check=False)
    assert introspected.returncode == 0, introspected.stdout + introspected.stderr
    wanted = [line.split('#')[0].strip() for line in requirement_lines(os.path.join(repo_root, 'requirements.txt'))]
    found = pip.read_text()
    assert [line for line in wanted if line.replace(' ', '') not in found.replace(' ', '')] == []
    system = bindep.read_text()
    assert [line for line in requirement_lines(os.path.join(repo_root, 'bindep.txt')) if line not in system] == []


def test_bindep_file_parses_for_the_image_platform(repo_root):
    parsed = subprocess.run([os.path.join(BIN, 'bindep'), '--file', os.path.join(repo_root, 'bindep.txt'), '--brief',
                             'platform:rpm'], capture_output=True, text=True, check=False)
    # bindep exits 1 when packages are missing on this host; 2+ when the file does not parse
    assert parsed.returncode in (0, 1), parsed.stderr
