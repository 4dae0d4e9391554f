"""What an audit of the demo site must find (DEFECTS) and must not flag (HEALTHY).

``path`` is where the problem shows, as a URL path on the demo site (join it
with the base URL ``serve_demo`` yields). Ages are relative to the audit date
``as_of``. DEFECTS.md says the same for humans; keep both in step with
``content.py``.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Defect:
    id: str
    kind: str
    path: str
    description: str


DEFECTS: list[Defect] = [
    Defect("home_broken_link", "broken_link", "/",
           "The 专题专栏 banner on the home page links to /ztzl/yhyshj/, which returns 404."),
    Defect("inner_broken_link", "broken_link", "/xwzx/bmdt/content_10201.html",
           "A 部门动态 article's 相关链接 points to /xwzx/bmdt/content_10299.html, which returns 404."),
    Defect("inner_broken_link_2", "broken_link", "/zcjd/content_40105.html",
           "A 政策解读 whose 相关文件 link points to the withdrawn document /zcwj/content_40099.html (404)."),
    Defect("soft_404", "soft_404", "/xwzx/ywdt/content_10006.html",
           "The 相关链接 points to /xwzx/ywdt/content_10099.html, removed from the CMS: it answers 200 "
           "with the site's 页面不存在 error page (a soft 404)."),
    Defect("broken_image", "broken_image", "/xwzx/gzdt/content_10102.html",
           "<img src=\"/uploads/image/gdbh_01.jpg\"> in a 工作动态 article returns 404."),
    Defect("broken_attachment", "broken_attachment", "/bsfw/content_60003.html",
           "The 表格下载 attachment of the guide 最低生活保障申请, /uploads/bsfw/zdshbz_sqb.doc, returns 404."),
    Defect("stale_news_column", "stale_column", "/xwzx/bmdt/",
           "部门动态 (a 动态 column, 2-week window): newest item 40 days before as_of."),
    Defect("stale_notice_column", "stale_column", "/xwzx/gsgg/",
           "公示公告 (a 通知公告-type column, 6-month window): newest item 245 days (about 8 months) before as_of."),
    Defect("empty_column", "empty_column", "/xxgk/fdzdgknr/jyta/",
           "The 建议提案 topic column under 法定主动公开内容 has no items (shows 暂无信息)."),
    Defect("empty_column_2", "empty_column", "/xxgk/fdzdgknr/zdjsxm/",
           "The 重大建设项目 topic column under 法定主动公开内容 has no items (shows 暂无信息)."),
    Defect("broken_online_entry", "broken_online_entry", "/bsfw/content_60007.html",
           "The 在线申报 button of the guide 高龄津贴申领 links to /wsbs/apply/60007.html, which returns 404."),
    Defect("incomplete_guide", "incomplete_guide", "/bsfw/content_60004.html",
           "Guide 失业登记 lacks 5 key elements: 设定依据, 收费标准, 办理时间, 联系电话, 办理流程; no 表格下载."),
    Defect("empty_guide_value", "empty_guide_value", "/bsfw/content_60005.html",
           "Guide 公共场所卫生许可: 办理材料 says only 详见相关规定."),
    Defect("unanswered_message", "unanswered_message", "/hdjl/xx/content_50005.html",
           "县长信箱 letter asked 121 days before as_of, still 办理中 with no reply (over 3 months)."),
    Defect("late_reply", "reply_latency", "/hdjl/xx/content_50004.html",
           "县长信箱 letter asked 60 days before as_of and answered 45 days later; the others within 2-4 days."),
    Defect("serious_typo", "serious_typo", "/xxgk/fdzdgknr/aqsc/content_20181.html",
           "Text contains 中华人民共合国 (misspelt 中华人民共和国)."),
    Defect("future_date", "future_date", "/xwzx/tzgg/content_10301.html",
           "通知公告 article whose 发布时间 is 3 days after as_of (also listed with that date on / and /xwzx/tzgg/)."),
    Defect("missing_alt", "missing_alt", "/xwzx/ywdt/content_10004.html",
           "<img src=\"/static/news_aqjc.png\"> in a 要闻动态 article has no alt attribute."),
    Defect("low_contrast", "low_contrast", "/xwzx/ywdt/content_10005.html",
           "The editor-credit paragraph (p.editor) is #bbb on #fff, contrast about 1.9:1."),
    Defect("elder_small_text", "elder_small_text", "/xxgk/zn/",
           "The 政府信息公开指南 text keeps an inline font-size:12px, so it stays small in elder mode (?mode=elder)."),
    Defect("personal_data", "personal_data", "/xwzx/gsgg/content_10401.html",
           "A 低保 公示 table shows a full resident ID number with a valid check digit and an 11-digit mobile number."),
    Defect("survey_no_results", "survey_no_results", "/hdjl/zjdc/content_50102.html",
           "征集调查 closed 50 days before as_of; no results or adoption were ever published."),
    Defect("no_https", "no_https", "/",
           "The whole site is served over plain http:// only; there is no HTTPS (so no certificate, no HSTS)."),
    Defect("exposed_git", "exposed_file", "/.git/HEAD",
           "/.git/HEAD answers 200 with 'ref: refs/heads/master': the Git working tree was deployed."),
    Defect("vulnerable_js", "vulnerable_js", "/",
           "The home page loads /static/jquery-1.8.3.min.js (banner 'jQuery v1.8.3'; CVE-2012-6708, CVE-2020-11022)."),
    Defect("cookie_flags", "cookie_flags", "/",
           "The home page sets 'JSESSIONID=<hex>; Path=/' without HttpOnly."),
    Defect("form_over_http", "form_over_http", "/hdjl/liuyan",
           "The 我要留言 form collects 姓名 and 联系电话 on a plain-http page and posts them over http."),
    Defect("directory_listing", "directory_listing", "/uploads/",
           "Autoindex 'Index of /uploads/' (and its sub-folders); linked from /xwzx/tzgg/content_10303.html."),
    Defect("version_disclosure", "version_disclosure", "/search",
           "/search answers with 'X-Powered-By: PHP/5.6.40'."),
    Defect("search_sensitive_echo", "sensitive_word_blocking", "/search",
           "Searching the sensitive word 六合彩 echoes it raw on the results page (search_block_sensitive off)."),
    Defect("no_focus_ring", "focus_visible", "/",
           "The top-bar links (长辈版, 无障碍, 智能问答, 网站地图) show no focus indicator (outline:none)."),
    Defect("elder_popup", "elder_popup", "/hdjl/xx/",
           "In elder mode the 县长信箱 page opens a modal survey pop-up (div.elder-popup, role=dialog)."),
    Defect("toolbar_dead_button", "toolbar_feature", "/",
           "The 无障碍 toolbar's 指读 button changes nothing; the toolbar has no 大字幕 and no 语音朗读."),
    Defect("missing_topic", "mandatory_topic_missing", "/xxgk/fdzdgknr/",
           "法定主动公开内容 has no 财政资金达基层 column (one of the 23 topics of local sites), under any name."),
    Defect("news_in_place", "news_in_place_of_content", "/xxgk/fdzdgknr/czyjs/",
           "The 财政预决算 topic column (named 财政信息) lists only the finance bureau's news, no budget."),
    Defect("annual_report_missing", "annual_report_missing", "/xxgk/nb/",
           "政府信息公开年报 lists the reports of as_of.year-1 and as_of.year-3; the one of as_of.year-2 is missing."),
    Defect("document_without_interpretation", "interpretation_missing", "/zcwj/content_40005.html",
           "政策文件 40005 (突发事件总体应急预案) and 40006 (储备粮管理办法) have no 解读: 4 of 6 are interpreted."),
    Defect("interpretation_incomplete", "interpretation_quality", "/zcjd/content_40104.html",
           "The 解读 of 40004 covers 主要内容 and 解决的问题 only, no 背景依据 and no 目标任务."),
    Defect("no_policy_delivery", "targeted_interpretation", "/zcjd/",
           "No policy subscription or push (精准送达) anywhere; only 40101 names its 适用对象 and links a service."),
    Defect("promotion_incomplete", "promotion", "/",
           "The home page links the official 微博 and 微信公众号 but no App and no version in another language."),
    Defect("no_single_sign_on", "single_sign_on", "/",
           "No login anywhere on the site (统一身份认证 of the 集约化平台 is not visible)."),
    # digital government (profile digital_gov)
    Defect("guide_without_rating", "rating_channel", "/bsfw/content_60005.html",
           "Guides 60005 (公共场所卫生许可) and 60006 (残疾人证办理) offer no 好差评; the other five link 【好差评】."),
    Defect("mobile_lag", "same_source", "/m/ywdt/",
           "The 手机版 要闻动态 lacks the portal's four newest items; three are more than 3 days newer than "
           "its newest."),
    Defect("data_mismatch", "same_source", "/m/ywdt/",
           "手机版 lists 青山县成功创建省级卫生县城 (10006) a day later than the portal does."),
    Defect("epidemic_incomplete", "epidemic", "/ztzl/yqfk/content_90003.html",
           "The 疫情防控 topic offers 健康码, 核酸检测机构, 疫苗接种点 and 发热门诊 queries, but no 风险等级 query, "
           "no 防疫登记 and no 科普."),
    Defect("public_service_gaps", "public_services", "/ggfw/",
           "公共服务 has no 交通 service (拥堵指数, 实时公交), no 电子病历, no 药品追溯, no 扬尘 or 水质 query, no "
           "市场监管大数据平台; 数字政府 lists no 标准规范, 考核 rules or 数据资源目录; no 数据应用 contest; no App."),
    Defect("data_service_no_demand", "data_service_rating", "/sjkf/",
           "数据开放 offers 我要评分 and 数据纠错 and shows its rating, but no 数据需求 channel and no published "
           "replies."),
]

HEALTHY: list[Defect] = [
    Defect("error_page_article", "soft_404", "/xwzx/gzdt/content_10103.html",
           "An article about the site's 404 error pages: mentions 404 and 页面不存在 but is served with status 200."),
    Defect("id_lookalike", "personal_data", "/xxgk/fdzdgknr/zfcg/content_20081.html",
           "采购项目编号 is an 18-digit number shaped like a resident ID, but its check digit is wrong."),
    Defect("fresh_news_column", "stale_column", "/xwzx/ywdt/",
           "要闻动态: newest item 2 days before as_of (fresh)."),
    Defect("fresh_work_column", "stale_column", "/xwzx/gzdt/",
           "工作动态: newest item 10 days before as_of (fresh within 2 weeks); its list prints dates as [MM-DD]."),
    Defect("image_with_alt", "missing_alt", "/zcjd/content_40102.html",
           "The 图解 infographic has a descriptive alt text."),
    Defect("complete_guide", "incomplete_guide", "/bsfw/content_60001.html",
           "Guide 城乡居民基本养老保险参保登记 (a <table>) has every key element and a working attachment."),
    Defect("survey_with_results", "survey_no_results", "/hdjl/zjdc/content_50101.html",
           "征集调查 with published results and adoption (采纳情况)."),
    Defect("inline_guide", "incomplete_guide", "/bsfw/content_60007.html",
           "Guide 高龄津贴申领 in inline paragraphs with synonym labels has every key element; 表格下载 says 无."),
    Defect("on_time_reply", "reply_latency", "/hdjl/xx/content_50002.html",
           "县长信箱 letter answered 3 days after it was asked."),
    Defect("platform_online_entry", "broken_online_entry", "/bsfw/content_60001.html",
           "在线办理 entries of 60001 and 60002 jump to the provincial platform zwfw-new.hunan.gov.cn (not fetched)."),
    Defect("gbk_article", "charset", "/xwzx/ywdt/content_10003.html",
           "Served as GBK (header and meta); decodes cleanly, is not mojibake."),
    Defect("phpinfo_absent", "exposed_file", "/phpinfo.php",
           "/phpinfo.php, like every other probed sensitive path but /.git/HEAD, returns 404."),
    Defect("privacy_policy", "privacy_policy", "/yssm.html",
           "A 隐私声明 page, linked from the footer of every page (the home page included)."),
    Defect("security_headers", "security_headers", "/",
           "Every HTML page sends X-Frame-Options: SAMEORIGIN, X-Content-Type-Options: nosniff and a Referrer-Policy."),
    Defect("server_name_only", "version_disclosure", "/",
           "'Server: nginx' names the server without a version number."),
    Defect("elder_mode_ok", "elder_small_text", "/xwzx/ywdt/content_10001.html",
           "In elder mode the article text grows from 16px to 22px with generous line and paragraph spacing."),
    Defect("focus_ring_ok", "focus_visible", "/",
           "All other links and controls of the home page show a focus outline; Tab reaches all, no trap."),
    Defect("toolbar_working", "toolbar_feature", "/",
           "The toolbar's 高对比度, 大鼠标 and 十字线 buttons change the page."),
    Defect("search_scope", "whole_site_search", "/search",
           "Exact titles of 新闻, 政务公开, 政策文件, 办事服务 and 互动交流 pages each find their page first."),
    Defect("synonym_topics", "mandatory_topic_missing", "/xxgk/fdzdgknr/",
           "22 of the 23 topics are there, 8 under other names (机构概况, 统计信息, 财政信息, 重要会议 …)."),
    Defect("budget_news_decoy", "mandatory_topic_missing", "/xwzx/ywdt/content_10008.html",
           "A 要闻动态 item titled 县人大常委会审议…财政预算调整方案 is news, not the 财政预决算 column."),
    Defect("interpretation_complete", "interpretation_quality", "/zcjd/content_40101.html",
           "The 解读 of 40001 covers 背景、目标任务、主要内容、解决的问题, names its 适用对象 and links 在线办理."),
    Defect("special_topic", "topic_column", "/ztzl/yqfk/",
           "疫情防控专题: newest item 3 days old, a progress report, links to policies, services, Q&A and messages."),
    Defect("weibo_wechat", "promotion", "/",
           "Links to the official 微博 and 微信公众号 (external, never fetched offline)."),
    Defect("one_search", "unified_search", "/",
           "Every page's search form, the 政府信息公开 platform's own included, posts to the one /search."),
    Defect("rating_results", "rating_results", "/hdjl/hcp/content_70001.html",
           "政务服务好差评 (a 互动交流 column) publishes a monthly 好差评 通报 (好评率 99.6%, 差评 21 件) 12 days "
           "old, with how every 差评 was checked, followed up and fixed."),
    Defect("reply_satisfaction", "reply_rating", "/hdjl/xx/content_50001.html",
           "Every replied 县长信箱 letter offers 满意 / 基本满意 / 不满意; /hdjl/hcp/content_70002.html "
           "publishes the quarter's 满意率 96.5%."),
    Defect("digital_entries", "digital_government", "/ggfw/",
           "The home page states 政务服务便民热线：12345 and shows the 小程序's code; 公共服务 links 预约挂号, "
           "教育资源, 社保, 就业, 公共资源交易, 信用公示, 空气质量, the 数据资源局 and its 职责, the 数字政府 plan, "
           "电子证照 and 非税缴费."),
]


def planted(entry_id: str) -> Defect:
    """A defect or healthy counterpart by id (tests name them rather than repeat paths)."""
    return next(entry for entry in (*DEFECTS, *HEALTHY) if entry.id == entry_id)
