# -*- coding: utf-8 -*-
# Copyright (c) phonebill platform engineering
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The present/absent flow every ARM resource module shares.

A module describes its resource (how to read it, what the inventory wants,
how to write and delete it, how to compare it); `reconcile` does the rest the
same way everywhere: re-attach to a running operation, compare, predict in
check mode without writing, merge the update onto what exists, wait within
the timeout, and report differences and a masked diff.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.phonebill.platform.plugins.module_utils import compare, waiter
from ansible_collections.phonebill.platform.plugins.module_utils.azure_module import to_rest

#: ArmResource.listed when no list call of the parent returned the resource: get() reads it
NOT_LISTED = object()


class ArmResource:
    """One resource as a module sees it.

    Most resources differ only in what they are called and where the SDK keeps
    them: a subclass states `kind`, `service`, `operations` (and `key`,
    `parent_kind`, `create_method`, `delete_method`, `rules` where they differ)
    and writes `desired()`; the hooks below then work from those. A resource of
    another shape overrides the hook that differs.
    """

    #: what the resource is called in messages ("public IP")
    kind = None
    #: with `parent_kind`, the label is "<kind> <name> of <parent_kind> <parent>" (last two of `where`)
    parent_kind = None
    #: the SDK client name (sdk.SERVICES) and its operations attribute ("network", "public_ip_addresses")
    service = None
    operations = None
    #: the parameters that name the resource, in the order of the SDK's positional arguments
    key = ('resource_group', 'name')
    #: the SDK methods that write and delete (plain "create_or_update"/"delete" where not long-running)
    create_method = 'begin_create_or_update'
    delete_method = 'begin_delete'
    #: comparison rules per path, over the defaults for `location` and `tags` (a property where they depend on options)
    rules = {}
    #: paths whose values are masked in differences and diffs
    secrets = ()
    #: read-only paths removed from the update body built from the current resource
    readonly = ('id', 'name', 'type', 'etag', 'systemData', 'properties.provisioningState')
    #: rule paths Azure cannot change once the resource exists
    immutable = ()
    #: parameters needed only to create the resource
    required_to_create = ()
    #: the resource as last read (REST form, None when it does not exist); `reconcile` sets it
    #: before it calls desired(), so desired() can build on what exists without reading again
    current = None
    #: the resource as the list call of its parent returned it (None: not in the list); arm_children sets it,
    #: so a set of children costs one list instead of a GET each; the first get() takes it, later ones read
    listed = NOT_LISTED

    def __init__(self, module):
        self.module = module
        self.params = module.params

    @property
    def where(self):
        """The SDK's positional arguments naming the resource (a child resource overrides this)."""
        return tuple(self.params[name] for name in self.key)

    @property
    def label(self):
        """How the resource is named in messages ("resource group rg-phonebill-prod")."""
        if self.parent_kind:
            return '%s %s of %s %s' % (self.kind, self.where[-1], self.parent_kind, self.where[-2])
        return '%s %s' % (self.kind, self.where[-1])

    @property
    def ops(self):
        """The SDK operations group of the resource."""
        return getattr(self.module.client(self.service), self.operations)

    @property
    def comparator(self):
        """How differences are found and updates merged: locations by region, tags kept unless purge_tags."""
        rules = {'location': compare.LOCATION, 'tags': compare.Mapping(purge=self.params.get('purge_tags') or False)}
        rules.update(self.rules)
        return compare.Comparator(rules, self.secrets)

    def read(self):
        """The resource as an SDK model or REST dict, or None when it does not exist."""
        return self.module.get_or_none('read %s' % self.label, self.ops.get, *self.where)

    def lookup(self):
        """Read what else desired() or problems() need from Azure (ids, offered versions); after get().

        desired() only builds the body: any read of another resource belongs here.
        """

    def problems(self):
        """What is wrong with the stated change given what exists (self.current): 'option: what; the fix' lines.

        A pure check: reconcile fails on them before anything is written. Checks that
        need nothing from Azure belong in the module's validate(), which preflight shares.
        """
        return []

    def desired(self):
        """The REST document of what the inventory states (None values: not stated)."""
        raise NotImplementedError

    def write(self, body):
        """Create or update with the REST body; returns a poller or the resulting model."""
        return getattr(self.ops, self.create_method)(*(self.where + (body,)))

    def running(self):
        """What runs now on the resource, or on one a write to it would collide with: `waiter.running` lines.

        Reads what it needs beyond `current` (a node pool reads its cluster), because
        a write while any of these runs is refused by Azure or restarts its operation.
        """
        return waiter.running(self.label, self.current)

    def remove(self):
        """Delete; returns a poller or None. Refuse here what the user did not ask to delete."""
        return getattr(self.ops, self.delete_method)(*self.where)

    def get(self):
        if self.listed is NOT_LISTED:
            found = self.read()
        else:
            found, self.listed = self.listed, NOT_LISTED  # a re-read (after waiting) sends a GET
        self.current = to_rest(found)
        return self.current

    def unchanged(self):
        """Whether what exists already is what is stated, so reconcile will write nothing.

        A read of another resource that only guards a write (a source server, a parent's
        running operation, the categories Azure offers) is skipped then: a no-op run reads
        each resource once. Only for a resource whose desired() needs nothing from lookup().
        """
        return (self.current is not None and failed_state(self.current) is None
                and not self.comparator.differences(compare.prune(self.desired()), self.current))


