# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A module for the in-process runner's tests: an AnsibleModule with a no_log option, check and diff mode.

It echoes the secret back (AnsibleModule must mask it), warns, fails, raises, hangs or exits without a result
on demand, and counts its runs in a module_utils global (a second run in the same worker must start from zero).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import time

from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(
        argument_spec=dict(
            name=dict(type='str', required=True),
            secret=dict(type='str', no_log=True),
            warn=dict(type='str'),
            behave=dict(type='str', choices=['ok', 'fail', 'raise', 'hang'], default='ok'),
        ),
        supports_check_mode=True,
    )
    runs = getattr(basic, 'echo_module_runs', 0) + 1
    basic.echo_module_runs = runs  # a global a module process would lose: must not reach the next run either
    if module.params['warn']:
        module.warn(module.params['warn'])
    if module.params['behave'] == 'fail':
        module.fail_json(msg='failed on purpose for %s with %s' % (module.params['name'], module.params['secret']))
    if module.params['behave'] == 'raise':
        raise ValueError('raised on purpose')
    if module.params['behave'] == 'hang':  # an async job that outlives its time limit
        time.sleep(600)
    module.exit_json(changed=not module.check_mode, echo=module.params['secret'], runs=runs,
                     check_mode=module.check_mode, diff=dict(before='', after=module.params['name'] + '\n'))


if __name__ == '__main__':
    main()
