"""Output formats of `kehoach validate`: text, json, junit, github annotations."""
from __future__ import annotations

import json
from xml.etree import ElementTree as ET

from ingest.convert import FileOutcome
from normalize.validation import DEFAULT_SEVERITY


def as_text(outcomes: list[FileOutcome]) -> str:
    lines = []
    for o in outcomes:
        if o.status == "error":
            lines.append(f"{o.path}: UNREADABLE: {o.error}")
            continue
        verdict = "INVALID" if o.errors else "valid"
        lines.append(f"{o.path}: {verdict} ({o.tasks} tasks, {o.targets} targets, "
                     f"{o.errors} errors, {o.issues - o.errors} warnings)")
        for issue in o.issue_list:
            loc = issue.get("location") or {}
            where = ", ".join(f"{k}={v}" for k, v in loc.items() if v is not None)
            lines.append(f"  {issue['severity']:7s} {issue['code']}: {issue['message']}" + (f" [{where}]" if where else ""))
    return "\n".join(lines) + "\n"


def as_json(outcomes: list[FileOutcome]) -> str:
    files = []
    for o in outcomes:
        entry = o.report_entry() | {"valid": o.status == "ok" and not o.errors, "issues": o.issue_list}
        files.append(entry)
    return json.dumps({"files": files}, ensure_ascii=False, indent=1) + "\n"


def as_junit(outcomes: list[FileOutcome]) -> str:
    """One <testsuite> per file, one <testcase> per rule: failed where the rule found errors."""
    root = ET.Element("testsuites", name="kehoach validate")
    for o in outcomes:
        suite = ET.SubElement(root, "testsuite", name=o.path)
        cases = 0
        failures = errors = 0
        if o.status == "error":
            case = ET.SubElement(suite, "testcase", classname=o.path, name="READABLE")
            ET.SubElement(case, "error", message=o.error or "unreadable").text = o.error
            cases, errors = 1, 1
        else:
            by_code: dict[str, list[dict]] = {}
            for issue in o.issue_list:
                by_code.setdefault(issue["code"], []).append(issue)
            for code in sorted(set(DEFAULT_SEVERITY) | set(by_code)):
                case = ET.SubElement(suite, "testcase", classname=o.path, name=code)
                cases += 1
                found = by_code.get(code, [])
                failing = [i for i in found if i["severity"] == "error"]
                if failing:
                    failures += 1
                    ET.SubElement(case, "failure", message=f"{len(failing)} error(s)").text = "\n".join(
                        i["message"] for i in failing)
                elif found:
                    ET.SubElement(case, "system-out").text = "\n".join(f"warning: {i['message']}" for i in found)
        suite.set("tests", str(cases))
        suite.set("failures", str(failures))
        suite.set("errors", str(errors))
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _escape(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def as_github(outcomes: list[FileOutcome]) -> str:
    lines = []
    for o in outcomes:
        if o.status == "error":
            lines.append(f"::error file={o.path},title=unreadable::{_escape(o.error or '')}")
            continue
        for issue in o.issue_list:
            loc = issue.get("location") or {}
            level = "error" if issue["severity"] == "error" else "warning"
            line = f",line={loc['line']}" if loc.get("line") else ""
            lines.append(f"::{level} file={o.path}{line},title={issue['code']}::{_escape(issue['message'])}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}
