"""DingTalk (钉钉 / 政务钉钉) custom group robot: the digest as markdown messages, signed when the robot's
security setting is 加签, paced under the robot's rate limit.

Signing (the robot's documented recipe): `sign` = URL-encoded base64 of HMAC-SHA256 keyed with the secret
over "timestamp\\nsecret", `timestamp` in milliseconds; both go into the query, fresh for every request
(the robot refuses a timestamp more than an hour off).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import time
import urllib.parse
from typing import Any

from flows.channels import Channel, ChannelError, public_url
from flows.robot_post import Pacer, check_section, paced_post, part_digests
from transforms.digest import Digest
from transforms.robot_markdown import MessageTooSmall, RobotMessage, robot_messages

NAME = "dingtalk"
SIGN_REFUSED = 310000   # DingTalk's errcode for a wrong sign, a stale timestamp, or a missing keyword


def sign(secret: str, timestamp_ms: int) -> str:
    """The robot's signature of a timestamp (base64, not yet URL-encoded)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp_ms}\n{secret}".encode("utf-8"), hashlib.sha256)
    return base64.b64encode(mac.digest()).decode("ascii")


def signed_url(url: str, secret: str | None, now_s: float | None = None) -> str:
    """The webhook URL with `timestamp` and `sign` added when there is a secret."""
    if not secret:
        return url
    timestamp = int((time.time() if now_s is None else now_s) * 1000)
    parts = urllib.parse.urlsplit(url)
    extra = urllib.parse.urlencode({"timestamp": timestamp, "sign": sign(secret, timestamp)})
    return urllib.parse.urlunsplit(parts._replace(query=f"{parts.query}&{extra}" if parts.query else extra))


def _body(message: RobotMessage, at_mobiles: list[str]) -> dict[str, Any]:
    body: dict[str, Any] = {"msgtype": "markdown", "markdown": {"title": message.title, "text": message.text}}
    if at_mobiles:
        body["at"] = {"atMobiles": at_mobiles, "isAtAll": False}
    return body


def _size(body: dict[str, Any]) -> int:
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _split(section: dict[str, Any], digest: Digest) -> list[Digest]:
    check_section(NAME, section, "access_token")
    mobiles = [str(m) for m in section["at_mobiles"]]
    mention = " ".join(f"@{m}" for m in mobiles)
    limit = int(section["max_bytes"])

    def fits(title: str, text: str) -> bool:
        return _size(_body(RobotMessage(title, text, ()), mobiles)) <= limit

    try:
        messages = robot_messages(digest, fits, mention)
    except MessageTooSmall as exc:
        raise ChannelError(f"[alerts.dingtalk] max_bytes = {limit}: {exc}; DingTalk accepts 20000") from None
    return part_digests(digest, messages, lambda i, m: _body(m, mobiles if i == 0 else []))


def _send(section: dict[str, Any], pacer: Pacer, part: Digest) -> None:
    secret_env = section["secret_env"]
    secret = os.environ.get(secret_env) if secret_env else None
    hint = {SIGN_REFUSED: (f"the robot refused the signature or the content: if its security setting is 加签, "
                           f"set ${secret_env} to its secret (SEC…); if it is 自定义关键词, include 提醒 among "
                           "the keywords")}
    paced_post("DingTalk", pacer, lambda: signed_url(section["url"], secret), part.payload,
               float(section["timeout_s"]), hint)


def channel(section: dict[str, Any]) -> Channel:
    """The dingtalk channel of fazhi.toml [alerts.dingtalk] (checked when it sends, never here)."""
    pacer = Pacer(int(section["messages_per_window"]), float(section["window_s"]))
    return Channel(NAME, public_url(section.get("url", "")), lambda part: _send(section, pacer, part),
                   reaches_people=True, split=lambda digest: _split(section, digest))
