"""The documented deployment, run as written: deploy/systemd's commands behind deploy/nginx.

The units' ExecStart lines (migrate + check, then gunicorn) run with their environment
file filled in for this machine (PostgreSQL from TEST_DATABASE_URL, Redis), and Debian's
nginx serves the site file with a self-signed certificate on free ports. Skips with the
reason when nginx, PostgreSQL or Redis is missing (.ci/run provides all three).
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
import urllib3

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
REDIS_URL = "redis://127.0.0.1:6379/14"
AS_FROM_NGINX = {"X-Forwarded-Proto": "https"}
SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def unit(name: str) -> dict[str, list[str]]:
    """A systemd unit's [Service] keys (a key given twice keeps both values)."""
    keys: dict[str, list[str]] = {}
    for line in (DEPLOY / "systemd" / name).read_text().splitlines():
        if "=" in line and not line.startswith("#"):
            key, _, value = line.partition("=")
            keys.setdefault(key.strip(), []).append(value.strip())
    return keys


def env_file(**values: str) -> dict[str, str]:
    """deploy/webinars.env.example as systemd reads it, with `values` filled in."""
    env = {}
    for line in (DEPLOY / "webinars.env.example").read_text().splitlines():
        if line and not line.startswith("#") and "=" in line:
            key, _, value = line.partition("=")
            env[key] = value
    env.update(values)
    return env


def run_as_unit(command: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    argv = [arg.replace("/srv/webinars", str(ROOT)) for arg in shlex.split(command)]
    return subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def deployment(tmp_path_factory) -> Iterator[dict[str, str]]:
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (apt-get install nginx-light); .ci/run installs it")
    pg = os.environ.get("TEST_DATABASE_URL")
    if not pg:
        pytest.skip("needs PostgreSQL: set TEST_DATABASE_URL (production refuses SQLite)")
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).ping()
    except Exception as exc:
        pytest.skip(f"needs Redis on 127.0.0.1:6379 ({exc})")
    tmp = tmp_path_factory.mktemp("deploy")
    database = _fresh_database(pg, "deploy")
    app_port, http_port, https_port = _free_port(), _free_port(), _free_port()
    metrics_dir = tmp / "metrics"
    metrics_dir.mkdir()
    env = dict(
        os.environ,
        **env_file(
            SECRET_KEY=SECRET,
            DATABASE_URL=database,
            REDIS_URL=REDIS_URL,
            BASE_URL=f"https://127.0.0.1:{https_port}",
            MAIL_DEFAULT_SENDER="Department of Children's Diseases <webinars@sammi.uz>",
            MAIL_SERVER="",
            WEBINARS_INSTANCE_DIR=str(tmp / "instance"),
            GUNICORN_BIND=f"127.0.0.1:{app_port}",
            GUNICORN_WORKERS="2",
        ),
    )
    for assignment in unit("webinars-web.service").get("Environment", []):
        key, _, value = assignment.partition("=")
        env[key] = str(metrics_dir) if key == "PROMETHEUS_MULTIPROC_DIR" else value
    for command in unit("webinars-migrate.service")["ExecStart"]:
        done = run_as_unit(command, env)
        assert done.returncode == 0, done.stdout + done.stderr
    (web,) = unit("webinars-web.service")["ExecStart"]
    argv = [a.replace("/srv/webinars", str(ROOT)) for a in shlex.split(web)]
    log = (tmp / "gunicorn.log").open("w")
    gunicorn = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log, stderr=log)
    nginx_conf = _nginx_conf(tmp, app_port, http_port, https_port)
    checked = subprocess.run(
        [NGINX, "-p", str(tmp), "-c", str(nginx_conf), "-t"], capture_output=True
    )
    assert checked.returncode == 0, checked.stderr.decode()
    nginx = subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(nginx_conf), "-g", "daemon off;"])
    try:
        _wait(f"http://127.0.0.1:{app_port}/healthz")
        _wait(f"https://127.0.0.1:{https_port}/healthz")
        yield dict(
            app=f"http://127.0.0.1:{app_port}",
            http=f"http://127.0.0.1:{http_port}",
            https=f"https://127.0.0.1:{https_port}",
            gunicorn_pid=str(gunicorn.pid),
            log=str(tmp / "gunicorn.log"),
        )
    finally:
        nginx.terminate()
        gunicorn.terminate()
        for proc in (nginx, gunicorn):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
        log.close()
        _drop_database(pg, "deploy")


def _fresh_database(pg: str, suffix: str) -> str:
    url = sa.make_url(pg)
    name = f"{url.database}_{suffix}_{os.getpid()}"
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}"'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_database(pg: str, suffix: str) -> None:
    url = sa.make_url(pg)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(
            sa.text(f'DROP DATABASE IF EXISTS "{url.database}_{suffix}_{os.getpid()}" WITH (FORCE)')
        )
    engine.dispose()


