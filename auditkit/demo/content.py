"""Content of the demo site 青山县人民政府 (a fictional county in 湖南省).

Everything is plain data. Dates are written as ages in days before the audit
date (``as_of``) so that freshness means the same whatever day the demo runs;
:func:`build_site` resolves them into real dates. Paths never contain dates,
so the defect catalogue in :mod:`auditkit.demo.defects` can name them.

Body text is a tuple of paragraphs: a string starting with ``<`` is raw HTML
(images, tables, links), anything else becomes an indented ``<p>``.
``{y}`` in titles and bodies is the item's own year, ``{py}`` the year before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

SITE_NAME = "青山县人民政府"
DIVISION_CODE = "430124"
SITE_CODE = "4301240001"
OFFICE = "青山县人民政府办公室"


def id_check_char(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a resident ID number."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]


# The leaked ID must validate, the healthy look-alike must not: both are derived
# here so nobody has to trust a hand-computed digit.
LEAKED_ID = "43012419780512031" + id_check_char("43012419780512031")
LEAKED_MOBILE = "13873156842"
_FAKE17 = "43012420210917001"
ID_LOOKALIKE = _FAKE17 + ("0" if id_check_char(_FAKE17) != "0" else "1")


# --- raw data -----------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """An article as the editor wrote it."""

    id: int
    title: str
    age: int  # days before as_of; negative = after it
    body: tuple[str, ...]
    at: str = "09:30"
    source: str = OFFICE
    doc_no: str = ""  # 文号
    link: str = ""  # path of the related 解读 (on a document) or 文件 (on a 解读)
    link_title: str = ""  # shown when the linked page no longer exists
    charset: str = "utf-8"


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    name: str
    path: str
    date_style: str  # see DATE_STYLES
    entries: tuple[Entry, ...] = ()
    ref: str = ""  # key of another column whose articles this one lists (same source, no copy)


@dataclass(frozen=True)
class Guide:
    """A service guide (办事指南); ``elements`` keep the page's own order and labels."""

    id: int
    name: str
    layout: str  # "table" | "dl" | "sections"
    age: int
    dept: str
    elements: tuple[tuple[str, str], ...]
    attachments: tuple[tuple[str, str], ...] = ()  # (title, url) under 表格下载


@dataclass(frozen=True)
class Message:
    """A 县长信箱 letter; ``replied`` is None while it is still 办理中."""

    id: int
    title: str
    asker: str
    asked: int  # age in days
    question: str
    replied: int | None = None
    unit: str = ""
    reply: str = ""
    kind: str = "咨询"


@dataclass(frozen=True)
class Survey:
    id: int
    title: str
    dept: str
    start: int  # age in days
    end: int
    body: tuple[str, ...]
    result: tuple[str, ...] = ()  # empty: results never published


DATE_STYLES = {
    "iso": "{d:%Y-%m-%d}",
    "cn": "{d.year}年{d.month}月{d.day}日",
    "slash": "{d:%Y/%m/%d}",
    "md": "[{d:%m-%d}]",  # year implied, as many list templates print it
}


def fmt_date(value: date, style: str = "iso") -> str:
    return DATE_STYLES[style].format(d=value)


# --- 新闻中心 -------------------------------------------------------------------

YWDT = ColumnSpec("ywdt", "要闻动态", "/xwzx/ywdt/", "iso", (
    Entry(10001, "县政府常务会议研究部署重点项目建设等工作", 2, (
        "近日，县长李明远主持召开县人民政府第十六次常务会议，传达学习上级有关会议精神，研究部署重点项目建设、"
        "安全生产、民生实事等工作。",
        "会议指出，重点项目是稳增长、调结构、惠民生的重要抓手。各级各部门要坚持项目为王，紧盯年度目标任务，"
        "倒排工期、挂图作战，加快推进在建项目建设进度，确保新开工项目早落地、早见效。",
        "会议强调，要始终把人民群众生命财产安全放在首位，深入开展安全生产隐患排查整治，压实属地管理责任、"
        "部门监管责任和企业主体责任，坚决防范遏制重特大事故发生。",
        "会议还研究了其他事项。副县长王志强、陈晓燕，县政府办公室、县发展和改革局等单位负责人参加会议。",
    ), at="17:20"),
    Entry(10002, "青山县举行招商引资项目集中签约仪式", 3, (
        "近日，青山县举行招商引资项目集中签约仪式，共签约项目12个，总投资额达46.8亿元，涵盖先进制造、"
        "农产品精深加工、文化旅游等领域。",
        '<p style="text-align:center"><img src="/static/news_zsyz.png" alt="青山县招商引资项目集中签约仪式现场"'
        ' width="300" height="180"></p>',
        "县长李明远在致辞中表示，青山县将持续优化营商环境，为企业提供全方位、全周期的优质服务，"
        "推动签约项目早开工、早投产、早见效。",
        "签约企业代表表示，青山区位优势明显、产业基础扎实、政务服务高效，对在青山投资发展充满信心。",
    ), at="16:05", source="县商务局"),
    # Served in GBK on purpose: real county sites still run old GBK templates.
    Entry(10003, "李明远调研乡村振兴和农村人居环境整治工作", 4, (
        "近日，县长李明远深入青山镇、石门乡等地，调研乡村振兴和农村人居环境整治工作。",
        "在青山镇花桥村，李明远详细了解村级集体经济发展、特色产业培育等情况。他强调，要立足资源禀赋，"
        "做强做优特色种养、乡村旅游等产业，带动群众持续增收。",
        "在石门乡，李明远实地查看了农村改厕、生活污水治理和村庄清洁行动开展情况，要求各乡镇以“干净、"
        "整洁、有序”为目标，建立健全长效管护机制，让农村人居环境持续改善。",
        "县农业农村局、县乡村振兴局等单位负责人陪同调研。",
    ), at="11:40", charset="gbk"),
    Entry(10004, "青山县开展安全生产大检查", 6, (
        "为切实做好当前安全生产工作，近日，青山县组织应急管理、住建、交通运输、市场监管等部门组成联合检查组，"
        "深入全县重点行业领域开展安全生产大检查。",
        # missing_alt: the editor forgot the alt text on this photo.
        '<p style="text-align:center"><img src="/static/news_aqjc.png" width="300" height="180"></p>',
        "检查组重点检查了危险化学品、建筑施工、道路交通、燃气、人员密集场所等领域，共检查企业和场所86家，"
        "发现并督促整改一般隐患142处。",
        "下一步，青山县将持续保持高压态势，对检查发现的问题实行清单化管理、闭环式整改。",
    ), at="10:15", source="县应急管理局"),
    Entry(10005, "全县“我为群众办实事”实践活动推进会召开", 9, (
        "近日，全县“我为群众办实事”实践活动推进会召开。会议通报了前一阶段实践活动开展情况，部署下一阶段重点工作。",
        "会议要求，要聚焦群众急难愁盼问题，建立问题清单、任务清单、责任清单，确保每一件实事都落地见效、"
        "群众满意。",
        "截至目前，全县已梳理形成办实事项目236项，已完成182项。",
        # low_contrast: CMS preset for editor credits, light grey on white.
        '<p class="editor" style="color:#bbb">责任编辑：王芳　审核：刘建国　终审：周立新</p>',
    )),
    Entry(10006, "青山县成功创建省级卫生县城", 13, (
        "日前，省爱国卫生运动委员会发布通报，青山县被命名为省级卫生县城。",
        "近年来，青山县以创建省级卫生县城为抓手，持续开展城乡环境卫生整治，完善市政基础设施，"
        "提升公共卫生服务能力，城乡面貌焕然一新。",
    ), source="县卫生健康局"),
    Entry(10007, "青山县举办特色农产品展销会", 19, (
        "近日，青山县特色农产品展销会在县城青山广场举办，全县60余家农业企业、合作社参展，"
        "展销茶叶、油茶、腊味、竹笋等特色农产品300余种。",
        "展销会为期三天，现场销售额达320万元，签订意向订单1800余万元。",
    ), source="县农业农村局"),
))

