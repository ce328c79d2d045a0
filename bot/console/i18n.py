"""Every UI string of the console in Chinese and English, and the choice of language.

A page's language comes from ``?lang=`` (the switch, remembered in a cookie),
then that cookie, then the browser's ``Accept-Language``; Chinese otherwise.
"""

from __future__ import annotations

import datetime as dt

LANGUAGES = ("zh", "en")
DEFAULT_LANGUAGE = "zh"

# key -> (Chinese, English); ``{name}`` placeholders are filled by ``Translator``.
CATALOGUE: dict[str, tuple[str, str]] = {
    "app.title": ("坐席工作台", "Agent console"),
    "nav.queue": ("排队", "Queue"),
    "nav.dashboard": ("数据看板", "Dashboard"),
    "nav.review": ("对话复核", "Review"),
    "nav.deliveries": ("短信投递", "SMS delivery"),  # sms gateways
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
    # notices: proactive notices sent, by kind
    "dash.notices": ("已发送提醒（按类型）", "Notices sent, by kind"),
    "notice.balance": ("余额/欠费提醒", "Balance and arrears"),
    "notice.data": ("流量提醒", "Data use"),
    "notice.bill": ("账单提醒", "Monthly bill"),
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
    # --- ticket work: the Tickets pages ---
    "nav.tickets": ("投诉工单", "Tickets"),
    "tickets.title": ("投诉工单", "Complaint tickets"),
    "tickets.intro": (
        "处理中的投诉：超时的排在最前，其余按到期时间排序（北京时间）。",
        "Tickets being worked: overdue ones first, then by due time (Beijing time).",
    ),
    "tickets.empty": ("没有待处理的投诉工单。", "No ticket is being worked."),
    "tickets.overdue": ("已超时", "Overdue"),
    "tickets.first_contact": ("首次联系期限", "First contact due"),
    "tickets.resolution": ("解决期限", "Resolution due"),
    "tickets.latest": ("最新进展", "Latest update"),
    "tickets.open": ("处理", "Work on it"),
    "tickets.back": ("返回工单列表", "Back to the tickets"),
    "tickets.page_title": ("工单 {id}", "Ticket {id}"),
    "tickets.description": ("投诉内容", "Complaint"),
    "tickets.location": ("地点", "Location"),
    "tickets.escalated": ("重复投诉加急", "Escalated repeat complaint"),
    "tickets.reached_on": ("通知客户的渠道", "Customer told on"),
    "tickets.unreachable": ("无法联系客户", "The customer cannot be reached"),
    "tickets.updates": ("处理记录", "Updates"),
    "tickets.no_updates": ("暂无处理记录。", "No update yet."),
    "tickets.form_title": ("添加进展或更改状态", "Add an update or change the status"),
    "tickets.text": ("进展说明（客户可见）", "Update (the customer sees it)"),
    "tickets.new_status": ("状态", "Status"),
    "tickets.keep_status": ("不变（仅添加说明）", "Unchanged (a note only)"),
    "tickets.form_note": (
        "状态变更会通过客户提交投诉的渠道通知客户；关闭工单须填写说明。",
        "A status change is sent to the customer on the channel they filed from; "
        "closing needs a note.",
    ),
    "tickets.submit": ("保存", "Save"),
    "tickets.closed": ("此工单已关闭。", "This ticket is closed."),
    "tickets.set_status": ("状态改为：{status}", "Status set to {status}"),
    "tickets.note_required": ("关闭工单须填写说明。", "Closing a ticket needs a note."),
    "tickets.unavailable": ("此处未启用工单功能。", "Tickets are not available here."),
    "ticket_status.open": ("待处理", "Open"),
    "ticket_status.in_progress": ("处理中", "In progress"),
    "ticket_status.resolved": ("已解决", "Resolved"),
    "ticket_status.closed": ("已关闭", "Closed"),
    "ticket_category.network": ("网络/信号", "Network/signal"),
    "ticket_category.billing": ("账单争议", "Billing dispute"),
    "ticket_category.broadband": ("宽带", "Broadband"),
    "ticket_category.service": ("服务态度", "Service attitude"),
    "ticket_category.spam": ("垃圾短信/骚扰电话", "Spam SMS/harassing calls"),
    "ticket_category.other": ("其他", "Other"),
    "flash.ticket_sent": ("已保存，并已通知客户。", "Saved; the customer has been told."),
    "flash.ticket_noted": (
        "说明已保存（状态未变，未通知客户）。",
        "Note saved (status unchanged: the customer was not messaged).",
    ),
    "flash.ticket_failed": (
        "已保存，但未能通知客户，请另行联系。",
        "Saved, but the customer could not be told: contact them another way.",
    ),
    # the Deliveries page (SMS a real gateway could not deliver)
    "deliveries.title": ("短信投递失败", "Undelivered SMS"),
    "deliveries.intro": (
        "以下短信经短信网关发送失败或已过期。系统会自动重发有限次数，之后由坐席决定是否再发一次。",
        "These SMS failed or expired at the gateway. The assistant sends each again a few "
        "times by itself; after that, an agent decides whether to send it once more.",
    ),
    "deliveries.empty": ("没有投递失败的短信。", "No undelivered SMS."),
    "deliveries.customer": ("客户", "Customer"),
    "deliveries.text": ("内容", "Text"),
    "deliveries.kind": ("类型", "Kind"),
    "deliveries.status": ("状态", "Status"),
    "deliveries.attempts": ("发送次数", "Sends"),
    "deliveries.error": ("网关说明", "Gateway said"),
    "deliveries.time": ("时间", "Time"),
    "deliveries.next": ("下一步", "Next"),
    "deliveries.will_retry": ("将自动重发", "Will be sent again"),
    "deliveries.send_again": ("再发一次", "Send again"),
    "deliveries.kind_push": ("主动消息", "Message"),
    "deliveries.kind_reply": ("回复", "Reply"),
    "deliveries.status_failed": ("失败", "Failed"),
    "deliveries.status_expired": ("已过期", "Expired"),
    "deliveries.flash_queued": ("已安排重发。", "It will be sent again shortly."),
    "deliveries.flash_not_failed": ("这条短信不需要重发。", "That SMS needs no new send."),
    "deliveries.flash_unavailable": ("未配置短信网关。", "No SMS gateway is configured."),
}


class Translator:
    """UI strings in one language: ``t("key", name=value)``."""

    def __init__(self, language: str) -> None:
        self.language = language if language in LANGUAGES else DEFAULT_LANGUAGE
        self._index = LANGUAGES.index(self.language)

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
        """A timestamp as shown in tables and transcripts."""
        return moment.strftime("%m-%d %H:%M:%S")


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
