"""What the monitor reads from and records in the registry (decision 0032)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from training.lifecycle.registry.core import (
    ModelVersionRef,
    configure,
    set_version_tags,
)


def monitor_reference(ref: ModelVersionRef) -> Any | None:
    """The monitor's training-time reference of a registered version
    (``training.audit.monitoring.ReferenceProfile``), read from its ``MLmodel`` metadata
    without loading the model; None for a version registered before references were
    recorded. Raises ValueError when the stored reference is of an unknown schema."""
    from mlflow.models import get_model_info

    from training.audit.monitoring import METADATA_KEY, ReferenceProfile
    from training.model.pyfunc import quiet_downloads

    configure()
    with quiet_downloads():
        info = get_model_info(ref.uri)
    raw = (info.metadata or {}).get(METADATA_KEY)
    return None if raw is None else ReferenceProfile.from_dict(raw)


def log_monitor_run(
    ref: ModelVersionRef,
    *,
    period: str,
    report_dir: Path,
    params: dict[str, str],
    metrics: dict[str, float],
    series: dict[str, list[float | None]],
    flag_kinds: list[str],
) -> str:
    """Record a monitoring report as a run of the experiment, tagged with the version it
    watches (``screener.kind=monitor``, ``model_name``, ``model_version``): ``params`` (the
    period and thresholds), ``metrics``, each of ``series`` as one metric stepped by week
    (None where withheld), and the report files under ``monitor/``. The version gets
    ``monitor/last_*`` tags naming the run, the period and the kinds flagged. Returns the
    run's id. Numbers and labels only: the report holds no concern text."""
    import time

    import mlflow
    from mlflow.entities import Metric

    configure()
    client = mlflow.MlflowClient()
    with mlflow.start_run(run_name=f"monitor v{ref.version} {period}") as run:
        mlflow.set_tags(
            {
                "screener.kind": "monitor",
                "model_name": ref.name,
                "model_version": ref.version,
                "monitor.period": period,
                "monitor.flags": str(len(flag_kinds)),
                "monitor.flag_kinds": ",".join(sorted(set(flag_kinds)))[:5000],
            }
        )
        mlflow.log_params(params)
        if metrics:
            mlflow.log_metrics(metrics)
        now = int(time.time() * 1000)
        stepped = [
            Metric(key, float(value), now, step)
            for key, values in series.items()
            for step, value in enumerate(values)
            if value is not None
        ]
        if stepped:
            client.log_batch(run.info.run_id, metrics=stepped)
        mlflow.log_artifacts(str(report_dir), artifact_path="monitor")
    set_version_tags(
        ref.version,
        {
            "monitor/last_run_id": run.info.run_id,
            "monitor/last_period": period,
            "monitor/last_flags": json.dumps(sorted(set(flag_kinds)))[:5000],
        },
    )
    return str(run.info.run_id)
