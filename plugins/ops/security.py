"""安全防护: HTTPS, certificate, security headers, mixed content, version disclosure,
directory listing, exposed files and JavaScript libraries with known vulnerabilities.

Everything is read from the snapshot except a few small read-only probes: the
http:// variant of an https site, the TLS certificate, a bounded list of
well-known sensitive paths and, when a script's URL names a library but not its
version, the first bytes of that script. The probes go one at a time with a
pause between them, within a time budget, and only to hosts offline mode allows.
"""

from __future__ import annotations

import asyncio
import re
import socket
import ssl
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import TracebackType
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import yaml

from auditkit import CheckContext, check
from auditkit.linkcheck import offline_guard
from auditkit.models import CheckResult, CheckStatus, Evidence, Finding, PageRecord, Severity
from auditkit.settings import CrawlSettings
from auditkit.snapshot import Snapshot
from auditkit.urls import LOOPBACK_HOSTS, host_allowed, is_http

try:
    from packaging.version import InvalidVersion, Version
except ImportError:  # packaging is optional: versions then compare as number tuples
    Version = None  # type: ignore[assignment,misc]
    InvalidVersion = ValueError  # type: ignore[assignment,misc]

ItemStatus = Literal["pass", "fail", "not_applicable"]
SEVERITY_ORDER: list[str] = ["critical", "serious", "moderate", "minor", "info"]
#: a version number in a header value: "Apache/2.2.15", "PHP/5.4", "4.0.30319"; "nginx" alone is fine
VERSION_IN_HEADER = re.compile(r"\d+\.\d+|/\s*v?\d")
ACTIVE_KINDS = {"script": "脚本", "stylesheet": "样式表", "iframe": "内嵌页面"}
PASSIVE_KINDS = {"img": "图片"}
CLIENT_REDIRECT_TO_HTTPS = re.compile(
    r"""(?is)(?:http-equiv\s*=\s*["']?refresh[^>]*?url\s*=\s*|location(?:\.href)?\s*=\s*|location\.replace\(\s*)"""
    r"""["']?https://"""
)
MAX_REDIRECT_HOPS = 5


# --- items and the weighted score (shared with privacy.py) -------------------


@dataclass
class Item:
    """One line of the check's checklist: pass, fail or not applicable, with its findings."""

    id: str
    name: str
    status: ItemStatus = "pass"
    note: str = ""
    findings: list[Finding] = field(default_factory=list)

    def fail(self, note: str, findings: Iterable[Finding] = ()) -> Item:
        self.status, self.note = "fail", note
        self.findings.extend(findings)
        return self

    def passed(self, note: str = "", findings: Iterable[Finding] = ()) -> Item:
        self.status, self.note = "pass", note
        self.findings.extend(findings)  # a passing item may still warn (a certificate about to expire)
        return self

    def not_applicable(self, note: str) -> Item:
        self.status, self.note = "not_applicable", note
        return self


def scored_result(ctx: CheckContext, items: list[Item], weights: dict[str, float], topic: str,
                  details: dict[str, Any] | None = None) -> CheckResult:
    """Score = 1 − (weight of failed items) / (weight of applicable items)."""
    applicable = [i for i in items if i.status != "not_applicable"]
    failed = [i for i in applicable if i.status == "fail"]
    total = sum(float(weights[i.id]) for i in applicable)
    listing = [{"id": i.id, "name": i.name, "status": i.status, "weight": float(weights[i.id]), "note": i.note}
               for i in items]
    all_details = {"items": listing, "failed": [i.id for i in failed],
                   "not_applicable": [i.id for i in items if i.status == "not_applicable"], **(details or {})}
    findings = [f for i in items for f in i.findings]
    if not total:
        return ctx.result(status=CheckStatus.NOT_APPLICABLE, reason=f"{topic}：没有可检查的项目", findings=findings,
                          details=all_details)
    score = round(1 - sum(float(weights[i.id]) for i in failed) / total, 4)
    reason = f"{topic}：{len(applicable) - len(failed)} 项合格，{len(failed)} 项不合格"
    if failed:
        reason += "（" + "、".join(i.name for i in failed) + "）"
    na = len(items) - len(applicable)
    if na:
        reason += f"，{na} 项不适用"
    reason += f"；按权重得分 {score:.2f}"
    return ctx.result(score=score, reason=reason, findings=findings, details=all_details)


