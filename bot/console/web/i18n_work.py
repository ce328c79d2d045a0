"""The console's strings of the pages where agents work items (tickets, undelivered SMS).

Part of ``bot.console.web.i18n.CATALOGUE``: key -> (Chinese, English).
"""

from __future__ import annotations

WORK_PAGES: dict[str, tuple[str, str]] = {
    # --- the Tickets pages ---
    "nav.tickets": ("投诉工单", "Tickets"),
    "tickets.title": ("投诉工单", "Complaint tickets"),
    "tickets.intro": (
        "处理中的投诉：超时的排在最前，其余按到期时间排序。",
        "Tickets being worked: overdue ones first, then by due time.",
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
    "ticket_category.adjustment": ("账务调整", "Billing adjustment"),
    # overage credits: a billing-adjustment ticket approved or declined
    "credit.title": ("超额费用退还审核", "Overage credit review"),
    "credit.intro": (
        "客户已改用新套餐；上方说明列出计入的月份、实付金额及按新套餐应付金额。批准即退还到客户余额"
        "（同一工单只退一次）；拒绝须填写原因，客户会收到。",
        "The customer moved to a new plan; the complaint above lists the months counted, what "
        "they paid and what the new plan would have cost. Approving credits the balance (once "
        "per ticket); declining needs a reason, which the customer is sent.",
    ),
    "credit.amount": ("申请退还", "Credit asked"),
    "credit.yuan": ("{amount}元", "{amount} yuan"),
    "credit.approve": ("批准并退还{amount}元", "Approve and credit {amount} yuan"),
    "credit.reason": ("拒绝原因（客户可见）", "Reason for declining (the customer sees it)"),
    "credit.decline": ("拒绝", "Decline"),
    "credit.reason_required": ("拒绝须填写原因。", "Declining needs a reason."),
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
    "deliveries.kind_code": ("验证码", "One-time code"),
    "deliveries.new_code": (
        "不重发验证码，客户可重新获取",
        "Never sent again: the customer asks for a new code",
    ),
    "deliveries.status_failed": ("失败", "Failed"),
    "deliveries.status_expired": ("已过期", "Expired"),
    "deliveries.flash_queued": ("已安排重发。", "It will be sent again shortly."),
    "deliveries.flash_not_failed": ("这条短信不需要重发。", "That SMS needs no new send."),
    "deliveries.flash_unavailable": ("未配置短信网关。", "No SMS gateway is configured."),
    # paging: the queue, Review and Deliveries show a page at a time
    "pager.previous": ("上一页", "Previous"),
    "pager.next": ("下一页", "Next"),
    "pager.page": ("第{page}页", "Page {page}"),
    "pager.of": ("第{page}页，共{pages}页", "Page {page} of {pages}"),
}
