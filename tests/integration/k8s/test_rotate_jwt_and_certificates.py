# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""rotate_secrets.yml for the JWT signing key (new key id, previous key kept for the overlap, then retired) and a
certificate (reissued by its Key Vault policy, the old version kept), with the sandbox and the real control plane.

Load with `-p azure_sandbox.pytest_plugin -p controlplane.pytest_plugin`.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest
import yaml
from azure.keyvault.certificates import CertificateClient

from ansible_collections.phonebill.platform.tests.integration.k8s.conftest import INVENTORY, VAULT
from ansible_collections.phonebill.platform.tests.integration.k8s.rotation_site import OLD, Site, rotation_policy

JWT = 'jwt-signing-key'
JWT_KEYS = {'JWT_SIGNING_KEY': JWT, 'JWT_KEY_ID': JWT + '#tag:key-id=k-initial', 'JWT_PREVIOUS_KEY': JWT + '#previous',
            'JWT_PREVIOUS_KEY_ID': JWT + '#previous#tag:key-id=k-initial'}
CERTIFICATE = 'ssl-wildcard-cert'


class OverlapSite(Site):
    """The auth service reading the JWT key, with the overlap the test sets."""

    overlap_hours = 24

    def extra(self):
        policy = rotation_policy(self.reports)
        for entry in policy['secrets']:
            if entry['name'] == JWT:
                entry['overlap_hours'] = self.overlap_hours
        return dict(phonebill_rotation=policy)


@pytest.fixture
def jwt_site(sandbox, k8s, cluster, kubeconfig, tmp_path):
    made = OverlapSite(sandbox, k8s, cluster, kubeconfig, tmp_path, name=JWT, service='auth-service',
                       secret='auth-service-secrets', keys=JWT_KEYS)
    yield made
    made.close()


def test_jwt_key_gets_a_new_key_id_and_the_previous_key_verifies_until_the_overlap_ends(jwt_site):
    site = jwt_site
    assert (site.held('JWT_SIGNING_KEY'), site.held('JWT_KEY_ID'), site.held('JWT_PREVIOUS_KEY')) == (OLD, 'k-initial', OLD)
    code, output, report = site.run(only=JWT)
    assert code == 0, output[-3000:]
    (rotated,) = report['rotated']
    new = site.held('JWT_SIGNING_KEY')
    assert new != OLD and site.held('JWT_KEY_ID') == 'k-%s' % rotated['rotation_id']
    assert site.held('JWT_PREVIOUS_KEY') == OLD and site.held('JWT_PREVIOUS_KEY_ID') == 'k-initial'

    code, output, report = site.run(only=None)             # daily, within the overlap: the old key keeps verifying
    assert code == 0 and report['retired'] == [] and site.held('JWT_PREVIOUS_KEY') == OLD
    site.overlap_hours = 0
    code, output, report = site.run(only=None)             # daily, past the overlap: the old key is disabled
    assert code == 0, output[-3000:]
    assert report['retired'] == [JWT] and [v[3] for v in site.versions()] == [False, True]
    assert site.held('JWT_PREVIOUS_KEY') == new and site.held('JWT_SIGNING_KEY') == new


def test_certificate_is_reissued_by_its_policy_and_the_old_version_kept(sandbox, k8s, cluster, kubeconfig, tmp_path, azure):
    site = Site(sandbox, k8s, cluster, kubeconfig, tmp_path)
    try:
        with open('%s/group_vars/all/keyvault.yml' % INVENTORY, encoding='utf-8') as handle:
            certificates = yaml.safe_load(handle)['phonebill_key_vault']['certificates']
        wildcard = next(c for c in certificates if c['name'] == CERTIFICATE)
        issued = azure('key_vault_certificate', vault_uri=site.vault, name=CERTIFICATE, policy=wildcard['policy'], tags=wildcard['tags'])
        assert not issued.get('failed'), issued
        site.extra = lambda: dict(phonebill_key_vault=dict(VAULT, certificates=certificates))
        code, output, report = site.run(only=CERTIFICATE)
        assert code == 0, output[-3000:]
        client = CertificateClient(site.vault, sandbox.credential(), **sandbox.data_plane_kwargs())
        versions = sorted(client.list_properties_of_certificate_versions(CERTIFICATE), key=lambda p: p.created_on)
        assert len(versions) == 2 and versions[0].version == issued['certificate']['version'] and versions[0].enabled
        current = client.get_certificate(CERTIFICATE)
        assert current.properties.version == versions[1].version
        assert current.properties.tags['rotation-state'] == 'committed' and current.properties.tags['spec-name'] == 'ssl_wildcard_cert'
        assert [(r['name'], r['kind'], r['outcome']) for r in report['rotated']] == [(CERTIFICATE, 'certificate', 'committed')]
    finally:
        site.close()
