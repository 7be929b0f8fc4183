"""Rich text written in a text box (advocacy/richtext.py): what is typed is never lost, and
comes back as typed when the box is opened again."""

import re

import pytest

from advocacy import richtext
from advocacy.richtext import from_editable, to_editable

TYPED_AS_TEXT = [
    # A "<" that starts no tag is text, wherever it is.
    ("x<y", "<p>x&lt;y</p>"),
    ("a <b c", "<p>a &lt;b c</p>"),
    ("<3", "<p>&lt;3</p>"),
    ("5 < 6 et 7 > 2", "<p>5 &lt; 6 et 7 &gt; 2</p>"),
    ("Écrire à <prénom>.<nom>@francetravail.fr", "<p>Écrire à &lt;prénom&gt;.&lt;nom&gt;@francetravail.fr</p>"),
    ("si a<b et b>c\nalors a<c", "<p>si a&lt;b et b&gt;c<br>alors a&lt;c</p>"),
    ("<b c> et <strong x> ou </ strong>", "<p>&lt;b c&gt; et &lt;strong x&gt; ou &lt;/ strong&gt;</p>"),
    # Text that reads as a tag, typed as an entity, stays that text.
    ("&lt;strong> met en gras", "<p>&lt;strong&gt; met en gras</p>"),
    # Next to a tag typed on purpose, which still works.
    ("<strong>x<y</strong> et <em>a <b c</em>", "<p><strong>x&lt;y</strong> et <em>a &lt;b c</em></p>"),
    # A block keeps its blank lines: a <pre> stays one block, as do a quote, a list, a table.
    ("<pre>def f(a, b):\n    return a<b\n\n\nf(1, 2)</pre>", "<pre>def f(a, b):\n    return a&lt;b\n\n\nf(1, 2)</pre>"),
    ("Avant\n\n<pre>a\n\nb</pre>\n\nAprès", "<p>Avant</p><pre>a\n\nb</pre><p>Après</p>"),
    (
        "<blockquote>\n<p>Premier</p>\n\n<p>Second</p>\n</blockquote>\n\nLa suite",
        "<blockquote>\n<p>Premier</p>\n\n<p>Second</p>\n</blockquote><p>La suite</p>",
    ),
    ("<ul>\n<li>un</li>\n\n<li>deux</li>\n</ul>", "<ul>\n<li>un</li>\n\n<li>deux</li>\n</ul>"),
    ("<ol>\n<li>un\n\nsuite</li>\n</ol>", "<ol>\n<li>un\n\nsuite</li>\n</ol>"),
    (
        "<table><tbody><tr><td>a\n\nb</td></tr></tbody></table>",
        "<table><tbody><tr><td>a\n\nb</td></tr></tbody></table>",
    ),
    # Blocks side by side on the page are typed a blank line apart; not so inside a list.
    (
        "<h2>Titre</h2>\n\n<ul><li>un<ul><li>a</li></ul><ol><li>b</li></ol></li></ul>\n\n<hr>\n\n<pre>x</pre>",
        "<h2>Titre</h2><ul><li>un<ul><li>a</li></ul><ol><li>b</li></ol></li></ul><hr><pre>x</pre>",
    ),
    # Allowed tags typed on purpose, as before.
    (
        'Un <strong>mot</strong>, un <a href="https://www.francetravail.fr/">lien</a>\n\n<h2>Titre</h2>',
        '<p>Un <strong>mot</strong>, un <a href="https://www.francetravail.fr/" rel="noopener noreferrer">lien'
        "</a></p><h2>Titre</h2>",
    ),
]


@pytest.mark.parametrize(("typed", "stored"), TYPED_AS_TEXT)
def test_what_is_typed_is_stored_and_comes_back_as_typed(typed, stored):
    assert from_editable(typed) == stored
    assert to_editable(stored) == typed


