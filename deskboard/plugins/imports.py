"""What a built ES module imports: a small tokenizer over the JavaScript that skips comments,
strings, template literals and regular expressions, and reads the specifiers of `import`,
`export ... from` and `import("...")`.

Limits (why `deskboard plugin check` is a guard, not a proof): a `/` is taken for a regular
expression or a division by the token before it, the usual heuristic, which hand-written code
can fool (a regex literal right after `)`); `import(expression)` cannot be followed, so it is
reported as non-literal and refused; code that fetches and evaluates text is not an import at
all (the CSP's lack of unsafe-eval stops `eval`/`new Function`, not `fetch`). Vite/Rollup
library output, which this reads, uses none of these tricks.
"""

import re
from dataclasses import dataclass

NON_LITERAL = "<non-literal import()>"
_IDENT_START = re.compile(r"[A-Za-z_$]")
_IDENT = re.compile(r"[A-Za-z0-9_$]*")
# After these, a `/` starts a regular expression; after anything else it divides.
_REGEX_AFTER_CHARS = set("(,=:[!&|?{};+-*%<>~^")
_REGEX_AFTER_WORDS = {
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
}


@dataclass(frozen=True)
class Import:
    specifier: str
    dynamic: bool = False


class _Scanner:
    def __init__(self, source: str):
        self.s = source
        self.i = 0
        self.found: list[Import] = []
        self.prev = ""  # the last significant token (a char or a word)

    def skip_space(self) -> None:
        s = self.s
        while self.i < len(s):
            if s[self.i].isspace():
                self.i += 1
            elif s.startswith("//", self.i):
                end = s.find("\n", self.i)
                self.i = len(s) if end < 0 else end
            elif s.startswith("/*", self.i):
                end = s.find("*/", self.i + 2)
                self.i = len(s) if end < 0 else end + 2
            else:
                return

    def string(self) -> str:
        quote = self.s[self.i]
        self.i += 1
        out = []
        while self.i < len(self.s) and self.s[self.i] != quote:
            if self.s[self.i] == "\\":
                self.i += 1
            if self.i < len(self.s):
                out.append(self.s[self.i])
            self.i += 1
        self.i += 1
        return "".join(out)

    def template(self) -> None:
        self.i += 1  # the opening backtick
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\":
                self.i += 2
            elif c == "`":
                self.i += 1
                return
            elif self.s.startswith("${", self.i):
                self.i += 2
                self.code(until_brace=True)
            else:
                self.i += 1

    def regex(self) -> None:
        self.i += 1
        in_class = False
        while self.i < len(self.s):
            c = self.s[self.i]
            if c == "\\":
                self.i += 2
                continue
            if c == "\n":
                return
            if c == "[":
                in_class = True
            elif c == "]":
                in_class = False
            elif c == "/" and not in_class:
                self.i += 1
                self.i += len(_IDENT.match(self.s, self.i).group())  # type: ignore[union-attr]
                return
            self.i += 1

    def next_string(self) -> str | None:
        """Skip to the next string literal of the statement and return it."""
        while self.i < len(self.s):
            self.skip_space()
            if self.i >= len(self.s):
                return None
            c = self.s[self.i]
            if c in "'\"":
                return self.string()
            if c == ";":
                return None
            self.i += 1
        return None

    def after_import(self) -> None:
        self.skip_space()
        if self.i >= len(self.s):
            return
        c = self.s[self.i]
        if c == ".":  # import.meta
            return
        if c == "(":
            self.i += 1
            self.skip_space()
            if self.i < len(self.s) and self.s[self.i] in "'\"":
                literal = self.string()
                self.skip_space()
                if self.i < len(self.s) and self.s[self.i] in "),":
                    self.found.append(Import(literal, dynamic=True))
                    return
            self.found.append(Import(NON_LITERAL, dynamic=True))
            return
        specifier = self.next_string()
        if specifier is not None:
            self.found.append(Import(specifier))

    def after_export(self) -> None:
        self.skip_space()
        if self.i >= len(self.s):
            return
        specifier: str | None
        if self.s[self.i] == "*":
            specifier = self.next_string()
        elif self.s[self.i] == "{":
            end = self.s.find("}", self.i)
            if end < 0:
                return
            self.i = end + 1
            self.skip_space()
            if not self.s.startswith("from", self.i):
                return
            specifier = self.next_string()
        else:
            return
        if specifier is not None:
            self.found.append(Import(specifier))

    def code(self, until_brace: bool = False) -> None:
        depth = 0
        s = self.s
        while self.i < len(s):
            self.skip_space()
            if self.i >= len(s):
                return
            c = s[self.i]
            if c in "'\"":
                self.string()
                self.prev = "str"
            elif c == "`":
                self.template()
                self.prev = "str"
            elif c == "/":
                if (
                    self.prev == ""
                    or self.prev in _REGEX_AFTER_CHARS
                    or self.prev in _REGEX_AFTER_WORDS
                ):
                    self.regex()
                    self.prev = "regex"
                else:
                    self.i += 1
                    self.prev = "/"
            elif _IDENT_START.match(c):
                word = c + _IDENT.match(s, self.i + 1).group()  # type: ignore[union-attr]
                self.i += len(word)
                dotted = self.prev == "."
                self.prev = word
                if word == "import" and not dotted:
                    self.after_import()
                    self.prev = "import"
                elif word == "export" and not dotted:
                    self.after_export()
                    self.prev = ";"
            else:
                if until_brace:
                    if c == "{":
                        depth += 1
                    elif c == "}":
                        if depth == 0:
                            self.i += 1
                            return
                        depth -= 1
                self.i += 1
                self.prev = c


def module_imports(source: str) -> list[Import]:
    """Every module the source imports, in order."""
    scanner = _Scanner(source)
    scanner.code()
    return scanner.found