# --- probes -------------------------------------------------------------------


@dataclass
class Probe:
    url: str
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    error: str | None = None
    skipped: str | None = None  # not requested: offline mode or the time budget

    @property
    def location(self) -> str | None:
        value = self.headers.get("location")
        return urljoin(self.url, value) if value else None

    def text(self) -> str:
        try:
            return self.body.decode("utf-8")
        except UnicodeDecodeError:
            return self.body.decode("gb18030", "replace")  # old GBK templates; ASCII magic bytes survive


class Prober:
    """Sequential, paced, bounded GETs: the only requests this check makes."""

    def __init__(self, allow_hosts: list[str] | None = LOOPBACK_HOSTS, user_agent: str = "",
                 delay_s: float = 0.5, timeout_s: float = 8.0, budget_s: float = 60.0,
                 max_bytes: int = 4096) -> None:
        self.allow_hosts = allow_hosts
        self.user_agent = user_agent or CrawlSettings().user_agent
        self.delay_s = delay_s
        self.timeout_s = timeout_s
        self.budget_s = budget_s
        self.max_bytes = max_bytes
        self.requests = 0
        self.log: list[dict[str, Any]] = []
        self._started = time.monotonic()
        self._client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> Prober:
        # No redirects: a 302 to a login page is not an exposed file; verify off: the
        # certificate has its own item, a bad one must not hide the other findings.
        self._client = httpx.AsyncClient(
            headers={"User-Agent": self.user_agent}, verify=False, follow_redirects=False,
            timeout=httpx.Timeout(self.timeout_s), event_hooks={"request": [offline_guard(self.allow_hosts)]},
        )
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._client is not None:
            await self._client.aclose()

    def refusal(self, url: str) -> str | None:
        if not host_allowed(url, self.allow_hosts):
            return "离线模式：未访问该主机"
        if time.monotonic() - self._started > self.budget_s:
            return "探测总时长已用完，未探测"
        return None

    async def pace(self) -> None:
        if self.requests:
            await asyncio.sleep(self.delay_s)
        self.requests += 1

    async def get(self, url: str, max_bytes: int | None = None) -> Probe:
        reason = self.refusal(url)
        if reason:
            return Probe(url, skipped=reason)
        assert self._client is not None, "use Prober as an async context manager"
        await self.pace()
        limit = max_bytes or self.max_bytes
        probe = Probe(url)
        try:
            # the deadline bounds the whole exchange: a server dripping bytes never trips httpx's read timeout
            async with asyncio.timeout(self.timeout_s), self._client.stream("GET", url) as response:
                probe.status = response.status_code
                probe.headers = {k.lower(): v for k, v in response.headers.items()}
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) >= limit:
                        break
                probe.body = bytes(body[:limit])
        except (httpx.HTTPError, httpx.InvalidURL, TimeoutError) as exc:
            probe.error = f"{type(exc).__name__}: {exc}"[:200] if str(exc) else type(exc).__name__
        self.log.append({"url": url, "status": probe.status, "error": probe.error})
        return probe


