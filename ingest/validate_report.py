"""Output formats of `kehoach validate`: text, json, junit, github annotations."""
from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

from ingest.convert import FileOutcome
from ingest.validation import DEFAULT_SEVERITY


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


# Characters XML 1.0 cannot hold at all, even escaped (C0 controls but tab, CR, LF; surrogates;
# U+FFFE/U+FFFF): ElementTree writes them as they are and every CI parser rejects the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str | None) -> str | None:
    """Text an XML parser accepts: each forbidden character shown as its code ('\\x1b')."""
    if text is None:
        return None
    return _NOT_XML.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def _clean_tree(root: ET.Element) -> None:
    for element in root.iter():
        element.text = _xml_text(element.text)
        for key, value in element.attrib.items():
            element.set(key, _xml_text(value) or "")


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
    _clean_tree(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def _escape(text: str) -> str:
    """A workflow command's message, escaped as GitHub documents (toolkit escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    """A workflow command's property value (file=, title=): also ':' and ',' (escapeProperty),
    so a file name cannot end the property list or start a command of its own."""
    return _escape(text).replace(":", "%3A").replace(",", "%2C")


def as_github(outcomes: list[FileOutcome]) -> str:
    lines = []
    for o in outcomes:
        if o.status == "error":
            lines.append(f"::error file={_escape_property(o.path)},title=unreadable::{_escape(o.error or '')}")
            continue
        for issue in o.issue_list:
            loc = issue.get("location") or {}
            level = "error" if issue["severity"] == "error" else "warning"
            line = f",line={loc['line']}" if loc.get("line") else ""
            lines.append(f"::{level} file={_escape_property(o.path)}{line},"
                         f"title={_escape_property(issue['code'])}::{_escape(issue['message'])}")
    return "\n".join(lines) + ("\n" if lines else "")


FORMATTERS = {"text": as_text, "json": as_json, "junit": as_junit, "github": as_github}
