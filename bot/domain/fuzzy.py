"""Names found despite slips: a Chinese name by its sound, an English one by spelling.

Voice input writes "来电题醒" for 来电提醒 and "视频采铃" for 视频彩铃; typing gives
"ringbak tone" and "caller id dispaly". A Chinese name (three characters or more) is
found when its toneless pinyin (pypinyin) runs in the text's; an English name (five
letters or more) when rapidfuzz's best partial match scores at least ``MIN_SCORE``; a
name with a figure in it only exactly.
Exact matching comes first everywhere; these are the second look.
"""

from __future__ import annotations

import functools
import re

from rapidfuzz import fuzz

from bot.domain.compact_pinyin import lazy_syllables

MIN_SCORE = 85.0
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


@functools.lru_cache(maxsize=4096)
def _sound(text: str) -> str:
    """Syllables of the Chinese characters, each closed by a space ("lai dian ti xing ")."""
    return "".join(f"{s} " for s in lazy_syllables("".join(_CJK.findall(text))))


def sounds_in(name: str, text: str) -> bool:
    """Whether a Chinese ``name`` of three or more characters is heard in ``text``."""
    if len(_CJK.findall(name)) < 3:
        return False
    sound = _sound(name)
    heard = _sound(text)
    return bool(sound) and (heard.startswith(sound) or f" {sound}" in heard)


def spelled_in(name: str, text: str) -> bool:
    """Whether an English ``name`` of five or more letters is in ``text``, give or take a
    slip of typing (both lower case)."""
    if len(name) < 5 or not name.isascii():
        return False
    return fuzz.partial_ratio(name, text) >= MIN_SCORE


def named_in(name: str, text: str) -> bool:
    """Heard (Chinese) or spelled (English) in the text; the exact test comes first. A
    name with a figure in it ("畅享58元套餐", "Max 88") is only ever matched exactly: one
    figure apart is another plan."""
    if any(ch.isdigit() for ch in name):
        return False
    return sounds_in(name, text) if not name.isascii() else spelled_in(name, text)