async def probe_http_upgrade(prober: Prober, http_url: str) -> tuple[ItemStatus, str]:
    """Does the plain-http address of an https site send visitors to https?"""
    url = http_url
    for _ in range(MAX_REDIRECT_HOPS):
        probe = await prober.get(url, 2048)
        if probe.skipped:
            return "not_applicable", f"{http_url}：{probe.skipped}"
        if probe.error:
            # nothing served in clear text is as good as a redirect
            return "pass", f"{http_url} 无响应（{probe.error}），网站不以明文 HTTP 提供"
        assert probe.status is not None
        if 300 <= probe.status < 400 and probe.location:
            if probe.location.lower().startswith("https://"):
                return "pass", f"{http_url} 跳转到 {probe.location}"
            url = probe.location
            continue
        if probe.status >= 400:
            return "pass", f"{http_url} 返回 HTTP {probe.status}，未以明文 HTTP 提供内容"
        if CLIENT_REDIRECT_TO_HTTPS.search(probe.text()):
            return "pass", f"{http_url} 通过页面脚本跳转到 HTTPS"
        return "fail", f"{url} 以明文 HTTP 返回内容（HTTP {probe.status}），未跳转到 HTTPS"
    return "fail", f"{http_url} 跳转超过 {MAX_REDIRECT_HOPS} 次仍未到达 HTTPS"


@dataclass
class CertificateInfo:
    valid: bool | None  # None: could not connect
    error: str | None = None
    not_after: datetime | None = None
    issuer: str = ""
    tls_version: str | None = None


def fetch_certificate(host: str, port: int, timeout_s: float) -> CertificateInfo:
    """Verify the server's certificate chain and host name as a client would (blocking: run in a thread)."""
    context = ssl.create_default_context()
    try:
        with socket.create_connection((host, port), timeout=timeout_s) as raw, \
                context.wrap_socket(raw, server_hostname=host) as tls:
            cert = tls.getpeercert() or {}
            version = tls.version()
    except ssl.SSLCertVerificationError as exc:
        return CertificateInfo(valid=False, error=exc.verify_message or str(exc))
    except ssl.SSLError as exc:
        return CertificateInfo(valid=False, error=f"TLS 握手失败：{exc.reason or exc}")
    except OSError as exc:
        return CertificateInfo(valid=None, error=str(exc) or type(exc).__name__)
    not_after = None
    if cert.get("notAfter"):
        not_after = datetime.fromtimestamp(ssl.cert_time_to_seconds(str(cert["notAfter"])), UTC)
    issuer = ", ".join(f"{k}={v}" for rdn in cert.get("issuer", ()) for k, v in rdn)  # type: ignore[misc]
    return CertificateInfo(valid=True, not_after=not_after, issuer=issuer, tls_version=version)


# --- JavaScript libraries -----------------------------------------------------


@dataclass(frozen=True)
class Vulnerability:
    ids: tuple[str, ...]
    summary: str
    introduced: str | None = None
    fixed: str | None = None
    severity: Severity = "serious"

    def affects(self, version: str) -> bool:
        key = version_key(version)
        if self.introduced and key < version_key(self.introduced):
            return False
        return not self.fixed or key < version_key(self.fixed)


