"""The Deliveries page: SMS that a real gateway could not deliver (failed or expired).

Each row says whether the assistant will still send it again by itself, or has given
up; an agent may send a given-up message once more. Strings in both languages are
kept here (``TEXTS``), picked by the page's language.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.channels.sms.outbox import OutboundSms
from bot.console.layout import PageContext, csrf_field, page
from bot.console.markup import Html, join, render
from bot.domain.numbers import mask_msisdn

# key -> (Chinese, English)
TEXTS: dict[str, tuple[str, str]] = {
    "title": ("短信投递失败", "Undelivered SMS"),
    "intro": (
        "以下短信经短信网关发送失败或已过期。系统会自动重发有限次数，之后由坐席决定是否再发一次。",
        "These SMS failed or expired at the gateway. The assistant sends each again a few "
        "times by itself; after that, an agent decides whether to send it once more.",
    ),
    "empty": ("没有投递失败的短信。", "No undelivered SMS."),
    "customer": ("客户", "Customer"),
    "text": ("内容", "Text"),
    "kind": ("类型", "Kind"),
    "status": ("状态", "Status"),
    "attempts": ("发送次数", "Sends"),
    "error": ("网关说明", "Gateway said"),
    "time": ("时间", "Time"),
    "next": ("下一步", "Next"),
    "will_retry": ("将自动重发", "Will be sent again"),
    "send_again": ("再发一次", "Send again"),
    "kind.push": ("主动消息", "Message"),
    "kind.reply": ("回复", "Reply"),
    "status.failed": ("失败", "Failed"),
    "status.expired": ("已过期", "Expired"),
    "flash.queued": ("已安排重发。", "It will be sent again shortly."),
    "flash.not_failed": ("这条短信不需要重发。", "That SMS needs no new send."),
    "flash.unavailable": ("未配置短信网关。", "No SMS gateway is configured."),
}


def text(ctx: PageContext, key: str) -> str:
    """One of ``TEXTS`` in the page's language."""
    chinese, english = TEXTS[key]
    return chinese if ctx.t.language == "zh" else english


def _label(ctx: PageContext, group: str, value: str) -> str:
    key = f"{group}.{value}"
    return text(ctx, key) if key in TEXTS else value


def _next(ctx: PageContext, message: OutboundSms) -> Html:
    if not message.gave_up:
        return render("{label}", label=text(ctx, "will_retry"))
    return render(
        '<form method="post" action="/deliveries/{id}/retry" class="inline">{csrf}'
        '<button type="submit" class="delivery-retry">{label}</button></form>',
        id=message.id,
        csrf=csrf_field(ctx),
        label=text(ctx, "send_again"),
    )


def _row(ctx: PageContext, message: OutboundSms) -> Html:
    return render(
        '<tr class="delivery" id="delivery-{id}" data-status="{status}"><td>{customer}</td>'
        '<td class="delivery-text">{body}</td><td>{kind}</td><td>{status_label}</td>'
        "<td>{attempts}</td><td>{error}</td><td>{time}</td><td>{next}</td></tr>",
        id=message.id,
        status=message.status,
        customer=mask_msisdn(message.msisdn),
        body=message.text,
        kind=_label(ctx, "kind", message.kind),
        status_label=_label(ctx, "status", message.status),
        attempts=message.attempts,
        error=message.last_error or "",
        time=ctx.t.time(message.updated_at),
        next=_next(ctx, message),
    )


def deliveries_page(ctx: PageContext, messages: Sequence[OutboundSms]) -> Html:
    """Every failed or expired message, newest first."""
    if messages:
        rows = join(_row(ctx, m) for m in messages)
    else:
        rows = render('<tr class="empty"><td colspan="8">{t}</td></tr>', t=text(ctx, "empty"))
    heads = join(
        render("<th>{h}</th>", h=text(ctx, key))
        for key in ("customer", "text", "kind", "status", "attempts", "error", "time", "next")
    )
    body = render(
        '<section class="panel"><h1>{title}</h1><p class="note">{intro}</p>'
        '<table class="deliveries"><thead><tr>{heads}</tr></thead>'
        '<tbody id="delivery-rows">{rows}</tbody></table></section>',
        title=text(ctx, "title"),
        intro=text(ctx, "intro"),
        heads=heads,
        rows=rows,
    )
    return page(ctx, text(ctx, "title"), body, page_id="deliveries")