GZDT = ColumnSpec("gzdt", "工作动态", "/xwzx/gzdt/", "md", (
    Entry(10101, "县政务服务中心推出“周末不打烊”延时服务", 10, (
        "为进一步方便企业和群众办事，县政务服务中心自即日起推出“周末不打烊”延时服务，每周六上午为群众办理"
        "社保、医保、不动产登记、户籍等高频事项。",
        "办事群众可拨打政务服务热线0731-86208000预约办理。",
    ), source="县政务服务中心"),
    Entry(10102, "县自然资源局开展耕地保护专项检查", 16, (
        "近日，县自然资源局组织开展耕地保护专项检查，对全县各乡镇耕地“非农化”“非粮化”问题进行全面排查。",
        # broken_image: the upload was lost in the last CMS migration.
        '<p style="text-align:center"><img src="/uploads/image/gdbh_01.jpg" alt="耕地保护专项检查现场"'
        ' width="300" height="180"></p>',
        "检查组采取实地核查与卫星遥感图斑比对相结合的方式，逐图斑核实，建立问题台账，限期整改到位。",
    ), source="县自然资源局"),
    # Healthy: talks about 404 but is a normal page served with status 200.
    Entry(10103, "县政府门户网站完成404错误页面规范化改造", 28, (
        "为提升网站用户体验，县政务服务和大数据中心近日完成县政府门户网站404错误页面规范化改造。",
        "改造后，用户访问已失效或不存在的网址时，服务器将返回标准的404状态码，同时展示“页面不存在”友好提示，"
        "并提供返回首页、站内搜索和网站地图等链接，引导用户快速找到所需信息。",
        "网站运维团队同步开展了全站链接巡检，对发现的失效链接逐一修复。",
    ), source="县政务服务和大数据中心"),
    Entry(10104, "县教育局召开校园安全工作会议", 37, (
        "近日，县教育局召开全县校园安全工作会议，部署校园及周边安全隐患排查整治工作。",
        "会议要求，各学校要落实安全工作责任制，加强防溺水、交通安全、食品安全等专题教育，切实守护师生安全。",
    ), source="县教育局"),
))

BMDT = ColumnSpec("bmdt", "部门动态", "/xwzx/bmdt/", "iso", (
    Entry(10201, "县农业农村局开展农机安全生产检查", 40, (
        "近日，县农业农村局组织执法人员深入各乡镇，开展农机安全生产检查。",
        "检查重点包括拖拉机、联合收割机等农业机械的牌证、安全装置和驾驶操作人员持证情况。",
        # inner_broken_link: points at an article removed from the CMS.
        '<p>相关链接：<a href="/xwzx/bmdt/content_10299.html">县农业农村局部署农机安全生产月活动</a></p>',
    ), source="县农业农村局"),
    Entry(10202, "县卫生健康局组织开展“健康义诊进乡村”活动", 54, (
        "近日，县卫生健康局组织县人民医院、县中医医院专家团队走进河口镇、双溪乡，开展“健康义诊进乡村”活动，"
        "为群众提供免费健康咨询、血压血糖测量等服务，共服务群众600余人次。",
    ), source="县卫生健康局"),
    Entry(10203, "县市场监督管理局开展校园周边食品安全专项整治", 73, (
        "近日，县市场监督管理局开展校园周边食品安全专项整治，检查学校食堂及周边食品经营户132家，"
        "责令整改17家，立案查处2家。",
    ), source="县市场监督管理局"),
))

TZGG = ColumnSpec("tzgg", "通知公告", "/xwzx/tzgg/", "cn", (
    # future_date: the editor typed the meeting date as the publication date.
    Entry(10301, "关于召开全县安全生产工作会议的通知", -3, (
        "各乡镇人民政府，县政府各部门：",
        "经县人民政府研究，决定召开全县安全生产工作会议。现将有关事项通知如下：",
        "一、会议时间：另行通知。",
        "二、会议地点：县政府第一会议室。",
        "三、参会人员：各乡镇人民政府分管负责人，县安委会各成员单位主要负责人。",
        "请各单位于会前一天将参会人员名单报县应急管理局。联系人：刘洋，联系电话：0731-86203365。",
    ), at="08:30"),
    Entry(10302, "关于开展城镇燃气安全隐患排查整治的通知", 5, (
        "各乡镇人民政府，县直有关单位：",
        "为深刻吸取近期燃气安全事故教训，切实加强城镇燃气安全管理，经县人民政府同意，决定在全县开展城镇燃气"
        "安全隐患排查整治。请各单位按照职责分工，认真组织实施，并于每月25日前报送工作进展情况。",
    ), source="县住房和城乡建设局"),
    Entry(10303, "青山县人民政府关于公布县级行政许可事项清单的通告", 12, (
        "为深化“放管服”改革，规范行政许可事项管理，现将《青山县县级行政许可事项清单》予以公布，"
        "清单共包括行政许可事项238项。",
        "清单实行动态调整，行政许可事项的增加、取消或调整，以县人民政府公布的最新清单为准。",
        # directory_listing: the editor linked the upload folder itself, whose autoindex is on.
        '<p style="text-indent:2em">清单及各事项申请表格见<a href="/uploads/">附件目录</a>。</p>',
    )),
    Entry(10304, "关于调整县政务服务中心窗口工作时间的公告", 31, (
        "根据工作需要，自即日起，县政务服务中心窗口工作时间调整为：周一至周五上午8:30—12:00，"
        "下午14:30—17:30；周六上午9:00—12:00提供预约延时服务。法定节假日除外。",
    ), source="县政务服务中心"),
    Entry(10305, "关于开展{y}年度全县统计执法检查的通知", 48, (
        "各乡镇人民政府，县直各单位：",
        "为进一步提高统计数据质量，根据《中华人民共和国统计法》及其实施条例，县统计局决定开展{y}年度全县"
        "统计执法检查。",
    ), source="县统计局"),
))

GSGG = ColumnSpec("gsgg", "公示公告", "/xwzx/gsgg/", "cn", (
    # personal_data: full resident ID and mobile number left in a 公示 table.
    Entry(10401, "关于{y}年第一批城乡居民最低生活保障新增对象的公示", 245, (
        "根据《湖南省最低生活保障工作规程》有关规定，经本人申请、乡镇审核、县民政局审批，"
        "现将{y}年第一批城乡居民最低生活保障新增对象予以公示。",
        '<table class="gs-table" border="1" cellspacing="0" cellpadding="4">'
        "<tr><th>序号</th><th>乡镇</th><th>户主姓名</th><th>身份证号码</th><th>联系电话</th><th>保障人数</th></tr>"
        f"<tr><td>1</td><td>石门乡</td><td>张建华</td><td>{LEAKED_ID}</td><td>{LEAKED_MOBILE}</td><td>3</td></tr>"
        "<tr><td>2</td><td>双溪乡</td><td>李秀英</td><td>430124********0027</td><td>139****5512</td><td>1</td></tr>"
        "</table>",
        "公示期为7天。如有异议，请在公示期内向县民政局反映。监督电话：0731-86204412。",
    ), source="县民政局"),
    Entry(10402, "青山大道（人民路至滨河路段）提质改造工程设计方案公示", 292, (
        "青山大道（人民路至滨河路段）提质改造工程设计方案已编制完成，现予以公示，广泛征求社会各界意见。",
        "公示期间，公众可通过电子邮件或信函方式向县住房和城乡建设局提出意见建议。",
    ), source="县住房和城乡建设局"),
    Entry(10403, "青山县城区控制性详细规划局部修改批前公示", 381, (
        "根据《中华人民共和国城乡规划法》有关规定，现将青山县城区控制性详细规划局部修改方案予以批前公示，公示期30天。",
    ), source="县自然资源局"),
))

