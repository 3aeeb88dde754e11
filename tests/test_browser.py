"""The pages in a real browser: Debian's Chromium driven by Playwright, against the installed
``tipgraph serve`` and a site written by the installed ``tipgraph site``.

Screenshots go to a temporary folder and, when TIPGRAPH_SCREENSHOTS names a folder, there
too. Without Chromium the tests are skipped, except on CI (CI set), where they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

CHROMIUM = Path("/usr/bin/chromium")
ARGUMENTS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Read before the suite's fixture removes every TIPGRAPH_ variable from the environment.
SCREENSHOTS = os.environ.get("TIPGRAPH_SCREENSHOTS")
START_TIMEOUT = 180.0


def tipgraph_command() -> list[str]:
    script = Path(sys.executable).parent / "tipgraph"
    found = str(script) if script.exists() else shutil.which("tipgraph")
    if found is None:
        pytest.fail("the tipgraph console script is not installed", pytrace=False)
    return [found]


def command_environment(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TIPGRAPH_")}
    env["TIPGRAPH_CACHE"] = str(cache)
    if "TIPGRAPH_SOURCES" in os.environ:
        env["TIPGRAPH_SOURCES"] = os.environ["TIPGRAPH_SOURCES"]
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> list[Path]:
    folders = [tmp_path_factory.mktemp("screenshots")]
    if SCREENSHOTS:
        Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
        folders.append(Path(SCREENSHOTS))
    return folders


def screenshot(page, folders: list[Path], name: str) -> None:
    first = folders[0] / f"{name}.png"
    page.screenshot(path=str(first), full_page=False)
    for folder in folders[1:]:
        shutil.copyfile(first, folder / first.name)
    assert first.stat().st_size > 5_000  # a page, not a blank


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} not found (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must provide it", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGUMENTS,
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The installed ``tipgraph serve`` on a free port; its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    cache = tmp_path_factory.mktemp("serve-cache")
    with log.open("w") as output:
        process = subprocess.Popen(
            [*tipgraph_command(), "serve", "--port", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=command_environment(cache),
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                pytest.fail(f"tipgraph serve ended: {log.read_text()}", pytrace=False)
            try:
                with urllib.request.urlopen(base + "/static/style.css", timeout=5):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"tipgraph serve did not start: {log.read_text()}", pytrace=False)
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: page.problems.append(str(error)))
    yield page
    page.close()


def test_home_page(page, server, shots):
    page.goto(server + "/")
    assert page.title() == "Home · tipgraph"
    assert page.locator("h1").inner_text() == "tipgraph"
    assert page.locator("table.counts td", has_text="mechanisms").count() >= 1
    assert "How to cite" in page.locator("footer").inner_text()
    screenshot(page, shots, "home")
    assert page.problems == []


def test_commit_page_shows_facts_with_citations(page, server, shots):
    page.goto(server + "/id/commit-mekong")
    assert "Coordinated Mekong Ministerial Initiative" in page.locator("h1").inner_text()
    quotations = page.locator("li.citation q")
    assert quotations.count() > 10
    assert page.locator("li.citation", has_text="para. 99").count() >= 1
    screenshot(page, shots, "commit-mekong")
    assert page.problems == []


@pytest.mark.parametrize(("name", "mark"), [("coverage", "a.cell"), ("timeline", "a.mark")])
def test_pictures_render(page, server, shots, name, mark):
    page.goto(f"{server}/pictures/{name}")
    svg = page.locator("figure.picture svg")
    box = svg.bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 150
    assert page.locator(f"figure.picture svg {mark}").count() > 10
    screenshot(page, shots, f"picture-{name}")
    assert page.problems == []  # no style or script refused by the content security policy


def test_search_as_you_type_and_follow_a_result(page, server, shots):
    page.goto(server + "/")
    page.locator("#q").press_sequentially("saarc", delay=30)
    first = page.locator("#search-results li a").first
    first.wait_for(timeout=15_000)
    assert first.inner_text() == "South Asian Association for Regional Cooperation"
    screenshot(page, shots, "search-typing")
    first.click()
    page.wait_for_url("**/id/saarc")
    assert page.locator("h1").inner_text() == "South Asian Association for Regional Cooperation"
    page.goto(server + "/search?q=trafficked+women")
    assert page.locator("ol.hits mark").count() > 0
    assert page.problems == []


def test_static_site_search_works_from_disk(page, shots, tmp_path):
    output = tmp_path / "site"
    result = subprocess.run(
        [*tipgraph_command(), "site", "-o", str(output)],
        capture_output=True,
        text=True,
        env=command_environment(tmp_path / "cache"),
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    page.goto((output / "index.html").as_uri())
    page.locator("#q").press_sequentially("commit", delay=30)
    first = page.locator("#search-results li a").first
    first.wait_for(timeout=15_000)
    screenshot(page, shots, "static-search")
    first.click()
    page.wait_for_load_state()
    assert page.url.startswith((output / "id").as_uri())
    assert "COMMIT" in page.content()
    assert page.problems == []
