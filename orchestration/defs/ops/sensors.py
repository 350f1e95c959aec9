"""A sensor per landing folder: new or changed ready files launch that source's ingestion.

Data-subject requests launch more: the job that resolves and carries them out, so an erasure does not wait
for the daily run.
"""

import dagster as dg

from orchestration.lib.arrivals import landing_fingerprint
from orchestration.lib.ingest.contracts import Contract
from orchestration.lib.ingest.sources import CONTRACTS
from orchestration.lib.settings import Settings


def build_landing_sensor(contract: Contract) -> dg.SensorDefinition:
    target = (
        {"job_name": "privacy_requests"}  # the job of jobs.py, by name: one definition of it
        if contract.source == "deletion_requests"
        else {"asset_selection": dg.AssetSelection.assets(dg.AssetKey(["raw", contract.source]))}
    )
    launches = "the privacy_requests job" if contract.source == "deletion_requests" else f"raw/{contract.source}"

    @dg.sensor(
        name=f"landing_{contract.source}",
        minimum_interval_seconds=60,
        **target,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description=(
            f"Watches landing/{contract.source}/ and launches {launches} when a ready file appears "
            "or changes (hidden and temporary names are not ready). The run key is the folder's fingerprint: "
            "the same files never launch twice."
        ),
    )
    def _sensor(context: dg.SensorEvaluationContext):
        fingerprint, files = landing_fingerprint(Settings.from_env().landing, contract.source, contract.format)
        if files == 0:
            return dg.SkipReason(f"landing/{contract.source}/ holds no ready file")
        if fingerprint == context.cursor:
            return dg.SkipReason(f"nothing new in landing/{contract.source}/ ({files} file(s) seen)")
        context.update_cursor(fingerprint)
        return dg.RunRequest(run_key=f"{contract.source}-{fingerprint}", tags={"kizuna/trigger": "landing"})

    return _sensor


landing_sensors = [build_landing_sensor(contract) for contract in CONTRACTS.values()]