# --- 政策文件 / 政策解读 ----------------------------------------------------------

ZCWJ = ColumnSpec("zcwj", "政策文件", "/zcwj/", "slash", (
    Entry(40001, "青山县人民政府关于印发《青山县优化营商环境若干措施》的通知", 8, (
        "各乡镇人民政府，县政府各部门：",
        "现将《青山县优化营商环境若干措施》印发给你们，请认真贯彻执行。",
        "<h3 style=\"text-align:center\">青山县优化营商环境若干措施</h3>",
        "一、深化审批制度改革。全面推行“一件事一次办”，企业开办时间压缩至1个工作日以内，"
        "工程建设项目审批时间压缩至60个工作日以内。",
        "二、降低企业经营成本。严格落实减税降费政策，全面清理规范涉企收费，推行“免申即享”。",
        "三、加强要素保障。建立重点企业用工、用地、融资服务专班，实行“一企一策”精准服务。",
        "四、强化法治保障。推行包容审慎监管，对轻微违法行为依法不予行政处罚。",
        "本措施自印发之日起施行。",
    ), doc_no="青政发〔{y}〕15号", link="/zcjd/content_40101.html"),
    Entry(40002, "青山县人民政府办公室关于印发《青山县城乡居民基本医疗保险实施办法》的通知", 21, (
        "各乡镇人民政府，县政府各部门：",
        "《青山县城乡居民基本医疗保险实施办法》已经县人民政府同意，现印发给你们，请认真组织实施。",
        "第一条　为健全城乡居民基本医疗保险制度，保障参保人员基本医疗需求，根据有关法律法规，结合本县实际，"
        "制定本办法。",
        "第二条　本县行政区域内不属于职工基本医疗保险覆盖范围的城乡居民，均可参加城乡居民基本医疗保险。",
        "第三条　城乡居民基本医疗保险实行个人缴费和政府补助相结合的筹资方式，按年度缴费。",
    ), doc_no="青政办发〔{y}〕22号", link="/zcjd/content_40102.html"),
    Entry(40003, "青山县人民政府关于加快推进农业产业化发展的实施意见", 45, (
        "各乡镇人民政府，县政府各部门：",
        "为加快推进农业产业化发展，促进农业增效、农民增收，现提出如下实施意见。",
        "一、培育壮大龙头企业。到“十四五”末，全县市级以上农业产业化龙头企业达到40家。",
        "二、做强特色优势产业。重点发展茶叶、油茶、生猪、蔬菜四大特色产业。",
        "三、完善利益联结机制。推广“龙头企业+合作社+农户”模式，带动农户稳定增收。",
    ), doc_no="青政发〔{y}〕11号", link="/zcjd/content_40103.html"),
    Entry(40004, "青山县人民政府办公室关于进一步加强农村村民建房管理的通知", 77, (
        "各乡镇人民政府，县直有关单位：",
        "为进一步规范农村村民建房管理，切实保护耕地，改善农村人居环境，现就有关事项通知如下。",
        "一、严格落实“一户一宅”。农村村民一户只能拥有一处宅基地，面积不得超过规定标准。",
        "二、规范建房审批程序。农村村民建房实行“村级审查、乡镇审批、县级监管”。",
    ), doc_no="青政办发〔{y}〕9号", link="/zcjd/content_40104.html"),
    Entry(40005, "青山县人民政府关于印发《青山县突发事件总体应急预案》的通知", 103, (
        "各乡镇人民政府，县政府各部门：",
        "修订后的《青山县突发事件总体应急预案》已经县人民政府常务会议审议通过，现印发给你们，请认真贯彻执行。",
    ), doc_no="青政发〔{y}〕6号"),
    Entry(40006, "青山县人民政府办公室关于印发《青山县县级储备粮管理办法》的通知", 160, (
        "各乡镇人民政府，县政府各部门：",
        "《青山县县级储备粮管理办法》已经县人民政府同意，现印发给你们，请遵照执行。",
    ), doc_no="青政办发〔{y}〕3号"),
))

ZCJD = ColumnSpec("zcjd", "政策解读", "/zcjd/", "iso", (
    Entry(40101, "《青山县优化营商环境若干措施》政策解读", 7, (
        "一、出台背景",
        "为深入贯彻国务院《优化营商环境条例》，进一步激发市场主体活力，县发展和改革局牵头起草了《青山县优化营商"
        "环境若干措施》。",
        "二、主要内容",
        "《措施》从深化审批制度改革、降低企业经营成本、加强要素保障、强化法治保障四个方面提出了具体措施。",
        "三、解决的问题",
        "重点解决企业办事环节多、时间长、成本高等问题，企业开办时间由3个工作日压缩至1个工作日以内。",
    ), source="县发展和改革局", link="/zcwj/content_40001.html"),
    # Healthy: an infographic with a proper alt text.
    Entry(40102, "图解：《青山县城乡居民基本医疗保险实施办法》", 20, (
        '<p style="text-align:center"><img src="/static/tujie_ybbx.png" width="600" height="400"'
        ' alt="图解：青山县城乡居民基本医疗保险个人缴费、政府补助、住院报销比例和年度最高支付限额"></p>',
        "图解要点：城乡居民基本医疗保险按年度缴费，政府按规定给予补助；乡镇卫生院住院报销比例不低于85%。",
    ), source="县医疗保障局", link="/zcwj/content_40002.html"),
    Entry(40103, "《关于加快推进农业产业化发展的实施意见》解读", 44, (
        "《实施意见》明确了培育龙头企业、做强特色产业、完善利益联结机制三项重点任务，提出到“十四五”末"
        "市级以上农业产业化龙头企业达到40家的目标。",
    ), source="县农业农村局", link="/zcwj/content_40003.html"),
    Entry(40104, "《关于进一步加强农村村民建房管理的通知》政策解读", 76, (
        "《通知》重申“一户一宅”原则，明确了“村级审查、乡镇审批、县级监管”的审批程序，"
        "并对建房面积、层数、风貌管控提出了具体要求。",
    ), source="县自然资源局", link="/zcwj/content_40004.html"),
    # inner_broken_link: the document itself was withdrawn, its 解读 was not.
    Entry(40105, "《青山县城区停车管理办法》政策解读", 58, (
        "《办法》明确了城区公共停车场、道路停车泊位的设置和收费规则，鼓励建设立体停车设施，"
        "缓解城区停车难问题。",
    ), source="县城市管理和综合执法局", link="/zcwj/content_40099.html",
        link_title="青山县人民政府关于印发《青山县城区停车管理办法》的通知"),
))

# --- 政府信息公开 -----------------------------------------------------------------

ZD = ColumnSpec("zd", "政府信息公开制度", "/xxgk/zd/", "iso", (
    Entry(30001, "青山县政府信息公开工作制度", 400, (
        "第一条　为规范政府信息公开工作，根据《中华人民共和国政府信息公开条例》，制定本制度。",
        "第二条　县人民政府办公室是本县政府信息公开工作的主管部门，负责推进、指导、协调、监督全县政府信息公开工作。",
    )),
    Entry(30002, "青山县政府信息公开保密审查制度", 400, (
        "第一条　行政机关在公开政府信息前，应当依照《中华人民共和国保守国家秘密法》以及其他法律、法规和国家"
        "有关规定对拟公开的政府信息进行审查。",
    )),
    Entry(30003, "青山县政府信息公开工作考核制度", 383, (
        "第一条　政府信息公开工作考核实行年度考核，考核结果纳入全县绩效考核。",
    )),
))


