"""The console's strings of the desk: roles, canned replies, internal notes, passwords, figures.

Part of ``bot.console.web.i18n.CATALOGUE``: key -> (Chinese, English).
"""

from __future__ import annotations

DESK_PAGES: dict[str, tuple[str, str]] = {
    # --- roles ---
    "roles.forbidden": ("只有主管可以打开这个页面。", "Only a supervisor may open this page."),
    "role.agent": ("坐席", "Agent"),
    "role.supervisor": ("主管", "Supervisor"),
    "nav.password": ("修改密码", "Password"),
    "nav.replies": ("快捷回复", "Canned replies"),
    "nav.agents": ("坐席管理", "Agents"),
    # --- canned replies ---
    "replies.pick": ("快捷回复", "Canned reply"),
    "replies.choose": ("选择一条快捷回复…", "Pick a canned reply…"),
    "replies.needs_fixing": ("有待补充", "needs fixing"),
    "replies.unfilled_hint": (
        "回复中还有未填写的占位符，请补充后再发送。",
        "The reply still has placeholders to fill in before sending.",
    ),
    "replies.unfilled": (
        "回复中还有未填写的占位符：{left}。请补充后再发送。",
        "The reply still has unfilled placeholders: {left}. Fill them in before sending.",
    ),
    "replies.page_title": ("快捷回复", "Canned replies"),
    "replies.intro": (
        "坐席在案件页面按客户语言选用这些回复。可用占位符：{placeholders}。",
        "Agents pick these on the case page, in the customer's language. "
        "Placeholders: {placeholders}.",
    ),
    "replies.none": ("还没有快捷回复。", "No canned reply yet."),
    "replies.language": ("语言", "Language"),
    "replies.title_field": ("标题", "Title"),
    "replies.body": ("内容", "Text"),
    "replies.save": ("保存", "Save"),
    "replies.delete": ("删除", "Delete"),
    "replies.add_title": ("新增快捷回复", "New canned reply"),
    "replies.add": ("新增", "Add"),
    "replies.added": ("已新增快捷回复。", "Canned reply added."),
    "replies.saved": ("已保存。", "Saved."),
    "replies.deleted": ("已删除。", "Deleted."),
    "replies.invalid": ("无法保存：{detail}", "Not saved: {detail}"),
    # --- internal notes ---
    "notes.title": ("内部备注", "Internal notes"),
    "notes.hint": ("仅坐席可见，不会发送给客户。", "For agents only: never sent to the customer."),
    "notes.none": ("暂无备注。", "No note yet."),
    "notes.add": ("添加备注", "Add a note"),
    "notes.submit": ("保存备注", "Save note"),
    "notes.added": ("备注已保存。", "Note saved."),
    "notes.invalid": (
        "备注不能为空，且不超过{limit}个字符。",
        "A note needs some text, at most {limit} characters.",
    ),
    # --- passwords ---
    "password.title": ("修改密码", "Change your password"),
    "password.rules": (
        "新密码至少{min}个字符。修改后，您在其他设备上的登录将失效。",
        "At least {min} characters. Your other sessions end when you change it.",
    ),
    "password.current": ("当前密码", "Current password"),
    "password.new": ("新密码", "New password"),
    "password.repeat": ("再次输入新密码", "New password again"),
    "password.submit": ("修改密码", "Change password"),
    "password.differ": ("两次输入的新密码不一致。", "The two new passwords differ."),
    "password.weak": ("新密码至少需要{min}个字符。", "A password needs at least {min} characters."),
    "password.wrong": ("当前密码不正确。", "The current password is wrong."),
    "password.changed": (
        "密码已修改，其他登录已退出。",
        "Password changed; your other sessions have ended.",
    ),
    # --- agents (supervisors) ---
    "agents.title": ("坐席管理", "Agents"),
    "agents.role": ("角色", "Role"),
    "agents.set_role": ("设置角色", "Set role"),
    "agents.reset": ("重置密码", "Reset password"),
    "agents.remove": ("删除", "Remove"),
    "agents.add_title": ("新增坐席", "New agent"),
    "agents.add": ("新增", "Add"),
    "agents.added": ("已新增 {agent}。", "{agent} added."),
    "agents.role_set": ("已更新 {agent} 的角色。", "Role of {agent} set."),
    "agents.reset_done": (
        "已重置 {agent} 的密码，其登录已退出。",
        "Password of {agent} reset; their sessions have ended.",
    ),
    "agents.removed": ("已删除 {agent}。", "{agent} removed."),
    "agents.not_yourself": ("不能删除自己的账号。", "You cannot remove yourself."),
    "agents.failed": ("操作未完成：{detail}", "That could not be done: {detail}"),
    # --- per-agent figures (dashboard, supervisors) ---
    "agentfig.title": ("坐席数据", "Figures per agent"),
    "agentfig.agent": ("坐席", "Agent"),
    "agentfig.handled": ("处理案件", "Cases handled"),
    "agentfig.median_claim": ("接单时间中位数", "Median time to claim"),
    "agentfig.median_resolve": ("解决时间中位数", "Median time to resolve"),
    "agentfig.ratings": ("评价", "Ratings"),
}
