"""Saved-reply templates: checked when saved, rendered in a locked-down Jinja2 sandbox.

Pure functions over plain values. A template may print the offered variables
(`{{ ticket.number }}`), pass them through a few filters and branch on them (`{% if %}`);
nothing else: no loops, calls, assignments, arithmetic, includes or attribute access. The check
at save time walks the parsed template and refuses anything outside that language, naming the
line; rendering then runs in a SandboxedEnvironment that only looks keys up in the plain dicts
it is given (a second wall, for templates stored before a rule changed). Output is markdown,
so no HTML autoescaping here: the UI sanitises what it shows."""

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from jinja2 import StrictUndefined, Template, TemplateError, TemplateSyntaxError, nodes
from jinja2.defaults import DEFAULT_FILTERS, DEFAULT_TESTS
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

# What a template may print: group -> fields. Values are given as plain str / int.
VARIABLES: dict[str, tuple[str, ...]] = {
    "ticket": ("id", "number", "title", "status", "priority"),
    "requester": ("name", "email"),
    "agent": ("name", "email"),
}
FILTERS = ("upper", "lower", "title", "capitalize", "trim", "default", "d")
TESTS = ("defined", "undefined", "none", "string", "number")
MAX_SOURCE = 20_000  # a template is a comment body at most (tickets' COMMENT_MAX)
MAX_OUTPUT = 20_000  # and so is what it renders to

Context = Mapping[str, Mapping[str, str | int]]

# Readable names for the constructs a reply template may not use.
_REFUSED = {
    nodes.For: "{% for %} loops",
    nodes.Macro: "macros",
    nodes.CallBlock: "{% call %} blocks",
    nodes.Call: "calls",
    nodes.Assign: "{% set %}",
    nodes.AssignBlock: "{% set %}",
    nodes.Include: "{% include %}",
    nodes.Import: "{% import %}",
    nodes.FromImport: "{% import %}",
    nodes.Extends: "{% extends %}",
    nodes.Block: "{% block %}",
    nodes.FilterBlock: "{% filter %} blocks",
    nodes.With: "{% with %}",
    nodes.BinExpr: "arithmetic",
    nodes.UnaryExpr: "arithmetic",
    nodes.Concat: "the ~ operator",
    nodes.Slice: "slices",
    nodes.List: "lists",
    nodes.Tuple: "tuples",
    nodes.Dict: "dicts",
}
_ALLOWED = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.If,
    nodes.Const,
    nodes.Filter,
    nodes.Test,
    nodes.Compare,
    nodes.Operand,
    nodes.And,
    nodes.Or,
    nodes.Not,
    nodes.CondExpr,
)


@dataclass(frozen=True)
class TemplateProblem(ValueError):
    """What is wrong with a template, and on which line (None: not tied to one line)."""

    line: int | None
    message: str

    def __str__(self) -> str:
        return self.message if self.line is None else f"line {self.line}: {self.message}"


def _known() -> str:
    return ", ".join(f"{group}.{field}" for group, fields in VARIABLES.items() for field in fields)


