"""The team's tracking server: who may do what (decision 0034)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from training.lifecycle.registry.core import (
    configure,
)
from training.settings import get_settings

# -- the team's tracking server: who may do what -------------------------------------------
# On `screener mlflow-server` (MLflow's basic-auth app, decision 0034) every request names a
# user (MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD, which MLflow reads itself) and
# a user sees and changes only what it was granted on the screener's experiment and
# registered model: READ (the service, auditors), EDIT (train, register, promote) or MANAGE
# (EDIT, and grant others on them).

#: The permissions `screener mlflow-users grant` gives, weakest first.
TEAM_PERMISSIONS = ("READ", "EDIT", "MANAGE")
_WRITERS = frozenset({"EDIT", "MANAGE"})
#: What a refused request was doing, by its REST endpoint (the first match says it).
_ACTIONS = (
    ("/runs/create", "starting a run in the experiment"),
    ("/model-versions/create", "registering a version of the model"),
    ("/registered-models/alias", "moving an alias of the model (promoting)"),
    ("/model-versions/set-tag", "tagging a version of the model"),
    ("/experiments/create", "creating an experiment"),
    ("/mlflow-artifacts/", "reading or writing artifacts"),
)


class RegistryAccessError(RuntimeError):
    """The tracking server refused this user: unknown or wrong password (401), or a
    permission it lacks (403). The message is one line: who, where, what, and the fix."""


def _server_uri() -> str:
    """The tracking URI as it may be printed: without any credentials in it."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(get_settings().mlflow_tracking_uri)
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, "", ""))


def _user() -> str:
    return get_settings().mlflow_tracking_username or "(no MLFLOW_TRACKING_USERNAME)"


def _refusal(exc: Exception) -> str | None:
    """A one-line reason for a 401 or 403 from the tracking server, or None for any
    other error."""
    code = getattr(exc, "error_code", None)
    server, user = _server_uri(), _user()
    if code == "UNAUTHENTICATED":
        return (
            f"the tracking server {server} does not accept user {user} with the password "
            "given: set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD to a user of it"
        )
    if code != "PERMISSION_DENIED":
        return None
    message = str(exc)
    if "/mlflow/users/" in message:
        return (
            f"the tracking server {server} refused user {user} administering users: only "
            "its admin may (MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD of the admin)"
        )
    action = next((what for part, what in _ACTIONS if part in message), "this request")
    return (
        f"the tracking server {server} refused user {user} {action}: permission denied; "
        f"an admin can grant it (screener mlflow-users grant {user} --permission EDIT)"
    )


@contextlib.contextmanager
def access_errors() -> Iterator[None]:
    """Turn a tracking server's 401 or 403 inside the block into RegistryAccessError."""
    from mlflow.exceptions import MlflowException

    try:
        yield
    except MlflowException as exc:
        reason = _refusal(exc)
        if reason is None:
            raise
        raise RegistryAccessError(reason) from None


def _auth_client() -> Any:
    """MLflow's client of the basic-auth app on the configured tracking server."""
    import warnings

    with warnings.catch_warnings():
        # Importing mlflow.server warns about a Starlette module MLflow uses; on a
        # command's stderr that would bury the one line that matters.
        warnings.simplefilter("ignore")
        from mlflow.server.auth.client import AuthServiceClient

    uri = get_settings().mlflow_tracking_uri
    if not uri.startswith(("http://", "https://")):
        raise ValueError(
            f"MLFLOW_TRACKING_URI={uri} is not a tracking server: users and permissions live "
            "on `screener mlflow-server` (MLFLOW_TRACKING_URI=http://HOST:PORT)"
        )
    return AuthServiceClient(uri)


def check_can_register() -> None:
    """Before a long training: on a tracking server with basic auth, make sure this user
    may write runs to the experiment and versions of the registered model, so that a
    reader is refused in a second rather than after the fit (RegistryAccessError).

    Nothing is checked against a local store, a server without the auth app, or an
    experiment or model not created yet (whoever creates one owns it)."""
    from mlflow.exceptions import MlflowException

    settings = get_settings()
    user = settings.mlflow_tracking_username
    if not (user and settings.mlflow_tracking_uri.startswith(("http://", "https://"))):
        return
    auth = _auth_client()
    with access_errors():
        try:
            if auth.get_user(user).is_admin:
                return
        except MlflowException as exc:
            if _refusal(exc) is not None:
                raise
            return  # no basic-auth app answers here: the calls themselves will tell
        client = configure()
        experiment = client.get_experiment_by_name(settings.experiment_name)
        targets = [("experiment", experiment.experiment_id, "experiment")]
        with contextlib.suppress(MlflowException):
            client.get_registered_model(settings.registered_model_name)
            targets.append(("registered_model", settings.registered_model_name, "registered model"))
        for kind, key, label in targets:
            held = auth.get_user_permission(user, kind, key).permission
            if held not in _WRITERS:
                name = settings.experiment_name if kind == "experiment" else key
                raise RegistryAccessError(
                    f"user {user} holds {held} on the {label} {name} at {_server_uri()}: "
                    "training and registering need EDIT (screener mlflow-users grant "
                    f"{user} --permission EDIT, by an admin)"
                )


