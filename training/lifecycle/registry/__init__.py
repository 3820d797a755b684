"""The MLflow seam: tracking URI, experiment, runs, the registered model and its aliases.

Everything that talks to MLflow on the training side goes through here (the pyfunc class
and the serving model store are the only other importers of ``mlflow``). The tracking URI
comes from ``MLFLOW_TRACKING_URI`` (default a local SQLite file, with artifacts in
``./mlruns``), set when a function here is called, never at import.
"""

from __future__ import annotations

from training.lifecycle.registry.core import (
    ModelVersionRef,
    acting_user,
    configure,
    set_version_tags,
)
from training.lifecycle.registry.monitor import (
    log_monitor_run,
    monitor_reference,
)
from training.lifecycle.registry.runs import (
    BASELINE_DIR,
    BASELINE_FILE,
    log_training_run,
)
from training.lifecycle.registry.team import (
    TEAM_PERMISSIONS,
    RegistryAccessError,
    TeamAccess,
    access_errors,
    check_can_register,
    create_team_user,
    grant_team_access,
    revoke_team_access,
    team_access,
)
from training.lifecycle.registry.versions import (
    VersionCheck,
    fetch_for_scoring,
    get_alias_version,
    latest_version,
    load_baseline,
    load_screener,
    log_json_artifact,
    log_model_card,
    record_evaluation,
    record_fairness,
    record_independent,
    resolve_version,
    set_alias,
    verify_version,
    version_details,
)

__all__ = [
    "BASELINE_DIR",
    "BASELINE_FILE",
    "TEAM_PERMISSIONS",
    "ModelVersionRef",
    "RegistryAccessError",
    "TeamAccess",
    "VersionCheck",
    "access_errors",
    "acting_user",
    "check_can_register",
    "configure",
    "create_team_user",
    "fetch_for_scoring",
    "get_alias_version",
    "grant_team_access",
    "latest_version",
    "load_baseline",
    "load_screener",
    "log_json_artifact",
    "log_model_card",
    "log_monitor_run",
    "log_training_run",
    "monitor_reference",
    "record_evaluation",
    "record_fairness",
    "record_independent",
    "resolve_version",
    "revoke_team_access",
    "set_alias",
    "set_version_tags",
    "team_access",
    "verify_version",
    "version_details",
]
