"""ops.privacy (隐私保护) over hand-built snapshots: personal data (validated and masked),
the privacy statement, forms and cookies. No browser, no network."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from auditkit.checks import CheckContext
from auditkit.demo.content import ID_LOOKALIKE, LEAKED_ID, LEAKED_MOBILE
from auditkit.demo.content import id_check_char as demo_check_char
from auditkit.models import CheckResult, Link, PageRecord, ResourceStatus
from auditkit.settings import package_defaults
from auditkit.snapshot import Snapshot
from auditkit.store import Store
from auditkit_plugins.ops.privacy import Scanner, id_check_char, luhn_valid, privacy, valid_id_number

AS_OF = date(2021, 10, 15)
SETTINGS: dict[str, Any] = package_defaults("auditkit_plugins.ops")["ops"]
HOME = "http://127.0.0.1:9/"
VALID_ID = "430124197805120316"
POLICY_LINK = Link(url=HOME + "yssm.html", text="隐私声明", region="footer")


def luhn_complete(body: str) -> str:
    """``body`` plus the digit that makes it pass the Luhn check."""
    return next(body + d for d in "0123456789" if luhn_valid(body + d))


def page(url: str, *, text: str = "", title: str = "页面", html: str = "", headers: dict[str, str] | None = None,
         links: list[Link] | None = None) -> PageRecord:
    return PageRecord(url=url, final_url=url, status=200, fetched_at=datetime.now(UTC), content_type="text/html",
                      headers=headers or {}, title=title, text=text or title, html=html or f"<p>{text}</p>",
                      links=links or [])


def home(**kwargs: Any) -> PageRecord:
    kwargs.setdefault("links", [POLICY_LINK])
    return page(HOME, title="首页", **kwargs)


def run(tmp_path: Path, *pages: PageRecord, resources: list[ResourceStatus] | None = None,
        start: str = HOME, **settings: Any) -> CheckResult:
    store = Store(tmp_path / "audit.db")
    run_id = store.start_run(start, "county", AS_OF, "{}", "test")
    for record in pages:
        store.add_page(run_id, record)
    if resources:
        store.add_resources(run_id, resources)
    ctx = CheckContext(snapshot=Snapshot(store, run_id, start, AS_OF), settings=SETTINGS | settings, as_of=AS_OF,
                       check_id="ops.privacy")
    result = privacy.function(ctx)
    assert isinstance(result, CheckResult)
    return result


def items(result: CheckResult) -> dict[str, str]:
    return {i["id"]: i["status"] for i in result.details["items"]}


# --- the validators ------------------------------------------------------------------


def test_id_check_character() -> None:
    assert id_check_char(VALID_ID[:17]) == VALID_ID[17] == demo_check_char(VALID_ID[:17])
    assert valid_id_number(VALID_ID, AS_OF) and VALID_ID == LEAKED_ID
    assert not valid_id_number(VALID_ID[:17] + "5", AS_OF)  # wrong check character
    assert not valid_id_number(ID_LOOKALIKE, AS_OF)  # the demo's procurement number
    assert valid_id_number("11010519491231002X", AS_OF) and valid_id_number("11010519491231002x", AS_OF)


@pytest.mark.parametrize("first17", [
    "43012419781332031",  # month 13
    "43012420220101031",  # born after the audit date
    "43012418500101031",  # before the earliest plausible year
    "99012419780512031",  # no such province
])
def test_id_needs_a_plausible_birth_date_and_province(first17: str) -> None:
    assert not valid_id_number(first17 + id_check_char(first17), AS_OF)


def test_luhn() -> None:
    assert luhn_valid("4111111111111111") and not luhn_valid("4111111111111112")
    assert luhn_valid("79927398713") and not luhn_valid("79927398710")


def kinds(text: str) -> list[tuple[str, str]]:
    return [(h.kind, h.masked) for h in Scanner(AS_OF, SETTINGS).hits(text)]


def test_scanner_finds_and_masks() -> None:
    card = luhn_complete("621700123456789012")
    text = f"户主 张建华 {VALID_ID} 电话 {LEAKED_MOBILE}，银行卡 {card}。"
    assert kinds(text) == [("id_number", "430124********0316"), ("mobile", "138****6842"),
                           ("bank_card", "6217" + "*" * 11 + card[-4:])]


@pytest.mark.parametrize("text", [
    "430124********0027 与 139****5512 已脱敏",  # masked values are fine
    f"合同编号 2{LEAKED_MOBILE}7 与 0{LEAKED_MOBILE}",  # a mobile inside a longer digit run
    f"采购项目编号 {ID_LOOKALIKE}",
    "咨询电话：13907310000",  # a published service number
    "订单号 " + luhn_complete("900012345678901"),  # Luhn-valid but no card prefix
    "发文号 " + luhn_complete("41111111111111111"),  # a Visa prefix but 18 digits
])
def test_scanner_leaves_alone(text: str) -> None:
    assert kinds(text) == []


def test_spaced_card_number_is_found_and_masked_with_its_spaces() -> None:
    card = luhn_complete("622202123456789012")
    spaced = " ".join(card[i:i + 4] for i in range(0, len(card), 4))
    # first and last four digits shown, the spaces kept
    assert kinds(f"卡号：{spaced}") == [("bank_card", f"6222 **** **** ***{card[-4]} {card[-3:]}")]


# --- personal data in the snapshot -------------------------------------------------------------


def test_leaked_id_and_mobile_are_reported_masked(tmp_path: Path) -> None:
    leak = page(HOME + "gsgg/1.html", title="低保公示",
                text=f"序号\t户主姓名\t身份证号码\t联系电话\n1\t张建华\t{LEAKED_ID}\t{LEAKED_MOBILE}\n"
                     "2\t李秀英\t430124********0027\t139****5512")
    lookalike = page(HOME + "zfcg/2.html", text=f"采购项目编号：{ID_LOOKALIKE}")
    result = run(tmp_path, home(), leak, lookalike)
    statuses = items(result)
    assert statuses["id_number"] == statuses["mobile"] == "fail" and statuses["bank_card"] == "pass"
    id_finding = next(f for f in result.findings if "身份证" in f.message)
    assert id_finding.severity == "critical" and id_finding.url == HOME + "gsgg/1.html"
    assert id_finding.evidence.values["masked_values"] == ["430124********0316"]
    assert "430124********0316" in (id_finding.evidence.snippet or "")
    assert {f.url for f in result.findings} == {HOME + "gsgg/1.html"}  # the look-alike is not flagged
    dumped = result.model_dump_json()
    assert LEAKED_ID not in dumped and LEAKED_MOBILE not in dumped
    assert LEAKED_ID[:17] not in dumped and LEAKED_ID[4:] not in dumped  # not even a cut-off part


def test_attachment_names_and_link_texts_are_searched(tmp_path: Path) -> None:
    attachment = f"{HOME}files/%E5%BC%A0%E4%B8%89{VALID_ID}.xls"
    notice = page(HOME + "notice.html", text="公示名单见附件", links=[
        Link(url=attachment, text=f"张三{VALID_ID}.xls"), Link(url=HOME + "other.html", text=VALID_ID)])
    result = run(tmp_path, home(), notice)
    finding = next(f for f in result.findings if "身份证" in f.message)
    assert finding.evidence.values["sources"] == ["附件名称", "附件链接文字"]
    assert finding.evidence.values["attachments"] == [f"{HOME}files/张三430124********0316.xls"]
    assert VALID_ID not in result.model_dump_json()


def test_bank_card_is_critical(tmp_path: Path) -> None:
    card = luhn_complete("621700123456789012")
    result = run(tmp_path, home(), page(HOME + "a.html", text=f"补贴发放账号：{card}"))
    finding = next(f for f in result.findings if "银行卡" in f.message)
    assert finding.severity == "critical" and card not in result.model_dump_json()


# --- privacy statement -------------------------------------------------------------------


def test_privacy_statement_linked_from_home(tmp_path: Path) -> None:
    assert items(run(tmp_path, home()))["privacy_policy"] == "pass"


def test_privacy_statement_missing_or_broken(tmp_path: Path) -> None:
    missing = run(tmp_path, home(links=[Link(url=HOME + "sitemap.html", text="网站地图")]),
                  page(HOME + "ys.html", title="隐私政策"))
    assert items(missing)["privacy_policy"] == "fail"
    assert "ys.html" in next(i["note"] for i in missing.details["items"] if i["id"] == "privacy_policy")
    broken = run(tmp_path / "b", home(), resources=[
        ResourceStatus(url=POLICY_LINK.url, status=404, ok=False)])
    assert items(broken)["privacy_policy"] == "fail"


# --- forms -------------------------------------------------------------------------------

LETTER_FORM = """<form action="{action}" method="post">
<table><tr><th><label for="n">姓　　名</label></th><td><input id="n" name="name"></td></tr>
<tr><th>手机号码</th><td><input name="sj"></td></tr>
<tr><th>留言内容</th><td><textarea name="content"></textarea></td></tr></table>
<input type="submit" value="提交"></form>"""
SEARCH_FORM = '<form action="/search"><input name="q" placeholder="请输入关键词"><input type="submit"></form>'


def test_personal_form_over_http(tmp_path: Path) -> None:
    form = page(HOME + "liuyan", html=LETTER_FORM.format(action="/liuyan"))
    result = run(tmp_path, home(), form)
    assert items(result)["form_transport"] == "fail"
    finding = next(f for f in result.findings if "表单" in f.message)
    assert finding.evidence.values["fields"] == ["姓名", "手机号码"] and finding.severity == "serious"


@pytest.mark.parametrize("action, expected", [("/liuyan", "pass"), ("http://www.a.gov.cn/liuyan", "fail")])
def test_personal_form_on_https(tmp_path: Path, action: str, expected: str) -> None:
    start = "https://www.a.gov.cn/"
    https_home = page(start, title="首页", links=[Link(url=start + "yssm.html", text="隐私声明")])
    form = page(start + "liuyan", html=LETTER_FORM.format(action=action))
    assert items(run(tmp_path, https_home, form, start=start))["form_transport"] == expected


def test_search_and_login_forms(tmp_path: Path) -> None:
    search = page(HOME + "s", html=SEARCH_FORM)
    assert items(run(tmp_path, home(), search))["form_transport"] == "not_applicable"
    login = page(HOME + "login", html='<form><input name="username"><input type="password" name="pw"></form>')
    assert items(run(tmp_path / "b", home(), login))["form_transport"] == "fail"


# --- cookies -------------------------------------------------------------------------------


def test_session_cookie_without_httponly(tmp_path: Path) -> None:
    result = run(tmp_path, home(headers={"set-cookie": "JSESSIONID=4F2A9C; Path=/\nlang=zh; Path=/; HttpOnly"}))
    statuses = items(result)
    assert statuses["cookie_httponly"] == "fail" and statuses["cookie_secure"] == "not_applicable"
    finding = next(f for f in result.findings if "Cookie" in f.message)
    assert finding.message == "Cookie JSESSIONID 未设置 HttpOnly 属性"
    assert "4F2A9C" not in result.model_dump_json()  # a session id is never shown


@pytest.mark.parametrize("cookie, httponly, secure", [
    ("sid=1; Path=/; HttpOnly; Secure", "pass", "pass"),
    ("sid=1; Path=/; HttpOnly", "pass", "fail"),
    ("sid=; Max-Age=0", "not_applicable", "not_applicable"),  # a cookie being deleted
])
def test_cookie_flags_on_https(tmp_path: Path, cookie: str, httponly: str, secure: str) -> None:
    start = "https://www.a.gov.cn/"
    https_home = page(start, title="首页", headers={"set-cookie": cookie},
                      links=[Link(url=start + "yssm.html", text="隐私声明")])
    statuses = items(run(tmp_path, https_home, start=start))
    assert (statuses["cookie_httponly"], statuses["cookie_secure"]) == (httponly, secure)


def test_clean_site_scores_full(tmp_path: Path) -> None:
    result = run(tmp_path, home(text="青山县人民政府 监督电话：0731-86204412"))
    assert result.score == 1.0 and not result.findings