@dataclass(frozen=True)
class TeamAccess:
    """A user's permission on the screener's experiment and registered model."""

    username: str
    experiment: str
    experiment_permission: str
    registered_model: str
    model_permission: str

    def render(self) -> str:
        return (
            f"{self.username}: {self.experiment_permission} on experiment {self.experiment}, "
            f"{self.model_permission} on registered model {self.registered_model}"
        )


@contextlib.contextmanager
def _admin_call(what: str) -> Iterator[None]:
    """Errors of an admin's call as the CLI says them: an unknown user LookupError, a
    refused name, password or value ValueError, a 401/403 RegistryAccessError."""
    from mlflow.exceptions import MlflowException

    try:
        with access_errors():
            yield
    except MlflowException as exc:
        code = getattr(exc, "error_code", None)
        if code == "RESOURCE_DOES_NOT_EXIST":
            raise LookupError(f"{what}: no such user on {_server_uri()}") from None
        if code == "RESOURCE_ALREADY_EXISTS":
            raise ValueError(f"{what} exists already on {_server_uri()}") from None
        if code in ("INVALID_PARAMETER_VALUE", "BAD_REQUEST"):
            detail = getattr(exc, "message", str(exc)).splitlines()[0][:200]
            raise ValueError(f"{what}: {detail}") from None
        raise


def create_team_user(username: str, password: str) -> None:
    """Create a user of the tracking server (as its admin); it can do nothing until
    granted. The password is sent to the server only, which keeps its hash."""
    from training.lifecycle.tracking_server import MIN_PASSWORD_CHARS

    if not username.strip() or username != username.strip():
        raise ValueError(f"user name {username!r}: empty, or spaces around it")
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValueError(
            f"the password of {username} is shorter than {MIN_PASSWORD_CHARS} characters"
        )
    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.create_user(username, password)


def _team_resources(client: Any) -> tuple[str, str]:
    """The experiment's id and the registered model's name, each created (by the admin
    calling) when it does not exist yet, so that it can be granted before anyone trains."""
    from mlflow.exceptions import MlflowException

    settings = get_settings()
    experiment = client.get_experiment_by_name(settings.experiment_name)
    try:
        client.create_registered_model(settings.registered_model_name)
    except MlflowException as exc:
        if getattr(exc, "error_code", None) != "RESOURCE_ALREADY_EXISTS":
            raise
    return experiment.experiment_id, settings.registered_model_name


def grant_team_access(username: str, permission: str) -> TeamAccess:
    """Give ``username`` ``permission`` (READ, EDIT or MANAGE) on the screener's experiment
    and registered model, replacing what it held; both are created first if need be."""
    if permission not in TEAM_PERMISSIONS:
        raise ValueError(f"permission {permission!r}: one of {', '.join(TEAM_PERMISSIONS)}")
    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment_id, model = _team_resources(configure())
        auth.grant_user_permission(username, "experiment", experiment_id, permission)
        auth.grant_user_permission(username, "registered_model", model, permission)
    return team_access(username)


def revoke_team_access(username: str) -> TeamAccess:
    """Take back what ``username`` was granted on the experiment and registered model."""
    from mlflow.exceptions import MlflowException

    auth = _auth_client()
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment_id, model = _team_resources(configure())
        for kind, key in (("experiment", experiment_id), ("registered_model", model)):
            try:
                auth.revoke_user_permission(username, kind, key)
            except MlflowException as exc:  # nothing granted there: nothing to take back
                if getattr(exc, "error_code", None) != "RESOURCE_DOES_NOT_EXIST":
                    raise
    return team_access(username)


def team_access(username: str) -> TeamAccess:
    """What ``username`` may do with the experiment and the registered model, as the
    server decides it for a real request. Reads only: LookupError when nobody has
    granted or trained yet (no experiment)."""
    import mlflow

    settings = get_settings()
    auth = _auth_client()
    model = settings.registered_model_name
    with _admin_call(f"user {username}"):
        auth.get_user(username)
        experiment = mlflow.MlflowClient(settings.mlflow_tracking_uri).get_experiment_by_name(
            settings.experiment_name
        )
        if experiment is None:
            raise LookupError(
                f"no experiment {settings.experiment_name} on {_server_uri()} yet "
                "(`screener mlflow-users grant` creates it)"
            )
        on_experiment = auth.get_user_permission(username, "experiment", experiment.experiment_id)
        on_model = auth.get_user_permission(username, "registered_model", model)
    return TeamAccess(
        username=username,
        experiment=settings.experiment_name,
        experiment_permission=on_experiment.permission,
        registered_model=model,
        model_permission=on_model.permission,
    )