@dataclass(frozen=True)
class Library:
    name: str
    url_patterns: tuple[re.Pattern[str], ...]
    file_pattern: re.Pattern[str] | None
    banner_patterns: tuple[re.Pattern[str], ...]
    vulnerabilities: tuple[Vulnerability, ...]

    def version_from_url(self, url: str) -> str | None:
        parts = urlsplit(url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        for pattern in self.url_patterns:
            match = pattern.search(target)
            if match:
                return match.group("version")
        return None

    def named_by(self, url: str) -> bool:
        return bool(self.file_pattern and self.file_pattern.search(urlsplit(url).path))

    def version_from_banner(self, text: str) -> str | None:
        for pattern in self.banner_patterns:
            match = pattern.search(text)
            if match:
                return match.group("version")
        return None


def version_key(text: str) -> Any:
    """Comparable form of a version: packaging's rules when available, else numbers."""
    numeric = re.match(r"\d+(?:\.\d+)*", text.strip().lstrip("vV"))
    if Version is not None:
        try:
            return Version(text)
        except InvalidVersion:  # "1.12.4-wp" and the like: compare the numeric part
            return Version(numeric.group() if numeric else "0")
    parts = tuple(int(p) for p in numeric.group().split(".")) if numeric else (0,)
    return parts + (0,) * max(0, 4 - len(parts))  # 1.9 == 1.9.0


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


@lru_cache(maxsize=4)
def load_libraries(path: str = "") -> tuple[Library, ...]:
    """The vulnerable-library table: the bundled data file, or the one a settings file names."""
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files(__package__ or "auditkit_plugins.ops").joinpath(
            "data/vulnerable_js.yaml").read_text(encoding="utf-8")
    libraries = []
    for entry in yaml.safe_load(text)["libraries"]:
        vulns = tuple(
            Vulnerability(ids=tuple(v.get("ids") or ()), summary=v.get("summary", ""),
                          introduced=str(v["introduced"]) if v.get("introduced") else None,
                          fixed=str(v["fixed"]) if v.get("fixed") else None,
                          severity=v.get("severity", "serious"))
            for v in entry["vulnerabilities"]
        )
        libraries.append(Library(
            name=entry["name"],
            url_patterns=tuple(_compile(p) for p in entry.get("url_patterns", ())),
            file_pattern=_compile(entry["file_pattern"]) if entry.get("file_pattern") else None,
            banner_patterns=tuple(_compile(p) for p in entry.get("banner_patterns", ())),
            vulnerabilities=vulns,
        ))
    return tuple(libraries)


# --- the snapshot pass --------------------------------------------------------


@dataclass
class PageScan:
    """What one pass over the crawled pages found."""

    https_pages: int = 0
    #: page → [(kind, http:// URL)] for active and passive content loaded over http on an https page
    mixed: dict[str, list[tuple[str, str]]] = field(default_factory=lambda: defaultdict(list))
    #: (header, value) → pages, for values carrying a version number
    versions: dict[tuple[str, str], list[str]] = field(default_factory=lambda: defaultdict(list))
    names_only: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    listings: list[tuple[str, str]] = field(default_factory=list)  # (url, title)
    scripts: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))  # script URL → pages


def scan_pages(snapshot: Snapshot, settings: dict[str, Any]) -> PageScan:
    scan = PageScan()
    version_headers = {h.lower() for h in settings["security_version_headers"]}
    title_patterns = [_compile(p) for p in settings["security_listing_title_patterns"]]
    text_patterns = [_compile(p) for p in settings["security_listing_text_patterns"]]
    text_chars = int(settings["security_listing_text_chars"])
    for page in snapshot.pages():
        for name, value in page.headers.items():
            name = name.lower()
            if name not in version_headers:
                continue
            for one in value.split("\n"):
                if VERSION_IN_HEADER.search(one):
                    scan.versions[(name, one.strip())].append(page.url)
                elif one.strip():
                    scan.names_only[name].add(one.strip())
        if not (page.ok and page.html):
            continue
        https = (page.final_url or page.url).lower().startswith("https://")
        scan.https_pages += https
        if any(p.search(page.title) for p in title_patterns) or \
                any(p.search(page.text[:text_chars]) for p in text_patterns):
            scan.listings.append((page.url, page.title))
        for link in page.links:
            if link.kind == "script" and is_http(link.url):
                scan.scripts[link.url].append(page.url)
            if https and link.url.lower().startswith("http://") and link.kind in ACTIVE_KINDS | PASSIVE_KINDS:
                scan.mixed[page.url].append((link.kind, link.url))
    return scan


# --- the items ----------------------------------------------------------------


def _limit(values: Iterable[Any], n: int) -> list[Any]:
    return sorted(set(values))[:n]


