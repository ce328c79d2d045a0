"""The console's strings of the customer's context (case page) and the agent's preferences.

Part of ``bot.console.web.i18n.CATALOGUE``: key -> (Chinese, English).
"""

from __future__ import annotations

CONTEXT_PAGES: dict[str, tuple[str, str]] = {
    # --- the case page: the customer's context ---
    "context.title": ("客户近况", "Customer context"),
    "context.needs_number": (
        "客户尚未验证手机号码：账单、通知、待确认的办理和工单需在验证号码后才能查看。",
        "The customer has not verified a number: bills, notices, open proposals and tickets "
        "show once they have.",
    ),
    "context.billing_down": (
        "计费系统暂时无法查询，账单和工单未能显示。",
        "Billing could not be reached: bills and tickets are not shown.",
    ),
    "context.bills": ("近三个月账单", "Last three bills"),
    "context.no_bills": ("暂无账单。", "No bill yet."),
    "context.month": ("月份", "Month"),
    "context.total": ("合计", "Total"),
    "context.amount": ("{amount}元", "¥{amount}"),
    "context.notices": ("已发送的通知", "Notices sent"),
    "context.no_notices": ("没有发送过通知。", "No notice sent."),
    "context.kind": ("类型", "Kind"),
    "context.when": ("时间", "When"),
    "context.status": ("状态", "Status"),
    "context.proposals": ("待确认的办理", "Open proposals"),
    "context.no_proposals": ("没有待确认的办理。", "No open proposal."),
    "context.offer": ("内容", "Offer"),
    "context.price": ("报价", "Quoted price"),
    "context.expires": ("有效期至", "Expires"),
    "context.earlier": ("以往会话及评价", "Earlier cases and ratings"),
    "context.no_earlier": ("没有以往的人工会话。", "No earlier case."),
    "context.case": ("编号", "Case"),
    "context.rating": ("评价", "Rating"),
    "context.not_rated": ("未评价", "not rated"),
    "context.tickets": ("处理中的工单", "Open tickets"),
    "notice_kind.balance": ("余额提醒", "Balance"),
    "notice_kind.data": ("流量提醒", "Data"),
    "notice_kind.bill": ("账单通知", "Bill"),
    "notice_kind.offer": ("套餐推荐", "Plan offer"),
    "notice_status.sent": ("已发送", "sent"),
    "notice_status.claimed": ("发送中", "sending"),
    "proposal.plan_change": ("更换套餐", "Plan change"),
    "proposal.unsubscribe": ("退订业务", "Unsubscribe"),
    "proposal.data_pack": ("流量包", "Data pack"),
    "case_status.waiting": ("等待中", "waiting"),
    "case_status.claimed": ("处理中", "being handled"),
    "case_status.resolved": ("已解决", "resolved"),
    # --- the agent's preferences ---
    "nav.preferences": ("偏好设置", "Preferences"),
    "prefs.title": ("偏好设置", "Preferences"),
    "prefs.zone": ("时区", "Time zone"),
    "prefs.zone_hint": (
        "工作台中的所有时间都按此时区显示，例如 Asia/Shanghai（北京时间）或 Europe/London。",
        "Every time in the console is shown in this zone, e.g. Asia/Shanghai (Beijing time) "
        "or Europe/London.",
    ),
    "prefs.now": ("当前时间：{time}", "Now: {time}"),
    "prefs.save": ("保存", "Save"),
    "prefs.saved": ("已保存：时间按{zone}显示。", "Saved: times are shown in {zone}."),
    "prefs.bad_zone": (
        "没有这个时区：请填写如 Asia/Shanghai 或 Europe/London 的时区名称。",
        "There is no such time zone: give a name like Asia/Shanghai or Europe/London.",
    ),
}
