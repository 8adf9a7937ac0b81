"""Which metric each number of one sentence belongs to: numbers first, then the words around them.

For each number, in order:
0. a number governed by a frequency word (每月至少开展3场次) or a change word (较上年减少2件) has none, nor a
   count after a distributive word (各科室均有2名以上: each body's);
1. its own clause (the words since the last clause mark, list mark or number) names a metric — not an
   item of a list that ends in 等 + an umbrella noun (合同审查、法律咨询等专项法律服务5次: no item's count);
2. else, when the previous number's noun followed it (办理6件行政复议、8件行政诉讼), the words right
   after this one; else it continues a 、-list whose previous number has a metric (进村12次、进校园3次);
3. else the words right after it name one (聘请2名律师担任法律顾问), or the next clause does
   (党委会3次、行政办公会2次，专题研究法治工作) — when that clause counts something of its own, only by the
   words that open it (召开专题会议4次，研究部署法治…4项) — and earlier members of its 、-list take it too;
4. else an actual count takes the metric of the planned one before it (原计划开展普法活动60场，实际
   开展80余场), or the clause before it in the same sentence names the topic (…示范村，截止去年成功创建5个).
A metric whose exclusion word sits in the number's clause is never taken (新增持证执法人员2名), nor a trigger
that names a plan or a system (纳入八五普法规划, 落实普法责任制).
Then: parts after 其中 of a total of the same metric are dropped, unless a second metric's word singles
them out (诉讼3宗，其中1宗一审败诉: lost); 各 multiplies by the bodies listed
(or gives each listed metric the count); a single-body metric shared by several bodies, listed before or
after them (理论中心组、班子会等学法4次), is dropped — a list before 纳入/列入 is what the body studies, not
bodies. A lower-level body's count (村级调委会共调解3起) is neither a general statement nor a total; a
whole-township count in a sentence naming the metric for the villages too is marked mixed. Each attribution says whether its clause is planned or actual.
All offsets here are local to the sentence.
"""
from __future__ import annotations

from dataclasses import dataclass

from transforms.catalog import Catalog, Metric
from transforms.triggers import CLAUSE_MARKS, LIST_MARKS, Match, SentenceView, clause_end, clause_start

_POST_STOPS = CLAUSE_MARKS + LIST_MARKS + "—（("
_MULTIPLIER_GAP = 6  # 9个社区各…: at most this many characters (the bodies' noun) between the count and 各


@dataclass(frozen=True)
class Num:
    """A number span in sentence offsets."""

    value: float
    start: int
    end: int
    unit: str | None
    qualifier: str
    text: str


@dataclass(frozen=True)
class Attribution:
    num: Num
    metric: Metric
    value: float
    strong: bool
    general: bool
    earlier: bool = False  # its own words name an earlier year (去年开展…40次)
    total: bool = False    # its own words mark a total (共, 合计, 累计 ...)
    planned: bool = False  # its clause states a plan (原计划开展60场)
    actual: bool = False   # its clause states what was actually done (实际开展80余场)
    grand: bool = False    # its own words mark the year's whole total (累计, 合计 ...)
    mixed: bool = False    # a whole-township count in a sentence that names the metric for the villages too
                           # (全镇现有法律顾问4人，实现村(社区)法律顾问全覆盖): it may count both levels