class _ReplyEnvironment(SandboxedEnvironment):
    """The sandbox with attribute access, calls and globals taken away: a variable is a key of a
    plain dict the caller passed, and nothing else is reachable from a template."""

    def getattr(self, obj: Any, attribute: str) -> Any:
        if isinstance(obj, dict) and attribute in obj:
            return obj[attribute]
        return self.undefined(obj=obj, name=attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        if isinstance(obj, dict) and isinstance(argument, str) and argument in obj:
            return obj[argument]
        return self.undefined(obj=obj, name=str(argument))

    def call(self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        raise SecurityError("calls are not allowed in a saved reply")


_ENV = _ReplyEnvironment(
    autoescape=False,
    undefined=StrictUndefined,
    keep_trailing_newline=True,
    auto_reload=False,
)
_ENV.globals.clear()  # no range, cycler, joiner, namespace, lipsum, dict
_ENV.filters = {name: DEFAULT_FILTERS[name] for name in FILTERS}
_ENV.tests = {name: DEFAULT_TESTS[name] for name in TESTS}


def _variable(node: nodes.Expr) -> str:
    """The dotted name an expression reads, or raise naming what it reads instead."""
    parts: list[str] = []
    current: nodes.Node = node
    while True:
        if isinstance(current, nodes.Getattr):
            parts.append(current.attr)
            current = current.node
        elif isinstance(current, nodes.Getitem):
            arg = current.arg
            if not (isinstance(arg, nodes.Const) and isinstance(arg.value, str)):
                raise TemplateProblem(node.lineno, "only ticket.number-style names may be used")
            parts.append(arg.value)
            current = current.node
        elif isinstance(current, nodes.Name):
            parts.append(current.name)
            break
        else:
            raise TemplateProblem(
                node.lineno, f"only the offered variables may be used ({_known()})"
            )
    return ".".join(reversed(parts))


def _check_reference(node: nodes.Expr) -> None:
    name = _variable(node)
    group, _, field = name.partition(".")
    if group in VARIABLES and field in VARIABLES[group]:
        return
    if group in VARIABLES and not field:
        fields = ", ".join(f"{group}.{f}" for f in VARIABLES[group])
        raise TemplateProblem(node.lineno, f"{group} is a group: use one of {fields}")
    raise TemplateProblem(node.lineno, f"unknown variable {name} (known: {_known()})")


def _check_node(node: nodes.Node) -> None:
    if isinstance(node, nodes.Getattr | nodes.Getitem | nodes.Name):
        _check_reference(node)
        return
    if isinstance(node, nodes.Const) and not isinstance(
        node.value, str | int | float | bool | type(None)
    ):
        raise TemplateProblem(node.lineno, "only plain text, numbers and booleans may be used")
    if isinstance(node, nodes.Filter | nodes.Test):
        kind, allowed = ("filter", FILTERS) if isinstance(node, nodes.Filter) else ("test", TESTS)
        if node.name not in allowed:
            raise TemplateProblem(
                node.lineno, f"unknown {kind} {node.name} (known: {', '.join(allowed)})"
            )
        if node.kwargs or node.dyn_args or node.dyn_kwargs:
            raise TemplateProblem(node.lineno, f"the {kind} {node.name} takes plain arguments")
        if not all(isinstance(arg, nodes.Const) for arg in node.args):
            raise TemplateProblem(node.lineno, f"the {kind} {node.name} takes plain arguments")
    elif not isinstance(node, _ALLOWED):
        what = next(
            (label for kind, label in _REFUSED.items() if isinstance(node, kind)),
            type(node).__name__,
        )
        raise TemplateProblem(node.lineno, f"{what} may not be used in a saved reply")
    for child in node.iter_child_nodes():
        _check_node(child)


def check(source: str) -> None:
    """Raise TemplateProblem unless `source` is a valid saved-reply template."""
    if len(source) > MAX_SOURCE:
        raise TemplateProblem(None, f"at most {MAX_SOURCE} characters")
    try:
        tree = _ENV.parse(source)
    except TemplateSyntaxError as exc:
        raise TemplateProblem(exc.lineno, exc.message or "syntax error") from None
    _check_node(tree)


@lru_cache(maxsize=256)
def _compiled(source: str) -> Template:
    check(source)
    return _ENV.from_string(source)


def _chunks(template: Template, context: Context) -> Iterator[str]:
    yield from template.generate({group: dict(values) for group, values in context.items()})


def render(source: str, context: Context) -> str:
    """The template filled in from plain values; TemplateProblem if it cannot be (or the result
    would be longer than MAX_OUTPUT)."""
    template = _compiled(source)
    out: list[str] = []
    size = 0
    try:
        for chunk in _chunks(template, context):
            size += len(chunk)
            if size > MAX_OUTPUT:
                raise TemplateProblem(None, f"the reply would be over {MAX_OUTPUT} characters")
            out.append(chunk)
    except TemplateError as exc:  # StrictUndefined, or the sandbox refusing something
        raise TemplateProblem(None, f"cannot be filled in: {exc.message or exc}") from None
    return "".join(out)


def make_context(
    *, ticket: Mapping[str, Any], requester: Mapping[str, Any], agent: Mapping[str, Any]
) -> dict[str, dict[str, str | int]]:
    """The variables as plain dicts of the offered fields (missing or None: empty text)."""
    given = {"ticket": ticket, "requester": requester, "agent": agent}
    context: dict[str, dict[str, str | int]] = {}
    for group, fields in VARIABLES.items():
        values: dict[str, str | int] = {}
        for field in fields:
            value = given[group].get(field)
            values[field] = value if isinstance(value, str | int) else ""
        context[group] = values
    return context
