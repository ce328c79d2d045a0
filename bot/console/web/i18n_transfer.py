"""The console's strings for transfers and presence (``bot.console.cases.transfer``,
``bot.console.access.presence``).

Part of ``bot.console.web.i18n.CATALOGUE``: key -> (Chinese, English).
"""

from __future__ import annotations

TRANSFER_PAGES: dict[str, tuple[str, str]] = {
    # --- transfers ---
    "transfer.title": ("转交案件", "Transfer this case"),
    "transfer.title_supervisor": ("重新分配案件", "Reassign this case"),
    "transfer.to": ("转交给", "Transfer to"),
    "transfer.queue": ("退回队列", "Back to the queue"),
    "transfer.the_queue": ("队列", "the queue"),
    "transfer.note": ("交接说明（仅坐席可见）", "Handover note (agents only)"),
    "transfer.submit": ("转交", "Transfer"),
    "transfer.done": ("已转交给 {to}。", "Transferred to {to}."),
    "transfer.refused": ("无法转交：{detail}", "Could not transfer: {detail}"),
    "transfer.received": (
        "{by} 把这个案件转交给了您。说明：{note}",
        "{by} transferred this case to you. Note: {note}",
    ),
    "transfer.line": ("{by} 把案件转交给 {to}。", "{by} transferred the case to {to}."),
    "transfer.line_note": ("说明：{note}", "Note: {note}"),
    "speaker.transfer": ("转交", "Transfer"),
    # --- presence ---
    "presence.available": ("在线", "Available"),
    "presence.away": ("离开", "Away"),
    "presence.set_away": ("设为离开", "Set away"),
    "presence.set_available": ("设为在线", "Set available"),
    "presence.now_available": ("您已设为在线。", "You are available."),
    "presence.now_away": (
        "您已设为离开：新的客户不会再等您接待。",
        "You are away: new customers are not told you will answer.",
    ),
    "presence.refused": ("无法设置状态。", "Could not set your presence."),
}