def _topic(key: str, name: str, *entries: Entry, ref: str = "") -> ColumnSpec:
    return ColumnSpec(key, name, f"/xxgk/fdzdgknr/{key}/", "iso", entries, ref)


# The 23 法定主动公开 topics; a few carry the synonym names real sites use.
TOPICS: tuple[ColumnSpec, ...] = (
    _topic("jgzn", "机构概况",
        Entry(20001, "青山县人民政府办公室主要职责", 200, (
            "负责县人民政府会议的组织工作，协助县人民政府领导组织落实会议决定事项。",
            "负责县人民政府公文处理工作，督促检查县人民政府各部门和各乡镇对县人民政府公文、会议决定事项的贯彻落实。",
        )),
        Entry(20002, "青山县人民政府工作部门设置情况", 210, (
            "根据机构改革方案，青山县人民政府设置工作部门24个，包括县人民政府办公室、县发展和改革局、县教育局、"
            "县财政局、县人力资源和社会保障局、县自然资源局、县住房和城乡建设局、县农业农村局等。",
        )),
        Entry(20003, "青山县乡镇基本情况", 180, (
            "青山县辖3个镇、2个乡：城关镇、青山镇、河口镇、石门乡、双溪乡，共61个村（社区）。",
        )),
    ),
    _topic("ldxx", "领导信息",
        Entry(20011, "县人民政府领导及工作分工", 95, (
            "县长：李明远，负责县人民政府全面工作。",
            "常务副县长：王志强，负责县人民政府常务工作，分管发展改革、财政、审计等方面工作。",
            "副县长：陈晓燕，分管教育、卫生健康、民政、医疗保障等方面工作。",
        )),
    ),
    _topic("zcwj", "政策文件", ref="zcwj"),
    _topic("ghjh", "规划计划",
        Entry(20021, "青山县国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", 190, (
            "本纲要根据《中共青山县委关于制定青山县国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》"
            "编制，主要阐明全县“十四五”时期经济社会发展的指导思想、主要目标、重点任务和重大举措。",
        ), source="县发展和改革局"),
        Entry(20022, "青山县{y}年国民经济和社会发展计划", 205, (
            "{y}年全县经济社会发展的主要预期目标是：地区生产总值增长7.5%左右，一般公共预算收入增长6%，"
            "城乡居民人均可支配收入增长与经济增长基本同步。",
        ), source="县发展和改革局"),
    ),
    _topic("tjxx", "统计信息",
        Entry(20031, "全县主要经济指标月度数据", 20, (
            '<table class="data-table" border="1" cellspacing="0" cellpadding="4">'
            "<tr><th>指标</th><th>单位</th><th>累计</th><th>同比增长（%）</th></tr>"
            "<tr><td>规模以上工业增加值</td><td>亿元</td><td>86.4</td><td>8.2</td></tr>"
            "<tr><td>固定资产投资</td><td>亿元</td><td>121.7</td><td>9.1</td></tr>"
            "<tr><td>社会消费品零售总额</td><td>亿元</td><td>64.3</td><td>11.6</td></tr></table>",
        ), source="县统计局"),
        Entry(20032, "青山县{py}年国民经济和社会发展统计公报", 200, (
            "{py}年，全县实现地区生产总值412.6亿元，比上年增长4.1%。年末全县户籍人口34.2万人。",
        ), source="县统计局"),
    ),
    _topic("xzxk", "行政许可",
        Entry(20041, "行政许可事项办理结果公示", 6, (
            "县行政审批服务局本周共办结行政许可事项326件，其中即办件214件，承诺件112件，按时办结率100%。",
        ), source="县行政审批服务局"),
        Entry(20042, "县级行政许可事项清单", 12, (
            "《青山县县级行政许可事项清单》共包括行政许可事项238项，详见县人民政府通告。",
        ), source="县行政审批服务局"),
    ),
    _topic("cfqz", "处罚强制",
        Entry(20051, "县市场监督管理局行政处罚决定书（青市监处罚〔{y}〕32号）", 15, (
            "当事人：青山县某某商贸有限公司；统一社会信用代码：91430124MA4L2XXXXX。",
            "当事人销售过期食品，违反了《中华人民共和国食品安全法》第三十四条第（十）项的规定，"
            "依法对当事人作出没收违法所得并罚款5000元的行政处罚。",
        ), source="县市场监督管理局"),
        Entry(20052, "县生态环境局行政处罚信息公开表", 33, (
            "本季度县生态环境局共作出行政处罚决定4件，罚款金额合计18.6万元，详见信息公开表。",
        ), source="县生态环境局"),
    ),
    _topic("czyjs", "财政信息",
        Entry(20061, "青山县{py}年财政决算公开", 75, (
            "{py}年全县一般公共预算收入完成18.36亿元，一般公共预算支出完成52.71亿元，收支平衡。",
        ), source="县财政局"),
        Entry(20062, "青山县{y}年财政预算公开", 220, (
            "{y}年全县一般公共预算收入预计19.46亿元，一般公共预算支出预计50.12亿元。",
        ), source="县财政局"),
        Entry(20063, "青山县{py}年“三公”经费决算情况说明", 74, (
            "{py}年县本级“三公”经费决算支出合计826.4万元，比上年下降12.3%。",
        ), source="县财政局"),
    ),
    _topic("xzsyxsf", "行政事业性收费",
        Entry(20071, "青山县行政事业性收费目录清单", 130, (
            "根据国家和省有关规定，现将青山县行政事业性收费目录清单予以公布，清单之外一律不得收费。",
        ), source="县财政局"),
    ),
    _topic("zfcg", "政府采购",
        # Healthy: an 18-digit project number shaped like an ID, with a wrong check digit.
        Entry(20081, "青山县人民医院医疗设备采购项目中标结果公告", 4, (
            f"采购项目编号：{ID_LOOKALIKE}",
            "采购项目名称：青山县人民医院医疗设备采购项目",
            "中标供应商：湖南某某医疗器械有限公司；中标金额：人民币386.5万元。",
            "采购人：青山县人民医院；采购代理机构：青山县公共资源交易中心。",
        ), source="县公共资源交易中心"),
        Entry(20082, "青山县{y}年政府集中采购目录及限额标准", 250, (
            "{y}年全县政府集中采购目录以内的项目，单项或批量金额达到30万元以上的，应当实行集中采购。",
        ), source="县财政局"),
    ),
    _topic("gwyzk", "公务员招考",
        Entry(20091, "青山县{y}年考试录用公务员拟录用人员公示", 60, (
            "根据公务员录用有关规定，经笔试、面试、体检和考察，现将拟录用人员名单予以公示，公示期5个工作日。",
            "拟录用人员：刘晨（县财政局），周婷（县统计局），黄磊（青山镇人民政府）。",
        ), source="县人力资源和社会保障局"),
    ),
    # empty_column: the 建议提案 column was set up but never filled.
    _topic("jyta", "建议提案"),
    _topic("zdhy", "重要会议",
        Entry(20101, "县人民政府第十六次常务会议", 2, (
            "会议研究部署重点项目建设、安全生产、民生实事等工作。",
        )),
        Entry(20102, "县人民政府第十五次常务会议", 30, (
            "会议审议通过了《青山县城乡居民基本医疗保险实施办法》。",
        )),
    ),
    _topic("zdjcygk", "重大决策预公开",
        Entry(20111, "关于《青山县城区生活垃圾分类实施方案（征求意见稿）》公开征求意见的公告", 25, (
            "为提高决策的科学性和透明度，现将《青山县城区生活垃圾分类实施方案（征求意见稿）》向社会公开征求意见，"
            "征求意见时间为30天。",
        ), source="县城市管理和综合执法局"),
    ),
    # empty_column: second empty column.
    _topic("zdjsxm", "重大建设项目"),
    _topic("ywjy", "义务教育",
        Entry(20121, "青山县{y}年义务教育阶段学校招生入学工作方案", 110, (
            "全县义务教育阶段学校招生坚持免试就近入学原则，实行划片招生。",
        ), source="县教育局"),
        Entry(20122, "青山县城区义务教育学校招生划片范围", 100, (
            "县城区6所小学、4所初中的招生划片范围详见附表。",
        ), source="县教育局"),
    ),
    _topic("shbz", "社会保障",
        Entry(20131, "关于调整城乡居民最低生活保障标准的通知", 64, (
            "经县人民政府同意，城市低保标准调整为每人每月650元，农村低保标准调整为每人每年5200元。",
        ), source="县民政局"),
        Entry(20132, "{y}年度城乡居民基本养老保险缴费标准", 150, (
            "{y}年度城乡居民基本养老保险个人缴费标准设为200元至3000元共14个档次，参保人自主选择档次缴费。",
        ), source="县人力资源和社会保障局"),
    ),
    _topic("wgjy", "就业创业",
        Entry(20141, "青山县{y}年失业保险稳岗返还拟发放企业名单公示", 18, (
            "经审核，全县共有146家企业符合失业保险稳岗返还条件，拟发放稳岗返还资金312.6万元，现予公示。",
        ), source="县人力资源和社会保障局"),
        Entry(20142, "关于举办{y}年青山县高校毕业生专场招聘会的公告", 41, (
            "本次招聘会共有68家企业参会，提供就业岗位1260个。",
        ), source="县人力资源和社会保障局"),
    ),
    _topic("ylfw", "养老服务",
        Entry(20151, "青山县养老服务机构名录", 85, (
            "全县共有养老服务机构14家，其中公办敬老院6家，民办养老机构8家，总床位1460张。",
        ), source="县民政局"),
        Entry(20152, "青山县高龄津贴发放办法", 170, (
            "本县户籍80周岁以上老年人，按年龄段每月享受50元至300元不等的高龄津贴。",
        ), source="县民政局"),
    ),
    _topic("sthj", "环境保护",
        Entry(20161, "青山县环境空气质量月报", 11, (
            "上月全县环境空气质量优良天数比例为93.5%，PM2.5平均浓度为31微克/立方米。",
        ), source="县生态环境局"),
        Entry(20162, "县生态环境局{y}年“双随机、一公开”抽查结果", 47, (
            "本次共随机抽查排污单位24家，发现问题3家，均已责令整改。",
        ), source="县生态环境局"),
    ),
    _topic("ylws", "医疗卫生",
        Entry(20171, "青山县基本公共卫生服务项目实施情况公示", 14, (
            "全县居民电子健康档案建档率达92.6%，65岁以上老年人健康管理率达71.3%。",
        ), source="县卫生健康局"),
        Entry(20172, "青山县医疗机构执业登记信息", 90, (
            "现将全县医疗机构执业登记、校验情况予以公布。",
        ), source="县卫生健康局"),
    ),
    _topic("aqsc", "安全生产",
        # serious_typo: 中华人民共合国 for 中华人民共和国.
        Entry(20181, "青山县安全生产专项整治三年行动工作方案", 55, (
            "为认真贯彻《中华人民共合国安全生产法》，深入开展安全生产专项整治三年行动，"
            "结合我县实际，制定本方案。",
            "一、工作目标：到行动结束时，全县安全生产责任体系更加健全，重大安全风险得到有效管控。",
            "二、重点任务：危险化学品、道路运输、建筑施工、消防、城镇燃气等重点行业领域专项整治。",
        ), source="县应急管理局"),
        Entry(20182, "县应急管理局{y}年度安全生产监督检查计划", 200, (
            "根据《中华人民共和国安全生产法》有关规定，制定本年度安全生产监督检查计划。",
        ), source="县应急管理局"),
    ),
    _topic("spypaq", "食品药品监管",
        Entry(20191, "食品安全监督抽检信息公告（{y}年第9期）", 22, (
            "本期共抽检食品样品120批次，其中合格样品118批次，不合格样品2批次，不合格样品已依法处置。",
        ), source="县市场监督管理局"),
        Entry(20192, "关于开展校园食品安全守护行动的通知", 120, (
            "各中小学校、幼儿园，各市场监管所：为切实保障师生饮食安全，决定在全县开展校园食品安全守护行动。",
        ), source="县市场监督管理局"),
    ),
)

