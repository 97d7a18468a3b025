"""The stubs (caseload/_core.pyi) match the compiled module, and the public API is documented.

The .pyi is parsed with `ast` and compared with what `caseload._core` exports: every public
name, every public class member, and every function's parameter names and which of them have
defaults (read from the signature line pybind11 puts at the top of each docstring).
"""

from __future__ import annotations

import ast
import importlib
import inspect
import os
import re
import types
from typing import Dict, List, Tuple

import caseload
from caseload import _core

PYI = os.path.join(os.path.dirname(caseload.__file__), "_core.pyi")


def _stub_tree() -> ast.Module:
    with open(PYI, encoding="utf-8") as f:
        return ast.parse(f.read(), PYI)


def _public(name: str) -> bool:
    return not name.startswith("_")


def _stub_defs(body: List[ast.stmt]) -> Dict[str, ast.AST]:
    """Functions and classes defined in a stub body (type aliases are typing-only, not exports)."""
    return {n.name: n for n in body if isinstance(n, (ast.FunctionDef, ast.ClassDef))}


def _stub_aliases(tree: ast.Module) -> List[str]:
    return [t.id for n in tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)]


def _core_names() -> List[str]:
    return sorted(n for n in dir(_core) if _public(n))


def _class_members(cls: type) -> List[str]:
    """Public members the class itself defines (not those of pybind11's base object)."""
    return sorted(n for n in vars(cls) if _public(n))


def _split_top_level(text: str) -> List[str]:
    """Splits "a: int, b: Dict[str, int] = {}" at commas outside brackets and quotes."""
    parts, depth, quote, cur = [], 0, "", []
    for ch in text:
        if quote:
            cur.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append("".join(cur).strip())
            cur = []
            continue
        cur.append(ch)
    if "".join(cur).strip():
        parts.append("".join(cur).strip())
    return parts


def _runtime_params(obj: object, name: str) -> List[Tuple[str, bool]]:
    """(parameter, has default) from pybind11's signature line "name(a: T, b: U = x) -> R"."""
    first = (obj.__doc__ or "").lstrip().splitlines()[0]
    m = re.match(re.escape(name) + r"\((.*)\) -> ", first)
    assert m, f"{name}: no pybind11 signature line in its docstring: {first!r}"
    params = []
    for p in _split_top_level(m.group(1)):
        pname = p.split(":", 1)[0].split("=", 1)[0].strip()
        params.append((pname, "=" in p))  # annotations never contain "="
    return [p for p in params if p[0] != "self"]


def _stub_params(fn: ast.FunctionDef) -> List[Tuple[str, bool]]:
    a = fn.args
    positional = a.posonlyargs + a.args
    first_default = len(positional) - len(a.defaults)
    params = [(arg.arg, i >= first_default) for i, arg in enumerate(positional)]
    params += [(arg.arg, d is not None) for arg, d in zip(a.kwonlyargs, a.kw_defaults)]
    return [p for p in params if p[0] != "self"]


def _is_property(fn: ast.FunctionDef) -> bool:
    return any(isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list)


# ---- Names ------------------------------------------------------------------------


def test_the_module_exports_something_and_the_stub_parses():
    tree = _stub_tree()
    assert len(_core_names()) > 30
    assert len(_stub_defs(tree.body)) > 30


def test_every_core_name_is_in_the_stub():
    stubbed = set(_stub_defs(_stub_tree().body))
    missing = [n for n in _core_names() if n not in stubbed]
    assert not missing, f"caseload._core exports names _core.pyi lacks: {missing}"


def test_every_stub_name_is_exported_by_core():
    tree = _stub_tree()
    extra = [n for n in _stub_defs(tree.body) if _public(n) and not hasattr(_core, n)]
    assert not extra, f"_core.pyi declares names caseload._core does not export: {extra}"
    # Type aliases must not shadow a real export (they would hide it from the check above).
    clashes = [n for n in _stub_aliases(tree) if hasattr(_core, n)]
    assert not clashes, clashes


def test_every_class_member_matches():
    stubs = _stub_defs(_stub_tree().body)
    problems = []
    for name in _core_names():
        obj = getattr(_core, name)
        if not isinstance(obj, type):
            continue
        stub = stubs[name]
        assert isinstance(stub, ast.ClassDef), f"{name} is a class in _core but not in the stub"
        stub_members = {n for n in _stub_defs(stub.body) if _public(n)}
        runtime_members = set(_class_members(obj))
        if stub_members != runtime_members:
            problems.append(
                f"{name}: missing from stub {sorted(runtime_members - stub_members)}, "
                f"not in _core {sorted(stub_members - runtime_members)}"
            )
    assert not problems, "\n".join(problems)


