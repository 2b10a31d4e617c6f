"""`kehoach eval`: precision/recall per field against gold JSON, the same metrics as the
reference scorer (shared/eval/score.py): documents paired by source file stem, tasks matched
greedily by content token-F1 >= 0.8, targets by equal value and text containment >= 0.6,
responsibilities (contract v1.1, when the gold annotates them) by duty token-F1 >= 0.7 with the
unit breaking ties."""
from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

_SUFFIXES = {".pdf", ".docx", ".doc", ".txt", ".md", ".json", ".scan", ".layout", ".ocr",
             # text of a PDF made by common tools (as the reference scorer names them)
             ".pdfminer", ".pymupdf", ".pypdf", ".pdfium", ".pdfplumber", ".pdftotext",
             ".pdftotext-raw", ".pdftotext-layout"}


def fold_tokens(text: str | None) -> list[str]:
    text = unicodedata.normalize("NFD", text or "")
    text = "".join(c for c in text if unicodedata.category(c) != "Mn")
    text = text.replace("đ", "d").replace("Đ", "D").casefold()
    return re.sub(r"[^\w]+", " ", text).split()


def token_f1(a: str | None, b: str | None) -> float:
    ta, tb = fold_tokens(a), fold_tokens(b)
    if not ta and not tb:
        return 1.0
    if not ta or not tb:
        return 0.0
    common = sum((Counter(ta) & Counter(tb)).values())
    if not common:
        return 0.0
    precision, recall = common / len(ta), common / len(tb)
    return 2 * precision * recall / (precision + recall)


def containment(gold: str, pred: str) -> float:
    g, p = fold_tokens(gold), set(fold_tokens(pred))
    return sum(t in p for t in g) / len(g) if g else 1.0


def document_key(plan: dict) -> str:
    name = Path((plan.get("source") or {}).get("path") or plan.get("plan_id", "")).name
    name = unicodedata.normalize("NFC", name)
    while Path(name).suffix.lower() in _SUFFIXES:
        name = name[: -len(Path(name).suffix)]
    return name


class EvalInputError(Exception):
    """A gold or prediction folder that is missing, empty or unreadable."""


def load(directory: Path, what: str = "folder") -> dict[str, list[dict]]:
    if not Path(directory).is_dir():
        raise EvalInputError(f"the {what} {directory} does not exist or is not a folder")
    docs: dict[str, list[dict]] = {}
    for path in sorted(Path(directory).glob("*.json")):
        try:
            data = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise EvalInputError(f"cannot read {path}: {exc}") from None
        if isinstance(data, dict) and "plan" in data:
            docs.setdefault(document_key(data["plan"]), []).append(data)
    return docs


def greedy_match(gold: list[dict], pred: list[dict], similarity: Callable[[dict, dict], float],
                 floor: float) -> list[tuple[dict, dict]]:
    scored = sorted(((similarity(g, p), i, j) for i, g in enumerate(gold) for j, p in enumerate(pred)),
                    reverse=True)
    used_gold, used_pred, pairs = set(), set(), []
    for score, i, j in scored:
        if score < floor:
            break
        if i in used_gold or j in used_pred:
            continue
        used_gold.add(i)
        used_pred.add(j)
        pairs.append((gold[i], pred[j]))
    return pairs


def _codes(values: list[str] | None) -> set[str]:
    return {v for v in values or [] if v and v != "UNKNOWN"}


def _dl(task: dict) -> dict:
    return task.get("deadline") or {}


TASK_CHECKS: dict[str, Callable[[dict, dict], bool]] = {
    "area": lambda g, p: g.get("area") == p.get("area"),
    "seq": lambda g, p: (g.get("seq") or "") == (p.get("seq") or ""),
    "content": lambda g, p: token_f1(g.get("content"), p.get("content")) >= 0.9,
    "products": lambda g, p: token_f1(" ".join(g.get("products") or []), " ".join(p.get("products") or [])) >= 0.8,
    "lead": lambda g, p: _codes(g.get("lead")) == _codes(p.get("lead")),
    "coordinating": lambda g, p: _codes(g.get("coordinating")) == _codes(p.get("coordinating")),
    "deadline_kind": lambda g, p: _dl(g).get("kind") == _dl(p).get("kind"),
    "deadline_due": lambda g, p: _dl(g).get("due") == _dl(p).get("due"),
    "deadline_start": lambda g, p: _dl(g).get("start") == _dl(p).get("start"),
    "deadline_recurrence": lambda g, p: _dl(g).get("recurrence") == _dl(p).get("recurrence"),
}
TARGET_CHECKS: dict[str, Callable[[dict, dict], bool]] = {
    "comparator": lambda g, p: g.get("comparator") == p.get("comparator"),
    "year": lambda g, p: g.get("year") == p.get("year"),
    "direction": lambda g, p: (g.get("direction") or "increase") == (p.get("direction") or "increase"),
}
RESP_CHECKS: dict[str, Callable[[dict, dict], bool]] = {
    "unit": lambda g, p: _codes(g.get("unit")) == _codes(p.get("unit")),
    "role": lambda g, p: g.get("role") == p.get("role"),
    "deadline_kind": lambda g, p: _dl(g).get("kind") == _dl(p).get("kind"),
    "deadline_due": lambda g, p: _dl(g).get("due") == _dl(p).get("due"),
}
PLAN_FIELDS = ["commune", "province", "number", "issued_date", "period_start", "period_end"]


def _target_similarity(g: dict, p: dict) -> float:
    if p.get("value") is None or abs(float(p["value"]) - float(g["value"])) > 1e-6:
        return 0.0
    return containment(g.get("text", ""), (p.get("text") or "") + " " + (p.get("metric") or ""))