def _result(comparator, changed, before, after, differences, module, status_url=None):
    result = dict(changed=changed, resource=comparator.mask(after) or {},
                  differences=[d.as_dict() for d in differences])
    if status_url:
        result['status_url'] = status_url
    if module.diff_mode:
        result['diff'] = dict(before=comparator.mask(before) or {}, after=comparator.mask(after) or {})
    return result


def immutable_problem(difference, label):
    """Why a stated change of a field Azure fixes at creation cannot be made."""
    if difference.before is None:
        return ('%s: %s was created without it and it cannot be set afterwards; leave it out or recreate %s'
                % (difference.path, label, label))
    return ('%s: %s has %r and it cannot change after creation; state %r or recreate it'
            % (difference.path, label, difference.before, difference.before))


def failed_state(resource):
    """A difference that makes a resource left in Failed (or Canceled) be written again, or None.

    Azure's remedy for a failed operation is to send the same PUT again; without
    this a re-run would compare, find the stated values in place and call it done.
    """
    state = waiter.provisioning_state(resource)
    if state not in waiter.FAILED_STATES:
        return None
    if 'provisioningState' in resource:
        return compare.Difference('provisioningState', resource['provisioningState'], 'Succeeded')
    return compare.Difference('properties.provisioningState', resource['properties']['provisioningState'], 'Succeeded')


def _read_running(resource):
    """Read the resource again and say what still runs on it."""
    resource.current = resource.get()
    return resource.running()


def reconcile(module, resource):
    """Bring the resource to the module's `state` and return the module result."""
    comparator = resource.comparator
    resource.current = resource.get()
    running = resource.running()
    if running and module.check_mode:
        # check mode reads, never waits: it says what a real run would wait for first
        module.warn('an operation is in progress (%s); a real run waits for it (within timeout) before it writes'
                    % '; '.join(running))
        return dict(_converge(module, resource, comparator), operations_in_progress=running)
    if running:
        module.settle('wait for the operation running on %s' % resource.label, lambda: _read_running(resource))
    return _converge(module, resource, comparator)


def _converge(module, resource, comparator):
    """Compare what exists (no operation running on it, or check mode) with what is stated, and write the change."""
    actual = resource.current

    if module.params.get('state', 'present') == 'absent':
        if actual is None:
            return _result(comparator, False, None, None, [], module)
        status_url = None
        if not module.check_mode:
            _ignored, status_url = module.run_operation('delete %s' % resource.label, resource.remove)
        gone = [compare.Difference('', '<exists>', '<absent>')]
        return _result(comparator, True, actual, None, gone, module, status_url)

    resource.lookup()
    module.fail_on(resource.problems())
    desired = compare.prune(resource.desired())
    if actual is None:
        module.fail_on(['%s: required to create %s, which does not exist yet; state it' % (name, resource.label)
                        for name in resource.required_to_create if module.params.get(name) in (None, '', [], {})])
        differences = comparator.differences(desired, {})
        body = desired
    else:
        differences = comparator.differences(desired, actual)
        module.fail_on([immutable_problem(d, resource.label) for d in differences
                        if compare.generic_path(d.path) in resource.immutable])
        differences += [d for d in [failed_state(actual)] if d]
        if not differences:
            return _result(comparator, False, actual, actual, [], module)
        body = compare.strip(comparator.merge(desired, actual), resource.readonly)

    if module.check_mode:
        predicted = comparator.merge(desired, actual) if actual is not None else body
        return _result(comparator, True, actual, predicted, differences, module)
    verb = 'create' if actual is None else 'update'
    after, status_url = module.run_operation('%s %s' % (verb, resource.label), lambda: resource.write(body))
    if after is None and status_url is None:
        after = resource.get()
    return _result(comparator, True, actual, after if after is not None else body, differences, module, status_url)
