"""The guideline engine (content.guidelines): pure checks, no database needed."""

import datetime as dt
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from content import guidelines as g
from content.guidelines import ImageSpec, PeriodSpec, RuleSpec

ALLOWED = ["francetravail.fr", "pole-emploi.fr"]


def term(pattern, severity=g.BLOCKING, **kwargs):
    return RuleSpec(kind=g.TERM, pattern=pattern, severity=severity, explanation="Pourquoi.", **kwargs)


def check(text, network="linkedin", *rules, **kwargs):
    kwargs.setdefault("periods", ())
    kwargs.setdefault("allowed_domains", ALLOWED)
    return g.check_text(text=text, network=network, rules=list(rules), **kwargs)


def matched(text, pattern):
    return [text[start:end] for start, end in g.find_term(text, pattern)]


class TestNormalisation:
    def test_case_accents_and_compatibility_forms_are_folded(self):
        assert g.fold("PRÉFÉRÉ") == "prefere"
        assert g.fold("ﬁdèle") == "fidele"  # ligature
        assert g.fold("ＰＯＬＥ") == "pole"  # fullwidth
        assert g.fold("Straße") == "strasse"
        assert g.fold("l’emploi") == "l'emploi"

    def test_decomposed_and_composed_forms_fold_alike(self):
        composed = unicodedata.normalize("NFC", "préférée")
        decomposed = unicodedata.normalize("NFD", "préférée")
        assert composed != decomposed
        assert g.fold(composed) == g.fold(decomposed)

    def test_offsets_point_back_to_the_typed_characters(self):
        text = "Un ﬁlm PRE\u0301FE\u0301RE\u0301 !"
        assert matched(text, "préféré") == ["PRE\u0301FE\u0301RE\u0301"]

    @given(st.text(max_size=200))
    def test_offsets_are_monotonic_and_in_range(self, text):
        normalised = g.normalise(text)
        assert len(normalised.offsets) == len(normalised.text)
        assert list(normalised.offsets) == sorted(normalised.offsets)
        assert all(0 <= offset < len(text) for offset in normalised.offsets)


class TestTerms:
    @pytest.mark.parametrize(
        "text",
        ["le site préféré", "PREFERES", "la solution préférée", "Préférées !", "pre\u0301fe\u0301re\u0301", "PRÉFÉRÉ."],
    )
    def test_preferred_and_its_inflections_are_caught(self, text):
        assert matched(text, "préféré")

    @pytest.mark.parametrize("text", ["un référé", "préférence", "préférer", "REFERES", "apréféré"])
    def test_other_words_are_not(self, text):
        assert matched(text, "préféré") == []

    def test_multi_word_terms_take_any_spacing(self):
        text = "Nouveau RECORD   de\nfréquentation !"
        assert matched(text, "record de fréquentation") == ["RECORD   de\nfréquentation"]
        assert matched("records de fréquentations", "record de fréquentation")

    def test_function_words_contract_and_elide(self):
        assert matched("Champions du monde", "champion de") == ["Champions du"]
        assert matched("championne d’Europe", "champion de") == ["championne d’"]
        assert matched("champion des placements", "champion de") == ["champion des"]
        assert matched("un champion", "champion de") == []
        assert matched("champion deux fois", "champion de") == []

    def test_numbers_and_signs(self):
        assert matched("le N° 1 de l'emploi", "n°1") == ["N° 1"]
        assert matched("nº1 !", "n°1") == ["nº1"]
        assert matched("le n°10", "n°1") == []

    def test_regular_french_plurals(self):
        assert matched("leaders nationaux", "leader national") == ["leaders nationaux"]
        assert matched("de nouveaux records", "nouveau record") == ["nouveaux records"]
        assert matched("préférex", "préféré") == []

    def test_short_words_are_not_inflected(self):
        assert matched("grâce à nous", "grâce à nous")
        assert matched("grâce à nouslesfemmes", "grâce à nous") == []
        assert matched("leaders", "leader")
        assert matched("leadership", "leader") == []

    def test_warning_rule_gives_a_warning_with_its_explanation(self):
        (finding,) = check("Fiers de nos équipes", "linkedin", term("fier de", g.WARNING, suggestion="Merci à"))
        assert finding.severity == g.WARNING
        assert (finding.start, finding.end) == (0, 8)
        assert finding.explanation == "Pourquoi."
        assert finding.suggestion == "Merci à"
        assert not g.has_blocking([finding])

    @settings(max_examples=60)
    @given(
        before=st.text(alphabet=" .,;!?\n", max_size=5),
        after=st.text(alphabet=" .,;!?\n", max_size=5),
        variant=st.sampled_from(
            ["préféré", "PREFERE", "préférée", "Préférés", "PRÉFÉRÉES", "pre\u0301fe\u0301re\u0301"]
        ),
        noise=st.text(alphabet="abcdefghijklmnopqrstuvwxyz ", max_size=20),
    )
    def test_an_inflection_between_separators_is_always_found(self, before, after, variant, noise):
        text = noise + " " + before + variant + after + " " + noise
        spans = g.find_term(text, "préféré")
        assert any(text[s:e] == variant for s, e in spans)

    @given(st.text(alphabet="abcdefghijklmnopqrstuvwxyzéèêàç '-", max_size=60))
    def test_every_match_folds_to_an_inflection_of_the_term(self, text):
        for start, end in g.find_term(text, "préféré"):
            assert g.fold(text[start:end]) in {"prefere", "preferee", "preferes", "preferees"}

    def test_term_limited_to_a_period_applies_only_during_it(self):
        period = PeriodSpec("Chiffres du chômage", dt.date(2026, 1, 26), dt.date(2026, 1, 28), id=7)
        rule = term("taux de chômage", g.WARNING, during_ids=(7,))
        text = "Le taux de chômage baisse"
        assert check(text, "x", rule, at=dt.date(2026, 1, 10), periods=[period]) == []
        found = check(text, "x", rule, at=dt.date(2026, 1, 27), periods=[period])
        assert {f.kind for f in found} == {g.TERM, g.SENSITIVE_PERIOD}


