"""Duties assigned to units in the prose of a plan (contract v1.1 `responsibilities`).

vocab    the duty vocabulary (normalize/data/duties.toml), folded
nlp      the spaCy pipeline: tokenizer, sentencizer, unit mentions, duty-verb and role cues
units    addressee phrases -> department codes
roles    lead / coordinate / do from the cue spans
timing   time expressions in a duty -> a contract deadline
walk     the paragraphs of a plan -> duties (sections, addressee headings, items, inline)
"""
from normalize.duties.walk import Duty, extract_duties

__all__ = ["Duty", "extract_duties"]
