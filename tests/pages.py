"""Reading what a rendered page holds, for tests that go through HTTP."""

import html
import re


def textarea_value(response, name: str) -> str:
    """The text a browser shows (and sends back) in the text box `name`."""
    match = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    # Browsers drop the one line break that follows the opening tag.
    return html.unescape(match.group(1)).removeprefix("\r\n").removeprefix("\n")