async def https_item(prober: Prober, snapshot: Snapshot, home: PageRecord) -> Item:
    item = Item("https", "HTTPS 加密访问")
    final = home.final_url or snapshot.start_url
    start_https = snapshot.start_url.lower().startswith("https://")
    final_https = final.lower().startswith("https://")
    if not final_https:
        return item.fail(f"首页以明文 HTTP 提供（{final}），未启用 HTTPS", [Finding(
            severity="serious", message="网站未启用 HTTPS 加密访问", url=final,
            evidence=Evidence(values={"start_url": snapshot.start_url, "final_url": final}))])
    if not start_https:
        return item.passed(f"{snapshot.start_url} 跳转到 {final}")
    parts = urlsplit(final)
    # An https site on a custom port has no knowable http port: try the default one.
    host = parts.hostname or ""
    http_url = urlunsplit(("http", f"[{host}]" if ":" in host else host, parts.path or "/", parts.query, ""))
    status, note = await probe_http_upgrade(prober, http_url)
    if status == "fail":
        return item.fail(note, [Finding(severity="serious", message="HTTP 访问未强制跳转到 HTTPS", url=http_url,
                                        evidence=Evidence(snippet=note))])
    if status == "not_applicable":
        return item.passed(f"首页使用 HTTPS；未能检查 HTTP 跳转（{note}）")
    return item.passed(note)


async def certificate_item(prober: Prober, home: PageRecord, settings: dict[str, Any], now: datetime) -> Item:
    item = Item("certificate", "SSL/TLS 证书有效")
    final = home.final_url or home.url
    parts = urlsplit(final)
    if parts.scheme.lower() != "https":
        return item.not_applicable("网站未使用 HTTPS")
    reason = prober.refusal(final)
    if reason:
        return item.not_applicable(reason)
    await prober.pace()
    host, port = parts.hostname or "", parts.port or 443
    info = await asyncio.to_thread(fetch_certificate, host, port, float(settings["security_probe_timeout_s"]))
    prober.log.append({"url": f"tls://{host}:{port}", "status": None, "error": info.error})
    if info.valid is None:
        return item.not_applicable(f"无法连接 {host}:{port}（{info.error}）")
    if not info.valid:
        return item.fail(f"证书校验失败：{info.error}", [Finding(
            severity="serious", message=f"HTTPS 证书无效：{info.error}", url=final,
            evidence=Evidence(values={"host": host, "port": port, "error": info.error}))])
    values: dict[str, Any] = {"host": host, "issuer": info.issuer, "tls_version": info.tls_version}
    if info.not_after is None:
        return item.passed("证书校验通过")
    # Validity is what clients see now, so the clock (not as_of) decides.
    days = (info.not_after - now).days
    values |= {"not_after": info.not_after.date().isoformat(), "days_left": days}
    note = f"证书有效，{info.not_after.date().isoformat()} 到期（剩余 {days} 天）"
    warn_days = int(settings["security_cert_warn_days"])
    if days < warn_days:
        return item.passed(note, [Finding(severity="moderate", message=f"HTTPS 证书将在 {warn_days} 天内到期",
                                          url=final, evidence=Evidence(values=values))])
    return item.passed(note)


def _headers(page: PageRecord) -> dict[str, str]:
    return {k.lower(): v for k, v in page.headers.items()}


def hsts_item(home: PageRecord, settings: dict[str, Any]) -> Item:
    item = Item("hsts", "HSTS 严格传输安全")
    final = home.final_url or home.url
    if not final.lower().startswith("https://"):
        return item.not_applicable("网站未使用 HTTPS")
    value = _headers(home).get("strict-transport-security", "")
    match = re.search(r"max-age\s*=\s*\"?(\d+)", value, re.IGNORECASE)
    minimum = int(settings["security_hsts_min_max_age"])
    if not match:
        return item.fail("首页未设置 Strict-Transport-Security", [Finding(
            severity="moderate", message="首页未设置 HSTS（Strict-Transport-Security）响应头", url=final)])
    age = int(match.group(1))
    if age < minimum:
        return item.fail(f"HSTS max-age={age} 低于 {minimum} 秒", [Finding(
            severity="minor", message=f"HSTS 有效期过短（max-age={age}，应不少于 {minimum} 秒）", url=final,
            evidence=Evidence(snippet=f"Strict-Transport-Security: {value}"))])
    return item.passed(f"Strict-Transport-Security: {value}")


