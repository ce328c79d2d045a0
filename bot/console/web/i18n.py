"""Every UI string of the console in Chinese and English (the work pages' in
``i18n_work``), and the choice of language.

A page's language comes from ``?lang=`` (the switch, remembered in a cookie),
then that cookie, then the browser's ``Accept-Language``; Chinese otherwise.
"""

from __future__ import annotations

import datetime as dt

from bot.console.web.clock import DEFAULT_ZONE, format_time, iso_time
from bot.console.web.i18n_context import CONTEXT_PAGES
from bot.console.web.i18n_desk import DESK_PAGES
from bot.console.web.i18n_transfer import TRANSFER_PAGES
from bot.console.web.i18n_work import WORK_PAGES

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# key -> (Chinese, English); ``{name}`` placeholders are filled by ``Translator``.
CATALOGUE: dict[str, tuple[str, str]] = {
    "app.title": ("坐席工作台", "Agent console"),
    "nav.queue": ("排队", "Queue"),
    "nav.dashboard": ("数据看板", "Dashboard"),
    "nav.review": ("对话复核", "Review"),
    "nav.deliveries": ("短信投递", "SMS delivery"),
    "nav.logout": ("退出登录", "Log out"),
    "nav.signed_in": ("坐席：{agent}", "Signed in as {agent}"),
    "nav.switch": ("English", "中文"),
    "login.title": ("坐席登录", "Agent sign-in"),
    "login.username": ("用户名", "Username"),
    "login.password": ("密码", "Password"),
    "login.submit": ("登录", "Sign in"),
    "login.failed": ("用户名或密码错误。", "Wrong username or password."),
    "login.locked": (
        "登录失败次数过多，请{minutes}分钟后再试。",
        "Too many failed sign-ins. Try again in {minutes} min.",
    ),
    "login.expired": ("请先登录。", "Please sign in first."),
    "login.logged_out": ("您已退出登录。", "You have logged out."),
    "login.missed": (
        "自您上次登录以来，有{count}次使用您用户名的登录失败，最近一次来自{address}（{at}）。"
        "如非本人操作，请告知主管。",
        "{count} failed sign-ins under your username since you last signed in, the latest from "
        "{address} ({at}). If that was not you, tell your supervisor.",
    ),
    "csrf.failed": (
        "表单已失效，请刷新页面后重试。",
        "This form has expired. Reload the page and try again.",
    ),
    "queue.title": ("排队中的客户", "Waiting customers"),
    "queue.claimed": ("处理中的会话", "Cases being handled"),
    "queue.empty": ("当前没有等待的客户。", "Nobody is waiting."),
    "queue.none_claimed": ("没有处理中的会话。", "No case is being handled."),
    "queue.updated": ("实时更新", "Live"),
    "queue.open": ("查看", "Open"),
    "col.case": ("编号", "Case"),
    "col.waiting": ("等待时间", "Waiting"),
    "col.reason": ("原因", "Reason"),
    "col.channel": ("渠道", "Channel"),
    "col.language": ("语言", "Language"),
    "col.customer": ("客户", "Customer"),
    "col.callback": ("要求回电", "Callback"),
    "col.agent": ("坐席", "Agent"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "urgent": ("紧急", "Urgent"),
    "urgency.repeat_complaint": ("重复投诉", "repeat complaint"),
    "urgency.angry": ("情绪激动", "angry customer"),
    "reason.customer_request": ("客户要求人工", "Customer asked for a person"),
    "reason.repeated_fallback": ("机器人连续未能理解", "The bot did not understand twice"),
    "reason.sales": (
        "咨询办理业务（宽带、新卡、携号转网、漫游、充值）",
        "Sales or a service the bot cannot do",
    ),
    "reason.complaint_escalation": ("投诉升级", "Complaint escalated"),
    "channel.sms": ("短信", "SMS"),
    "channel.telegram": ("Telegram", "Telegram"),
    "channel.rest": ("网页聊天", "Web chat"),
    "channel.webchat": ("网页聊天", "Web chat"),
    "language.zh": ("中文", "Chinese"),
    "language.en": ("英文", "English"),
    "customer.unknown": ("非本网客户", "Not a customer"),
    "duration.seconds": ("{s}秒", "{s} s"),
    "duration.minutes": ("{m}分{s}秒", "{m} min {s} s"),
    "duration.hours": ("{h}小时{m}分", "{h} h {m} min"),
    "case.title": ("会话 #{id}", "Case #{id}"),
    "case.back": ("返回排队", "Back to the queue"),
    "case.why": ("转人工原因", "Why the bot handed over"),
    "case.detail": ("说明", "Detail"),
    "case.status": ("状态", "Status"),
    "case.created": ("转入时间", "Handed over at"),
    "status.waiting": ("等待接入", "Waiting"),
    "status.claimed": ("{agent} 处理中", "Claimed by {agent}"),
    "status.resolved": ("已解决", "Resolved"),
    "case.transcript": ("对话记录", "Transcript"),
    "case.transcript_empty": ("暂无消息。", "No messages yet."),
    "case.changed": (
        "此会话的状态已变化，请刷新页面。",
        "This case has changed. Reload the page.",
    ),
    "speaker.customer": ("客户", "Customer"),
    "speaker.bot": ("机器人", "Bot"),
    "speaker.agent": ("坐席", "Agent"),
    "case.profile": ("客户资料", "Customer profile"),
    "profile.name": ("姓名", "Name"),
    "profile.msisdn": ("号码", "Number"),
    "profile.language": ("语言", "Language"),
    "profile.plan": ("套餐", "Plan"),
    "profile.balance": ("余额", "Balance"),
    "profile.balance_value": ("{amount}元", "{amount} yuan"),
    "profile.usage": ("本月用量", "Usage this month"),
    "profile.tickets": ("未结投诉", "Open tickets"),
    "profile.no_tickets": ("无", "None"),
    "ticket.id": ("工单号", "Ticket"),
    "ticket.category": ("类别", "Category"),
    "ticket.status": ("状态", "Status"),
    "ticket.created": ("创建时间", "Opened"),
    "case.claim": ("接入此会话", "Claim this case"),
    "case.reply": ("回复客户", "Reply to the customer"),
    "case.send": ("发送", "Send"),
    "case.resolve": ("结束会话", "Resolve the case"),
    "case.note": ("处理备注", "Resolution note"),
    "case.resolve_submit": ("结束并交还机器人", "Resolve and hand back to the bot"),
    "case.other_agent": ("此会话由 {agent} 处理。", "{agent} is handling this case."),
    "case.closed": ("此会话已结束。", "This case is closed."),
    "flash.claimed": ("您已接入此会话。", "You have claimed this case."),
    "flash.sent": ("消息已发送。", "Message sent."),
    "flash.resolved": (
        "会话已结束，已交还机器人并请客户评价。",
        "Case resolved: the bot has the conversation again and asked for a rating.",
    ),
    "flash.desk_error": ("操作未完成：{detail}", "That could not be done: {detail}"),
    "flash.empty": ("请先填写内容。", "Please write something first."),
    "flash.too_long": ("内容太长（最多{limit}个字符）。", "Too long (at most {limit} characters)."),
    "dash.title": ("数据看板", "Dashboard"),
    "dash.conversations": ("会话总数", "Conversations handled"),
    "dash.handed_over": ("转人工", "Handed to a person"),
    "dash.self_service": ("自助解决率", "Self-service rate"),
    "dash.avg_wait": ("平均接入等待", "Average wait to claim"),
    "dash.satisfaction": ("满意度", "Satisfaction"),
    "dash.packs_today": ("今日流量包订购", "Data packs ordered today"),
    "dash.packs_month": ("本月流量包订购", "Data packs ordered this month"),
    "dash.by_reason": ("转人工原因", "Handoffs by reason"),
    "dash.ratings": ("客户评价", "Customer ratings"),
    "dash.no_data": ("暂无数据", "No data yet"),
    # Proactive notices sent, by kind
    "dash.notices": ("已发送提醒（按类型）", "Notices sent, by kind"),
    "notice.balance": ("余额/欠费提醒", "Balance and arrears"),
    "notice.data": ("流量提醒", "Data use"),
    "notice.bill": ("账单提醒", "Monthly bill"),
    # Plan offers and how customers answered them
    "dash.offers_sent": ("套餐优惠推荐", "Plan offers sent"),
    "dash.offers_accepted": ("接受推荐", "Offers accepted"),
    "dash.offers_declined": ("谢绝推荐", "Offers declined"),
    "dash.offer_saving": ("改套餐客户每月共省（元）", "Monthly saving delivered (yuan)"),
    "dash.credits_month": ("本月批准的超额退费", "Overage credits approved this month"),
    "dash.credited_month": ("本月退费合计（元）", "Credited this month (yuan)"),
    "rating.satisfied": ("满意", "Satisfied"),
    "rating.neutral": ("一般", "Neutral"),
    "rating.unsatisfied": ("不满意", "Unsatisfied"),
    "review.title": ("对话复核", "Conversation review"),
    "review.intro": (
        "机器人没听懂、转了人工或把握不大的客户消息（号码已隐藏）。请选择正确的意图，"
        "或忽略。标注结果由 telecom-assistant review export 导出为训练数据。",
        "Customer messages that ended in a fallback, a handoff or low confidence (numbers "
        "masked). Choose the right intent, or dismiss. telecom-assistant review export "
        "turns the labels into training data.",
    ),
    "review.empty": ("没有待复核的消息。", "Nothing to review."),
    "review.text": ("客户消息", "Customer message"),
    "review.intent": ("识别意图", "Predicted intent"),
    "review.confidence": ("置信度", "Confidence"),
    "review.why": ("原因", "Why"),
    "review.time": ("时间", "Time"),
    "review.decide": ("正确意图", "Right intent"),
    "review.label": ("标注", "Label"),
    "review.dismiss": ("忽略", "Dismiss"),
    "review.none": ("无", "none"),
    "review_reason.fallback": ("未听懂", "Fallback"),
    "review_reason.handoff": ("转人工", "Handoff"),
    "review_reason.low_confidence": ("置信度低", "Low confidence"),
    "flash.labelled": ("已标注为 {intent}。", "Labelled as {intent}."),
    "flash.dismissed": ("已忽略。", "Dismissed."),
    "flash.review_error": ("操作未完成：{detail}", "That could not be done: {detail}"),
    "error.title": ("出错了", "Something went wrong"),
    "error.not_found": ("找不到这个页面。", "There is no such page."),
    "error.server": ("出了点问题，请稍后再试。", "Something went wrong. Please try again."),
    "live.offline": ("连接中断，正在重试…", "Connection lost, retrying…"),
    **WORK_PAGES,
    **DESK_PAGES,
    **CONTEXT_PAGES,
    **TRANSFER_PAGES,
}


class Translator:
    """UI strings in one language: ``t("key", name=value)``; times in the agent's ``zone``."""

    def __init__(self, language: str, zone: str = DEFAULT_ZONE) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._index = LANGUAGES.index(self.language)
        self.zone = zone

    def __call__(self, key: str, **values: object) -> str:
        text = CATALOGUE[key][self._index]
        return text.format(**values) if values else text

    def label(self, group: str, value: str) -> str:
        """A value's label (``reason``, ``channel``, ...), or the value itself if unknown."""
        key = f"{group}.{value}"
        return self(key) if key in CATALOGUE else value

    def duration(self, seconds: float) -> str:
        """``75`` -> "1分15秒" / "1 min 15 s"."""
        total = max(0, int(seconds))
        hours, rest = divmod(total, 3600)
        minutes, secs = divmod(rest, 60)
        if hours:
            return self("duration.hours", h=hours, m=minutes)
        if minutes:
            return self("duration.minutes", m=minutes, s=secs)
        return self("duration.seconds", s=secs)

    def time(self, moment: dt.datetime) -> str:
        """A stored (naive UTC) moment in the agent's zone, labelled (``web.clock``)."""
        return format_time(moment, self.zone, self.language)

    def iso(self, moment: dt.datetime) -> str:
        """The same moment as ISO 8601 with the zone's offset (``datetime=``, JSON)."""
        return iso_time(moment, self.zone)


def from_accept_language(header: str | None) -> str | None:
    """The first supported language of an ``Accept-Language`` header, by q-value."""
    choices: list[tuple[float, int, str]] = []
    for position, part in enumerate((header or "").split(",")):
        tag, _, params = part.strip().partition(";")
        quality = 1.0
        if params.strip().startswith("q="):
            try:
                quality = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and quality > 0:
            choices.append((-quality, position, primary))
    return min(choices)[2] if choices else None


def choose_language(query: str | None, cookie: str | None, accept_language: str | None) -> str:
    """The page's language: the switch, the remembered choice, the browser's, or Chinese."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return str(candidate)
    return from_accept_language(accept_language) or DEFAULT_LANGUAGE
