"""The regions of the sandbox subscription and the VM sizes offered in them.

Served as Azure serves them (``GET /subscriptions/{id}/locations``, REST spec
example GetLocations.json of 2022-12-01; ``GET /subscriptions/{id}/providers/
Microsoft.Compute/skus``, ListAvailableResourceSkus*.json of 2021-07-01) and
used by validate.py to refuse what Azure refuses: a resource in a location
that is not a region, an AKS node pool whose VM size the subscription cannot
use there.  Per-subscription SKU restrictions come from the config key
``vm_sku_restrictions``: ``[{"name", "location", "zones" (absent: the whole
region), "reasonCode" (default NotAvailableForSubscription)}]``.
"""

import re

from .messages import ApiError
from .util import normalize_location

ZONES = ["1", "2", "3"]

# name, display name, geography, geography group, physical location, latitude, longitude, paired region, zonal
PHYSICAL = [
    ("koreacentral", "Korea Central", "Korea", "Asia Pacific", "Seoul", "37.5665", "126.978", "koreasouth", True),
    ("koreasouth", "Korea South", "Korea", "Asia Pacific", "Busan", "35.1796", "129.0756", "koreacentral", False),
    ("japaneast", "Japan East", "Japan", "Asia Pacific", "Tokyo, Saitama", "35.68", "139.77", "japanwest", True),
    ("japanwest", "Japan West", "Japan", "Asia Pacific", "Osaka", "34.6939", "135.5022", "japaneast", False),
    ("eastasia", "East Asia", "Hong Kong SAR", "Asia Pacific", "Hong Kong", "22.267", "114.188", "southeastasia", True),
    ("southeastasia", "Southeast Asia", "Singapore", "Asia Pacific", "Singapore", "1.283", "103.833", "eastasia", True),
    ("eastus", "East US", "United States", "US", "Virginia", "37.3719", "-79.8164", "westus", True),
    ("westus", "West US", "United States", "US", "California", "37.783", "-122.417", "eastus", False),
    ("westeurope", "West Europe", "Europe", "Europe", "Netherlands", "52.3667", "4.9", "northeurope", True),
    ("northeurope", "North Europe", "Europe", "Europe", "Ireland", "53.3478", "-6.2597", "westeurope", True),
]
# Geographies are listed too, but nothing can be placed in them.
LOGICAL = [("asiapacific", "Asia Pacific"), ("unitedstates", "United States"), ("europe", "Europe")]

# name, family, vCPUs, memory GB, temp disk MB, max data disks, ACUs, regions (None: every region)
VM_SIZES = [
    ("Standard_B2s", "standardBSFamily", 2, "4", 8192, 4, None, None),
    ("Standard_D2s_v3", "standardDSv3Family", 2, "8", 16384, 4, 160, None),
    ("Standard_D4s_v3", "standardDSv3Family", 4, "16", 32768, 8, 160, None),
    ("Standard_D8s_v3", "standardDSv3Family", 8, "32", 65536, 16, 160, None),
    ("Standard_E4s_v3", "standardESv3Family", 4, "32", 65536, 8, 160, None),
    ("Standard_F4s_v2", "standardFSv2Family", 4, "8", 32768, 8, 195, None),
    ("Standard_D2s_v5", "standardDSv5Family", 2, "8", 0, 4, 195, "-koreasouth"),
    ("Standard_D4s_v5", "standardDSv5Family", 4, "16", 0, 8, 195, "-koreasouth"),
    ("Standard_D8s_v5", "standardDSv5Family", 8, "32", 0, 16, 195, "-koreasouth"),
    ("Standard_D4ds_v5", "standardDDSv5Family", 4, "16", 153600, 8, 195, "-koreasouth"),
    ("Standard_HB120rs_v3", "standardHBrsv3Family", 120, "448", 491520, 32, None, "eastus westeurope"),
]


def physical_names() -> list:
    return [row[0] for row in PHYSICAL]


def region_of(location):
    """The region name of a location ('Korea Central' or 'koreacentral'), or None when it is not a region."""
    wanted = normalize_location(location)
    for name, display, *_ in PHYSICAL:
        if wanted in (name, normalize_location(display)):
            return name
    return None


def zones_of(region: str) -> list:
    return next((list(ZONES) if zonal else []) for name, *_, zonal in PHYSICAL if name == region)


