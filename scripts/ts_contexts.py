"""Give module-level ``tr()`` helpers' strings their real context in a .ts file.

``lupdate`` files a call to a plain function ``tr("...")`` under an empty
context, but a helper such as::

    def tr(text):
        return QCoreApplication.translate("Controls", text)

looks its strings up under "Controls" at run time. This script reads each
source file, finds such helpers (a module-level ``def tr`` returning
``QCoreApplication.translate("<context>", ...)``) and the string literals
passed to them, and moves those messages of the empty context into the
helper's context.

Since ``lupdate -no-obsolete`` drops the moved messages again on its next
run (it sees them only under the empty context), ``--memory OLD.ts`` gives the
file as it was before lupdate: finished translations found there (same
context and source) are put back into unfinished messages.

    python scripts/ts_contexts.py FILE.ts [--memory OLD.ts] SOURCE.py...
"""

from __future__ import annotations

import ast
import sys
import xml.etree.ElementTree as ET
from pathlib import Path


def helper_context(tree: ast.Module) -> str | None:
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == "tr":
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute)
                        and sub.func.attr == "translate" and sub.args
                        and isinstance(sub.args[0], ast.Constant) and isinstance(sub.args[0].value, str)):
                    return sub.args[0].value
    return None


def literal(node: ast.AST) -> str | None:
    """A string literal (implicit concatenation is one Constant in the AST)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def contexts_by_source(paths: list[Path]) -> dict[str, str]:
    found: dict[str, str] = {}
    for path in paths:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        context = helper_context(tree)
        if context is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "tr" and node.args:
                text = literal(node.args[0])
                if text is not None:
                    found[text] = context
    return found


def finished(message: ET.Element) -> bool:
    translation = message.find("translation")
    if translation is None or translation.get("type") in ("unfinished", "vanished", "obsolete"):
        return False
    forms = translation.findall("numerusform")
    return all((f.text or "").strip() for f in forms) if forms else bool((translation.text or "").strip())


def memory_of(path: str) -> dict[tuple[str, str], ET.Element]:
    memory: dict[tuple[str, str], ET.Element] = {}
    if not Path(path).exists():
        return memory
    for context in ET.parse(path).getroot().findall("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            if finished(message):
                memory[(name, message.findtext("source") or "")] = message.find("translation")
    return memory


def main(argv: list[str]) -> int:
    memory: dict[tuple[str, str], ET.Element] = {}
    if "--memory" in argv:
        i = argv.index("--memory")
        memory = memory_of(argv[i + 1])
        argv = argv[:i] + argv[i + 2:]
    ts_path, *sources = argv
    mapping = contexts_by_source([Path(s) for s in sources])
    tree = ET.parse(ts_path)
    root = tree.getroot()
    contexts = {c.findtext("name") or "": c for c in root.findall("context")}
    empty = contexts.get("")
    moved = 0
    if empty is None:
        empty = ET.Element("context")
    for message in list(empty.findall("message")):
        target_name = mapping.get(message.findtext("source") or "")
        if target_name is None:
            continue
        target = contexts.get(target_name)
        if target is None:
            target = ET.SubElement(root, "context")
            ET.SubElement(target, "name").text = target_name
            contexts[target_name] = target
        # A translation already made in the right context wins over the empty-context copy.
        if not any(m.findtext("source") == message.findtext("source") for m in target.findall("message")):
            target.append(message)
        empty.remove(message)
        moved += 1
    if not empty.findall("message") and empty in list(root):
        root.remove(empty)
    restored = 0
    for context in root.findall("context"):
        name = context.findtext("name") or ""
        for message in context.findall("message"):
            known = memory.get((name, message.findtext("source") or ""))
            if known is not None and not finished(message):
                old = message.find("translation")
                if old is not None:
                    message.remove(old)
                message.append(known)
                restored += 1
    ET.indent(tree, space="    ")
    with open(ts_path, "wb") as out:
        out.write(b'<?xml version="1.0" encoding="utf-8"?>\n<!DOCTYPE TS>\n')
        tree.write(out, encoding="utf-8", xml_declaration=False)
        out.write(b"\n")
    if moved or restored:
        print(f"{ts_path}: {moved} message(s) of tr() helpers moved to their context, "
              f"{restored} translation(s) kept from before")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
