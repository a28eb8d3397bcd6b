"""Views never query patient data directly: they go through the access policy or selectors."""

import ast
from pathlib import Path

from django.apps import apps

import waypoint
from waypoint.patients.models import Person

ROOT = Path(waypoint.__file__).parent


def patient_data_model_names() -> set[str]:
    names = {Person.__name__}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if getattr(field, "many_to_one", False) and field.related_model is Person:
                names.add(model.__name__)
    return names


def view_modules():
    yield from ROOT.glob("*/views.py")
    yield from ROOT.glob("*/views/*.py")


def direct_queries(path: Path, model_names: set[str]):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name | ast.Attribute)
        ):
            owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if owner in model_names:
                yield f"{path}:{node.lineno} uses {owner}.{node.attr}"


def test_patient_models_are_known():
    names = patient_data_model_names()
    assert {"Person", "Carer", "Alert", "TeamRegistration", "AuditEvent", "BreakGlass"} <= names


def test_no_view_module_queries_patient_data_directly():
    names = patient_data_model_names()
    problems = [problem for path in view_modules() for problem in direct_queries(path, names)]
    assert problems == [], "Use Person.objects.visible_to(user), open_record or a selector:\n" + "\n".join(
        problems
    )


def test_the_lint_catches_a_direct_query(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text("from x import Person\n\ndef view(request):\n    return Person.objects.all()\n")
    assert len(list(direct_queries(bad, patient_data_model_names()))) == 1


def private_record_openers(path: Path):
    """Module-level private helpers (`_name`) in a views module that open one record of a person
    (`open_record(..., model=...)`): that wrapper belongs in the app's selectors as `<record>_for_page`."""
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in tree.body:
        if not (isinstance(node, ast.FunctionDef) and node.name.startswith("_")):
            continue
        for call in ast.walk(node):
            if (
                isinstance(call, ast.Call)
                and getattr(call.func, "id", getattr(call.func, "attr", None)) == "open_record"
                and any(keyword.arg == "model" for keyword in call.keywords)
            ):
                yield f"{path}:{node.lineno} {node.name} opens a record"


def test_no_view_module_keeps_a_private_record_wrapper():
    problems = [problem for path in view_modules() for problem in private_record_openers(path)]
    assert problems == [], "Call the app's selectors.<record>_for_page instead:\n" + "\n".join(problems)


def test_the_wrapper_lint_catches_a_private_wrapper(tmp_path):
    bad = tmp_path / "views.py"
    bad.write_text(
        "def _plan(request, person_id, plan_id):\n"
        "    return open_record(request, person_id, model=Plan, record_id=plan_id)\n\n"
        "def _page(request, person_id):\n"
        "    return open_record(request, person_id)\n"
    )
    assert [line.split(" ")[1] for line in private_record_openers(bad)] == ["_plan"]
