"""ops.security (安全防护) over hand-built snapshots, with probes against tiny loopback servers.

No browser: pages are written straight into a Store. Every probe goes to
127.0.0.1 (the check runs with a loopback-only allow-list), with no pause.
"""

from __future__ import annotations

import asyncio
import shutil
import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from auditkit.checks import CheckContext
from auditkit.models import CheckResult, Link, PageRecord
from auditkit.settings import package_defaults
from auditkit.snapshot import Snapshot
from auditkit.store import Store
from auditkit.urls import LOOPBACK_HOSTS
from auditkit_plugins.ops.security import (
    Prober,
    certificate_item,
    exposed_files_item,
    fetch_certificate,
    header_items,
    hsts_item,
    load_libraries,
    mixed_content_item,
    probe_http_upgrade,
    scan_pages,
    security,
    version_key,
)

AS_OF = date(2021, 10, 15)
SETTINGS: dict[str, Any] = package_defaults("auditkit_plugins.ops")["ops"] | {
    "security_probe_delay_s": 0, "security_probe_timeout_s": 3,
}
HOME_HTML = "<!doctype html><html><head><title>首页</title></head><body>home page</body></html>"

# --- loopback servers -------------------------------------------------------------

Reply = tuple[int, dict[str, str], bytes]


@contextmanager
def serve(routes: dict[str, Reply], default: Reply | None = None,
          tls: ssl.SSLContext | None = None) -> Iterator[tuple[str, list[str]]]:
    """Serve ``routes`` on 127.0.0.1; anything else gets ``default`` (404 if none). Yields (base URL, paths hit)."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            status, headers, body = routes.get(self.path, default or (404, {}, b"not found"))
            self.send_response(status)
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    if tls:
        server.socket = tls.wrap_socket(server.socket, server_side=True)
    # a short poll interval keeps shutdown() (and so each test) quick
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"{'https' if tls else 'http'}://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def html_reply(body: str = HOME_HTML, **headers: str) -> Reply:
    return 200, {"Content-Type": "text/html; charset=utf-8", **headers}, body.encode()


# --- snapshots ----------------------------------------------------------------------


def page(url: str, *, title: str = "首页", text: str = "", html: str = HOME_HTML,
         headers: dict[str, str] | None = None, links: list[Link] | None = None,
         final_url: str | None = None, status: int = 200) -> PageRecord:
    return PageRecord(url=url, final_url=final_url or url, status=status, fetched_at=datetime.now(UTC),
                      content_type="text/html", headers=headers or {}, title=title, text=text or title,
                      html=html, links=links or [])


def snapshot(tmp_path: Path, start_url: str, *pages: PageRecord) -> Snapshot:
    store = Store(tmp_path / "audit.db")
    run_id = store.start_run(start_url, "county", AS_OF, "{}", "test")
    for record in pages:
        store.add_page(run_id, record)
    return Snapshot(store, run_id, start_url, AS_OF)


def run_check(snap: Snapshot, allow_hosts: list[str] | None = LOOPBACK_HOSTS, **settings: Any) -> CheckResult:
    ctx = CheckContext(snapshot=snap, settings=SETTINGS | settings, as_of=AS_OF, check_id="ops.security",
                       allow_hosts=allow_hosts, user_agent="auditkit-test")
    return asyncio.run(security.function(ctx))  # type: ignore[arg-type]


def items(result: CheckResult) -> dict[str, str]:
    return {i["id"]: i["status"] for i in result.details["items"]}


def with_prober(work: Callable[[Prober], Any], **kwargs: Any) -> Any:
    async def go() -> Any:
        async with Prober(allow_hosts=LOOPBACK_HOSTS, delay_s=0, timeout_s=3, **kwargs) as prober:
            return await work(prober)
    return asyncio.run(go())


# --- probes: exposed files ------------------------------------------------------------


def test_a_site_answering_200_for_everything_is_not_flagged(tmp_path: Path) -> None:
    with serve({}, default=html_reply()) as (base, hits):
        result = run_check(snapshot(tmp_path, base + "/", page(base + "/")))
    statuses = items(result)
    assert statuses["exposed_files"] == "pass", result.details
    assert {e["path"] for e in SETTINGS["security_exposed_files"]} <= set(hits)  # each probed once …
    assert len(hits) == len(set(hits))  # … and only once
    # every item is listed; what cannot apply to an http site says so
    assert set(statuses) == {"https", "certificate", "hsts", "clickjacking", "content_type_options",
                             "referrer_policy", "mixed_content", "version_disclosure", "directory_listing",
                             "exposed_files", "vulnerable_js"}
    assert statuses["https"] == "fail"
    assert statuses["certificate"] == statuses["hsts"] == statuses["mixed_content"] == "not_applicable"
    weights = SETTINGS["security_weights"]
    applicable = [k for k, v in statuses.items() if v != "not_applicable"]
    failed = [k for k, v in statuses.items() if v == "fail"]
    expected = 1 - sum(weights[k] for k in failed) / sum(weights[k] for k in applicable)
    assert result.score == pytest.approx(expected, abs=1e-4)


def test_exposed_git_head_is_flagged_with_its_signature(tmp_path: Path) -> None:
    routes = {"/": html_reply(), "/.git/HEAD": (200, {"Content-Type": "text/plain"}, b"ref: refs/heads/master\n"),
              # a 200 without the signature is not an exposure
              "/phpinfo.php": html_reply("<html><body>页面不存在</body></html>")}
    with serve(routes) as (base, _):
        result = run_check(snapshot(tmp_path, base + "/", page(base + "/")))
    assert items(result)["exposed_files"] == "fail"
    exposed = [f for f in result.findings if "敏感文件" in f.message]
    assert [f.url for f in exposed] == [base + "/.git/HEAD"]
    assert exposed[0].severity == "critical" and exposed[0].evidence.snippet == "ref: refs/"


def test_tomcat_manager_counts_on_401_with_its_realm_page() -> None:
    settings = SETTINGS | {"security_exposed_files": [e for e in SETTINGS["security_exposed_files"]
                                                      if e["path"] == "/manager/html"]}
    body = b"<html><title>401 Unauthorized</title>add the role manager-gui to tomcat-users.xml</html>"
    with serve({"/manager/html": (401, {}, body)}) as (base, _):
        item = with_prober(lambda p: exposed_files_item(p, base, settings))
    assert item.status == "fail"


def test_offline_mode_sends_no_probe(tmp_path: Path) -> None:
    with serve({}, default=html_reply()) as (base, hits):
        result = run_check(snapshot(tmp_path, base + "/", page(base + "/")), allow_hosts=["www.example.gov.cn"])
    assert hits == []
    assert items(result)["exposed_files"] == "not_applicable"


def test_probe_budget_stops_probing(tmp_path: Path) -> None:
    with serve({}, default=html_reply()) as (base, hits):
        run_check(snapshot(tmp_path, base + "/", page(base + "/")), security_probe_budget_s=0)
    assert hits == []


# --- probes: http → https -----------------------------------------------------------------


@pytest.mark.parametrize("reply, expected", [
    ((301, {"Location": "https://www.example.gov.cn/"}, b""), "pass"),
    (html_reply(), "fail"),
    (html_reply('<meta http-equiv="refresh" content="0;url=https://www.example.gov.cn/">'), "pass"),
    ((403, {}, b"forbidden"), "pass"),
])
def test_http_variant_must_lead_to_https(reply: Reply, expected: str) -> None:
    with serve({"/": reply}) as (base, _):
        status, note = with_prober(lambda p: probe_http_upgrade(p, base + "/"))
    assert status == expected, note


def test_http_site_fails_https_and_skips_tls_items(tmp_path: Path) -> None:
    snap = snapshot(tmp_path, "http://127.0.0.1:9/", page("http://127.0.0.1:9/"))
    result = run_check(snap, allow_hosts=["www.example.gov.cn"])
    assert items(result)["https"] == "fail"
    assert any(f.message == "网站未启用 HTTPS 加密访问" for f in result.findings)


# --- certificate ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def self_signed(tmp_path_factory: pytest.TempPathFactory) -> ssl.SSLContext:
    if not shutil.which("openssl"):
        pytest.skip("openssl not installed")
    folder = tmp_path_factory.mktemp("tls")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-nodes", "-keyout", str(folder / "key.pem"), "-out", str(folder / "cert.pem"), "-days", "2",
                    "-subj", "/CN=127.0.0.1"], check=True, capture_output=True)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    return context


def test_self_signed_certificate_fails(self_signed: ssl.SSLContext) -> None:
    with serve({"/": html_reply()}, tls=self_signed) as (base, _):
        port = int(base.rsplit(":", 1)[1])
        info = fetch_certificate("127.0.0.1", port, 3)
        home = page(base + "/")
        item = with_prober(lambda p: certificate_item(p, home, SETTINGS, datetime.now(UTC)))
    assert info.valid is False and "self" in (info.error or "").lower()
    assert item.status == "fail" and item.findings[0].severity == "serious"


def test_certificate_not_applicable_on_http() -> None:
    item = with_prober(lambda p: certificate_item(p, page("http://127.0.0.1/"), SETTINGS, datetime.now(UTC)))
    assert item.status == "not_applicable"


# --- headers -----------------------------------------------------------------------------


def test_security_headers_pass_and_fail() -> None:
    good = page("https://a.gov.cn/", headers={
        "content-security-policy": "default-src 'self'; frame-ancestors 'self'",
        "x-content-type-options": "nosniff", "referrer-policy": "strict-origin-when-cross-origin"})
    assert [i.status for i in header_items(good)] == ["pass", "pass", "pass"]
    bare = page("https://a.gov.cn/")
    assert [i.status for i in header_items(bare)] == ["fail", "fail", "fail"]
    meta = page("https://a.gov.cn/", headers={"x-frame-options": "sameorigin"},
                html='<html><head><meta name="referrer" content="no-referrer"></head></html>')
    assert [i.status for i in header_items(meta)] == ["pass", "fail", "pass"]
    unsafe = page("https://a.gov.cn/", headers={"referrer-policy": "unsafe-url"})
    assert header_items(unsafe)[2].status == "fail"


@pytest.mark.parametrize("url, value, expected", [
    ("https://a.gov.cn/", "max-age=31536000; includeSubDomains", "pass"),
    ("https://a.gov.cn/", "max-age=600", "fail"),
    ("https://a.gov.cn/", None, "fail"),
    ("http://a.gov.cn/", None, "not_applicable"),
])
def test_hsts(url: str, value: str | None, expected: str) -> None:
    headers = {"strict-transport-security": value} if value else {}
    assert hsts_item(page(url, headers=headers), SETTINGS).status == expected


# --- snapshot items ---------------------------------------------------------------------


def test_mixed_content(tmp_path: Path) -> None:
    links = [Link(url="http://cdn.example.com/a.js", kind="script"), Link(url="http://a.gov.cn/p.png", kind="img"),
             Link(url="http://other.gov.cn/", kind="a")]  # a plain link to an http site is not mixed content
    mixed = page("https://a.gov.cn/news/1.html", links=links)
    clean = page("https://a.gov.cn/", links=[Link(url="https://a.gov.cn/s.js", kind="script")])
    scan = scan_pages(snapshot(tmp_path, "https://a.gov.cn/", clean, mixed), SETTINGS)
    item = mixed_content_item(scan, 20)
    assert item.status == "fail" and len(item.findings) == 1
    finding = item.findings[0]
    assert finding.url == "https://a.gov.cn/news/1.html" and finding.severity == "serious"
    assert finding.evidence.values["resources"] == ["http://a.gov.cn/p.png", "http://cdn.example.com/a.js"]


def test_no_mixed_content_item_on_http_sites(tmp_path: Path) -> None:
    scan = scan_pages(snapshot(tmp_path, "http://a.gov.cn/", page("http://a.gov.cn/", links=[
        Link(url="http://a.gov.cn/s.js", kind="script")])), SETTINGS)
    assert mixed_content_item(scan, 20).status == "not_applicable"


@pytest.mark.parametrize("headers, expected", [
    ({"server": "Apache/2.2.15 (CentOS)"}, "fail"),
    ({"server": "nginx", "x-powered-by": "PHP/5.4"}, "fail"),
    ({"x-aspnet-version": "4.0.30319"}, "fail"),
    ({"server": "nginx", "x-powered-by": "ASP.NET"}, "pass"),
    ({"server": "Microsoft-IIS"}, "pass"),
])
def test_version_disclosure(tmp_path: Path, headers: dict[str, str], expected: str) -> None:
    # read from the snapshot alone: an allow-list without loopback keeps every probe home
    snap = snapshot(tmp_path, "http://127.0.0.1:9/", page("http://127.0.0.1:9/", headers=headers))
    result = run_check(snap, allow_hosts=["www.example.gov.cn"])
    assert items(result)["version_disclosure"] == expected
    if expected == "fail":
        finding = next(f for f in result.findings if "版本号" in f.message)
        assert finding.evidence.values["header"] in headers


def test_directory_listing(tmp_path: Path) -> None:
    listing = page("http://127.0.0.1:9/files/", title="Index of /files/",
                   text="Index of /files/\n../\nreport.doc  12-Mar-2021 10:00  20480")
    iis = page("http://127.0.0.1:9/old/", title="127.0.0.1 - /old/", text="[To Parent Directory]\n\nreport.doc")
    article = page("http://127.0.0.1:9/a.html", title="关于网站安全的通知",
                   text="关于网站安全的通知\n服务器不得出现 Index of / 这类目录浏览页面。")
    scan = scan_pages(snapshot(tmp_path, "http://127.0.0.1:9/", page("http://127.0.0.1:9/"), listing, iis,
                               article), SETTINGS)
    assert sorted(url for url, _ in scan.listings) == ["http://127.0.0.1:9/files/", "http://127.0.0.1:9/old/"]


# --- JavaScript libraries --------------------------------------------------------------


def script_page(url: str, *scripts: str) -> PageRecord:
    return page(url, links=[Link(url=s, kind="script", region="header") for s in scripts])


def test_vulnerable_jquery_from_the_url(tmp_path: Path) -> None:
    home = script_page("http://127.0.0.1:9/", "http://127.0.0.1:9/js/jquery-1.8.3.min.js",
                       "http://127.0.0.1:9/wp/jquery.min.js?ver=1.12.4", "http://127.0.0.1:9/js/jquery-ui-1.13.2.min.js")
    result = run_check(snapshot(tmp_path, "http://127.0.0.1:9/", home), allow_hosts=["www.example.gov.cn"])
    assert items(result)["vulnerable_js"] == "fail"
    found = {(d["library"], d["version"]): d for d in result.details["libraries"]}
    assert found[("jQuery", "1.8.3")]["vulnerable"] and found[("jQuery", "1.12.4")]["vulnerable"]
    assert not found[("jQuery UI", "1.13.2")]["vulnerable"]
    by_version = {f.evidence.values["version"]: f for f in result.findings if "JavaScript" in f.message}
    assert "CVE-2012-6708" in by_version["1.8.3"].message
    assert "CVE-2012-6708" not in by_version["1.12.4"].message and "CVE-2020-11022" in by_version["1.12.4"].message
    assert by_version["1.8.3"].evidence.values["detected_from"] == "脚本文件名"


def test_vulnerable_jquery_from_the_banner(tmp_path: Path) -> None:
    banner = b"/*! jQuery v1.8.3 jquery.com | jquery.org/license */\n(function(){})();"
    routes = {"/": html_reply(), "/static/jquery.min.js": (200, {"Content-Type": "text/javascript"}, banner),
              "/static/app.js": (200, {}, b"console.log(1)")}
    with serve(routes) as (base, hits):
        home = script_page(base + "/", base + "/static/jquery.min.js", base + "/static/app.js")
        result = run_check(snapshot(tmp_path, base + "/", home))
    assert "/static/app.js" not in hits  # only scripts named after a library are read
    found = next(d for d in result.details["libraries"] if d["library"] == "jQuery")
    assert found["version"] == "1.8.3" and found["source"] == "banner" and found["vulnerable"]
    assert items(result)["vulnerable_js"] == "fail"


def test_script_fetch_limit_is_honoured(tmp_path: Path) -> None:
    routes = {"/": html_reply(), "/jquery.js": (200, {}, b"/*! jQuery v1.8.3 */")}
    with serve(routes) as (base, hits):
        home = script_page(base + "/", base + "/jquery.js")
        result = run_check(snapshot(tmp_path, base + "/", home), security_max_script_fetches=0)
    assert "/jquery.js" not in hits
    assert items(result)["vulnerable_js"] == "pass" and "未能确定版本" in next(
        i["note"] for i in result.details["items"] if i["id"] == "vulnerable_js")


def test_modern_libraries_pass(tmp_path: Path) -> None:
    home = script_page("http://127.0.0.1:9/", "http://127.0.0.1:9/js/jquery-3.6.0.min.js",
                       "https://cdn.example.com/ajax/libs/twitter-bootstrap/4.6.0/js/bootstrap.min.js")
    result = run_check(snapshot(tmp_path, "http://127.0.0.1:9/", home), allow_hosts=["www.example.gov.cn"])
    assert items(result)["vulnerable_js"] == "pass"
    assert {(d["library"], d["version"]) for d in result.details["libraries"]} == {
        ("jQuery", "3.6.0"), ("Bootstrap", "4.6.0")}


def test_version_ranges() -> None:
    jquery = next(lib for lib in load_libraries() if lib.name == "jQuery")
    cve = {i: v for v in jquery.vulnerabilities for i in v.ids}
    assert cve["CVE-2012-6708"].affects("1.8.3") and not cve["CVE-2012-6708"].affects("1.9.0")
    assert cve["CVE-2020-11022"].affects("3.4.1") and not cve["CVE-2020-11022"].affects("3.5.0")
    assert not cve["CVE-2020-11022"].affects("1.1.4")  # before the range was introduced
    assert version_key("1.12.4-wp") == version_key("1.12.4") and version_key("1.9") == version_key("1.9.0")
    assert version_key("1.10.0") > version_key("1.9.1")
    bootstrap = next(lib for lib in load_libraries() if lib.name == "Bootstrap")
    assert bootstrap.version_from_url("https://cdn.example.com/bootstrap@4.3.0/dist/js/bootstrap.min.js") == "4.3.0"
    assert [v.ids for v in bootstrap.vulnerabilities if v.affects("4.3.0")] == [("CVE-2019-8331",)]


# --- the demo site ------------------------------------------------------------------------


def test_demo_probes_find_the_git_head_only() -> None:
    from auditkit.demo.server import serve_demo

    with serve_demo(AS_OF) as base:
        item = with_prober(lambda p: exposed_files_item(p, base.rstrip("/"), SETTINGS))
    assert item.status == "fail"
    assert [f.url for f in item.findings] == [base + ".git/HEAD"]
