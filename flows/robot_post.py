"""What the DingTalk and WeCom group robots share: a JSON POST whose answer says `errcode`, and pacing under
the robot's rate limit.

Both robots answer HTTP 200 with `{"errcode": 0, "errmsg": "ok"}` when the message reached the group, and
HTTP 200 with another errcode when it did not (bad token or key, wrong signature, too long, too fast): that
answer is a failed delivery like a refused connection, raised as ChannelError with the robot's errmsg.
"""
from __future__ import annotations

import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from typing import Any

from flows.channels import ChannelError, public_url
from transforms.digest import Digest
from transforms.robot_markdown import RobotMessage


class Pacer:
    """At most `per_window` messages in any `window_s` seconds (a sliding window), sleeping when needed.

    A message counts from the moment its answer came back, which is never earlier than the robot counted it,
    so the robot never sees more than `per_window` in its own window either."""

    def __init__(self, per_window: int, window_s: float) -> None:
        self.per_window, self.window_s = per_window, window_s
        self.sent: deque[float] = deque()

    def wait(self) -> None:
        """Block until one more message stays within the limit."""
        if len(self.sent) >= self.per_window:
            delay = self.sent[0] + self.window_s - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self.sent.popleft()

    def record(self) -> None:
        self.sent.append(time.monotonic())


def post_json(robot: str, url: str, body: dict[str, Any], timeout_s: float, hint: dict[int, str] | None = None) -> None:
    """POST `body` to the robot; raise ChannelError unless it answers errcode 0.

    `hint` adds what to do for a known errcode (e.g. a signature refused: which variable to set)."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    where = f"the {robot} robot {public_url(url)}"
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as response:
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raise ChannelError(f"{where} answered HTTP {exc.code} {exc.reason}") from None
    try:
        answer = json.loads(raw.decode("utf-8"))
        errcode = int(answer.get("errcode", -1))
    except (ValueError, AttributeError, TypeError):
        raise ChannelError(f"{where} answered something that is not its JSON ({raw[:80]!r}): "
                           "check the url in fazhi.toml") from None
    if errcode != 0:
        extra = (hint or {}).get(errcode, "")
        raise ChannelError(f"{where} answered errcode {errcode}: {answer.get('errmsg', '')}"
                           + (f" ({extra})" if extra else ""))


def check_section(robot: str, section: dict[str, Any], param: str) -> None:
    """The robot's webhook URL is set and carries its credential (DingTalk access_token, WeCom key), and its
    pacing can be kept."""
    if int(section["messages_per_window"]) < 1 or float(section["window_s"]) < 0:
        raise ChannelError(f"[alerts.{robot}] messages_per_window = {section['messages_per_window']}, window_s = "
                           f"{section['window_s']} cannot pace a robot: use at least 1 message and 0 s or more")
    url = section["url"]
    if not url:
        raise ChannelError(f"[alerts.{robot}] url is empty: paste the robot's Webhook URL into fazhi.toml, "
                           "or set enabled = false")
    if param not in urllib.parse.parse_qs(urllib.parse.urlsplit(url).query):
        raise ChannelError(f"[alerts.{robot}] url {public_url(url)} has no {param}=…: copy the robot's whole "
                           "Webhook URL into fazhi.toml")


def part_digests(digest: Digest, messages: list[RobotMessage],
                 body: Callable[[int, RobotMessage], dict]) -> list[Digest]:
    """One Digest per robot message: its title, markdown, request body (payload) and the alerts it delivers."""
    return [Digest(m.title, m.text, body(i, m), m.alert_ids, townships=digest.townships)
            for i, m in enumerate(messages)]


def paced_post(robot: str, pacer: Pacer, url: Callable[[], str], body: dict[str, Any], timeout_s: float,
               hint: dict[int, str] | None = None) -> None:
    """Wait for the rate limit, then POST; `url` is built after the wait (a signature carries the time)."""
    pacer.wait()
    try:
        post_json(robot, url(), body, timeout_s, hint)
    finally:
        pacer.record()
