# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""playbooks/rotate_secrets.yml with the sandbox's Key Vault and the real control plane (ansible-playbook).

A generated secret (kos-mock-config) read by one deployment through its Secret: rotated on demand, in check
mode, at -vvv, killed (SIGKILL) before each step and run again, and failed by a Key Vault fault (rolled back).
Load with `-p azure_sandbox.pytest_plugin -p controlplane.pytest_plugin`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64

import pytest

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import wait_for
from ansible_collections.phonebill.platform.tests.integration.k8s.rotation_site import NAME, OLD, SECRET, SERVICE, STEPS, Site


@pytest.fixture
def site(sandbox, k8s, cluster, kubeconfig, tmp_path):
    made = Site(sandbox, k8s, cluster, kubeconfig, tmp_path)
    yield made
    made.close()


def test_on_demand_rotation_moves_the_consumers_and_commits(site):
    code, output, report = site.run()
    assert code == 0, output[-3000:]
    (old, _v, _s, old_enabled), (new, value, state, enabled) = site.versions()
    assert state == 'committed' and enabled and old_enabled and value != OLD and site.held() == value
    assert site.pods_restarted()
    assert [(r['name'], r['status'], r['outcome']) for r in report['rotated']] == [(NAME, 'rotated', 'committed')]
    assert report['failed'] == [] and NAME in report['next_due'] and report['only'] == NAME
    skipped = dict((item['name'], item['reason']) for item in report['skipped'])
    assert skipped['jwt-signing-key'] == 'not asked for (rotating only %s)' % NAME
    markdown = next(site.reports.glob('*.md')).read_text()
    assert '`%s` (generated): committed' % NAME in markdown and '## Next due' in markdown
    daily = site.run(only=None)
    assert daily[0] == 0 and daily[2]['rotated'] == [] and len(site.versions()) == 2


def test_check_mode_lists_what_would_rotate_and_writes_nothing(site):
    writes = site.sandbox.writes_count()
    secret_version = site.cluster.core.read_namespaced_secret(SECRET, site.namespace).metadata.resource_version
    code, output, report = site.run(check=True)
    assert code == 0, output[-3000:]
    assert site.sandbox.writes_count() == writes and len(site.versions()) == 1
    assert site.cluster.core.read_namespaced_secret(SECRET, site.namespace).metadata.resource_version == secret_version
    assert report['check_mode'] and report['rotated'] == []
    assert [(i['name'], i['action'], i['reason'][:9]) for i in report['would_rotate']] == [(NAME, 'rotate', 'on demand')]


def test_no_value_in_the_output_or_the_report_at_vvv(site):
    code, output, _report = site.run(verbosity=3)
    assert code == 0, output[-3000:]
    values = [value for _version, value, _state, _enabled in site.versions()]
    assert len(values) == 2 and OLD in values
    reports = ''.join(path.read_text() for path in site.reports.iterdir())
    for value in values:
        assert value not in output and value not in reports
        assert base64.b64encode(value.encode()).decode() not in output


def test_a_failure_rolls_back_and_fails_loudly(site):
    """Key Vault refuses the apply step (403): the new version is disabled, consumers keep the old value."""
    site.sandbox.fault('error', method='PATCH', path_contains='/secrets/%s/' % NAME, count=1, status=403, code='Forbidden',
                       message='injected: the caller is not allowed to update the secret')
    code, output, report = site.run()
    assert code != 0 and 'rotation failed for %s' % NAME in output
    (_old, old_value, _s, old_enabled), (_new, _value, state, enabled) = site.versions()
    assert (state, enabled, old_enabled) == ('rolled-back', False, True) and site.held() == old_value == OLD
    (failed,) = report['failed']
    assert failed['name'] == NAME and failed['outcome'].startswith('rolled back to version %s' % _old)
    assert 'injected' in failed['outcome'] or 'Forbidden' in failed['outcome']


@pytest.mark.parametrize('step', range(1, len(STEPS) + 1), ids=['k%d-%s' % (i + 1, s.split()[0].lower()) for i, s in enumerate(STEPS)])
def test_killed_before_step_k_the_next_run_completes_with_no_value_lost(site, step):
    """SIGKILL as step k starts; in between, consumers hold a readable value; the daily run then finishes the rotation."""
    code, output, _report = site.run(kill_at=STEPS[step - 1])
    assert code == -9, output[-3000:]
    assert site.held() in site.readable_values()          # consumers hold a valid credential after the crash
    assert OLD in [value for _v, value, _s, _e in site.versions()]   # the old value is recoverable (enabled)
    code, output, report = site.run(only=None)             # the daily run
    assert code == 0, output[-3000:]
    versions = site.versions()
    if step == 1:        # nothing was written: nothing to resume, nothing due
        assert [(v[1], v[2]) for v in versions] == [(OLD, 'committed')] and site.held() == OLD and report['rotated'] == []
        return
    (_old, old_value, _s, old_enabled), (_new, value, state, enabled) = versions
    assert old_value == OLD and old_enabled and state == 'committed' and enabled and site.held() == value != OLD
    if step < len(STEPS):
        (rotated,) = report['rotated']
        assert rotated['name'] == NAME and rotated['outcome'].startswith('resumed from')
    else:
        assert report['rotated'] == []
    wait_for('the consumer deployment rolled out', lambda: site.cluster.apps.read_namespaced_deployment(
        SERVICE, site.namespace).status.updated_replicas == 2)