def header_items(home: PageRecord) -> list[Item]:
    headers = _headers(home)
    url = home.final_url or home.url
    csp = headers.get("content-security-policy", "")
    xfo = headers.get("x-frame-options", "").strip().upper()
    frame = Item("clickjacking", "防点击劫持（X-Frame-Options 或 CSP frame-ancestors）")
    if "frame-ancestors" in csp.lower():
        frame.passed("Content-Security-Policy 含 frame-ancestors")
    elif xfo in ("DENY", "SAMEORIGIN"):
        frame.passed(f"X-Frame-Options: {xfo}")
    else:
        frame.fail("首页未设置 X-Frame-Options（DENY/SAMEORIGIN）或 CSP frame-ancestors", [Finding(
            severity="minor", message="首页未设置防点击劫持响应头（X-Frame-Options 或 CSP frame-ancestors）",
            url=url, evidence=Evidence(values={"x-frame-options": xfo or None,
                                               "content-security-policy": csp or None}))])
    nosniff = Item("content_type_options", "X-Content-Type-Options: nosniff")
    value = headers.get("x-content-type-options", "")
    if value.strip().lower() == "nosniff":
        nosniff.passed("X-Content-Type-Options: nosniff")
    else:
        nosniff.fail("首页未设置 X-Content-Type-Options: nosniff", [Finding(
            severity="minor", message="首页未设置 X-Content-Type-Options: nosniff 响应头", url=url,
            evidence=Evidence(values={"x-content-type-options": value or None}))])
    referrer = Item("referrer_policy", "Referrer-Policy 引用来源策略")
    policy = headers.get("referrer-policy", "")
    if not policy:
        meta = re.search(r"""<meta[^>]+name\s*=\s*["']?referrer["']?[^>]*content\s*=\s*["']?([\w-]+)""",
                         home.html, re.IGNORECASE)
        policy = meta.group(1) if meta else ""
    if policy and policy.strip().lower() != "unsafe-url":
        referrer.passed(f"Referrer-Policy: {policy}")
    else:
        referrer.fail(f"Referrer-Policy 为 {policy}" if policy else "首页未设置 Referrer-Policy", [Finding(
            severity="minor", message="首页未设置合适的 Referrer-Policy（引用来源策略）", url=url,
            evidence=Evidence(values={"referrer-policy": policy or None}))])
    return [frame, nosniff, referrer]


def mixed_content_item(scan: PageScan, limit: int) -> Item:
    item = Item("mixed_content", "HTTPS 页面无混合内容")
    if not scan.https_pages:
        return item.not_applicable("没有以 HTTPS 提供的页面")
    if not scan.mixed:
        return item.passed(f"{scan.https_pages} 个 HTTPS 页面未引用 http:// 资源")
    findings = []
    for page, refs in sorted(scan.mixed.items()):
        active = [(k, u) for k, u in refs if k in ACTIVE_KINDS]
        kinds = "、".join(sorted({(ACTIVE_KINDS | PASSIVE_KINDS)[k] for k, _ in refs}))
        findings.append(Finding(
            severity="serious" if active else "moderate",
            message=f"HTTPS 页面通过明文 HTTP 加载{kinds}（混合内容）", url=page,
            evidence=Evidence(snippet=refs[0][1], values={"resources": _limit((u for _, u in refs), limit),
                                                          "active": bool(active)}),
        ))
    return item.fail(f"{len(findings)} 个 HTTPS 页面含混合内容", findings)


def version_item(scan: PageScan, limit: int) -> Item:
    item = Item("version_disclosure", "不暴露服务器/框架版本号")
    if not scan.versions:
        names = {h: sorted(v) for h, v in scan.names_only.items()}
        return item.passed("响应头未暴露版本号" + (f"（{names}）" if names else ""))
    findings = [
        Finding(severity="moderate", message=f"响应头暴露软件版本号：{name}: {value}", url=pages[0],
                evidence=Evidence(snippet=f"{name}: {value}", values={"header": name, "value": value,
                                                                      "pages": _limit(pages, limit)}))
        for (name, value), pages in sorted(scan.versions.items())
    ]
    return item.fail("；".join(f"{n}: {v}" for n, v in sorted(scan.versions)), findings)


