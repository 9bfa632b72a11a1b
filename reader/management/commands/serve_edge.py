"""Serve the site as production does at the edge: gunicorn behind Varnish.

    python manage.py serve_edge [--port 8080] [--backend-port 8081] [--workers 4]

Varnish (Debian's `varnish` and `varnish-modules`, for xkey) listens on --port with
config/varnish.vcl, gunicorn serves the application on --backend-port, and the
application is told to purge that Varnish by surrogate key after every change
(EDGE_PURGE_URLS, reader/edge.py). The settings are the environment's (DATABASE_URL,
REDIS_URL, DEBUG...). Ctrl-C stops both.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

VCL = Path(settings.BASE_DIR) / "config" / "varnish.vcl"
INSTALL_HINT = "Install it with: apt-get install varnish varnish-modules"


def varnishd_path():
    # Debian puts it in /usr/sbin, which a user's PATH may leave out.
    return shutil.which("varnishd") or shutil.which("varnishd", path="/usr/sbin")


def vcl_for_backend(port, *, host="127.0.0.1"):
    """The repository's VCL with its backend set to this address."""
    text = VCL.read_text()
    text, hosts = re.subn(r'\.host = "[^"]*";', f'.host = "{host}";', text, count=1)
    text, ports = re.subn(r'\.port = "[^"]*";', f'.port = "{port}";', text, count=1)
    if (hosts, ports) != (1, 1):
        raise CommandError(f"{VCL} has no backend .host and .port to set.")
    return text


def start_varnish(*, port, backend_port, workdir, storage="malloc,256m"):
    """Start varnishd in the foreground (a child process) on 127.0.0.1:`port`; returns
    the process once it answers. `workdir` holds its rendered VCL and its state."""
    binary = varnishd_path()
    if binary is None:
        raise CommandError(f"varnishd was not found. {INSTALL_HINT}")
    workdir = Path(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    # varnishd drops root privileges: what it reads must be readable by its own user.
    workdir.chmod(0o755)
    vcl = workdir / "corroborate.vcl"
    vcl.write_text(vcl_for_backend(backend_port))
    vcl.chmod(0o644)
    process = subprocess.Popen(
        [
            binary,
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(workdir / "state"),
            "-s",
            storage,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read()
            raise CommandError(f"varnishd stopped at once:\n{output.strip()}")
        if _answers(port):
            return process
        time.sleep(0.1)
    process.terminate()
    raise CommandError(f"varnishd did not answer on port {port} within 30 seconds.")


def _answers(port):
    import socket

    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def _interrupt(signum, frame):
    raise KeyboardInterrupt


class Command(BaseCommand):
    help = "Serve the site with gunicorn behind Varnish, purged by surrogate key."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8080, help="Varnish's port.")
        parser.add_argument(
            "--backend-port", type=int, default=8081, help="gunicorn's port, behind Varnish."
        )
        parser.add_argument("--workers", type=int, default=4, help="gunicorn workers.")

    def handle(self, *args, port, backend_port, workers, **options):
        if port == backend_port:
            raise CommandError("--port and --backend-port must differ.")
        gunicorn = Path(sys.executable).with_name("gunicorn")
        if not gunicorn.exists():
            raise CommandError("gunicorn was not found beside this Python: pip install .")
        environment = {
            **os.environ,
            "EDGE_PURGE_URLS": f"http://127.0.0.1:{port}/",
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "config.settings"),
        }
        app = subprocess.Popen(
            [
                str(gunicorn),
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{backend_port}",
                "--workers",
                str(workers),
            ],
            cwd=settings.BASE_DIR,
            env=environment,
        )
        with tempfile.TemporaryDirectory(prefix="corroborate-varnish-") as workdir:
            try:
                varnish = start_varnish(port=port, backend_port=backend_port, workdir=workdir)
            except CommandError:
                app.terminate()
                app.wait()
                raise
            self.stdout.write(
                f"Serving at http://127.0.0.1:{port}/ (Varnish) with gunicorn at "
                f"127.0.0.1:{backend_port} behind it. Ctrl-C stops both."
            )
            # A service manager stops it with SIGTERM: stop both children as for Ctrl-C.
            signal.signal(signal.SIGTERM, _interrupt)
            try:
                while app.poll() is None and varnish.poll() is None:
                    time.sleep(0.5)
            except KeyboardInterrupt:
                pass
            finally:
                for process in (varnish, app):
                    if process.poll() is None:
                        process.send_signal(signal.SIGTERM)
                for process in (varnish, app):
                    try:
                        process.wait(timeout=20)
                    except subprocess.TimeoutExpired:
                        process.kill()
            if app.returncode not in (0, -signal.SIGTERM, None):
                raise CommandError(f"gunicorn stopped with exit code {app.returncode}.")