class TestHashtags:
    RULE = RuleSpec(kind=g.REQUIRED_HASHTAG, pattern="AvecPôleEmploi")

    @pytest.mark.parametrize(
        "text", ["#AvecPôleEmploi", "merci #avecpoleemploi", "#AVECPOLEEMPLOI!", "＃AvecPoleEmploi"]
    )
    def test_required_hashtag_found_whatever_its_case_and_accents(self, text):
        assert check(text, "x", self.RULE) == []

    @pytest.mark.parametrize("text", ["AvecPôleEmploi", "#AvecPôleEmploiBis", "#Avec PôleEmploi", "a#AvecPoleEmploi"])
    def test_required_hashtag_must_be_a_whole_tag(self, text):
        (finding,) = check(text, "x", self.RULE)
        assert finding.kind == g.REQUIRED_HASHTAG and finding.is_blocking

    def test_at_most_n_hashtags(self):
        rule = RuleSpec(kind=g.MAX_HASHTAGS, parameter=3, severity=g.WARNING)
        assert check("#a #b #c", "x", rule) == []
        text = "#a #b #c #d #e"
        (finding,) = check(text, "x", rule)
        assert text[finding.start : finding.end] == "#d #e"
        assert finding.severity == g.WARNING

    def test_numbers_are_not_hashtags(self):
        assert [t for t, _s, _e in g.hashtags("#1 #2026 #emploi_2026")] == ["emploi_2026"]


class TestCapitals:
    RULE = RuleSpec(kind=g.CAPITALS, parameter=60, severity=g.WARNING)

    def test_shouting_is_flagged(self):
        (finding,) = check("VENEZ NOMBREUX AU FORUM DE L'EMPLOI DEMAIN", "x", self.RULE)
        assert finding.kind == g.CAPITALS

    def test_short_text_hashtags_and_links_are_ignored(self):
        assert check("RDV À 14H", "x", self.RULE) == []
        assert check("Forum demain #AVECPOLEEMPLOI #FORUMEMPLOI https://WWW.FRANCETRAVAIL.FR/ABC", "x", self.RULE) == []

    def test_normal_sentence_with_acronyms_is_not(self):
        assert check("Le forum de la DR Bretagne ouvre demain à Rennes avec la CAF", "x", self.RULE) == []


