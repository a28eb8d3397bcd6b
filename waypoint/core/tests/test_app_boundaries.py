"""The shape the apps keep: one extensions.py per app that plugs into another, and no app reaching
into another app's views or private (underscore) names."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]  # waypoint/
APPS = sorted(p.name for p in ROOT.iterdir() if (p / "apps.py").exists())
REGISTRIES = (
    "register_relationship",
    "register_section",
    "register_tab",
    "register_fact",
    "register_banner_item",
    "register_provider",
    "register_diary_source",
    "register_contact_form_part",
)


def _source_files(app):
    for path in (ROOT / app).rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        yield path


def _calls(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            yield func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def registrations_outside_extensions(app):
    found = []
    for path in _source_files(app):
        if path.name == "extensions.py":
            continue
        tree = ast.parse(path.read_text())
        defined = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        for name in _calls(tree):
            if name in REGISTRIES and name not in defined:  # the registry's own module may call itself
                found.append(f"{path.relative_to(ROOT)} calls {name}")
    return found


def ready_body(app):
    tree = ast.parse((ROOT / app / "apps.py").read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "ready":
            return node.body
    return None


def ready_only_calls_extensions(body) -> bool:
    if body is None:
        return True
    statements = [s for s in body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
    if len(statements) != 2:
        return False
    first, second = statements
    imports = isinstance(first, ast.ImportFrom) and [a.name for a in first.names] == ["extensions"]
    call = (
        isinstance(second, ast.Expr)
        and isinstance(second.value, ast.Call)
        and isinstance(second.value.func, ast.Attribute)
        and isinstance(second.value.func.value, ast.Name)
        and second.value.func.value.id == "extensions"
        and second.value.func.attr == "register"
    )
    return imports and call


@pytest.mark.parametrize("app", APPS)
def test_every_registration_is_in_the_apps_extensions_module(app):
    assert registrations_outside_extensions(app) == []
    if ready_body(app) is not None:
        assert (ROOT / app / "extensions.py").exists(), f"{app} has a ready() but no extensions.py"


@pytest.mark.parametrize("app", APPS)
def test_ready_only_registers_the_extensions(app):
    assert ready_only_calls_extensions(ready_body(app)), (
        f"{app}/apps.py ready() must only call extensions.register()"
    )


def foreign_reaches(app):
    """Imports of another app's views, or of an underscore-prefixed name from another app."""
    found = []
    for path in _source_files(app):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                parts = node.module.split(".")
                if parts[0] != "waypoint" or len(parts) < 2 or parts[1] == app:
                    continue
                where = f"{path.relative_to(ROOT)}:{node.lineno}"
                if "views" in parts[2:]:
                    found.append(f"{where} imports {node.module}")
                for alias in node.names:
                    if alias.name == "views":
                        found.append(f"{where} imports {node.module}.views")
                    elif alias.name.startswith("_"):
                        found.append(f"{where} imports {node.module}.{alias.name}")
                    if any(part.startswith("_") for part in parts[2:]):
                        found.append(f"{where} imports {node.module}")
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    parts = alias.name.split(".")
                    if parts[0] == "waypoint" and len(parts) > 2 and parts[1] != app:
                        if "views" in parts[2:] or any(p.startswith("_") for p in parts[2:]):
                            found.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {alias.name}")
    return found


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_another_apps_views_or_private_names(app):
    if app == "config":  # the root URLconf and the Jinja environment wire the apps together
        pytest.skip("config wires the apps together")
    assert foreign_reaches(app) == []


def test_the_checks_can_fail(tmp_path):
    tree = ast.parse("from waypoint.x.views import detail\nfrom waypoint.y.selectors import _helper\n")
    names = [(n.module, [a.name for a in n.names]) for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert names  # parsed
    body = (
        ast.parse("def ready(self):\n    from . import relationships\n    register_section(x)\n").body[0].body
    )
    assert not ready_only_calls_extensions(body)
    good = (
        ast.parse("def ready(self):\n    from . import extensions\n\n    extensions.register()\n")
        .body[0]
        .body
    )
    assert ready_only_calls_extensions(good)


def test_the_person_index_does_not_import_access_below_its_views():
    """The access <-> patients circle stays broken: models, selectors and services of the person
    index never import `access` (the policy registers how visibility is computed)."""
    offenders = []
    for path in _source_files("patients"):
        if path.name in {"views.py", "urls.py"}:
            continue
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("waypoint.access"):
                offenders.append(f"{path.name}:{node.lineno}")
    assert offenders == []