def listing_item(scan: PageScan) -> Item:
    item = Item("directory_listing", "未开启目录浏览")
    if not scan.listings:
        return item.passed("抓取的页面中没有目录列表")
    findings = [Finding(severity="serious", message=f"目录浏览未关闭，可列出服务器文件：{title}", url=url,
                        evidence=Evidence(snippet=title)) for url, title in scan.listings]
    return item.fail(f"{len(findings)} 个页面是目录列表", findings)


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


async def exposed_files_item(prober: Prober, origin: str, settings: dict[str, Any]) -> Item:
    item = Item("exposed_files", "无敏感文件泄露")
    findings: list[Finding] = []
    exposed: list[str] = []
    answered = 0
    notes = []
    for entry in settings["security_exposed_files"]:
        url = origin + entry["path"]
        probe = await prober.get(url)
        if probe.skipped or probe.error:
            notes.append(f"{entry['path']}：{probe.skipped or probe.error}")
            continue
        answered += 1
        # Status and signature together: sites that answer 200 with their home page for any path are common.
        statuses = entry.get("statuses", [200])
        match = re.search(entry["pattern"], probe.text()) if probe.status in statuses else None
        if match:
            exposed.append(entry["path"])
            findings.append(Finding(
                severity=entry.get("severity", "serious"),
                message=f"可公开访问敏感文件：{entry['name']}（{entry['path']}）", url=url,
                evidence=Evidence(snippet=_printable(match.group(0))[:120],
                                  values={"status": probe.status, "content_type": probe.headers.get("content-type")}),
            ))
    if not answered:
        return item.not_applicable("敏感路径均未能探测：" + "；".join(notes[:3]))
    if findings:
        return item.fail("可访问：" + "、".join(exposed), findings)
    return item.passed(f"探测 {answered} 个常见敏感路径，均不可访问")


@dataclass
class DetectedLibrary:
    library: Library
    version: str
    source: str  # "url" | "banner"
    scripts: list[str] = field(default_factory=list)
    pages: list[str] = field(default_factory=list)


async def vulnerable_js_item(prober: Prober, scan: PageScan, snapshot: Snapshot, settings: dict[str, Any],
                             limit: int) -> tuple[Item, list[dict[str, Any]]]:
    item = Item("vulnerable_js", "未使用存在已知漏洞的 JavaScript 库")
    if not scan.scripts:
        return item.not_applicable("页面未引用外部脚本"), []
    libraries = load_libraries(settings.get("security_vulnerable_js_file") or "")
    found: dict[tuple[str, str], DetectedLibrary] = {}
    unversioned: list[tuple[str, Library]] = []

    def note(library: Library, version: str, source: str, script: str) -> None:
        entry = found.setdefault((library.name, version), DetectedLibrary(library, version, source))
        entry.scripts.append(script)
        entry.pages.extend(scan.scripts[script])

    # Most-used scripts first, so the fetch limit spends itself on what matters.
    for script in sorted(scan.scripts, key=lambda u: (-len(scan.scripts[u]), u)):
        for library in libraries:
            version = library.version_from_url(script)
            if version:
                note(library, version, "url", script)
                break
            if library.named_by(script):
                unversioned.append((script, library))
                break
    fetched = 0
    unread = []
    for script, library in unversioned:
        status = snapshot.link_status(script)
        if status is not None and not status.ok:
            continue  # a broken script runs nothing
        if fetched >= int(settings["security_max_script_fetches"]):
            unread.append(script)
            continue
        probe = await prober.get(script, int(settings["security_script_banner_bytes"]))
        fetched += probe.skipped is None  # every request counts against the limit, answered or not
        if probe.skipped or probe.error or probe.status != 200:
            unread.append(script)
            continue
        version = library.version_from_banner(probe.text())
        if version:
            note(library, version, "banner", script)
        else:
            unread.append(script)
    findings = []
    detected = []
    for (name, version), entry in sorted(found.items()):
        vulns = [v for v in entry.library.vulnerabilities if v.affects(version)]
        detected.append({"library": name, "version": version, "source": entry.source,
                         "vulnerable": bool(vulns), "scripts": _limit(entry.scripts, limit)})
        if not vulns:
            continue
        ids = list(dict.fromkeys(i for v in vulns for i in v.ids))
        # a range without a fixed release (end of life) means no upgrade helps: replace the library
        upgrade = None if any(v.fixed is None for v in vulns) else max((str(v.fixed) for v in vulns),
                                                                         key=version_key)
        severity = min((v.severity for v in vulns), key=SEVERITY_ORDER.index)
        pages = _limit(entry.pages, limit)
        home_urls = {snapshot.start_url, (snapshot.home.final_url if snapshot.home else None)}
        findings.append(Finding(
            severity=severity,
            message=f"使用存在已知漏洞的 JavaScript 库 {name} {version}（{'、'.join(ids) or '无 CVE 编号'}）",
            url=next((p for p in entry.pages if p in home_urls), pages[0]),
            evidence=Evidence(
                snippet=entry.scripts[0],
                values={"library": name, "version": version,
                        "detected_from": "脚本文件名" if entry.source == "url" else "脚本版本注释",
                        "scripts": _limit(entry.scripts, limit), "pages": pages,
                        "vulnerabilities": [{"ids": list(v.ids), "summary": v.summary, "fixed": v.fixed}
                                            for v in vulns],
                        "upgrade_to": f">= {upgrade}" if upgrade else "更换为仍在维护的组件"},
            ),
        ))
    extra = f"；{len(unread)} 个脚本未能确定版本" if unread else ""
    if findings:
        return item.fail("、".join(f"{d['library']} {d['version']}" for d in detected if d["vulnerable"]) + extra,
                         findings), detected
    return item.passed(f"识别出 {len(detected)} 个已知 JavaScript 库版本，未发现已知漏洞{extra}"), detected


