"""templates/includes/form.html: errors announced and linked to their fields (WCAG 3.3.1, 1.3.1)."""

from html.parser import HTMLParser

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import translation

from talent_portal.core.forms import PortalForm

VOID = {"input", "br", "img", "hr", "meta", "link", "area", "base", "col", "embed", "source", "wbr"}


class Element:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children, self.text = tag, dict(attrs), parent, [], ""

    def all_text(self) -> str:
        return self.text + "".join(child.all_text() for child in self.children)

    def iter(self):
        yield self
        for child in self.children:
            yield from child.iter()


class Tree(HTMLParser):
    def __init__(self, html: str):
        super().__init__()
        self.root = Element("root", {}, None)
        self.current = self.root
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs, self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.text += data

    def by_id(self, element_id):
        matches = [element for element in self.root.iter() if element.attrs.get("id") == element_id]
        assert len(matches) == 1, f"{len(matches)} elements with id {element_id!r}"
        return matches[0]

    def find_all(self, predicate):
        return [element for element in self.root.iter() if predicate(element)]


class ExampleForm(PortalForm):
    reference = forms.CharField(label="Application reference", help_text="As on your receipt.")
    email = forms.EmailField(label="E-mail")
    kind = forms.ChoiceField(
        label="Kind",
        choices=[("a", "First"), ("b", "Second")],
        widget=forms.RadioSelect,
        help_text="Pick one.",
    )
    agree = forms.BooleanField(label="I agree")

    def clean(self):
        raise forms.ValidationError("The reference and the e-mail do not match.")


def render(form) -> Tree:
    return Tree(render_to_string("includes/form.html", {"form": form}))


def test_a_valid_unbound_form_has_no_summary_and_no_invalid_marks():
    tree = render(ExampleForm())
    assert not tree.find_all(lambda element: "data-error-summary" in element.attrs)
    assert not tree.find_all(lambda element: element.attrs.get("aria-invalid") == "true")
    # Help text is linked even without errors.
    reference = tree.by_id("id_reference")
    assert reference.attrs["aria-describedby"] == "id_reference_helptext"
    assert "As on your receipt." in tree.by_id("id_reference_helptext").all_text()


def test_errors_are_summarised_on_top_announced_and_each_links_to_its_field():
    form = ExampleForm(data={"reference": "", "email": "not-an-address", "kind": "", "agree": ""})
    assert not form.is_valid()
    tree = render(form)
    (summary,) = tree.find_all(lambda element: "data-error-summary" in element.attrs)
    assert summary.attrs["role"] == "alert"
    assert summary.attrs["tabindex"] == "-1"  # static/js/forms.js moves the focus to it
    assert "The reference and the e-mail do not match." in summary.all_text()
    targets = {link.attrs["href"]: link.all_text() for link in summary.iter() if link.tag == "a"}
    assert set(targets) == {"#id_reference", "#id_email", "#id_kind_0", "#id_agree"}
    assert "Application reference" in targets["#id_reference"]
    assert "Enter a valid email address." in targets["#id_email"]
    for href in targets:
        tree.by_id(href[1:])  # every link leads to exactly one element on the page


@pytest.mark.parametrize("name", ["reference", "email", "agree"])
def test_each_invalid_field_is_marked_and_described_by_its_message(name):
    form = ExampleForm(data={"reference": "", "email": "not-an-address", "kind": "", "agree": ""})
    form.is_valid()
    tree = render(form)
    field = tree.by_id(f"id_{name}")
    assert field.attrs.get("aria-invalid") == "true"
    described = field.attrs["aria-describedby"].split()
    assert f"id_{name}_error" in described
    message = tree.by_id(f"id_{name}_error").all_text()
    for error in form.errors[name]:
        assert error in message
    # A label names the field.
    assert tree.find_all(lambda element: element.tag == "label" and element.attrs.get("for") == f"id_{name}")


def test_a_radio_group_is_a_fieldset_described_by_its_help_and_error():
    form = ExampleForm(data={"kind": ""})
    form.is_valid()
    tree = render(form)
    (fieldset,) = tree.find_all(lambda element: element.tag == "fieldset")
    assert fieldset.attrs["aria-describedby"].split() == ["id_kind_helptext", "id_kind_error"]
    assert [element.all_text().strip() for element in fieldset.iter() if element.tag == "legend"][
        0
    ].startswith("Kind")
    radios = [element for element in fieldset.iter() if element.tag == "input"]
    assert [radio.attrs["id"] for radio in radios] == ["id_kind_0", "id_kind_1"]
    assert all(radio.attrs.get("aria-invalid") == "true" for radio in radios)
    assert "This field is required." in tree.by_id("id_kind_error").all_text()


def test_the_summary_speaks_the_language_of_the_page():
    with translation.override("ja"):
        form = ExampleForm(data={})
        form.is_valid()
        html = render_to_string("includes/form.html", {"form": form})
        heading = translation.gettext("Please correct the following:")
    assert heading != "Please correct the following:"
    assert heading in html
