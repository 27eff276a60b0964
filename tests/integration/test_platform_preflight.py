# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Preflight against the sandbox: every bad plan fails naming its variable, with no write request."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os
import subprocess
import sys

import pytest

from ansible_collections.phonebill.platform.tests.unit.plugins.module_utils.plan_fixtures import (
    BAD_PLANS, bad_plan, production_plan)

ROOT = os.path.join(os.path.dirname(__file__), '..', '..')


def test_production_plan_passes_and_lists_offered_versions(azure):
    result = azure('platform_preflight', plan=production_plan())
    assert not result.get('failed'), result.get('msg')
    assert '1.33' in result['kubernetes_versions']
    assert azure.writes() == 0


@pytest.mark.parametrize('name,change,variable', BAD_PLANS, ids=[b[0] for b in BAD_PLANS])
def test_bad_plan_fails_with_its_variable_and_writes_nothing(azure, name, change, variable):
    result = azure('platform_preflight', plan=bad_plan(change))
    assert result.get('failed'), name
    assert any(p.startswith(variable) for p in result['problems']), result['problems']
    assert variable in result['msg']
    assert azure.writes() == 0


def test_kubernetes_version_azure_does_not_offer_fails_with_the_offered_list(azure):
    plan = production_plan()
    plan['phonebill_aks']['kubernetes_version'] = '1.29'
    result = azure('platform_preflight', plan=plan)
    assert result.get('failed')
    assert result['problems'][0].startswith('phonebill_aks.kubernetes_version: Kubernetes 1.29 is not offered by AKS '
                                            'in koreacentral; state one of the offered versions: ')
    assert '1.33' in result['problems'][0]
    assert azure.writes() == 0


def test_site_playbook_stops_at_preflight_before_any_write(sandbox, tmp_path):
    """The real playbook with a wrong inventory value: preflight fails, nothing reaches Azure."""
    links = tmp_path / 'collections' / 'ansible_collections' / 'phonebill'
    links.mkdir(parents=True)
    os.symlink(os.path.abspath(ROOT), str(links / 'platform'))
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(tmp_path / 'collections'), ANSIBLE_NOCOLOR='1',
               **sandbox.ansible_env())
    bad = {'phonebill_maintenance_window': {'day': 'Sunday', 'start': '02:00', 'duration_hours': 2,
                                            'utc_offset': '+09:00'}}
    run = subprocess.run([os.path.join(os.path.dirname(sys.executable), 'ansible-playbook'), 'playbooks/site.yml',
                          '-i', 'inventories/sandbox', '-e', json.dumps(bad)],
                         cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False)
    assert run.returncode != 0
    assert 'phonebill_maintenance_window.duration_hours' in run.stdout
    assert sandbox.writes_count() == 0
