# -*- coding: utf-8 -*-
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""awx/controller.yml read as awx/apply.yml gives it to the awx.awx modules, and judged against them.

The awx.awx modules build their argument spec inside ``main()``; it is caught
where they hand it to ``ControllerAPIModule``, and the entries are validated
with ansible-core's own ``ArgumentSpecValidator``, as AnsibleModule would.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import importlib
import os
import re

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.parsing.yaml.loader import AnsibleLoader

JINJA_NAME = re.compile(r'{{\s*([A-Za-z_][A-Za-z0-9_]*)')
LOOPED_LIST = re.compile(r'^{{\s*(awx_[a-z_]+)\s*}}$')
SPEC_KEYWORDS = ('mutually_exclusive', 'required_together', 'required_one_of', 'required_if', 'required_by')


def load_yaml(path):
    """YAML as Ansible loads it (``!unsafe`` strings kept as they are)."""
    with open(path) as stream:
        return AnsibleLoader(stream).get_single_data()


class _Caught(Exception):
    def __init__(self, argument_spec, keywords):
        super().__init__('argument spec caught')
        self.argument_spec, self.keywords = argument_spec, keywords


def argument_spec(module_name):
    """(argument spec incl. the controller connection options, validator keywords) of awx.awx.MODULE_NAME."""
    controller_api = importlib.import_module('ansible_collections.awx.awx.plugins.module_utils.controller_api')
    module = importlib.import_module('ansible_collections.awx.awx.plugins.modules.%s' % module_name)
    original = controller_api.ControllerAPIModule.__init__

    def catch(self, argument_spec=None, **keywords):
        raise _Caught(argument_spec, keywords)

    controller_api.ControllerAPIModule.__init__ = catch
    try:
        module.main()
    except _Caught as caught:
        spec = dict(controller_api.ControllerModule.AUTH_ARGSPEC, **caught.argument_spec)
        return spec, dict((k, v) for k, v in caught.keywords.items() if k in SPEC_KEYWORDS)
    finally:
        controller_api.ControllerAPIModule.__init__ = original
    raise AssertionError('awx.awx.%s never built its AnsibleModule' % module_name)


def argument_problems(module_name, entry):
    """What AnsibleModule would refuse in ENTRY as the arguments of awx.awx.MODULE_NAME."""
    spec, keywords = argument_spec(module_name)
    result = ArgumentSpecValidator(spec, **keywords).validate(entry)
    return list(result.error_messages)


def applied_lists(apply_playbook):
    """{controller.yml list: awx.awx module} as awx/apply.yml's tasks loop over them."""
    applied = {}
    for play in load_yaml(apply_playbook):
        for task in play.get('tasks', []):
            modules = [key for key in task if key.startswith('awx.awx.')]
            if not modules:
                continue
            looped = LOOPED_LIST.match(str(task.get('loop', '')))
            assert looped and task[modules[0]] == '{{ item }}', 'task %r must pass each item of an awx_ list whole' % task['name']
            applied[looped.group(1)] = modules[0].split('.')[-1]
    return applied


def template_names(value):
    """The variables a value's Jinja expressions start with ({{ name ... }}); apply.yml must be given them."""
    if isinstance(value, dict):
        return set().union(*(template_names(v) for v in value.values())) if value else set()
    if isinstance(value, list):
        return set().union(*(template_names(v) for v in value)) if value else set()
    if isinstance(value, str):
        return set(JINJA_NAME.findall(value))
    return set()


def files_naming(root, name, directories=('playbooks', 'roles', 'inventories', 'plugins')):
    """Files under ROOT's DIRECTORIES where the variable NAME appears as a word."""
    pattern = re.compile(r'(?<![A-Za-z0-9_])%s(?![A-Za-z0-9_])' % re.escape(name))
    found = []
    for directory in directories:
        for parent, _dirs, files in os.walk(os.path.join(root, directory)):
            for file_name in files:
                path = os.path.join(parent, file_name)
                if file_name.endswith(('.yml', '.yaml', '.py', '.j2')):
                    with open(path, errors='replace') as stream:
                        if pattern.search(stream.read()):
                            found.append(os.path.relpath(path, root))
    return found
