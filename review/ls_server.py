"""Run the reviewers' Label Studio server and the project's webhook receiver in the background.

Label Studio lives in its own virtual environment (`.venv-ls`: it conflicts with Prefect). It is
started headless on the host and port of CROSSTRACK_LS_URL, analytics and update checks off, its
data (SQLite database, media, log, generated credentials) in <home>/label-studio, with a local
admin user whose API token is CROSSTRACK_LS_TOKEN (else one generated once and kept there).
`serve` is idempotent: a server of ours that answers with our token is reused. Label Studio moves
to another port when its own is busy; `serve` checks the port first and fails loudly instead.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse

import httpx
import psutil

from models.errors import (ConfigError, LabelStudioError, LabelStudioStartError, MissingDependencyError,
                           PortTakenError)
from models.settings import Settings

from .ls_client import Client

LS_VENV = Path(__file__).resolve().parent.parent / ".venv-ls"
START_TIMEOUT = 240.0  # a first start migrates a new database: ~40 s on two busy cores
STOP_TIMEOUT = 20.0
# Label Studio refuses webhooks to private addresses (SSRF protection). The receiver listens on
# 127.0.0.1 only, so exactly that address is allowed; every other default-banned range stays banned.
_BANNED = ("0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
           "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24",
           "203.0.113.0/24", "224.0.0.0/4", "233.252.0.0/24", "240.0.0.0/4", "255.255.255.255/32", "::/128",
           "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:20::/28",
           "2001:db8::/32", "2002::/16", "fc00::/7", "fe80::/10", "ff00::/8")
_LOOPBACK_BUT_OURS = [str(n) for n in ipaddress.ip_network("127.0.0.0/8").address_exclude(ipaddress.ip_network("127.0.0.1/32"))]


@dataclass(frozen=True)
class Credentials:
    token: str
    password: str

    @property
    def webhook_secret(self) -> str:
        """What the receiver expects in the webhook's header (derived: nothing more to keep)."""
        return hmac.new(self.token.encode(), b"crosstrack-webhook", hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Server:
    url: str
    user: str
    password: str
    token: str
    webhook_url: str
    reused: bool
    started_s: float  # seconds until it answered (0 when reused)


def host_port(settings: Settings) -> tuple[str, int]:
    u = urlparse(settings.ls_url)
    if u.scheme != "http" or not u.hostname or not u.port:
        raise ConfigError(f"CROSSTRACK_LS_URL must be http://HOST:PORT (got {settings.ls_url!r})")
    return u.hostname, u.port


def webhook_port(settings: Settings) -> int:
    return settings.ls_webhook_port or host_port(settings)[1] + 1


def webhook_url(settings: Settings) -> str:
    return f"http://127.0.0.1:{webhook_port(settings)}/webhook"


def credentials(settings: Settings) -> Credentials:
    """The admin's token and password: from the settings, else generated once and kept (0600)."""
    path = _data_dir(settings) / "credentials.json"
    kept = json.loads(path.read_text()) if path.exists() else {}
    want = {"token": settings.ls_token or kept.get("token") or secrets.token_hex(20),
            "password": settings.ls_password or kept.get("password") or secrets.token_urlsafe(12)}
    if want != kept and not (settings.ls_token and settings.ls_password):
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(want, f)
        tmp.replace(path)
    return Credentials(**want)


def _data_dir(settings: Settings) -> Path:
    """Label Studio's data folder, readable by this user only: its database holds record text."""
    settings.ls_dir.mkdir(parents=True, exist_ok=True)
    settings.ls_dir.chmod(0o700)
    return settings.ls_dir


def client(settings: Settings) -> Client:
    return Client(settings.ls_url, credentials(settings).token)


# -- serve / stop --------------------------------------------------------------------------------


def serve(settings: Settings) -> Server:
    """Start Label Studio and the webhook receiver, or reuse the ones running; return once both answer."""
    host, port = host_port(settings)
    creds = credentials(settings)
    state = _read_state(settings)
    ls = _ours(state.get("ls")) if state else None
    reused = ls is not None and _answers(settings.ls_url, creds.token)
    began = time.monotonic()
    if not reused:
        if ls is not None:
            _terminate(ls)
        if _port_taken(host, port):
            raise PortTakenError(f"port {port} on {host} is taken by another program: stop it, or point "
                                 "CROSSTRACK_LS_URL at a free port")
        ls = _start_label_studio(settings, creds, host, port)
        state = {**state, "ls": _proc_id(ls)}
        _write_state(settings, state)
        _wait_until_up(settings, creds, ls)
    started = 0.0 if reused else time.monotonic() - began
    hook = _ours(state.get("webhook"))
    if hook is None:
        hook = _start_receiver(settings, creds)
        state["webhook"] = _proc_id(hook)
        _write_state(settings, state)
    return Server(settings.ls_url, settings.ls_user, creds.password, creds.token, webhook_url(settings), reused, started)


def stop(settings: Settings) -> bool:
    """Stop our Label Studio and webhook receiver; False if neither was running."""
    state = _read_state(settings)
    procs = [p for p in (_ours(state.get("ls")), _ours(state.get("webhook"))) if p is not None]
    for p in procs:
        _terminate(p)
    (settings.ls_dir / "server.json").unlink(missing_ok=True)
    return bool(procs)


def stop_receiver(settings: Settings) -> bool:
    """Stop only the webhook receiver (annotations then come back by polling alone)."""
    state = _read_state(settings)
    hook = _ours(state.pop("webhook", None))
    if hook is not None:
        _terminate(hook)
        _write_state(settings, state)
    return hook is not None


def status(settings: Settings) -> dict:
    state = _read_state(settings)
    return {"label_studio": _ours(state.get("ls")) is not None, "webhook": _ours(state.get("webhook")) is not None,
            "url": settings.ls_url}


# -- processes -----------------------------------------------------------------------------------


def _start_label_studio(settings: Settings, creds: Credentials, host: str, port: int) -> psutil.Process:
    exe = LS_VENV / "bin" / "label-studio"
    if not exe.exists():
        raise MissingDependencyError(f"Label Studio is not installed ({exe} is missing): run `make setup`")
    data = _data_dir(settings)
    (settings.review_dir / "crops").mkdir(parents=True, exist_ok=True)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LABEL_STUDIO_", "CROSSTRACK_"))},
        "LABEL_STUDIO_BASE_DATA_DIR": str(data), "XDG_CONFIG_HOME": str(data / "config"),
        "LABEL_STUDIO_USERNAME": settings.ls_user, "LABEL_STUDIO_PASSWORD": creds.password,
        "LABEL_STUDIO_USER_TOKEN": creds.token, "LABEL_STUDIO_ENABLE_LEGACY_API_TOKEN": "true",
        "COLLECT_ANALYTICS": "false", "SENTRY_DSN": "", "FRONTEND_SENTRY_DSN": "", "LATEST_VERSION_CHECK": "false",
        # Crops are served to logged-in reviewers; only from <home>/review/crops (the project's storage).
        "LOCAL_FILES_SERVING_ENABLED": "true", "LOCAL_FILES_DOCUMENT_ROOT": str(settings.review_dir),
        "WEBHOOK_TIMEOUT": "5",  # Label Studio's 1 s default drops deliveries on a busy machine
        "USE_DEFAULT_BANNED_SUBNETS": "false", "USER_ADDITIONAL_BANNED_SUBNETS": ",".join(_BANNED + tuple(_LOOPBACK_BUT_OURS)),
        "PYTHONUNBUFFERED": "1",
    }
    args = [str(exe), "start", "--no-browser", "--internal-host", host, "--port", str(port),
            "--data-dir", str(data), "--enable-legacy-api-token", "--log-level", "WARNING"]
    return _spawn(args, env, data, data / "server.log")