ZXFT = ColumnSpec("zxft", "在线访谈", "/hdjl/zxft/", "iso", (
    Entry(50201, "县人力资源和社会保障局局长谈稳岗就业政策", 14, (
        "访谈嘉宾：县人力资源和社会保障局局长　赵国平",
        "主持人：各位网友大家好，今天我们邀请到县人力资源和社会保障局赵国平局长，为大家解读稳岗就业相关政策。",
        "赵国平：大家好。今年我们重点落实失业保险稳岗返还、以工代训补贴等政策，全县已为146家企业发放"
        "稳岗返还资金312.6万元。",
        "网友“青山人”：请问高校毕业生有哪些就业扶持政策？",
        "赵国平：离校两年内未就业的高校毕业生可以享受就业见习补贴、一次性求职创业补贴等政策，"
        "具体可以到县人社局就业服务窗口咨询。",
    ), source="县人力资源和社会保障局"),
    Entry(50202, "县教育局谈义务教育阶段招生入学", 58, (
        "访谈嘉宾：县教育局副局长　孙丽",
        "主持人：今年全县义务教育招生有哪些新变化？",
        "孙丽：今年全面推行网上报名，家长足不出户即可完成入学登记，同时严格执行划片招生、免试就近入学政策。",
    ), source="县教育局"),
))

# --- 办事服务 ---------------------------------------------------------------------

_TIME = "周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）"

