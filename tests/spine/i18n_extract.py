"""Extract message ids from the templates, the report code and the rules' finding texts (used by
test_i18n and to update report_templates/locales/*/LC_MESSAGES/messages.po:
`python tests/spine/i18n_extract.py` prints the ids the French catalogue lacks).

Rules mark their messages with ``N_("…")`` and, for a plural chosen by a count,
``NP_("singular", "plural")`` (audit.rights.messages)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir, extract_from_file

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": (2,), "N_": None, "ngettext": (1, 2)}
RULE_KEYWORDS = {"N_": None, "NP_": (1, 2)}
#: Modules outside audit/report whose texts a reader sees in their language (export lines).
EXTRA_MODULES = ("audit/tools/export.py", "audit/tools/compare_report.py", "audit/cli/more.py")


def rule_messages() -> set[str | tuple[str, ...]]:
    """The finding texts of audit/rights/**: message ids, and (singular, plural) pairs."""
    found = extract_from_dir(
        str(ROOT / "audit" / "rules"), method_map=[("**.py", "python")], keywords=RULE_KEYWORDS
    )
    return {message for _, _, message, _, _ in found if message}


def message_ids() -> set[str]:
    ids: set[str] = set()
    jinja = extract_from_dir(
        str(ROOT / "report_templates"),
        method_map=[("**.j2", "jinja2.ext:babel_extract")],
        options_map={"**.j2": {"extensions": "jinja2.ext.i18n", "trim_blocks": "true",
                               "lstrip_blocks": "true"}},
    )  # fmt: skip
    python = extract_from_dir(
        str(ROOT / "audit" / "report"),
        method_map=[("**.py", "python")],
        keywords={"gettext": (2,), "N_": None, "_": None, "ngettext": (1, 2)},
    )  # fmt: skip
    exports = [
        (0, "", message, [], None)
        for path in EXTRA_MODULES
        for _, message, _, _ in extract_from_file(
            "python", str(ROOT / path), keywords={"gettext": (2,), "N_": None}
        )
    ]
    messages = [message for _, _, message, _, _ in [*jinja, *python, *exports]]
    for message in [*messages, *rule_messages()]:
        if isinstance(message, tuple):
            ids.update(m for m in message if m)
        elif message:
            ids.add(message)
    return ids


if __name__ == "__main__":
    from babel.messages.pofile import read_po

    po = ROOT / "report_templates/locales/fr/LC_MESSAGES/messages.po"
    known: set[str] = set()
    for m in read_po(po.open("rb")):
        known.update(str(i) for i in (m.id if isinstance(m.id, tuple | list) else [m.id]))
    for mid in sorted(message_ids()):
        if mid not in known:
            print(repr(mid))
