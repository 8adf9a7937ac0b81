"""The ways a digest reaches people: the run log, e-mail over SMTP, a webhook (HTTP POST of JSON), and the
DingTalk and WeCom group robots (flows/dingtalk.py, flows/wecom.py).

Each channel is built from fazhi.toml [alerts]; `send` raises ChannelError (or the library's own error)
when the digest did not get through, and the caller records the failure and retries on the next run.
"""
from __future__ import annotations

import json
import os
import smtplib
import ssl
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from transforms.digest import Digest

SECURITY = ("none", "starttls", "ssl")


class ChannelError(Exception):
    """A channel is misconfigured or its server said no."""


@dataclass(frozen=True)
class Channel:
    name: str               # console | email | webhook | dingtalk | wecom
    target: str             # where it goes (recipients, URL without its query); never a secret
    send: Callable[[Digest], None]
    reaches_people: bool    # console only logs: it never marks an alert as sent
    split: Callable[[Digest], list[Digest]] = lambda digest: [digest]   # messages sent one by one (robots)


def _secret(env_name: str) -> str | None:
    return os.environ.get(env_name) if env_name else None


def _send_email(section: dict[str, Any], digest: Digest) -> None:
    security = section["security"]
    if security not in SECURITY:
        raise ChannelError(f"[alerts.email] security = {security!r} is not one of {', '.join(SECURITY)}: "
                           "fix fazhi.toml")
    if not section["recipients"]:
        raise ChannelError("[alerts.email] recipients is empty: list at least one address in fazhi.toml")
    password = _secret(section["password_env"])
    if section["user"] and password is None:
        raise ChannelError(f"environment variable {section['password_env']} is not set: set it to the SMTP password "
                           f"of {section['user']} (see [alerts.email] password_env)")
    if section["user"] and security == "none" and not section["allow_plain_login"]:
        raise ChannelError(f"[alerts.email] would send the password of {section['user']} unencrypted "
                           "(security = \"none\"): set security = \"starttls\" or \"ssl\", or, only for a server "
                           "on a trusted network, allow_plain_login = true in fazhi.toml")
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = digest.subject, section["sender"], ", ".join(section["recipients"])
    msg["Date"], msg["Message-ID"] = formatdate(localtime=True), make_msgid(domain="fazhi")
    msg.set_content(digest.text)
    host, port, timeout = section["host"], int(section["port"]), float(section["timeout_s"])
    if security == "ssl":
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if security == "starttls":
            smtp.starttls(context=ssl.create_default_context())
        if section["user"]:
            smtp.login(section["user"], password or "")
        refused = smtp.send_message(msg)
    if refused:
        raise ChannelError(f"the SMTP server {host}:{port} refused {', '.join(refused)}: "
                           "check [alerts.email] recipients")


def _send_webhook(section: dict[str, Any], digest: Digest) -> None:
    url = section["url"]
    if not url:
        raise ChannelError("[alerts.webhook] url is empty: set it in fazhi.toml, or set enabled = false")
    headers = {"Content-Type": "application/json; charset=utf-8"}
    token = _secret(section["token_env"])
    if token:
        headers["Authorization"] = f"Bearer {token}"
    body = json.dumps(digest.payload, ensure_ascii=False, default=str).encode("utf-8")
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=float(section["timeout_s"])) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"the webhook {public_url(url)} answered HTTP {exc.code} {exc.reason}") from None


def _send_console(digest: Digest) -> None:
    print(digest.text)


def public_url(url: str) -> str:
    """The URL without query or fragment, which may carry an access token."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def channels(alerts: dict[str, Any]) -> list[Channel]:
    """The channels enabled in the config's [alerts] section, console first."""
    out = []
    if alerts.get("console", True):
        out.append(Channel("console", "log", _send_console, reaches_people=False))
    email = alerts.get("email", {})
    if email.get("enabled"):
        out.append(Channel("email", ", ".join(email.get("recipients", [])),
                           lambda d, s=email: _send_email(s, d), reaches_people=True))
    webhook = alerts.get("webhook", {})
    if webhook.get("enabled"):
        out.append(Channel("webhook", public_url(webhook.get("url", "")),
                           lambda d, s=webhook: _send_webhook(s, d), reaches_people=True))
    from flows import dingtalk, wecom   # the robots build on this module's Channel

    for robot in (dingtalk, wecom):
        section = alerts.get(robot.NAME, {})
        if section.get("enabled"):
            out.append(robot.channel(section))
    return out