def locations(subscription: str) -> list:
    """Subscriptions - List Locations: the physical regions, then the geographies."""
    base = f"/subscriptions/{subscription}/locations/"
    out = []
    for name, display, geography, group, place, lat, lon, paired, zonal in PHYSICAL:
        entry = {"id": base + name, "name": name, "type": "Region", "displayName": display,
                 "regionalDisplayName": f"({group}) {display}",
                 "metadata": {"regionType": "Physical", "regionCategory": "Recommended", "geography": geography,
                              "geographyGroup": group, "longitude": lon, "latitude": lat, "physicalLocation": place,
                              "pairedRegion": [{"name": paired, "id": base + paired}]}}
        if zonal:
            entry["availabilityZoneMappings"] = [{"logicalZone": z, "physicalZone": f"{name}-az{z}"} for z in ZONES]
        out.append(entry)
    for name, display in LOGICAL:
        out.append({"id": base + name, "name": name, "type": "Region", "displayName": display,
                    "regionalDisplayName": display, "metadata": {"regionType": "Logical", "regionCategory": "Other"}})
    return out


def _offered_in(regions, region: str) -> bool:
    if regions is None:
        return True
    if regions.startswith("-"):
        return region not in regions[1:].split()
    return region in regions.split()


def _capabilities(vcpus, memory, temp_mb, disks, acus) -> list:
    caps = [("MaxResourceVolumeMB", temp_mb), ("OSVhdSizeMB", 1047552), ("vCPUs", vcpus), ("HyperVGenerations", "V1,V2"),
            ("MemoryGB", memory), ("MaxDataDiskCount", disks), ("CpuArchitectureType", "x64"), ("LowPriorityCapable", "True"),
            ("PremiumIO", "True"), ("vCPUsAvailable", vcpus), ("ACUs", acus), ("vCPUsPerCore", 2 if vcpus < 120 else 1),
            ("EphemeralOSDiskSupported", "True" if temp_mb else "False"), ("AcceleratedNetworkingEnabled", "True"),
            ("RdmaEnabled", "False" if vcpus < 120 else "True"), ("MaxNetworkInterfaces", min(vcpus, 8))]
    return [{"name": n, "value": str(v)} for n, v in caps if v is not None]


def _restrictions(config: dict, name: str, region: str) -> list:
    out = []
    for rule in config.get("vm_sku_restrictions") or []:
        if rule.get("name", "").lower() != name.lower() or normalize_location(rule.get("location")) != region:
            continue
        info = {"locations": [region]}
        if rule.get("zones"):
            info["zones"] = [str(z) for z in rule["zones"]]
        out.append({"type": "Zone" if rule.get("zones") else "Location", "values": [region], "restrictionInfo": info,
                    "reasonCode": rule.get("reasonCode", "NotAvailableForSubscription")})
    return out


def vm_skus(config: dict, region: str) -> list:
    """ResourceSku entries (resourceType virtualMachines) of one region, restrictions included."""
    out = []
    for name, family, vcpus, memory, temp_mb, disks, acus, regions in VM_SIZES:
        if not _offered_in(regions, region):
            continue
        out.append({"resourceType": "virtualMachines", "name": name, "tier": "Standard", "size": name[len("Standard_"):],
                    "family": family, "locations": [region],
                    "locationInfo": [{"location": region, "zones": zones_of(region), "zoneDetails": []}],
                    "capabilities": _capabilities(vcpus, memory, temp_mb, disks, acus),
                    "restrictions": _restrictions(config, name, region)})
    return out


def disk_skus(region: str) -> list:
    """One managed-disk SKU per region, as the listing mixes resource types."""
    return [{"resourceType": "disks", "name": "Premium_LRS", "tier": "Premium", "size": "P10", "locations": [region],
             "locationInfo": [{"location": region, "zones": zones_of(region), "zoneDetails": []}],
             "capabilities": [{"name": "MaxSizeGiB", "value": "128"}, {"name": "MinSizeGiB", "value": "64"},
                              {"name": "MaxIOps", "value": "500"}, {"name": "MaxBandwidthMBps", "value": "100"}],
             "restrictions": []}]


def skus(config: dict, odata_filter: str | None) -> list:
    """Resource Skus - List; only the location filter is supported, as in Azure."""
    wanted = physical_names()
    if odata_filter:
        match = re.fullmatch(r"\s*location\s+eq\s+'([^']*)'\s*", odata_filter, re.IGNORECASE)
        if not match:
            raise ApiError(400, "InvalidFilter", f"The filter '{odata_filter}' is not supported; only 'location eq' is.")
        region = region_of(match.group(1))
        wanted = [region] if region else []
    out = []
    for region in wanted:
        out.extend(vm_skus(config, region) + disk_skus(region))
    return out


def vm_sku(config: dict, name: str, region: str):
    """The ResourceSku of a VM size in a region, or None when it is not offered there."""
    return next((s for s in vm_skus(config, region) if s["name"].lower() == str(name).lower()), None)


def usable_zones(sku: dict) -> list:
    zones = [z for info in sku["locationInfo"] for z in info.get("zones") or []]
    blocked = {z for r in sku["restrictions"] if r["type"] == "Zone" for z in r["restrictionInfo"].get("zones", [])}
    return [z for z in zones if z not in blocked]


def location_restricted(sku: dict) -> bool:
    return any(r["type"] == "Location" for r in sku["restrictions"])
