"""HA failover of a PostgreSQL flexible server (restart with failover, pg_failover.py), through the real SDK client.

Run with -p azure_sandbox.pytest_plugin -p dataplanes.pytest_plugin (the sessions test needs a real PostgreSQL).
"""

import pytest
from azure.core.exceptions import HttpResponseError
from azure.mgmt.postgresqlflexibleservers import PostgreSQLManagementClient

RG, NAME = "rg-failover", "psql-failover"
SERVER = "/subscriptions/{sub}/resourceGroups/" + RG + "/providers/Microsoft.DBforPostgreSQL/flexibleServers/" + NAME


def seed(sandbox, ha=True, state=None):
    server_id = SERVER.format(sub=sandbox.subscription_id)
    body = {"version": "16", "administratorLogin": "pgadmin", "availabilityZone": "1"}
    if ha:
        body["highAvailability"] = {"mode": "ZoneRedundant", "standbyAvailabilityZone": "2"}
    sandbox.seed([{"id": server_id, "location": "koreacentral", "sku": {"name": "Standard_D4s_v3", "tier": "GeneralPurpose"},
                   "properties": body}])
    if state:
        sandbox.drift(server_id, {"properties": {"state": state}})
    return server_id


@pytest.fixture
def pg(mgmt):
    return mgmt(PostgreSQLManagementClient)


def failover(pg, mode="PlannedFailover"):
    return pg.servers.begin_restart(RG, NAME, parameters={"restartWithFailover": True, "failoverMode": mode})


def zones(sandbox, server_id):
    props = sandbox.get(server_id)["properties"]
    return props["availabilityZone"], props["highAvailability"]["standbyAvailabilityZone"]


@pytest.mark.parametrize("mode", ["PlannedFailover", "ForcedFailover"])
def test_a_failover_passes_through_failing_over_and_swaps_the_zones(sandbox, pg, mode):
    server_id = seed(sandbox)
    assert zones(sandbox, server_id) == ("1", "2")
    sandbox.fault("slow_lro", method="POST", path_contains="/restart", seconds=1.0)
    poller = failover(pg, mode)
    during = sandbox.get(server_id)["properties"]
    assert (during["state"], during["highAvailability"]["state"], during["provisioningState"]) == \
        ("Restarting", "FailingOver", "Updating")
    with pytest.raises(HttpResponseError, match="AnotherOperationInProgress"):
        failover(pg)   # one operation at a time, as for every write
    poller.result()
    after = sandbox.get(server_id)["properties"]
    assert zones(sandbox, server_id) == ("2", "1")
    assert (after["state"], after["highAvailability"]["state"], after["provisioningState"]) == ("Ready", "Healthy", "Succeeded")
    op = [o for o in sandbox.operations() if o["resource_id"].lower() == server_id.lower()][-1]
    assert op["status"] == "Succeeded" and 1.0 <= op["end"] - op["start"] < 1.1


def test_durations_are_azure_s_scaled_and_configurable(sandbox, pg):
    server_id = seed(sandbox)
    sandbox.config(lro_scale=0.01)
    failover(pg, "ForcedFailover").result()
    sandbox.config(durations={"failover:planned": 50})
    failover(pg, "PlannedFailover").result()
    ops = [o for o in sandbox.operations() if o["resource_id"].lower() == server_id.lower()]
    assert [round(o["end"] - o["start"], 2) for o in ops] == [0.9, 0.5]   # forced 90 s, then planned overridden to 50 s
    assert zones(sandbox, server_id) == ("1", "2")   # swapped twice


def test_a_plain_restart_is_not_a_failover(sandbox, pg):
    server_id = seed(sandbox)
    pg.servers.begin_restart(RG, NAME).result()
    assert zones(sandbox, server_id) == ("1", "2")


@pytest.mark.parametrize("setup, status, code", [
    (dict(ha=False), 400, "HANotEnabledForServer"),
    (dict(state="Stopped"), 400, "ServerIsNotReady"),
])
def test_refused_before_anything_starts(sandbox, pg, setup, status, code):
    server_id = seed(sandbox, **setup)
    with pytest.raises(HttpResponseError, match=code) as refused:
        failover(pg)
    assert refused.value.status_code == status
    assert not [o for o in sandbox.operations() if o["resource_id"].lower() == server_id.lower()]


def test_a_standby_that_is_not_healthy_refuses_the_failover(sandbox, pg):
    server_id = seed(sandbox)
    sandbox.drift(server_id, {"properties": {"highAvailability": {"state": "ReplicatingData"}}})
    with pytest.raises(HttpResponseError, match="StandbyNotHealthy.*ReplicatingData"):
        failover(pg)
    assert zones(sandbox, server_id) == ("1", "2")


def test_an_unknown_failover_mode_is_refused(sandbox, pg):
    seed(sandbox)
    with pytest.raises(HttpResponseError, match="InvalidParameterValue.*failoverMode"):
        failover(pg, "PlannedSwitchover")


def test_a_failed_failover_leaves_the_server_on_its_primary(sandbox, pg):
    server_id = seed(sandbox)
    sandbox.fault("lro_failure", method="POST", path_contains="/restart", code="InternalServerError",
                  message="The failover of the server failed.")
    with pytest.raises(HttpResponseError, match="The failover of the server failed"):
        failover(pg).result()
    after = sandbox.get(server_id)["properties"]
    assert zones(sandbox, server_id) == ("1", "2")
    assert (after["state"], after["highAvailability"]["state"]) == ("Ready", "Healthy")


def test_the_sessions_on_the_old_primary_end_and_the_data_stays(sandbox, pg, postgres_server):
    server_id = seed(sandbox)
    sandbox.bind_postgres(server_id, **postgres_server.login())
    import pg8000.native as native  # pylint: disable=import-outside-toplevel
    session = postgres_server.connect()
    session.run("CREATE TABLE IF NOT EXISTS failover_probe (id int)")
    failover(pg).result()
    with pytest.raises((native.InterfaceError, native.DatabaseError)):
        session.run("SELECT 1")   # ended by the failover, as Azure ends the old primary's sessions
    again = postgres_server.connect()
    try:
        assert again.run("SELECT count(*) FROM failover_probe") == [[0]]   # a new session: same data, same host
        again.run("DROP TABLE failover_probe")
    finally:
        again.close()


def test_seeded_states_stay_and_ha_enabled_later_starts_healthy(sandbox):
    server_id = seed(sandbox, ha=False, state="Stopped")
    assert sandbox.get(server_id)["properties"]["state"] == "Stopped"
    sandbox.drift(server_id, {"properties": {"highAvailability": {"mode": "ZoneRedundant", "standbyAvailabilityZone": "3"}}})
    assert sandbox.get(server_id)["properties"]["highAvailability"]["state"] == "Healthy"
