"""WeCom (企业微信) group robot: the digest as markdown messages (each `markdown.content` within the robot's
byte limit), paced under its rate limit; the people to @ get one text message first, since WeCom's
markdown messages cannot mention by mobile number.
"""
from __future__ import annotations

from typing import Any

from flows.channels import Channel, ChannelError, public_url
from flows.robot_post import Pacer, check_section, paced_post, part_digests
from transforms.digest import Digest
from transforms.robot_markdown import MessageTooSmall, RobotMessage, robot_messages

NAME = "wecom"
KEY_REFUSED = 93000   # WeCom's errcode for a webhook URL whose key it does not know


def _markdown(message: RobotMessage) -> dict[str, Any]:
    return {"msgtype": "markdown", "markdown": {"content": message.text}}


def _mention(digest: Digest, mobiles: list[str]) -> Digest:
    """A text message that @s the people of mentioned_mobile_list; it delivers no alert by itself."""
    text = f"{digest.subject}，详见下面的消息。"
    payload = {"msgtype": "text", "text": {"content": text, "mentioned_mobile_list": mobiles}}
    return Digest(digest.subject, text, payload, (), townships=digest.townships)


def _split(section: dict[str, Any], digest: Digest) -> list[Digest]:
    check_section(NAME, section, "key")
    limit = int(section["max_bytes"])
    try:
        messages = robot_messages(digest, lambda title, text: len(text.encode("utf-8")) <= limit)
    except MessageTooSmall as exc:
        raise ChannelError(f"[alerts.wecom] max_bytes = {limit}: {exc}; WeCom accepts 4096") from None
    parts = part_digests(digest, messages, lambda i, m: _markdown(m))
    mobiles = [str(m) for m in section["mentioned_mobile_list"]]
    return [_mention(digest, mobiles), *parts] if mobiles else parts


def _send(section: dict[str, Any], pacer: Pacer, part: Digest) -> None:
    hint = {KEY_REFUSED: "the robot does not know this key: copy its Webhook URL again into [alerts.wecom] url"}
    paced_post("WeCom", pacer, lambda: section["url"], part.payload, float(section["timeout_s"]), hint)


def channel(section: dict[str, Any]) -> Channel:
    """The wecom channel of fazhi.toml [alerts.wecom] (checked when it sends, never here)."""
    pacer = Pacer(int(section["messages_per_window"]), float(section["window_s"]))
    return Channel(NAME, public_url(section.get("url", "")), lambda part: _send(section, pacer, part),
                   reaches_people=True, split=lambda digest: _split(section, digest))
