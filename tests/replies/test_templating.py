"""Saved-reply templates as plain functions: what is filled in, what is refused and where."""

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from deskboard.replies import templating
from deskboard.replies.templating import TemplateProblem, check, make_context, render

CONTEXT = make_context(
    ticket={"id": 42, "number": 42, "title": "Printer jams", "status": "open", "priority": "high"},
    requester={"name": "Ann Lee", "email": "ann@example.test"},
    agent={"name": "Bo Agent", "email": "bo@example.test"},
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("Hi {{ requester.name }},", "Hi Ann Lee,"),
        ("#{{ ticket.number }}: {{ ticket.title }}", "#42: Printer jams"),
        ("{{ ticket.status }}/{{ ticket.priority }}", "open/high"),
        ("{{ requester.email }} {{ agent.name }} {{ agent.email }}", ""),
        ("{{ ticket['number'] }}", "42"),
        ("{{ ticket.title | upper }}", "PRINTER JAMS"),
        ("{{ requester.name|lower|title }}", "Ann Lee"),
        ('{% if ticket.priority == "high" %}Soon{% else %}Later{% endif %}', "Soon"),
        ("{{ 'x' if ticket.number > 40 else 'y' }}", "x"),
        ("{# a note to oneself #}plain", "plain"),
        ("{% raw %}{{ not a variable }}{% endraw %}", "{{ not a variable }}"),
        ("line one\n\nline two\n", "line one\n\nline two\n"),
        ("<b>{{ ticket.title }}</b> & *markdown*", "<b>Printer jams</b> & *markdown*"),
    ],
)
def test_a_template_is_filled_in(source, expected):
    check(source)
    out = render(source, CONTEXT)
    if expected:
        assert out == expected
    else:
        assert out == "ann@example.test Bo Agent bo@example.test"


def test_values_are_printed_as_given_not_escaped_or_evaluated():
    context = make_context(
        ticket={"title": "{{ agent.email }} <script>"}, requester={}, agent={"email": "x"}
    )
    assert render("{{ ticket.title }}", context) == "{{ agent.email }} <script>"
    assert render("[{{ requester.name }}]", context) == "[]"  # missing: empty, never an error


@pytest.mark.parametrize(
    ("source", "line", "words"),
    [
        ("{{ ticket.foo }}", 1, "unknown variable ticket.foo"),
        ("Hi\n\n{{ requester.phone }}", 3, "unknown variable requester.phone"),
        ("{{ customer.name }}", 1, "unknown variable customer.name"),
        ("{{ ticket }}", 1, "ticket is a group"),
        ("a\n{{ ticket.number ", 2, "end of print statement"),
        ("{% if ticket.number %}open", 1, "endif"),
        ("{% endfor %}", 1, "endfor"),
        ("x\n{{ }}", 2, "Expected an expression"),
        ("{% for x in ticket %}{{ x }}{% endfor %}", 1, "{% for %} loops"),
        ("{% set x = 1 %}", 1, "{% set %}"),
        ("{% macro m() %}{% endmacro %}", 1, "macros"),
        ("{% include 'x' %}", 1, "{% include %}"),
        ("{% import 'x' as y %}", 1, "{% import %}"),
        ("{% extends 'x' %}", 1, "{% extends %}"),
        ("{% block b %}{% endblock %}", 1, "{% block %}"),
        ("{% filter upper %}x{% endfilter %}", 1, "{% filter %}"),
        ("{{ 'a' * 100000000 }}", 1, "arithmetic"),
        ("{{ 9 ** 9 ** 9 }}", 1, "arithmetic"),
        ("{{ ticket.title ~ 'x' }}", 1, "~"),
        ("{{ [1, 2] }}", 1, "lists"),
        ("{{ ticket.title[0:1] }}", 1, "names may be used"),
        ("{{ ticket.title | format(1) }}", 1, "unknown filter format"),
        ("{{ ticket.title | attr('__class__') }}", 1, "unknown filter attr"),
        ("{{ ticket.title | default(ticket.title) }}", 1, "plain arguments"),
        ("{{ ticket.title is callable }}", 1, "unknown test callable"),
    ],
)
def test_a_bad_template_is_refused_naming_the_line(source, line, words):
    with pytest.raises(TemplateProblem) as caught:
        check(source)
    assert caught.value.line == line
    assert words in str(caught.value)
    assert str(caught.value).startswith(f"line {line}: ")


SANDBOX_ESCAPES = [
    "{{ ''.__class__.__mro__ }}",
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__ }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ range(10**9) }}",
    "{{ self.__init__.__globals__ }}",
    "{{ config }}",
    "{{ request.application }}",
    "{{ ticket.__class__ }}",
    "{{ ticket.items() }}",
    "{{ ticket.title.__class__.__base__ }}",
    "{{ ticket['__class__'] }}",
    "{{ ticket.title.format_map(ticket) }}",
    "{{ (1).__class__ }}",
    "{% for c in [].__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ ticket | attr('__class__') }}",
    "{{ ticket.title | map('upper') | list }}",
]


@pytest.mark.parametrize("source", SANDBOX_ESCAPES)
def test_sandbox_escapes_are_refused_when_saved(source):
    with pytest.raises(TemplateProblem):
        check(source)
    with pytest.raises(TemplateProblem):
        render(source, CONTEXT)


@pytest.mark.parametrize(
    "source",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ ticket.items() }}",
        "{{ ticket.__class__ }}",
        "{{ range(3) }}",
        "{{ ticket.title.upper() }}",
    ],
)
def test_the_environment_refuses_escapes_even_past_the_check(source):
    """The second wall: a template compiled without the save-time check still reaches nothing."""
    template = templating._ENV.from_string(source)
    with pytest.raises((SecurityError, UndefinedError)):
        template.render(dict(CONTEXT))


def test_the_output_is_bounded():
    # Within the source limit, yet it would fill in to more than a comment may hold.
    context = make_context(ticket={"title": "t" * 200}, requester={}, agent={})
    source = "{{ ticket.title }}" * 200
    check(source)
    with pytest.raises(TemplateProblem) as caught:
        render(source, context)
    assert "over 20000 characters" in str(caught.value)
    assert len(render("{{ ticket.title }}" * 100, context)) == 20_000


def test_a_source_over_the_limit_is_refused():
    with pytest.raises(TemplateProblem):
        check("x" * (templating.MAX_SOURCE + 1))


def test_the_context_offers_only_the_listed_fields_as_plain_values():
    context = make_context(
        ticket={"number": 7, "title": "T", "secret": "no", "status": None},
        requester={"name": "R", "password_hash": "h"},
        agent={"name": object()},
    )
    assert context == {
        "ticket": {"id": "", "number": 7, "title": "T", "status": "", "priority": ""},
        "requester": {"name": "R", "email": ""},
        "agent": {"name": "", "email": ""},
    }