def _plan_value(v):
    return " ".join(fold_tokens(v)) if isinstance(v, str) else v


def _issue_found(gold_issue: dict, predicted: list[dict], pairs: list[tuple[dict, dict]]) -> bool:
    for issue in predicted:
        if issue.get("code") != gold_issue.get("code"):
            continue
        gold_task = (gold_issue.get("location") or {}).get("task_id")
        if not gold_task:
            return True
        pred_task = (issue.get("location") or {}).get("task_id")
        if any(g.get("task_id") == gold_task and p.get("task_id") == pred_task for g, p in pairs):
            return True
    return False


def _ratio(a: int, b: int) -> float:
    return round(a / b, 4) if b else (1.0 if a == 0 else 0.0)


def evaluate(gold_dir: Path, pred_dir: Path) -> tuple[dict[str, float], dict[str, str]]:
    gold_docs, pred_docs = load(gold_dir, "gold folder"), load(pred_dir, "prediction folder")
    if not gold_docs:
        raise EvalInputError(f"no gold documents (JSON with a 'plan') in {gold_dir}: nothing to score")
    n = Counter()
    task_hits, target_hits, resp_hits, plan_hits = Counter(), Counter(), Counter(), Counter()
    per_doc: dict[str, str] = {}
    plans = 0
    for key, golds in gold_docs.items():
        gold = golds[0]
        if key not in pred_docs:     # not converted: everything in it was missed
            n["tasks_gold"] += len(gold.get("tasks", []))
            n["targets_gold"] += len(gold.get("targets", []))
            n["issues_gold"] += len(gold.get("issues", []))
            n["resp_gold"] += len(gold.get("responsibilities", []))
            per_doc[key] = f"NO PREDICTION: tasks 0/{len(gold.get('tasks', []))} matched, " \
                           f"targets 0/{len(gold.get('targets', []))} matched"
        for pred in pred_docs.get(key, []):
            gt, pt = gold.get("tasks", []), pred.get("tasks", [])
            pairs = greedy_match(gt, pt, lambda g, p: token_f1(g.get("content"), p.get("content")), 0.8)
            n["tasks_gold"] += len(gt)
            n["tasks_pred"] += len(pt)
            n["tasks_matched"] += len(pairs)
            for g, p in pairs:
                for name, check in TASK_CHECKS.items():
                    task_hits[name] += bool(check(g, p))
            gtar, ptar = gold.get("targets", []), pred.get("targets", [])
            tpairs = greedy_match(gtar, ptar, _target_similarity, 0.6)
            n["targets_gold"] += len(gtar)
            n["targets_pred"] += len(ptar)
            n["targets_matched"] += len(tpairs)
            for g, p in tpairs:
                for name, check in TARGET_CHECKS.items():
                    target_hits[name] += bool(check(g, p))
            if "responsibilities" in gold:     # only gold that annotates them (contract v1.1)
                gr, pr = gold["responsibilities"], pred.get("responsibilities") or []
                rpairs = greedy_match(gr, pr, lambda g, p: token_f1(g.get("duty"), p.get("duty"))
                                      + 0.01 * (_codes(g.get("unit")) == _codes(p.get("unit"))), 0.7)
                n["resp_gold"] += len(gr)
                n["resp_pred"] += len(pr)
                n["resp_matched"] += len(rpairs)
                for g, p in rpairs:
                    for name, check in RESP_CHECKS.items():
                        resp_hits[name] += bool(check(g, p))
            for issue in gold.get("issues", []):
                n["issues_gold"] += 1
                n["issues_found"] += _issue_found(issue, pred.get("issues", []), pairs)
            plans += 1
            for name in PLAN_FIELDS:
                plan_hits[name] += _plan_value(gold["plan"].get(name)) == _plan_value(pred["plan"].get(name))
            source = (pred["plan"].get("source") or {}).get("path", "?")
            per_doc[source] = (f"tasks {len(pairs)}/{len(gt)} matched, {len(pt)} predicted; "
                               f"targets {len(tpairs)}/{len(gtar)} matched, {len(ptar)} predicted")
    metrics: dict[str, float] = {
        "docs.coverage": _ratio(sum(1 for k in gold_docs if k in pred_docs), len(gold_docs)),
        # gold documents with no prediction (counted as missed above), as the reference scorer
        # counts inputs with no output when given --inputs
        "docs.failed": sum(1 for k in gold_docs if k not in pred_docs),
        "tasks.recall": _ratio(n["tasks_matched"], n["tasks_gold"]),
        "tasks.precision": _ratio(n["tasks_matched"], n["tasks_pred"]),
    }
    metrics |= {f"tasks.{k}": _ratio(task_hits[k], n["tasks_matched"]) for k in TASK_CHECKS}
    metrics["targets.recall"] = _ratio(n["targets_matched"], n["targets_gold"])
    metrics["targets.precision"] = _ratio(n["targets_matched"], n["targets_pred"])
    metrics |= {f"targets.{k}": _ratio(target_hits[k], n["targets_matched"]) for k in TARGET_CHECKS}
    metrics["resp.recall"] = _ratio(n["resp_matched"], n["resp_gold"])
    metrics["resp.precision"] = _ratio(n["resp_matched"], n["resp_pred"])
    metrics |= {f"resp.{k}": _ratio(resp_hits[k], n["resp_matched"]) for k in RESP_CHECKS}
    metrics |= {f"plan.{k}": _ratio(plan_hits[k], plans) for k in PLAN_FIELDS}
    metrics["issues.recall"] = _ratio(n["issues_found"], n["issues_gold"])
    return metrics, per_doc
