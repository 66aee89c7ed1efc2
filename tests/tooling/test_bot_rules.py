"""Bot rules and the crawler-user-agents list: what they catch, what they spare, how made."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from resume_tools.artifacts import bot_rules
from resume_tools.artifacts.bot_rules import (
    DROPPED_PATTERNS,
    build_rules,
    installed_list,
    list_examples,
    render,
    write_rules,
)
from resume_tools.artifacts.regex_literals import Literal, Unsupported, required_literals
from resume_tools.bench.browser_agents import BROWSER_AGENTS
from resume_tools.errors import OpsError
from visitor_counter import bots
from visitor_counter.bots import CrawlerListUnavailable, Matcher, RuleSet, load_crawler_list
from visitor_counter.counting_rules import default_bot_rules

LIST_COVERAGE_TARGET = 0.95


def test_the_lists_own_examples_are_bots() -> None:
    examples = list_examples()

    caught = sum(map(default_bot_rules().is_bot, examples)) / len(examples)

    print(f"bot rules catch {caught:.2%} of the list's {len(examples)} examples")
    assert caught >= LIST_COVERAGE_TARGET


@pytest.mark.parametrize("agent", BROWSER_AGENTS.values(), ids=BROWSER_AGENTS.keys())
def test_no_browser_is_a_bot(agent: str) -> None:
    assert not default_bot_rules().is_bot(agent)


def test_the_browser_corpus_is_broad() -> None:
    assert len(BROWSER_AGENTS) >= 50


OUR_BOTS = [
    "",
    "   ",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Unknown; Linux x86_64) AppleWebKit/538.1 (KHTML, like Gecko) PhantomJS/2.1.1 "
    "Safari/538.1",
    "Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse",
    "Mozilla/5.0 (compatible; NewThing/1.0; +https://newthing.example/about)",
    "Mozilla/5.0 (compatible; NewThing/1.0; +http://newthing.example/about)",
    "NewThing/1.0 (+www.newthing.example)",
    "SomeNewCrawler/0.1",
    "curl/8.5.0",
    "Wget/1.21.4",
    "python-requests/2.32.3",
    "Python-urllib/3.12",
    "Python/3.12 aiohttp/3.10.5",
    "python-httpx/0.27.0",
    "Go-http-client/2.0",
    "okhttp/4.12.0",
    "Java/21.0.1",
    "axios/1.7.7",
    "node-fetch/1.0 (+https://github.com/bitinn/node-fetch)",
    "node-fetch",
    "undici",
    "PostmanRuntime/7.42.0",
    "HTTPie/3.2.3",
    "libwww-perl/6.77",
    "GuzzleHttp/7",
]


@pytest.mark.parametrize("agent", OUR_BOTS)
def test_our_own_rules_catch_what_the_list_may_not(agent: str) -> None:
    assert default_bot_rules().is_bot(agent)


@pytest.mark.parametrize(
    ("pattern", "literals"),
    [
        ("Googlebot", [Literal("googlebot")]),
        (r"Googlebot\/", [Literal("googlebot/")]),
        ("[wW]get", [Literal("wget")]),
        ("(sistrix|SISTRIX) [cC]rawler", [Literal("sistrix crawler")]),
        ("Ahrefs(Bot|SiteAudit)", [Literal("ahrefsbot"), Literal("ahrefssiteaudit")]),
        ("Automaton|Newsify Feed Fetcher", [Literal("automaton"), Literal("newsify feed fetcher")]),
        (r"ContextualBot[\s\S]*outcomes\.net", [Literal("contextualbot")]),
        (r"BlogTraffic\/\d\.\d+ Feed-Fetcher", [Literal(" feed-fetcher")]),
        ("^curl", [Literal("curl", at_start=True)]),
        ("GoogleAssociationService$", [Literal("googleassociationservice", at_end=True)]),
        (
            "AdsBot-Google([^-]|$)",
            [Literal("adsbot-google"), Literal("adsbot-google", at_end=True)],
        ),
        (r"(^| )sentry\/", [Literal(" sentry/"), Literal("sentry/", at_start=True)]),
    ],
)
def test_a_pattern_stands_for_the_literals_it_requires(
    pattern: str, literals: list[Literal]
) -> None:
    assert required_literals(pattern) == literals


@pytest.mark.parametrize("pattern", ["(?i)bot", r"\d+", "ab", "a(b|c", "x{,3}"])
def test_patterns_the_reader_cannot_reduce_are_refused(pattern: str) -> None:
    with pytest.raises(Unsupported):
        required_literals(pattern)


def test_an_irreducible_pattern_stays_a_regex_and_still_matches(tmp_path: Path) -> None:
    rules = build_rules([{"pattern": r"x\d{3}y", "instances": []}], "test")
    data = tmp_path / "crawler_patterns.json"
    data.write_bytes(render(rules))

    matcher = Matcher(load_crawler_list(data))

    assert rules["regexes"] == [r"x\d{3}y"]
    assert matcher.matches("agent x123y")
    assert not matcher.matches("agent xy")


def test_a_regex_the_function_could_not_compile_stops_the_build() -> None:
    with pytest.raises(OpsError, match=re.escape(r"`(?i)x\d{3}y` cannot be one branch")):
        build_rules([{"pattern": r"(?i)x\d{3}y", "instances": []}], "test")


def test_a_word_that_is_enough_alone_stays_so_when_rules_merge() -> None:
    alone = RuleSet(keyed={"fetch": frozenset()})
    paired = RuleSet(keyed={"fetch": frozenset({"node-fetch"})})

    assert (alone | paired).keyed == {"fetch": frozenset()}
    assert (paired | alone).keyed == {"fetch": frozenset()}
    assert (paired | paired).keyed == {"fetch": frozenset({"node-fetch"})}


@pytest.mark.parametrize("pattern", DROPPED_PATTERNS)
def test_dropped_patterns_are_still_in_the_list_and_nowhere_in_the_rules(pattern: str) -> None:
    literal = required_literals(pattern)[0].text

    assert pattern in {entry["pattern"] for entry in installed_list()}
    assert literal not in bots.DATA_FILE.read_text(encoding="utf-8")


def test_the_data_file_is_byte_identical_run_after_run(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()

    first = write_rules(tmp_path / "a").read_bytes()
    second = write_rules(tmp_path / "b").read_bytes()

    assert first == second == bots.DATA_FILE.read_bytes()


def test_the_lists_order_does_not_change_the_rules() -> None:
    entries = installed_list()

    assert render(build_rules(entries, "x")) == render(build_rules(entries[::-1], "x"))


def test_a_stale_data_file_is_rewritten(tmp_path: Path) -> None:
    (tmp_path / "crawler_patterns.json").write_text('{"inputs_sha256": "old"}\n')

    written = write_rules(tmp_path)

    assert written.read_bytes() == bots.DATA_FILE.read_bytes()


def test_without_the_list_installed_no_rules_are_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bot_rules, "PACKAGE", "no_such_crawler_list")

    with pytest.raises(OpsError, match="crawler-user-agents is not installed"):
        write_rules(tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_a_data_file_for_another_word_split_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "crawler_patterns.json"
    data.write_text(bots.DATA_FILE.read_text().replace(bots.WORD_CHARS, "abc"))

    with pytest.raises(CrawlerListUnavailable, match="other word characters"):
        load_crawler_list(data)
