# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The delivery identity's plan: GitHub subjects, credential names and the 20-credential limit."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import delivery_checks as checks

DELIVERY = dict(identity='id-phonebill-delivery', issuer='https://token.actions.githubusercontent.com',
                audience='api://AzureADTokenExchange', organization='phonebill',
                repositories=['phonebill-services', 'phonebill-gitops'], environments=['prod'],
                roles=dict(registry='AcrPush', cluster='Azure Kubernetes Service Cluster User Role'))


def problems(**change):
    return checks.delivery_problems('phonebill_delivery.', dict(DELIVERY, **change))


def test_subject_and_credential_name_are_what_github_and_the_role_use():
    assert checks.subject('phonebill', 'phonebill-services', 'prod') == 'repo:phonebill/phonebill-services:environment:prod'
    assert checks.credential_name('phonebill.web', 'prod blue') == 'github-phonebill-web-prod-blue'
    assert len(checks.credential_name('r' * 100, 'e' * 100)) == 120


def test_the_inventory_value_is_sound():
    assert problems() == []


def test_each_bad_value_names_its_option():
    assert problems(organization='-x')[0].startswith("phonebill_delivery.organization: '-x' is not a GitHub organization")
    assert problems(organization='a--b')[0].startswith('phonebill_delivery.organization')
    assert problems(repositories=['o/r'])[0].startswith("phonebill_delivery.repositories: 'o/r' is not a GitHub repository")
    assert problems(repositories=[])[0] == 'phonebill_delivery.repositories: empty; state at least one repository'
    assert problems(repositories=None)[0].startswith('phonebill_delivery.repositories: required')
    assert problems(repositories='phonebill-services')[0].startswith('phonebill_delivery.repositories must be a list')
    assert problems(environments=['prod:blue'])[0].startswith("phonebill_delivery.environments: 'prod:blue'")
    assert problems(issuer='http://x')[0].startswith('phonebill_delivery.issuer')
    assert problems(audience='')[0].startswith('phonebill_delivery.audience')
    assert problems(identity='x')[0].startswith('phonebill_delivery.identity')
    assert problems(roles=dict(registry='AcrPush'))[0].startswith('phonebill_delivery.roles')
    assert problems(purge_role_assignments='yes')[0].startswith('phonebill_delivery.purge_role_assignments')
    assert checks.delivery_problems('phonebill_delivery.', None)[0].startswith('phonebill_delivery: nothing is not a mapping')


def test_colliding_names_and_too_many_credentials():
    collide = problems(repositories=['phonebill.api', 'phonebill-api'])
    assert collide == ['phonebill_delivery.repositories: phonebill.api (prod), phonebill-api (prod) all get the '
                       'credential name github-phonebill-api-prod; rename one of them']
    many = problems(repositories=['r%d' % i for i in range(7)], environments=['dev', 'stage', 'prod'])
    assert many == ['phonebill_delivery.repositories: 7 repositories x 3 environments need 21 federated credentials; '
                    'an identity holds at most 20; deploy from fewer, or split the identity']