GUIDES: tuple[Guide, ...] = (
    # Healthy: every key element present, laid out as a <table>.
    Guide(60001, "城乡居民基本养老保险参保登记", "table", 30, "县人力资源和社会保障局", (
        ("事项名称", "城乡居民基本养老保险参保登记"),
        ("设定依据", "《国务院关于建立统一的城乡居民基本养老保险制度的意见》（国发〔2014〕8号）"),
        ("申请条件", "年满16周岁（不含在校学生），非国家机关和事业单位工作人员及不属于职工基本养老保险制度覆盖范围的"
         "本县户籍城乡居民。"),
        ("办理材料", "1.居民身份证原件；\n2.户口簿原件；\n3.《城乡居民基本养老保险参保登记表》1份。"),
        ("办理地点", "青山县政务服务中心一楼社保窗口（城关镇人民路1号）"),
        ("办理机构", "青山县社会保险服务中心"),
        ("收费标准", "不收费"),
        ("办理时间", _TIME),
        ("联系电话", "0731-86202315"),
        ("办理流程", "1.申请人提交材料；2.窗口受理审核；3.录入信息系统；4.办结（即办件）。"),
    ), (("城乡居民基本养老保险参保登记表.docx", "/uploads/bsfw/cxjm_ylbx_cbdjb.docx"),)),
    Guide(60002, "个体工商户设立登记", "dl", 25, "县市场监督管理局", (
        ("事项名称", "个体工商户设立登记"),
        ("设定依据", "《促进个体工商户发展条例》《个体工商户登记管理办法》"),
        ("申请条件", "有经营能力的公民，经营场所符合有关规定。"),
        ("办理材料", "1.经营者签署的《个体工商户登记（备案）申请书》；\n2.经营者身份证明；\n3.经营场所使用证明。"),
        ("办理地点", "青山县政务服务中心二楼市场监管窗口"),
        ("办理机构", "青山县市场监督管理局"),
        ("收费标准", "不收费"),
        ("办理时间", _TIME),
        ("联系电话", "0731-86206618"),
        ("办理流程", "申请—受理—审查—决定—发照，材料齐全的当场办结。"),
    ), (("个体工商户登记申请书.pdf", "/uploads/bsfw/gtgsh_sldj_sqs.pdf"),
        ("申请书填写样表.pdf", "/uploads/bsfw/gtgsh_sldj_yb.pdf"))),
    # broken_attachment: the form link points at a file never uploaded.
    Guide(60003, "最低生活保障申请", "sections", 40, "县民政局", (
        ("事项名称", "最低生活保障申请"),
        ("设定依据", "《社会救助暂行办法》（国务院令第649号）第九条至第十三条"),
        ("申请条件", "共同生活的家庭成员人均收入低于当地最低生活保障标准，且符合家庭财产状况规定的本县户籍居民。"),
        ("办理材料", "1.最低生活保障申请书；\n2.家庭成员身份证、户口簿；\n3.家庭收入和财产状况声明及授权核查书。"),
        ("办理地点", "户籍所在地乡镇人民政府社会救助窗口"),
        ("办理机构", "青山县民政局"),
        ("收费标准", "不收费"),
        ("办理时间", _TIME),
        ("联系电话", "0731-86204412"),
        ("办理流程", "申请—乡镇受理—入户调查—民主评议—乡镇审核—县民政局审批—公示—发放。"),
    ), (("最低生活保障申请表.doc", "/uploads/bsfw/zdshbz_sqb.doc"),)),
    # incomplete_guide: 设定依据, 收费标准, 办理时间, 联系电话, 办理流程 all missing.
    Guide(60004, "失业登记", "table", 52, "县人力资源和社会保障局", (
        ("事项名称", "失业登记"),
        ("申请条件", "法定劳动年龄内、有劳动能力、有就业要求、处于无业状态的城乡劳动者。"),
        ("办理材料", "居民身份证或社会保障卡。"),
        ("办理地点", "青山县政务服务中心一楼就业窗口"),
        ("办理机构", "青山县公共就业服务中心"),
    )),
    # empty_guide_value: 办理材料 only refers to "the relevant rules".
    Guide(60005, "公共场所卫生许可", "dl", 66, "县卫生健康局", (
        ("事项名称", "公共场所卫生许可"),
        ("设定依据", "《公共场所卫生管理条例》第八条"),
        ("申请条件", "住宿、沐浴、美容美发等公共场所经营单位，卫生设施和条件符合国家卫生标准。"),
        ("办理材料", "详见相关规定"),
        ("办理地点", "青山县政务服务中心二楼卫健窗口"),
        ("办理机构", "青山县卫生健康局"),
        ("收费标准", "不收费"),
        ("办理时间", _TIME),
        ("联系电话", "0731-86203120"),
        ("办理流程", "申请—受理—现场审查—决定—发证。"),
    ), (("公共场所卫生许可申请书.docx", "/uploads/bsfw/ggcs_wsxk_sqs.docx"),)),
    Guide(60006, "残疾人证办理", "sections", 80, "县残疾人联合会", (
        ("事项名称", "残疾人证办理"),
        ("设定依据", "《中华人民共和国残疾人保障法》第二十三条；《中华人民共和国残疾人证管理办法》"),
        ("申请条件", "符合残疾标准的本县户籍居民。"),
        ("办理材料", "1.居民身份证、户口簿；\n2.近期免冠2寸彩色照片3张；\n3.《残疾人证申请表》。"),
        ("办理地点", "户籍所在地乡镇人民政府便民服务中心"),
        ("办理机构", "青山县残疾人联合会"),
        ("收费标准", "不收费"),
        ("办理时间", _TIME),
        ("联系电话", "0731-86207721"),
        ("办理流程", "申请—乡镇初审—残疾评定—县残联审核—发证。"),
    ), (("残疾人证申请表.docx", "/uploads/bsfw/cjrz_sqb.docx"),)),
)

# --- 互动交流 ---------------------------------------------------------------------

MESSAGES: tuple[Message, ...] = (
    Message(50001, "青山大道部分路灯夜间不亮", "王**", 3,
            "青山大道滨河路口往北约200米有五六盏路灯晚上不亮，行人和车辆通行不便，希望尽快维修。",
            1, "县城市管理和综合执法局",
            "您好！经现场核查，该路段路灯因电缆老化导致故障，我局已安排维修，目前已恢复正常照明。感谢您的监督！",
            "投诉"),
    Message(50002, "咨询城乡居民医保缴费时间", "李**", 9,
            "请问明年的城乡居民医保什么时候开始缴费？可以在手机上缴吗？",
            6, "县医疗保障局",
            "您好！城乡居民医保集中缴费期一般为每年9月至12月，可通过“湖南税务”微信公众号或银行网点缴纳。"),
    Message(50003, "建议增开县城至石门乡的公交班次", "赵**", 20,
            "目前县城到石门乡的公交每天只有4班，学生和老人出行很不方便，建议增加班次。",
            17, "县交通运输局",
            "您好！我局已协调公交公司，自下月起将该线路班次增加至每天8班。感谢您的建议！", "建议"),
    Message(50004, "小区物业不作为问题", "陈**", 60,
            "城关镇某小区物业长期不清理垃圾、电梯故障不修，业主多次反映无果。",
            15, "县住房和城乡建设局",
            "您好！我局已约谈该小区物业服务企业，责令限期整改，并将其纳入信用管理。", "投诉"),
    # unanswered_message: still 办理中 four months later.
    Message(50005, "双溪乡某村通组公路硬化问题", "刘**", 121,
            "双溪乡某村第三、四村民小组的通组公路一直是泥巴路，下雨天无法通行，希望政府帮助解决。",
            kind="求助"),
    Message(50006, "咨询小学一年级入学报名", "孙**", 33,
            "孩子今年满6周岁，户口在城关镇，房子在河口镇，请问应该在哪里报名？",
            29, "县教育局",
            "您好！根据我县义务教育招生政策，原则上按房产所在地划片入学，具体可咨询河口镇中心学校。"),
    Message(50007, "咨询个体工商户办理营业执照需要哪些材料", "周**", 75,
            "想开一家小餐馆，办理营业执照需要准备哪些材料？",
            72, "县市场监督管理局",
            "您好！需要提供经营者身份证明、经营场所使用证明和登记申请书，也可在湖南政务服务网在线办理。"),
)