@pytest.mark.parametrize(
    ("typed", "stored", "shown"),
    [
        # A block typed right under a paragraph ends it, as on the page, and is not given
        # its line breaks; the box then shows the blank line the page has.
        ("Intro\n<pre>a\n\nb</pre>", "<p>Intro</p><pre>a\n\nb</pre>", "Intro\n\n<pre>a\n\nb</pre>"),
        ("Voir : <pre>a\nb</pre>", "<p>Voir :</p><pre>a\nb</pre>", "Voir :\n\n<pre>a\nb</pre>"),
        (
            "Intro\n<ul>\n<li>un</li>\n</ul>",
            "<p>Intro</p><ul>\n<li>un</li>\n</ul>",
            "Intro\n\n<ul>\n<li>un</li>\n</ul>",
        ),
        # Tags of HTML that are not allowed are removed, as before; other text stays.
        ("Un <script>alert(1)</script><span>mot</span> <x<y", "<p>Un mot &lt;x&lt;y</p>", "Un mot <x<y"),
        # A "<" in a link's title is written as nh3 writes it in a tag.
        (
            'Voir <a href="https://www.francetravail.fr/" title="1 < 2">le site</a>',
            '<p>Voir <a href="https://www.francetravail.fr/" title="1 &lt; 2" rel="noopener noreferrer">'
            "le site</a></p>",
            'Voir <a href="https://www.francetravail.fr/" title="1 &lt; 2">le site</a>',
        ),
    ],
)
def test_what_the_page_shows_is_kept(typed, stored, shown):
    assert from_editable(typed) == stored
    assert to_editable(stored) == shown
    assert from_editable(shown) == stored


@pytest.mark.parametrize(
    "stored",
    [
        # A "&lt;" shown as "<" where that would not start a tag, and only there: each is
        # judged on what follows it in the box.
        "<p>&lt;a &lt;b&gt; c</p>",
        '<p>&lt;a title="&lt;b"&gt;</p>',
        '<p>&lt;b title="<strong>x</strong>"&gt;</p>',
        "<p>&lt;&lt;&lt;strong&gt;&gt;&gt;</p>",
        "<p>&amp;lt;b&amp;gt; et &lt;b&gt; et a&lt;b</p>",
        "<pre>&lt;pre&gt;\n\n&lt;/pre&gt;</pre>",
    ],
)
def test_stored_text_comes_back_unchanged(stored):
    assert from_editable(to_editable(stored)) == stored


@pytest.mark.parametrize(
    "typed",
    [
        '<a href="javascript:alert(1)">x</a>',
        '<a href="JaVaScRiPt:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        "<svg onload=alert(1)>",
        "<ScRiPt>alert(1)</sCrIpT>",
        "<style>body{}</style>",
        '<p onclick="alert(1)">a</p>',
        '<a href="https://e.fr" onmouseover="alert(1)">a</a>',
        "<<script>script>alert(1)<</script>/script>",
        '<a title="x"onmouseover="alert(1)" href="https://e.fr">x</a>',
    ],
)
def test_a_script_typed_in_the_box_is_inert_on_every_path(typed):
    # Saved from the box, shown in it and saved again, or stored by another way and shown.
    for html in (
        richtext.from_editable(typed),
        richtext.from_editable(richtext.to_editable(typed)),
        richtext.from_editable(richtext.to_editable(richtext.from_editable(typed))),
        str(richtext.render(typed)),
    ):
        assert not re.search(r"<(script|style|svg|img)|\son\w+\s*=|javascript:", html, re.I), html


@pytest.mark.parametrize(
    "typed",
    [
        "<ul>\n<li>un\n\n<ul><li>deux</li></ul>\n\n</li>\n<li>trois</li>\n</ul>",
        "<pre>a &lt;/pre&gt; b\n\nc</pre>",
        "fin avec <",
        "&amp;lt; n’est pas <",
        '<a href="https://e.fr" title="a > b">lien</a> et x<y',
        "<code>&lt;div&gt;</code> puis <prénom>.nom@francetravail.fr",
    ],
)
def test_tricky_text_saved_shown_and_saved_again_is_unchanged(typed):
    saved = richtext.from_editable(typed)
    assert richtext.from_editable(richtext.to_editable(saved)) == saved