class TestLength:
    def test_x_counts_a_link_as_23(self):
        url = "https://www.francetravail.fr/" + "a" * 100
        assert g.weighted_length(f"Voir {url}", "x") == 5 + 23
        assert g.weighted_length("francetravail.fr", "x") == 23

    def test_x_weighs_emoji_and_cjk_two(self):
        assert g.weighted_length("é", "x") == 1
        assert g.weighted_length("e\u0301", "x") == 1  # NFC first
        assert g.weighted_length("👍", "x") == 2
        assert g.weighted_length("👍🏽", "x") == 2
        assert g.weighted_length("👩‍👩‍👧‍👦", "x") == 2
        assert g.weighted_length("🇫🇷", "x") == 2
        assert g.weighted_length("日本語", "x") == 6
        assert g.weighted_length("“ok” – …", "x") == 9  # curly quotes and the dash weigh 1, … 2

    def test_x_limit_is_280_weighted(self):
        rule = RuleSpec(kind=g.LENGTH)
        assert check("a" * 280, "x", rule) == []
        (finding,) = check("a" * 279 + "👍", "x", rule)
        assert finding.kind == g.LENGTH and "281" in finding.message
        assert check("日" * 140, "x", rule) == []
        assert check("日" * 141, "x", rule)

    def test_mastodon_counts_links_23_and_mentions_without_instance(self):
        assert g.weighted_length("https://francetravail.fr/" + "a" * 80, "mastodon") == 23
        assert g.weighted_length("@marie@mastodon.social", "mastodon") == len("@marie")
        assert g.weighted_length("👩‍👩‍👧‍👦", "mastodon") == 1

    def test_bluesky_counts_graphemes(self):
        assert g.weighted_length("👩‍👩‍👧‍👦🇫🇷e\u0301", "bluesky") == 3
        rule = RuleSpec(kind=g.LENGTH)
        assert check("é" * 300, "bluesky", rule) == []
        assert check("é" * 301, "bluesky", rule)

    def test_other_networks_and_their_limits(self):
        rule = RuleSpec(kind=g.LENGTH)
        for network, limit in (("linkedin", 3000), ("instagram", 2200), ("facebook", 63206), ("mastodon", 500)):
            assert check("a" * limit, network, rule) == []
            assert check("a" * (limit + 1), network, rule)

    def test_rule_limited_to_some_networks(self):
        rule = RuleSpec(kind=g.LENGTH, networks=("x",))
        assert check("a" * 400, "bluesky", rule) == []
        assert check("a" * 400, "x", rule)

    @given(
        st.text(alphabet=st.characters(max_codepoint=0x10FF, exclude_categories=("Cs", "Mn", "Me", "Mc")), max_size=80)
    )
    def test_x_length_of_latin_text_without_links_is_its_length(self, text):
        text = unicodedata.normalize("NFC", text.replace(".", " "))
        assert g.weighted_length(text, "x") == len(text)

    @given(st.lists(st.sampled_from(["a", "é", "日", "👍", "👍🏽", "🇫🇷", " "]), max_size=50))
    def test_x_length_is_the_sum_of_its_parts(self, parts):
        weights = {"a": 1, "é": 1, "日": 2, "👍": 2, "👍🏽": 2, "🇫🇷": 2, " ": 1}
        # Two adjacent flags stay two flags: regional indicators pair up in order.
        assert g.weighted_length("".join(parts), "x") == sum(weights[p] for p in parts)

    @pytest.mark.parametrize(
        ("text", "count"),
        [
            ("abc", 3),
            ("e\u0301te\u0301", 4),
            ("\r\n\n", 2),
            ("\u1100\u1161\u11a8", 1),  # Hangul jamo L V T make one syllable
            ("한국어", 3),
            ("🇫🇷🇩🇪🇮", 3),
            ("👩🏽‍💻!", 2),
            ("a\u200db", 1),
        ],
    )
    def test_grapheme_clusters(self, text, count):
        assert len(g.graphemes(text)) == count

    @given(st.text(max_size=120))
    def test_grapheme_clusters_rebuild_the_text(self, text):
        clusters = g.graphemes(text)
        assert "".join(clusters) == text
        assert all(clusters)