# --- the check ----------------------------------------------------------------


@check(
    id="ops.security",
    title="安全防护（HTTPS、证书、安全响应头、目录浏览、敏感文件、已知漏洞组件）",
    indicators=["运维保障/安全防护"],
    needs=["pages", "resources"],
)
async def security(ctx: CheckContext) -> CheckResult:
    """HTTPS offered and enforced, a valid certificate, HSTS and security headers on
    the home page, no mixed content, no version numbers in Server/X-Powered-By, no
    directory listings, no well-known sensitive files (a 200 with the file's own
    signature), no JavaScript library with known vulnerabilities. Score: 1 − the
    weighted share of failed items; not-applicable items (HSTS on http) count for
    nothing."""
    s = ctx.settings
    snapshot = ctx.snapshot
    home = snapshot.home
    if home is None or not home.ok:
        return ctx.not_applicable("首页未能打开，无法检查安全防护")
    scan = await asyncio.to_thread(scan_pages, snapshot, s)
    limit = int(s["security_max_evidence_urls"])
    final = urlsplit(home.final_url or snapshot.start_url)
    origin = urlunsplit((final.scheme, final.netloc, "", "", ""))
    async with Prober(allow_hosts=ctx.allow_hosts, user_agent=ctx.user_agent,
                      delay_s=float(s["security_probe_delay_s"]), timeout_s=float(s["security_probe_timeout_s"]),
                      budget_s=float(s["security_probe_budget_s"]),
                      max_bytes=int(s["security_probe_max_bytes"])) as prober:
        items = [await https_item(prober, snapshot, home),
                 await certificate_item(prober, home, s, datetime.now(UTC)),
                 hsts_item(home, s), *header_items(home),
                 mixed_content_item(scan, limit), version_item(scan, limit), listing_item(scan),
                 await exposed_files_item(prober, origin, s)]
        js_item, libraries = await vulnerable_js_item(prober, scan, snapshot, s, limit)
        items.append(js_item)
    return scored_result(ctx, items, s["security_weights"], "安全防护", {
        "probes": prober.log, "libraries": libraries, "scripts": len(scan.scripts),
        "https_pages": scan.https_pages,
    })
