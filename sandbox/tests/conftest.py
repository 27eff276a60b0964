"""Shared helpers; the sandbox fixtures come from ``-p azure_sandbox.pytest_plugin``."""

import pytest
from azure.mgmt.resource.resources import ResourceManagementClient


@pytest.fixture
def mgmt(sandbox):
    """``mgmt(ClientClass, **extra)`` builds a real SDK client on the sandbox."""
    cred = sandbox.credential()

    def make(cls, **extra):
        return cls(cred, sandbox.subscription_id, **{**sandbox.mgmt_kwargs(), **extra})

    return make


@pytest.fixture
def rg(mgmt):
    mgmt(ResourceManagementClient).resource_groups.create_or_update("rg-test", {"location": "Korea Central"})
    return "rg-test"