def _start_receiver(settings: Settings, creds: Credentials) -> psutil.Process:
    port = webhook_port(settings)
    if _port_taken("127.0.0.1", port):
        raise PortTakenError(f"port {port} for the webhook receiver is taken by another program: stop it, or set "
                             "CROSSTRACK_LS_WEBHOOK_PORT to a free port")
    inbox = settings.review_dir / "inbox"
    env = {**os.environ, "CROSSTRACK_WEBHOOK_SECRET": creds.webhook_secret}
    args = [sys.executable, "-m", "review.ls_webhook", "--port", str(port), "--inbox", str(inbox)]
    proc = _spawn(args, env, Path(__file__).resolve().parent.parent, settings.ls_dir / "webhook.log")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/health", timeout=2).status_code == 200:
                return proc
        except httpx.TransportError:
            pass
        if not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE:
            break
        time.sleep(0.2)
    _terminate(proc)
    raise LabelStudioStartError(f"the webhook receiver did not start: see {settings.ls_dir / 'webhook.log'}")


def _spawn(args: list[str], env: dict, cwd: Path, log: Path) -> psutil.Process:
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "ab") as out:
        p = subprocess.Popen(args, env=env, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)  # its own process group: `stop` ends it and its children
    return psutil.Process(p.pid)


def _wait_until_up(settings: Settings, creds: Credentials, proc: psutil.Process) -> None:
    log = settings.ls_dir / "server.log"
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if not proc.is_running() or proc.status() == psutil.STATUS_ZOMBIE:
            raise LabelStudioStartError(f"Label Studio exited while starting: see {log}")
        try:
            if httpx.get(f"{settings.ls_url}/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    else:
        _terminate(proc)
        raise LabelStudioStartError(f"Label Studio did not answer within {START_TIMEOUT:.0f} s: see {log}")
    if not _answers(settings.ls_url, creds.token):
        _terminate(proc)
        raise LabelStudioStartError(
            f"Label Studio started but refuses our API token: its data in {settings.ls_dir} was made with another "
            "CROSSTRACK_LS_TOKEN; set that one, or move the folder away to start afresh")


def _answers(url: str, token: str) -> bool:
    try:
        with Client(url, token) as c:
            c.whoami()
        return True
    except LabelStudioError:
        return False


def _port_taken(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def _proc_id(p: psutil.Process) -> dict:
    return {"pid": p.pid, "created": p.create_time()}


def _ours(ident: dict | None) -> psutil.Process | None:
    """The process we started, if it still runs (a reused pid has another start time)."""
    if not ident:
        return None
    try:
        p = psutil.Process(ident["pid"])
        if abs(p.create_time() - ident["created"]) < 0.01 and p.status() != psutil.STATUS_ZOMBIE:
            return p
    except psutil.Error:
        pass
    return None


def _terminate(p: psutil.Process) -> None:
    """SIGTERM to the process group, then SIGKILL after STOP_TIMEOUT."""
    try:
        pgid = os.getpgid(p.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            p.wait(STOP_TIMEOUT)
        except psutil.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            p.wait(5)
    except (ProcessLookupError, psutil.NoSuchProcess):
        pass


def _read_state(settings: Settings) -> dict:
    path = settings.ls_dir / "server.json"
    try:
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError):
        return {}


def _write_state(settings: Settings, state: dict) -> None:
    path = settings.ls_dir / "server.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(state))
    tmp.replace(path)