def _nginx_conf(tmp: Path, app_port: int, http_port: int, https_port: int) -> Path:
    """deploy/nginx/webinars.conf in a minimal nginx.conf, on this machine's ports."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-keyout", str(tmp / "key.pem"), "-out", str(tmp / "cert.pem")],
        check=True,
        capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "webinars.conf").read_text()
    replacements = {
        "127.0.0.1:8000": f"127.0.0.1:{app_port}",
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",
        "/etc/ssl/webinars/fullchain.pem": str(tmp / "cert.pem"),
        "/etc/ssl/webinars/privkey.pem": str(tmp / "key.pem"),
        "/var/log/nginx/webinars.access.log": str(tmp / "access.log"),
        "/srv/webinars": str(ROOT),
    }
    for old, new in replacements.items():
        assert old in site, old
        site = site.replace(old, new)
    conf = tmp / "nginx.conf"
    conf.write_text(
        f"pid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\nevents {{}}\n"
        f"http {{\n include /etc/nginx/mime.types;\n access_log off;\n"
        f" client_body_temp_path {tmp}/body; proxy_temp_path {tmp}/proxy;\n{site}\n}}\n"
    )
    return conf


def _wait(url: str) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            # On gunicorn's own port the app sees plain http: say what nginx would say.
            answer = requests.get(url, timeout=5, verify=False, headers=AS_FROM_NGINX)
            if answer.status_code == 200:
                return
        except requests.RequestException:
            pass
        if time.monotonic() > deadline:
            raise AssertionError(f"{url} never answered")
        time.sleep(0.2)


@pytest.fixture(autouse=True)
def _self_signed() -> None:
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)


def test_plain_http_is_sent_to_https(deployment):
    response = requests.get(deployment["http"] + "/catalog/", allow_redirects=False, timeout=10)

    assert response.status_code == 301
    assert response.headers["Location"].startswith("https://127.0.0.1/catalog/")


def test_the_app_answers_behind_nginx_knowing_it_is_https(deployment):
    response = requests.get(deployment["https"] + "/catalog/", verify=False, timeout=10)

    # FORCE_HTTPS is on in production: had the app not trusted X-Forwarded-Proto, it
    # would have redirected this request to https again.
    assert response.status_code == 200
    assert re.fullmatch(r"[0-9a-f]{32}", response.headers["X-Request-ID"])  # nginx's id


def test_static_files_come_from_nginx_with_long_cache(deployment):
    for path in ("/static/css/app.css", "/bootstrap/static/css/bootstrap.min.css"):
        response = requests.get(deployment["https"] + path, verify=False, timeout=10)

        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "public, max-age=604800"
        assert "X-Request-ID" not in response.headers  # never reached the app


def test_feed_revalidation_reaches_the_app_unchanged(deployment):
    url = deployment["https"] + "/calendars/all.ics"
    first = requests.get(url, verify=False, timeout=30, headers={"Accept-Encoding": "gzip"})

    again = requests.get(
        url, verify=False, timeout=30, headers={"If-None-Match": first.headers["ETag"]}
    )

    assert first.status_code == 200
    assert "Content-Encoding" not in first.headers  # gzip would weaken the ETag
    assert again.status_code == 304


def test_bodies_over_the_limit_are_refused_by_nginx(deployment):
    response = requests.post(
        deployment["https"] + "/login", data=b"x" * (11 * 1024 * 1024), verify=False, timeout=30
    )

    assert response.status_code == 413


def test_metrics_refused_through_nginx_and_summed_over_workers_on_loopback(deployment):
    for _ in range(12):
        requests.get(deployment["https"] + "/healthz", verify=False, timeout=10)

    through_nginx = requests.get(deployment["https"] + "/metrics", verify=False, timeout=10)
    local = requests.get(deployment["app"] + "/metrics", timeout=10).text

    assert through_nginx.status_code == 403
    (count,) = re.findall(
        r'webinars_http_requests_total\{method="GET",route="/healthz",status="200"\} (\S+)', local
    )
    assert float(count) >= 12  # from both workers: each request went to one or the other


def test_graceful_reload_drops_no_request(deployment):
    failures: list[str] = []
    answered = 0
    stop = threading.Event()

    def poll() -> None:
        nonlocal answered
        while not stop.is_set():
            try:
                status = requests.get(deployment["https"] + "/catalog/", verify=False, timeout=30)
                if status.status_code != 200:
                    failures.append(str(status.status_code))
                answered += 1
            except requests.RequestException as exc:
                failures.append(type(exc).__name__)

    threads = [threading.Thread(target=poll) for _ in range(3)]
    for thread in threads:
        thread.start()
    time.sleep(1)
    os.kill(int(deployment["gunicorn_pid"]), signal.SIGHUP)  # systemctl reload webinars-web
    time.sleep(6)
    stop.set()
    for thread in threads:
        thread.join()

    log = Path(deployment["log"]).read_text()
    assert "Handling signal: hup" in log or "Hang up" in log
    assert failures == []
    assert answered >= 3  # requests were in flight across the reload