def test_kinds_match():
    """A class is a class, a function a function, a property a property, a static method static."""
    stubs = _stub_defs(_stub_tree().body)
    for name in _core_names():
        obj, stub = getattr(_core, name), stubs[name]
        assert isinstance(stub, ast.ClassDef) == isinstance(obj, type), name
        if not isinstance(obj, type):
            continue
        for member, node in _stub_defs(stub.body).items():
            if not _public(member):
                continue
            raw = vars(obj)[member]
            assert _is_property(node) == isinstance(raw, property), f"{name}.{member}: property mismatch"
            is_static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in node.decorator_list)
            assert is_static == isinstance(raw, staticmethod), f"{name}.{member}: staticmethod mismatch"


# ---- Signatures -------------------------------------------------------------------


def _callables():
    """(qualified name, runtime object, stub FunctionDef) for every stubbed function and method."""
    stubs = _stub_defs(_stub_tree().body)
    out = []
    for name in _core_names():
        obj, stub = getattr(_core, name), stubs[name]
        if isinstance(stub, ast.FunctionDef):
            out.append((name, obj, stub))
            continue
        for member, node in _stub_defs(stub.body).items():
            wanted = _public(member) or member == "__init__"
            if isinstance(node, ast.FunctionDef) and not _is_property(node) and wanted:
                out.append((f"{name}.{member}", getattr(obj, member), node))
    return out


def test_signatures_match():
    problems = []
    checked = 0
    for qualname, obj, stub in _callables():
        runtime = _runtime_params(obj, qualname.rsplit(".", 1)[-1])
        declared = _stub_params(stub)
        checked += 1
        if runtime != declared:
            problems.append(f"{qualname}: _core has {runtime}, the stub says {declared}")
    assert checked > 50
    assert not problems, "\n".join(problems)


def test_runtime_signature_parser_on_known_answers():
    # The signature line of a function with defaults, and of one without.
    assert _runtime_params(_core.suggest, "suggest") == [("model", False), ("case", False), ("k", True),
                                                         ("options", True)]
    assert _runtime_params(_core.version, "version") == []
    assert _split_top_level("a: Dict[str, int] = {}, b: str = 'x, y'") == ["a: Dict[str, int] = {}", "b: str = 'x, y'"]


def test_every_stub_definition_has_a_docstring():
    tree = _stub_tree()
    assert ast.get_docstring(tree)
    undocumented = []
    for name, node in _stub_defs(tree.body).items():
        if not ast.get_docstring(node):
            undocumented.append(name)
        if isinstance(node, ast.ClassDef):
            undocumented += [f"{name}.{m}" for m, n in _stub_defs(node.body).items() if not ast.get_docstring(n)]
    assert not undocumented, undocumented


# ---- Docstrings of the public Python API ------------------------------------------------


def _public_objects():
    """(qualified name, object) for caseload.__all__, recursing into the modules it lists."""
    seen, out = set(), []

    def walk(module: types.ModuleType, prefix: str) -> None:
        for name in module.__all__:
            obj = getattr(module, name)
            qual = f"{prefix}.{name}"
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if isinstance(obj, types.ModuleType):
                out.append((qual, obj))
                if hasattr(obj, "__all__"):
                    walk(obj, qual)
            elif inspect.isclass(obj) or callable(obj):
                out.append((qual, obj))

    walk(caseload, "caseload")
    for sub in ("allocation", "datasets", "forecast", "health", "history", "league", "model", "projection", "scheme"):
        walk(importlib.import_module(f"caseload.{sub}"), f"caseload.{sub}")
    return out


def test_every_public_name_has_a_docstring():
    objs = _public_objects()
    assert len(objs) > 25
    missing = [q for q, o in objs if not (inspect.getdoc(o) or "").strip()]
    assert not missing, f"public names without a docstring: {missing}"


def test_every_public_method_of_a_public_class_has_a_docstring():
    missing, checked = [], 0
    for qual, obj in _public_objects():
        if not inspect.isclass(obj) or issubclass(obj, BaseException):
            continue
        for name, raw in vars(obj).items():
            if not _public(name):
                continue
            if isinstance(raw, (staticmethod, classmethod)):
                raw = raw.__func__
            if not (inspect.isfunction(raw) or isinstance(raw, property)):
                continue
            checked += 1
            if not (raw.__doc__ or "").strip():
                missing.append(f"{qual}.{name}")
    assert checked > 40
    assert not missing, f"public methods without a docstring: {missing}"

