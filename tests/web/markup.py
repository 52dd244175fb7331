"""Reading rendered pages in tests: fields, the messages beside them, what they hold.

A small tree over the standard library's HTML parser, enough to ask "which message is
shown beside this field" and "what value does this field show" without string guessing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def text(self) -> str:
        """All text inside, whitespace collapsed."""
        parts = [c if isinstance(c, str) else c.text() for c in self.children]
        return " ".join(" ".join(parts).split())

    def iter(self):
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Element("document", {})
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, {k: v or "" for k, v in attrs}, parent=self.stack[-1])
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, 0, -1):
            if self.stack[i].tag == tag:
                del self.stack[i:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> Element:
    """The page as a tree."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def by_id(page: Element, element_id: str) -> Element:
    """The element with this id; fails the test when there is none."""
    for element in page.iter():
        if element.attrs.get("id") == element_id:
            return element
    raise AssertionError(f"no element with id {element_id!r} on the page")


def errors_beside(page: Element, field_id: str) -> list[str]:
    """The messages shown in the same form group as the field (Bootstrap's layout)."""
    group = by_id(page, field_id).parent
    while group is not None and "mb-3" not in group.classes:
        group = group.parent
    assert group is not None, f"field {field_id!r} is not inside a form group"
    return [e.text() for e in group.iter() if "invalid-feedback" in e.classes]


def all_errors(page: Element) -> list[str]:
    """Every message shown beside any field."""
    return [e.text() for e in page.iter() if "invalid-feedback" in e.classes]


def value_of(page: Element, field_id: str) -> str | list[str]:
    """What the field shows: an input's value, a textarea's text, a select's chosen values."""
    element = by_id(page, field_id)
    if element.tag == "textarea":
        # As browsers do: CRLF becomes LF, and one newline right after the tag is dropped.
        text = "".join(c for c in element.children if isinstance(c, str)).replace("\r\n", "\n")
        return text[1:] if text.startswith("\n") else text
    if element.tag == "select":
        chosen = [o.attrs["value"] for o in element.iter() if o.tag == "option" and _on(o)]
        return chosen if "multiple" in element.attrs else (chosen[0] if chosen else "")
    if element.attrs.get("type") in {"checkbox", "radio"}:
        return element.attrs.get("value", "") if "checked" in element.attrs else ""
    return element.attrs.get("value", "")


def checked(page: Element, name: str) -> list[str]:
    """The values of the checked radio buttons or checkboxes called `name`."""
    return [
        e.attrs.get("value", "")
        for e in page.iter()
        if e.tag == "input" and e.attrs.get("name") == name and "checked" in e.attrs
    ]


def chosen(page: Element, name: str) -> list[str]:
    """What is chosen for `name`, whether shown as a select, checkboxes or radio buttons."""
    selected = [
        o.attrs["value"]
        for e in page.iter()
        if e.tag == "select" and e.attrs.get("name") == name
        for o in e.iter()
        if o.tag == "option" and _on(o)
    ]
    return list(dict.fromkeys(selected)) + checked(page, name)


def _on(option: Element) -> bool:
    return "selected" in option.attrs


def alerts(page: Element) -> list[str]:
    """The flashed messages and other alerts, as text."""
    return [e.text() for e in page.iter() if "alert" in e.classes]