SURVEYS: tuple[Survey, ...] = (
    Survey(50101, "关于《青山县城区停车管理办法（征求意见稿）》公开征求意见", "县城市管理和综合执法局", 95, 65, (
        "为缓解城区停车难问题，县城市管理和综合执法局起草了《青山县城区停车管理办法（征求意见稿）》，"
        "现向社会公开征求意见。",
        "意见反馈方式：电子邮件qsxcgj@163.com；信函寄送青山县城关镇建设路20号。",
    ), (
        "征求意见期间，共收到社会公众意见建议23条，经认真研究，采纳9条，部分采纳5条，未采纳9条。",
        "采纳情况：一是增加新能源汽车充电停车位设置要求；二是明确居民小区周边夜间限时免费停车；"
        "三是延长首次停车免费时长至30分钟。",
        "未采纳原因：部分意见涉及上位法规定或不属于本办法调整范围，已向意见提出人作出说明。",
    )),
    # survey_no_results: closed long ago, results never published.
    Survey(50102, "青山县{y}年民生实事项目征集", "县人民政府办公室", 80, 50, (
        "为广泛听取群众意见，科学确定民生实事项目，现面向社会公开征集民生实事项目建议。",
        "征集范围：教育、医疗、养老、交通、城乡环境等民生领域。",
    )),
)

# --- single pages ---------------------------------------------------------------

GUIDE_PAGE_BODY: tuple[str, ...] = (
    "为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。",
    "一、主动公开",
    "（一）公开范围。县人民政府主动公开的政府信息范围详见“法定主动公开内容”栏目。",
    "（二）公开方式。通过县人民政府门户网站、政府公报、新闻发布会以及报刊、广播、电视等途径公开。",
    "（三）公开时限。属于主动公开范围的政府信息，自该政府信息形成或者变更之日起20个工作日内予以公开。",
    "二、依申请公开",
    "公民、法人或者其他组织可以向县人民政府办公室申请获取相关政府信息。受理机构：青山县人民政府办公室"
    "政务公开股；地址：湖南省青山县城关镇人民路1号；邮编：410600；联系电话：0731-86201234。",
    "三、监督和救济",
    "公民、法人或者其他组织认为行政机关在政府信息公开工作中侵犯其合法权益的，可以依法申请行政复议或者提起行政诉讼。",
)

YSQGK_BODY: tuple[str, ...] = (
    "公民、法人或者其他组织可以通过当面、信函、网络等方式向县人民政府办公室提出政府信息公开申请。",
    "受理机构：青山县人民政府办公室政务公开股",
    "办公地址：湖南省青山县城关镇人民路1号县政府大院2号楼305室",
    "办公时间：周一至周五 上午8:30—12:00，下午14:30—17:30（法定节假日除外）",
    "联系电话：0731-86201234　邮政编码：410600",
    '<p class="attach">申请表下载：<a href="/uploads/xxgk/ysqgk_sqb.docx">青山县政府信息公开申请表.docx</a></p>',
)

PRIVACY_BODY: tuple[str, ...] = (
    "青山县人民政府门户网站（以下简称本网站）尊重并保护所有使用本网站服务的用户的个人隐私。",
    "一、信息收集。您在本网站浏览信息无需提供个人信息；使用县长信箱、我要留言、征集调查等互动功能时，"
    "本网站仅收集办理所必需的姓名、联系电话等信息。",
    "二、信息使用。您提供的个人信息仅用于办理您的留言、咨询和建议，不会用于其他用途，"
    "未经您同意不会向任何第三方提供，法律法规另有规定的除外。",
    "三、信息公开。本网站公开留言及答复时，隐去留言人姓名、联系电话等个人信息。",
    "四、信息安全。本网站采取必要的技术和管理措施保护您的个人信息，防止信息泄露、毁损或丢失。",
    "五、联系我们。如对本声明有任何疑问，请联系青山县人民政府办公室，电话：0731-86201234。",
)

SJKF_BODY: tuple[str, ...] = (
    "青山县政务数据开放专栏按照“统一标准、分级管理、安全可控”的原则，向社会开放县级政务数据资源，"
    "提供数据目录查询和数据下载服务。",
    '<p class="entry"><a href="/sjkf/ml/">数据开放目录 &gt;&gt;</a></p>',
    '<p style="text-indent:2em">如需申请开放其他数据，请通过<a href="/hdjl/liuyan">县长信箱</a>提出。</p>',
)

# (title, provider, domain, format, update frequency, url)
DATASETS: tuple[tuple[str, str, str, str, str, str], ...] = (
    ("青山县乡镇行政区划及人口", "县民政局", "机构团体", "CSV", "每年", "/uploads/sjkf/qsx_xzqh.csv"),
    ("青山县医疗机构名录", "县卫生健康局", "医疗卫生", "CSV", "每季度", "/uploads/sjkf/qsx_yljg.csv"),
)

# URL → file name under static/: uploads keep their realistic CMS paths.
UPLOADS: dict[str, str] = {
    "/uploads/bsfw/cxjm_ylbx_cbdjb.docx": "cxjm_ylbx_cbdjb.docx",
    "/uploads/bsfw/gtgsh_sldj_sqs.pdf": "gtgsh_sldj_sqs.pdf",
    "/uploads/bsfw/gtgsh_sldj_yb.pdf": "gtgsh_sldj_yb.pdf",
    "/uploads/bsfw/ggcs_wsxk_sqs.docx": "ggcs_wsxk_sqs.docx",
    "/uploads/bsfw/cjrz_sqb.docx": "cjrz_sqb.docx",
    "/uploads/xxgk/ysqgk_sqb.docx": "ysqgk_sqb.docx",
    "/uploads/sjkf/qsx_xzqh.csv": "qsx_xzqh.csv",
    "/uploads/sjkf/qsx_yljg.csv": "qsx_yljg.csv",
}

# keyword → answer for 智能问答; links are paths on this site.
QA_TABLE: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = (
    (("养老保险", "参保", "社保"),
     "城乡居民基本养老保险参保登记可携带身份证、户口簿到县政务服务中心一楼社保窗口办理，不收费，即办件。",
     ("/bsfw/content_60001.html",)),
    (("低保", "最低生活保障"),
     "最低生活保障向户籍所在地乡镇人民政府社会救助窗口申请，县民政局审批。",
     ("/bsfw/content_60003.html", "/xxgk/fdzdgknr/shbz/")),
    (("营业执照", "个体", "开店"),
     "个体工商户设立登记可到县政务服务中心二楼市场监管窗口办理，材料齐全当场办结，不收费。",
     ("/bsfw/content_60002.html",)),
    (("医保", "医疗保险"),
     "城乡居民医保集中缴费期一般为每年9月至12月，可通过“湖南税务”微信公众号或银行网点缴纳。",
     ("/zcwj/content_40002.html", "/zcjd/content_40102.html")),
    (("残疾", "残疾人证"),
     "残疾人证向户籍所在地乡镇便民服务中心申请，经残疾评定后由县残联审核发证。",
     ("/bsfw/content_60006.html",)),
    (("失业", "就业"),
     "失业登记可到县政务服务中心一楼就业窗口办理；稳岗就业政策详见就业创业栏目。",
     ("/bsfw/content_60004.html", "/xxgk/fdzdgknr/wgjy/")),
    (("入学", "招生", "上学"),
     "义务教育阶段学校实行划片招生、免试就近入学，具体划片范围请查看义务教育栏目。",
     ("/xxgk/fdzdgknr/ywjy/",)),
    (("信息公开", "依申请"),
     "您可以通过当面、信函、网络等方式向县人民政府办公室提出政府信息公开申请。",
     ("/xxgk/ysqgk/", "/xxgk/zn/")),
    (("信箱", "留言", "投诉", "举报"),
     "您可以通过县长信箱在线留言，我们将在规定时限内答复。",
     ("/hdjl/liuyan", "/hdjl/xx/")),
    (("工作时间", "上班时间", "政务服务中心"),
     "县政务服务中心窗口工作时间为周一至周五上午8:30—12:00、下午14:30—17:30，周六上午提供预约延时服务。",
     ("/xwzx/tzgg/content_10304.html",)),
)
QA_FALLBACK = (
    "抱歉，暂未找到与您问题相关的答案。您可以换个说法再问，或通过县长信箱留言咨询，也可拨打政务服务热线0731-86208000。"
)


