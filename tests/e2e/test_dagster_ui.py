"""The Dagster UI, in a real browser: Playwright drives Debian's Chromium (headless) against the real
webserver, on a small generated zone that `kizuna run` materialized.

Screenshots go to $KIZUNA_SCREENSHOTS when it is set (the README's tour uses them), else next to the test's
KIZUNA_HOME.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

playwright = pytest.importorskip("playwright.sync_api")

pytestmark = [pytest.mark.e2e, pytest.mark.slow]

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# a closed network: no background calls home, no sandbox as root, no GPU (see the machine notes)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
GROUPS = ("ingest", "staging", "identity", "profiles", "consent", "segments", "exports", "privacy")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    """A small generated zone, materialized by `kizuna run` as a user would (persistent Dagster storage)."""
    home = tmp_path_factory.mktemp("ui") / "home"
    env = {k: v for k, v in os.environ.items() if k not in ("DAGSTER_HOME", "KIZUNA_WAREHOUSE")}
    env.update({"KIZUNA_HOME": str(home), "KIZUNA_AS_OF": "2026-11-01"})
    kizuna = [sys.executable, "-m", "orchestration.cli"]
    sample = subprocess.run([*kizuna, "sample", "--customers", "150", "--seed", "5"], env=env, capture_output=True)
    assert sample.returncode == 0, sample.stderr[-2000:]
    run = subprocess.run([*kizuna, "run"], env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    return home


@pytest.fixture(scope="module")
def webserver(home):
    port = _free_port()
    env = {**os.environ, "KIZUNA_HOME": str(home), "KIZUNA_AS_OF": "2026-11-01", "DAGSTER_HOME": str(home / "dagster")}
    command = [
        str(Path(sys.executable).parent / "dagster-webserver"),
        *("-m", "orchestration.definitions", "-h", "127.0.0.1", "-p", str(port)),
    ]
    log = open(home / "webserver.log", "w")  # noqa: SIM115 - open while the server runs
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(f"{url}/server_info", timeout=5)
            break
        except OSError:
            assert server.poll() is None, (home / "webserver.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the webserver did not answer within 180 s"
            time.sleep(1)
    yield url
    server.terminate()
    server.wait(timeout=30)
    log.close()


@pytest.fixture(scope="module")
def page(webserver):
    with playwright.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.set_default_timeout(60_000)
        page.goto(f"{webserver}/assets")
        skip = page.get_by_role("button", name="Skip")  # the first-visit community dialog
        skip.wait_for()
        skip.click()
        yield page
        browser.close()


def screenshot(page, home: Path, name: str) -> None:
    folder = Path(os.environ.get("KIZUNA_SCREENSHOTS") or home / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / f"{name}.png"))


def test_the_lineage_shows_every_asset_group(page, webserver, home):
    page.goto(f"{webserver}/asset-groups")
    for group in GROUPS:
        page.get_by_text(group, exact=True).first.wait_for()
    screenshot(page, home, "lineage")


def test_an_ingestion_asset_shows_its_description_metadata_and_checks(page, webserver, home):
    page.goto(f"{webserver}/assets/raw/events")
    page.get_by_text("Segment Spec messages").first.wait_for()
    for key in ("rows_loaded", "rows_quarantined", "rows_suppressed", "quarantine_reasons"):
        page.get_by_text(key, exact=True).first.wait_for()
    screenshot(page, home, "asset-raw-events")
    page.goto(f"{webserver}/assets/raw/events?view=checks")
    for check in ("rows_reconcile_per_file", "all_files_readable"):
        page.get_by_text(check, exact=True).first.wait_for()
    assert page.get_by_text("Succeeded").count() >= 2
    screenshot(page, home, "checks-raw-events")


@pytest.mark.parametrize(
    ("key", "text", "check"),
    [
        ("marts/customer_profiles", "One row per person", "gx_profiles_shape"),
        ("exports/klaviyo_contacts", "Klaviyo", "every_row_has_consent"),
        ("privacy/erasure", "Carries out erasure requests", "erasures_done_in_time"),
    ],
)
def test_key_assets_render_with_their_checks(page, webserver, home, key, text, check):
    page.goto(f"{webserver}/assets/{key}")
    page.get_by_text(text).first.wait_for()
    page.goto(f"{webserver}/assets/{key}?view=checks")
    page.get_by_text(check, exact=True).first.wait_for()
    screenshot(page, home, "checks-" + key.replace("/", "-"))
