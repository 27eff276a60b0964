# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the Azure and the Kubernetes module wrappers share.

AnsibleModule built once with the family's shared options (and `wait` and
`timeout` for long-running modules), check and diff mode, fail and exit, and
libraries imported only when first needed, so that bad input fails before a
missing library is even noticed.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import traceback

from ansible.module_utils.basic import AnsibleModule, missing_required_lib

WAIT_ARGUMENT_SPEC = dict(
    wait=dict(type='bool', default=True),
    timeout=dict(type='int'),
)


class ModuleBase:
    """AnsibleModule wrapped once. Subclasses name their shared options in `shared_spec`.

    long_running adds `wait` and `timeout` (default_timeout seconds when unset).
    """

    #: the options every module of the family takes (authentication, connection)
    shared_spec = {}

    def __init__(self, argument_spec, long_running=False, default_timeout=1800, ansible=None, **kwargs):
        """`ansible`: an AnsibleModule already built by the module of the other family this one works beside
        (k8s_key_vault.modules: one task, both Azure and Kubernetes options); its options are then taken as they are."""
        if ansible is None:
            spec = dict(self.shared_spec)
            if long_running:
                spec.update(WAIT_ARGUMENT_SPEC)
            spec.update(argument_spec)
            ansible = AnsibleModule(argument_spec=spec, **kwargs)
        self.ansible = ansible
        self.params = self.ansible.params
        self.default_timeout = default_timeout

    @property
    def check_mode(self):
        return self.ansible.check_mode

    @property
    def diff_mode(self):
        return self.ansible._diff  # pylint: disable=protected-access

    @property
    def timeout(self):
        return self.params.get('timeout') or self.default_timeout

    def fail(self, msg, **kwargs):
        self.ansible.fail_json(msg=msg, **kwargs)

    def fail_on(self, problems, **kwargs):
        """Fail with every problem at once (each 'option: what is wrong; the fix'); nothing when there is none.

        Checks are pure functions that return problems; only the module's main() and
        the shared flow call this, so the same check also serves the whole-plan preflight.
        """
        problems = [p for p in problems or [] if p]
        if len(problems) == 1:
            self.fail(problems[0], problems=problems, **kwargs)
        elif problems:
            self.fail('%d problems:\n- %s' % (len(problems), '\n- '.join(problems)), problems=problems, **kwargs)

    def exit(self, **kwargs):
        self.ansible.exit_json(**kwargs)

    def warn(self, msg):
        self.ansible.warn(msg)

    def imported(self, load, requirement=None, errors=ImportError):
        """load() (an import done only now), or a failure naming the pip requirement to install.

        An error that carries its own `requirement` (sdk.MissingLibrary) names it.
        """
        try:
            return load()
        except errors as exc:
            self.fail(missing_required_lib(getattr(exc, 'requirement', None) or requirement), exception=traceback.format_exc())
        return None
