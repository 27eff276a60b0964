# Make the fixture available even when pytest is run without
# `-p controlplane.pytest_plugin` (the fixture is identical either way).
from controlplane.pytest_plugin import k8s_control_plane  # noqa: F401