class TestLinks:
    RULE = RuleSpec(kind=g.LINK_ALLOWLIST)

    def test_allowed_domain_and_subdomains_pass(self):
        assert check("https://www.francetravail.fr/emploi", "x", self.RULE) == []
        assert check("https://candidat.pole-emploi.fr/offres", "x", self.RULE) == []
        assert check("", "x", self.RULE, link="https://francetravail.fr/") == []

    def test_other_domains_http_and_lookalikes_are_blocked(self):
        for url in (
            "https://evil.com/francetravail.fr",
            "https://francetravail.fr.evil.com/",
            "https://notfrancetravail.fr/",
            "http://www.francetravail.fr/",
            "https://francetravail.fr@evil.com/",
        ):
            findings = check("", "x", self.RULE, link=url)
            assert findings and findings[0].is_blocking, url

    def test_links_in_the_text_are_located(self):
        text = "Voir http://exemple.com/page."
        (finding,) = check(text, "x", self.RULE)
        assert text[finding.start : finding.end] == "http://exemple.com/page"

    def test_bare_domains_in_the_text_are_checked(self):
        assert check("sur exemple.com !", "x", self.RULE)
        assert check("sur francetravail.fr !", "x", self.RULE) == []


class TestImagesAndPeriods:
    def test_image_without_alt_is_blocking_and_videos_are_skipped(self):
        rule = RuleSpec(kind=g.IMAGE_ALT)
        images = [ImageSpec("Une conseillère"), ImageSpec("  "), {"alt_text": "", "kind": "video"}]
        (finding,) = check("", "x", rule, images=images)
        assert finding.kind == g.IMAGE_ALT and "2" in finding.message

    def test_sensitive_period_inclusive_bounds(self):
        period = PeriodSpec("Réserve électorale", dt.date(2026, 3, 1), dt.date(2026, 3, 15), g.BLOCKING, "Réserve.")
        for day, expected in ((dt.date(2026, 2, 28), 0), (dt.date(2026, 3, 1), 1), (dt.date(2026, 3, 15), 1)):
            assert len(check("texte", "x", at=day, periods=[period])) == expected
        (finding,) = check("texte", "x", at=dt.date(2026, 3, 2), periods=[period])
        assert finding.is_blocking and finding.explanation == "Réserve."

    def test_inactive_rules_and_periods_are_ignored(self):
        rule = RuleSpec(kind=g.TERM, pattern="préféré", is_active=False)
        period = PeriodSpec("x", dt.date(2000, 1, 1), dt.date(2100, 1, 1), is_active=False)
        assert check("préféré", "x", rule, periods=[period]) == []


class TestHighlight:
    def test_pieces_rebuild_the_text_and_mark_findings(self):
        text = "Le site préféré des Français, fiers de nous"
        findings = check(text, "x", term("préféré"), term("fier de", g.WARNING))
        pieces = g.highlight(text, findings)
        assert "".join(p.text for p in pieces) == text
        assert [(p.text, p.severity) for p in pieces if p.severity] == [
            ("préféré", g.BLOCKING),
            ("fiers de", g.WARNING),
        ]

    @given(st.text(max_size=80))
    def test_any_text_checks_without_error(self, text):
        rules = [
            term("préféré"),
            term("champion de"),
            RuleSpec(kind=g.REQUIRED_HASHTAG, pattern="AvecPôleEmploi"),
            RuleSpec(kind=g.MAX_HASHTAGS, parameter=3),
            RuleSpec(kind=g.CAPITALS, parameter=60),
            RuleSpec(kind=g.LENGTH),
            RuleSpec(kind=g.LINK_ALLOWLIST),
        ]
        for network in ("x", "bluesky", "mastodon"):
            findings = check(text, network, *rules)
            assert "".join(p.text for p in g.highlight(text, findings)) == text
            for finding in findings:
                if finding.start is not None:
                    assert 0 <= finding.start <= finding.end <= len(text)