# --- resolved site ----------------------------------------------------------------


@dataclass
class Article:
    id: int
    path: str
    title: str
    published: datetime
    source: str
    body_html: str
    text: str
    column: Column
    doc_no: str = ""
    link: str = ""
    link_title: str = ""
    charset: str = "utf-8"

    @property
    def date(self) -> date:
        return self.published.date()


@dataclass
class Column:
    key: str
    name: str
    path: str
    date_style: str
    section: str  # key of the section in SECTIONS
    articles: list[Article] = field(default_factory=list)

    @property
    def latest(self) -> date | None:
        return self.articles[0].date if self.articles else None


@dataclass
class GuidePage:
    guide: Guide
    path: str
    title: str
    date: date
    text: str


@dataclass
class MessagePage:
    message: Message
    path: str
    title: str
    date: date  # asked
    replied: date | None
    text: str

    @property
    def status(self) -> str:
        return "已办结" if self.replied else "办理中"


@dataclass
class SurveyPage:
    survey: Survey
    path: str
    title: str
    date: date  # start
    end: date
    body_html: str
    result_html: str
    text: str


@dataclass
class Site:
    as_of: date
    columns: dict[str, Column]
    articles: dict[str, Article]  # by path
    guides: list[GuidePage]
    messages: list[MessagePage]
    surveys: list[SurveyPage]

    def documents(self) -> list[tuple[str, str, date, str]]:
        """(title, path, date, text) of every searchable item, newest first."""
        docs: list[tuple[str, str, date, str]] = [(a.title, a.path, a.date, a.text) for a in self.articles.values()]
        docs += [(g.title, g.path, g.date, g.text) for g in self.guides]
        docs += [(m.title, m.path, m.date, m.text) for m in self.messages]
        docs += [(s.title, s.path, s.date, s.text) for s in self.surveys]
        return sorted(docs, key=lambda d: d[2], reverse=True)


def _fill(text: str, day: date) -> str:
    return text.replace("{y}", str(day.year)).replace("{py}", str(day.year - 1))


def render_body(paragraphs: tuple[str, ...], day: date) -> str:
    """Paragraph tuple → the HTML a CMS editor would have produced."""
    parts = []
    for para in paragraphs:
        para = _fill(para, day)
        parts.append(para if para.startswith("<") else f'<p style="text-indent:2em">{para}</p>')
    return "\n".join(parts)


def plain_text(paragraphs: tuple[str, ...], day: date) -> str:
    return re.sub(r"<[^>]+>", " ", " ".join(_fill(p, day) for p in paragraphs))


def _annual_reports(as_of: date) -> tuple[Entry, ...]:
    # The report on year Y is due by 31 January of Y+1; never date it after as_of.
    entries = []
    for offset in (1, 2, 3):
        year = as_of.year - offset
        published = min(date(year + 1, 1, 22), as_of - timedelta(days=1))
        title = f"青山县人民政府{year}年政府信息公开工作年度报告"
        entries.append(Entry(30100 + offset, title, (as_of - published).days, (
            f"本报告根据《中华人民共和国政府信息公开条例》要求编制，全文包括总体情况、主动公开政府信息情况、"
            f"收到和处理政府信息公开申请情况、政府信息公开行政复议及行政诉讼情况、存在的主要问题及改进情况、"
            f"其他需要报告的事项。本报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
            "一、总体情况",
            f"{year}年，县人民政府坚持以公开为常态、不公开为例外，全年主动公开政府信息{2100 + offset * 137}条，"
            f"受理政府信息公开申请{40 + offset * 3}件，均在法定期限内答复。",
            "二、存在的主要问题及改进情况",
            "政策解读形式还不够丰富，部分栏目更新不够及时。下一步将加强栏目日常管理，丰富解读形式。",
        ), at="10:00"))
    return tuple(entries)


# Sections: key → (name, path); a column's section picks its side menu and breadcrumb.
SECTIONS: dict[str, tuple[str, str]] = {
    "xwzx": ("新闻中心", "/xwzx/"),
    "xxgk": ("政府信息公开", "/xxgk/"),
    "fdzdgknr": ("法定主动公开内容", "/xxgk/fdzdgknr/"),
    "zcwj": ("政策文件", "/zcwj/"),
    "zcjd": ("政策解读", "/zcjd/"),
    "bsfw": ("办事服务", "/bsfw/"),
    "hdjl": ("互动交流", "/hdjl/"),
}


def _key(spec: ColumnSpec, section: str) -> str:
    # Topic keys are prefixed: the topic 政策文件 and the portal's 政策文件 share the short key.
    return f"fdzdgknr/{spec.key}" if section == "fdzdgknr" else spec.key


def build_site(as_of: date) -> Site:
    """Resolve ages into dates and build every page's data for one audit date."""

    def when(age: int, at: str = "09:30") -> datetime:
        hour, minute = (int(x) for x in at.split(":"))
        return datetime.combine(as_of - timedelta(days=age), time(hour, minute))

    specs: list[tuple[ColumnSpec, str]] = [
        (YWDT, "xwzx"), (GZDT, "xwzx"), (BMDT, "xwzx"), (TZGG, "xwzx"), (GSGG, "xwzx"),
        (ZCWJ, "zcwj"), (ZCJD, "zcjd"), (ZD, "xxgk"),
        (ColumnSpec("nb", "政府信息公开年报", "/xxgk/nb/", "iso", _annual_reports(as_of)), "xxgk"),
        (ZXFT, "hdjl"),
    ] + [(t, "fdzdgknr") for t in TOPICS]

    columns: dict[str, Column] = {}
    articles: dict[str, Article] = {}
    for spec, section in specs:
        column = Column(_key(spec, section), spec.name, spec.path, spec.date_style, section)
        columns[column.key] = column
        for e in spec.entries:
            published = when(e.age, e.at)
            day = published.date()
            article = Article(
                e.id, f"{spec.path}content_{e.id}.html", _fill(e.title, day), published, e.source,
                render_body(e.body, day), plain_text(e.body, day), column, _fill(e.doc_no, day),
                e.link, e.link_title, e.charset,
            )
            column.articles.append(article)
            articles[article.path] = article
        column.articles.sort(key=lambda a: a.published, reverse=True)
    for spec, section in specs:
        if spec.ref:
            columns[_key(spec, section)].articles = columns[spec.ref].articles

    guides = []
    for g in GUIDES:
        text = " ".join(f"{label} {value}" for label, value in g.elements)
        guides.append(GuidePage(g, f"/bsfw/content_{g.id}.html", g.name, as_of - timedelta(days=g.age), text))

    messages = []
    for m in sorted(MESSAGES, key=lambda m: m.asked):
        replied = as_of - timedelta(days=m.replied) if m.replied is not None else None
        messages.append(MessagePage(m, f"/hdjl/xx/content_{m.id}.html", m.title,
                                    as_of - timedelta(days=m.asked), replied, f"{m.question} {m.reply}"))

    surveys = []
    for s in SURVEYS:
        start = as_of - timedelta(days=s.start)
        surveys.append(SurveyPage(
            s, f"/hdjl/zjdc/content_{s.id}.html", _fill(s.title, start), start, as_of - timedelta(days=s.end),
            render_body(s.body, start), render_body(s.result, start), plain_text(s.body + s.result, start),
        ))
    return Site(as_of, columns, articles, guides, messages, surveys)