class Attributor:
    """Attributes the numbers of one sentence to catalog metrics."""

    def __init__(self, catalog: Catalog, view: SentenceView, nums: list[Num]) -> None:
        self.catalog, self.rules, self.view, self.nums = catalog, catalog.rules, view, nums
        self.text = view.text
        self.found: list[Match | None] = [None] * len(nums)
        self.consumed: set[int] = set()

    def run(self) -> list[Attribution]:
        for i in range(len(self.nums)):
            if self.found[i] is None:
                self.found[i] = self._match(i)
        parts = {i for i, m in enumerate(self.found) if m is not None and self._is_part(i)}  # may re-target i
        kept = [(i, m) for i, m in enumerate(self.found)
                if m is not None and i not in parts and not self._negated(i) and not self._shared(m)
                and not self._joined_with_other_bodies(i, m)]
        results = [(i, self._each(i, m)) for i, m in kept]  # may mark multiplier numbers consumed
        return [a for i, atts in results if i not in self.consumed for a in atts]

    # ── finding the metric of one number ───────────────────────────────────────────────────
    def _match(self, i: int) -> Match | None:
        n = self.nums[i]
        lo = self._own_start(i)
        if self.view.contains(self.rules.change_words, lo, n.start):
            return None  # 较上年减少2件: a change, not a count
        if self.view.contains(self.rules.frequency_words, clause_start(self.text, n.start, CLAUSE_MARKS), n.start):
            return None  # 每月至少开展3场次: a rule, not a count
        if self._distributed(i, lo):
            return None  # 各科室均有2名以上持证人员: each body's count, not a total
        post = self._post_range(i)
        own = self._best(i, self.view_matches(lo, n.start, i), lo, post[1], nearest_last=True)
        if own is not None or self._excluded_any(i, lo, post[1]):
            return own
        if self._umbrella(lo, n.start) is not None:
            return None  # 合同审查、法律咨询等专项法律服务5次: the umbrella's count, no listed item's
        if i and self._noun_after(i - 1):  # 办理6件行政复议、8件行政诉讼: each number's noun follows it
            own_noun = self._best(i, self.view_matches(*post, i), lo, post[1], nearest_last=False)
            if own_noun is not None:
                return own_noun
        inherited = self._inherit(i)
        if inherited is not None:
            return inherited
        after = self._best(i, self.view_matches(*post, i), lo, post[1], nearest_last=False)
        if after is None and post[1] == self._clause_end(n.end):
            nxt = self._next_clause(i, post[1])
            if nxt is not None:
                after = self._best(i, self.view_matches(*nxt, i), lo, nxt[1], nearest_last=False)
                cut = self._number_at(nxt[1])   # the clause was cut before a number of its own
                if after is not None and cut is not None and (after.first - nxt[0] > self.rules.next_clause_lead
                                                              or cut.unit in after.metric.units):
                    after = None  # 召开党委会24次，专题研究法治建设4次: the next clause counts its own
        if after is not None:
            self._propagate_back(i, after)
            return after
        return self._planned_pair(i) or self._topic(i, lo)

    def view_matches(self, lo: int, hi: int, i: int | None = None) -> list[Match]:
        """Trigger matches ending in [lo, hi); for number i, earlier parts must lie in its clause or in
        the clause of the number before it (受理信访事项42件，办结41件), not in a topic phrase. A trigger
        that names a plan or a system (普法规划, 普法责任制) is none."""
        parts_from = lo
        if i is not None:
            parts_from = clause_start(self.text, min(lo, self.nums[i].start), CLAUSE_MARKS)
            if i > 0:
                parts_from = min(parts_from, clause_start(self.text, self.nums[i - 1].start, CLAUSE_MARKS))
        return [m for m in self.view.trigger_matches(None, lo, hi, parts_from)
                if not self.text.startswith(self.rules.document_words, m.end)]

    def _distributed(self, i: int, lo: int) -> bool:
        """A count (neither a rate nor a zero) after a distributive word in its own words (均): each body's."""
        n = self.nums[i]
        return n.unit != "%" and n.value != 0 and self.view.contains(self.rules.distributive_words, lo, n.start)

    def _best(self, i: int, matches: list[Match], lo: int, hi: int, nearest_last: bool) -> Match | None:
        """The unit-compatible match nearest number i with no exclusion of its metric in [lo, hi)."""
        keep = [m for m in matches if self._unit_ok(i, m.metric) and not self._umbrella_item(m, i)
                and not self.view.contains(m.metric.exclusions, lo, hi)]
        if not keep:
            return None
        if len(keep) > 1 and any(m.weak for m in keep):
            keep = [m for m in keep if not (m.weak and any(_overlap(m, o) for o in keep if not o.weak))]
        if nearest_last:
            return max(keep, key=lambda m: (m.end, not m.weak, m.trigger.length))
        return min(keep, key=lambda m: (m.anchor, m.weak, -m.trigger.length))

    def _excluded_any(self, i: int, lo: int, hi: int) -> bool:
        """A unit-compatible trigger in the own clause whose metric is excluded: the number is another thing."""
        return any(self._unit_ok(i, m.metric) and self.view.contains(m.metric.exclusions, lo, hi)
                   for m in self.view_matches(lo, self.nums[i].start, i))

    def _own_start(self, i: int) -> int:
        n = self.nums[i]
        lo = clause_start(self.text, n.start, CLAUSE_MARKS + LIST_MARKS)
        return max(lo, self.nums[i - 1].end) if i else lo

    def _clause_end(self, pos: int) -> int:
        return clause_end(self.text, pos, _POST_STOPS)

    def _post_range(self, i: int) -> tuple[int, int]:
        n = self.nums[i]
        hi = self._clause_end(n.end)
        if i + 1 < len(self.nums):
            hi = min(hi, self.nums[i + 1].start)
        return n.end, self._cut_at_parts(n.end, hi)

    def _cut_at_parts(self, lo: int, hi: int) -> int:
        for marker in self.rules.part_markers:
            k = self.text.find(marker, lo, hi)
            if k >= 0:
                hi = k
        return hi

    def _next_clause(self, i: int, at: int) -> tuple[int, int] | None:
        """The clause after a comma that follows the number, up to its own first number (召开专题会议4次，研究
        部署法治重点工作事项4项: the words before 4项). Cut so, it names the number's metric only by words that
        open it (a purpose: 研究部署法治…), never by an item of a list of its own (开展法律咨询…等活动45场次)."""
        if at >= len(self.text) or self.text[at] not in "，,":
            return None
        lo = at + 1
        hi = clause_end(self.text, lo, CLAUSE_MARKS)
        hi = min([m.start for m in self.nums[i + 1:] if lo <= m.start < hi], default=hi)
        if any(self.text.startswith(p, lo) for p in self.rules.part_markers):
            return None
        return lo, hi

    def _number_at(self, pos: int) -> Num | None:
        return next((m for m in self.nums if m.start == pos), None)

    def _noun_after(self, j: int) -> bool:
        """Number j took its metric from the words right after it, before the next number (6件行政复议、)."""
        m = self.found[j]
        return m is not None and self.nums[j].end <= m.first and m.end <= self.nums[j + 1].start

    def _umbrella(self, lo: int, hi: int) -> int | None:
        """Offset of the 等 in [lo, hi) that an umbrella noun follows (…等专项法律服务), else None."""
        marker = self.rules.umbrella_marker
        k = self.text.rfind(marker, lo, hi)
        if k < 0 or not self.view.contains(self.rules.umbrella_nouns, k + len(marker), hi):
            return None
        return k

    def _umbrella_item(self, m: Match, i: int) -> bool:
        """Match m is an item of a list that ends in 等 + an umbrella noun before number i (合同审查、风险
        研判及法律咨询等专项法律服务共计5次): the count is shared by the list, no item's own."""
        k = self._umbrella(m.end, self.nums[i].start)
        return k is not None and bool(self._coordinators(clause_start(self.text, m.first, CLAUSE_MARKS), k))

    def _clause_holds(self, words: tuple[str, ...], i: int) -> bool:
        """Whether the clause of number i, up to the number, holds one of `words`."""
        n = self.nums[i]
        return self.view.contains(words, clause_start(self.text, n.start, CLAUSE_MARKS), n.start)

    def _planned_pair(self, i: int) -> Match | None:
        """实际开展80余场 after 原计划开展普法宣传活动60场: the actual count takes the planned one's metric."""
        if not self._clause_holds(self.rules.actual_markers, i):
            return None
        for j in range(i - 1, -1, -1):
            m = self.found[j]
            if m is not None and self._clause_holds(self.rules.planned_markers, j) and self._unit_ok(i, m.metric):
                return m
        return None

    def _joined(self, j: int, i: int) -> bool:
        """Numbers j < i are consecutive members of one 、-list with nothing that breaks the list."""
        gap = self.text[self.nums[j].end:self.nums[i].start]
        return (any(c in gap for c in LIST_MARKS) and not any(c in gap for c in CLAUSE_MARKS)
                and not any(b in gap for b in self.rules.list_breakers))

    def _unit_ok(self, i: int, metric: Metric) -> bool:
        return self.nums[i].unit in metric.units

    def _inherit(self, i: int) -> Match | None:
        if i == 0 or self.found[i - 1] is None or not self._joined(i - 1, i):
            return None
        prev = self.found[i - 1]
        if not self._unit_ok(i, prev.metric) or self._umbrella(self._own_start(i), self.nums[i].start) is not None:
            return None
        if self.view.contains(prev.metric.exclusions, self.nums[i - 1].end, self._post_range(i)[1]):
            return None
        return prev

    def _propagate_back(self, i: int, match: Match) -> None:
        j = i - 1
        while j >= 0 and self.found[j] is None and self._joined(j, j + 1) and self._unit_ok(j, match.metric):
            self.found[j] = match
            j -= 1

    def _topic(self, i: int, own_lo: int) -> Match | None:
        """A trigger in the words before the number's own, back to the previous number, when no other
        number stands in the number's clause (在村、学校开展“以案释法”、民法典宣传等活动10场次)."""
        lo = self.nums[i - 1].end if i else 0
        if own_lo <= lo or lo > clause_start(self.text, self.nums[i].start, CLAUSE_MARKS):
            return None
        return self._best(i, self.view_matches(lo, own_lo), lo, self._post_range(i)[1], nearest_last=True)

    # ── what a match yields ─────────────────────────────────────────────────────────────────
    def _is_part(self, i: int) -> bool:
        """A number after 其中 (earlier in its sentence) when a number before 其中 has the same metric:
        a part of that total, never added to it. A part named surely (其中持证28名) of a total named
        weakly (执法人员40名) is the figure itself and stays."""
        n, match = self.nums[i], self.found[i]
        for marker in self.rules.part_markers:
            k = self.text.rfind(marker, 0, n.start)
            if k < 0:
                continue
            totals = [self.found[j] for j in range(i) if self.nums[j].end <= k and self.found[j] is not None
                      and self.found[j].metric.key == match.metric.key]
            if totals and not (totals[-1].weak and not match.weak):
                other = self._other_metric(i, match.metric.key)
                if other is None:
                    return True
                self.found[i] = other  # 诉讼3宗，其中1宗行政诉讼案件败诉: the part is the lost ones
                return self._is_part(i)
        return False

    def _other_metric(self, i: int, key: str) -> Match | None:
        """A sure trigger of another metric in the number's own clause or right after it: the part that
        a 其中 singles out by a second metric's word (其中1宗行政诉讼案件一审败诉) belongs to that metric."""
        lo, hi = self._own_start(i), self._post_range(i)[1]
        keep = [m for m in self.view_matches(lo, hi, i)
                if m.metric.key != key and not m.weak and self._unit_ok(i, m.metric)
                and not self.view.contains(m.metric.exclusions, lo, hi)]
        return max(keep, key=lambda m: m.end) if keep else None

    def _negated(self, i: int) -> bool:
        """未发生一起…, 无一例…: a 'one' right after a negation says none."""
        before = self.text[:self.nums[i].start]
        return self.nums[i].value == 1 and before.endswith(self.rules.negation_before)

    def _shared(self, match: Match) -> bool:
        """A single-body metric whose body is listed with other bodies (党委会、中心组共学法8次)."""
        if not match.metric.single_body:
            return False
        lo = clause_start(self.text, match.first, CLAUSE_MARKS)
        verbs = [p + len(v) for v in self.rules.content_verbs for p in self.view.occurrences(v) if lo <= p < match.first]
        lo = max(verbs, default=lo)  # 将宪法、民法典纳入中心组: what is studied, not several bodies
        head_end = match.first + len(match.trigger.parts[0])  # 理论中心组、班子会等: listed first
        return bool(self._coordinators(lo, match.first) or self._coordinators(head_end, head_end + 1))

    def _joined_with_other_bodies(self, i: int, match: Match) -> bool:
        """A single-body metric's phrase joined, before its number, to another group's (中心组学习内容和公职人员
        学法内容，全年学习12次; 中心组理论学习和各类法治培训5次): the count is shared."""
        head_end = match.first + len(match.trigger.parts[0])   # the body's own word (中心组)
        if not match.metric.single_body or head_end > self.nums[i].start:
            return False
        for _, end in self._coordinators(head_end, self.nums[i].start):
            if self.view.contains(self.rules.other_bodies, end, self.nums[i].start):
                return True
        return False

    def _coordinators(self, lo: int, hi: int) -> list[tuple[int, int]]:
        """(start, end) of each coordinator token (、 和 及 ...) inside [lo, hi), in order."""
        return sorted({(p, p + len(c)) for c in self.rules.coordinators for p in self.view.occurrences_raw(c)
                       if lo <= p < hi and self.view.is_token(p, p + len(c))})

    def _general(self, i: int) -> bool:
        n = self.nums[i]
        lo = clause_start(self.text, n.start, CLAUSE_MARKS)
        return self.view.contains(self.rules.general_markers, lo, n.start)

    def _each(self, i: int, match: Match) -> list[Attribution]:
        n = self.nums[i]
        lo = clause_start(self.text, n.start, CLAUSE_MARKS)
        lower = self.view.contains(self.rules.lower_level_markers, lo, n.start)  # 村级调委会共调解3起: a part
        general = self._general(i) and not lower
        total = self.view.contains(self.rules.total_markers, lo, n.start) and not lower
        flags = (general, self.view.contains(self.rules.earlier_year_words, lo, n.start), total,
                 self._clause_holds(self.rules.planned_markers, i), self._clause_holds(self.rules.actual_markers, i),
                 total and self.view.contains(self.rules.grand_total_markers, lo, n.start),
                 general and self._lower_level_named(i, match.metric))
        k = self._each_position(i)
        if k is None:
            return [Attribution(n, match.metric, n.value, not match.weak, *flags)]
        count, per_item = self._bodies(i, k)
        if per_item:
            return [Attribution(n, m, n.value, True, *flags) for m in per_item]
        return [Attribution(n, match.metric, n.value * count, not match.weak, *flags)]

    def _lower_level_named(self, i: int, metric: Metric) -> bool:
        """The sentence names `metric` for a lower-level body outside the number's clause (…4人，实现村(社区)
        法律顾问全覆盖): a lower-level marker right before one of the metric's triggers."""
        lo, hi = clause_start(self.text, self.nums[i].start, CLAUSE_MARKS), clause_end(self.text, self.nums[i].end)
        for marker in self.rules.lower_level_markers:
            for p in self.view.occurrences_raw(marker):
                end = p + len(marker)
                if not lo <= p < hi and any(m.first == end for m in self.view.trigger_matches(
                        metric, end, len(self.text), end)):
                    return True
        return False

    def _each_position(self, i: int) -> int | None:
        n, marker = self.nums[i], self.rules.each_marker
        lo = max(clause_start(self.text, n.start, CLAUSE_MARKS), self.nums[i - 1].end if i else 0)
        k = self.text.rfind(marker, lo, n.start)
        while k >= 0 and any(self.text.startswith(w, k + len(marker)) for w in self.rules.each_not_before):
            k = self.text.rfind(marker, lo, k)
        return k if k >= 0 else None

    def _bodies(self, i: int, k: int) -> tuple[int, list[Metric]]:
        """How many bodies 各 refers to, and their metrics when each listed item names its own."""
        lo = clause_start(self.text, k, CLAUSE_MARKS)
        for j in range(i - 1, -1, -1):
            m = self.nums[j]
            gap = self.text[m.end:k]
            if lo <= m.start and m.end <= k and len(gap) <= _MULTIPLIER_GAP and not any(c in gap for c in LIST_MARKS):
                self.consumed.add(j)
                return int(m.value), []
        items = self._split_items(lo, k)
        metrics = [self._item_metric(a, b, i) for a, b in items]
        if len(items) > 1 and all(metrics) and len({m.key for m in metrics}) == len(metrics):
            return 1, metrics
        return max(1, len(items)), []

    def _split_items(self, lo: int, hi: int) -> list[tuple[int, int]]:
        items, start = [], lo
        for a, b in self._coordinators(lo, hi):
            items.append((start, a))
            start = b
        items.append((start, hi))
        return [(a, b) for a, b in items if b > a]

    def _item_metric(self, lo: int, hi: int, i: int) -> Metric | None:
        best = self._best(i, self.view_matches(lo, hi), lo, hi, nearest_last=True)
        return best.metric if best is not None else None


def _overlap(a: Match, b: Match) -> bool:
    """Whether two matches share characters (持证执法人员: strong 持证执法 and weak 执法人员)."""
    return a.first < b.end and b.first < a.end
